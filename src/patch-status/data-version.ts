/**
 * @module
 * Answers derived from everything stored (a vulnerability's reach, an operator's matched devices) are kept in memory
 * per database handle and reused while the data they read is unchanged. Uploads only add: a new SBOM, advisory or
 * catalogue stack gets a higher id, so the newest row of each (its id and arrival time, one index lookup each) says
 * whether anything was added. Several instances on one database each see the others' uploads the same way. An upload
 * that commits after a later one (a lower id arriving late) is not seen by the ids, so no entry lives longer than
 * {@link MAX_AGE_MS}.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';

type Db = Kysely<Database>;

export const MAX_AGE_MS = 5_000;

/** Changes whenever an SBOM, an advisory or a catalogue stack is stored. */
export async function dataVersion(db: Db): Promise<string> {
  const row = await sql<{ v: string }>`
    select concat_ws('|',
      (select id || '@' || ingested_at from sbom order by id desc limit 1),
      (select id || '@' || ingested_at from advisory order by id desc limit 1),
      (select max(id) from stack), (select count(*) from stack_identifier)) as v`.execute(db);
  return row.rows[0]!.v;
}

/** A small LRU of computed values per database handle, each valid for one data version and {@link MAX_AGE_MS}. */
export class VersionedCache<T> {
  readonly #byDb = new WeakMap<Db, Map<string, { version: string; at: number; value: Promise<T> }>>();

  constructor(readonly size: number) {}

  /** The value for `key` at `version`: the kept one while it is current, else `compute()` (kept unless it fails). */
  get(db: Db, key: string, version: string, compute: () => Promise<T>): Promise<T> {
    let cache = this.#byDb.get(db);
    if (!cache) this.#byDb.set(db, (cache = new Map()));
    const hit = cache.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < MAX_AGE_MS) return hit.value;
    const value = compute();
    cache.delete(key);
    cache.set(key, { version, at: Date.now(), value });
    if (cache.size > this.size) cache.delete(cache.keys().next().value!);
    value.catch(() => cache.get(key)?.value === value && cache.delete(key));
    return value;
  }
}
