import { readdir, readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { ingestAdvisory } from '../store/ingest-advisory.js';
import { DEMO_SBOM_DIR } from './load-demo-sboms.js';

/**
 * Loads the demo vendors' VEX documents (sboms/vex/) with the shipped advisory set into a fresh database, so the
 * demo shows a vendor's NOT_AFFECTED claim and a fixed version stated by VEX. Called only when the advisory set was
 * just loaded (a database that held advisories is left as it is).
 *
 * @returns how many documents were loaded.
 */
export async function loadDemoVex(db: Kysely<Database>, config: { limits: { maxBytes: number; maxDepth: number } }, dir = `${DEMO_SBOM_DIR}vex/`): Promise<number> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const outcome = await ingestAdvisory(db, await readFile(`${dir}${file}`), { limits: config.limits });
    if (outcome.status === 'rejected') throw new Error(`demo VEX sboms/vex/${file} was rejected: ${outcome.issues[0]?.path} ${outcome.issues[0]?.message}`);
  }
  return files.length;
}
