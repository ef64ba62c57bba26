import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Ingester } from '../ingester.js';
import { countSboms } from '../store/sbom.repository.js';

export const DEMO_SBOM_DIR = fileURLToPath(new URL('../../sboms/', import.meta.url));

/**
 * Loads the project's demo SBOMs (sboms/) into an empty database, so a newcomer sees data at once.
 * A database that already holds SBOMs is left as it is.
 *
 * @returns how many documents were loaded (0 when the database was not empty).
 */
export async function loadDemoSboms(db: Kysely<Database>, ingest: Ingester, dir = DEMO_SBOM_DIR): Promise<number> {
  if ((await countSboms(db)) > 0) return 0;
  // Every file but the README; folders (inventory/, a hospital's device list) are not SBOMs.
  const files = (await readdir(dir, { withFileTypes: true })).filter((f) => f.isFile() && !f.name.endsWith('.md')).map((f) => f.name).sort();
  let loaded = 0;
  for (const file of files) {
    const outcome = await ingest({ bytes: await readFile(`${dir}/${file}`), channel: 'demo', source: `sboms/${file}` });
    if (outcome.status === 'rejected') throw new Error(`demo SBOM sboms/${file} was rejected: ${outcome.issues[0]?.path} ${outcome.issues[0]?.message}`);
    loaded++;
  }
  return loaded;
}
