import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { ingestInventory } from '../store/ingest-inventory.js';
import { DEMO_SBOM_DIR } from './load-demo-sboms.js';

export const DEMO_OPERATOR = 'St. Elsewhere Hospital';
export const DEMO_INVENTORY_FILE = `${DEMO_SBOM_DIR}inventory/st-elsewhere-devices.csv`;

/**
 * Imports the demo hospital's device list (sboms/inventory/) into a database that holds no device yet, so the
 * security team's questions (affected devices, update or isolate) answer at once.
 *
 * @returns how many devices were imported (0 when the database held devices).
 */
export async function loadDemoInventory(db: Kysely<Database>): Promise<number> {
  if (await db.selectFrom('device').select('id').limit(1).executeTakeFirst()) return 0;
  const outcome = await ingestInventory(db, await readFile(DEMO_INVENTORY_FILE), { operator: DEMO_OPERATOR, format: 'csv' });
  if (outcome.status === 'rejected') throw new Error(`demo inventory ${DEMO_INVENTORY_FILE} was rejected: ${outcome.issues[0]?.path} ${outcome.issues[0]?.message}`);
  return outcome.result.created;
}
