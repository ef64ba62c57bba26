/**
 * @module
 * What the chain resolver needs on top of the migrated schema, done on every start (idempotent): the builtin
 * stack catalogue written, and every document stored before stitching existed stitched.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { stitchUnstitched } from './link-sbom.js';
import { seedBuiltinStacks } from './stack-catalogue.js';

export async function prepareChains(db: Kysely<Database>, onProgress?: (done: number, total: number) => void): Promise<{ stacksAdded: number; stitched: number }> {
  const { added } = await seedBuiltinStacks(db);
  const stitched = await stitchUnstitched(db, onProgress);
  return { stacksAdded: added, stitched };
}
