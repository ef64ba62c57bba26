/**
 * @module
 * One Kysely handle over either backend: real PostgreSQL through pg when a URL is given (that is also how
 * patchpath scales out: several stateless instances on one server), else embedded PGlite under a data folder
 * (or in memory). The same SQL runs on both.
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './database.js';
import { copyCapablePool } from './copy-from.js';
import { lockDataDir } from './data-dir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import { principalDialect } from './principal-dialect.js';

export interface DbOptions {
  /** postgres:// URL; when set, the real server is used. */
  url?: string;
  /** PGlite data folder; undefined with no url means in memory. */
  dataDir?: string;
  /** Preloaded PGlite data dump (tests start from a migrated template this way, 0.5 s instead of 3 s). */
  loadDataDir?: Blob;
  /** Pool size for pg. */
  poolSize?: number;
}

export interface DbHandle {
  db: Kysely<Database>;
  backend: 'postgres' | 'pglite';
  /** Closes the pool or the embedded database and releases the data-folder lock. */
  close(): Promise<void>;
  /** Embedded only: dumps the data folder (used to make test templates). */
  dump?(): Promise<Blob>;
}

/** The handles over the embedded database, which runs in this process's own thread. */
const embedded = new WeakSet<Kysely<Database>>();

/**
 * Whether `db` is the embedded database: its work is done on this thread, between this process's own, so nothing that
 * this process does can overlap with it (src/store/stream-sbom.ts overlaps reading a document with the server's
 * writing, on a real server only).
 */
export function runsInProcess(db: Kysely<Database>): boolean {
  return embedded.has(db);
}

export async function createDb(options: DbOptions = {}): Promise<DbHandle> {
  if (options.url) {
    const { default: pg } = await import('pg');
    // int8 and count(*) as JS numbers, as PGlite returns them (pg's default is string). Ids stay far below 2^53.
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    };
    // JIT off for the session: patchpath's queries are short walks over indexes, and PostgreSQL's JIT, which starts
    // on cost estimates alone, compiled some of them for 0.7 s where they run in 10 ms (measured on stitching).
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types, options: '-c jit=off' });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: principalDialect(new PostgresDialect({ pool: copyCapablePool(pool) })) });
    return { db, backend: 'postgres', close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  let release: (() => void) | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true }); // PGlite does not create parent folders
    release = lockDataDir(options.dataDir);
  }
  try {
    const pglite = await PGlite.create(options.dataDir ? `${options.dataDir}/pgdata` : undefined, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    const db = new Kysely<Database>({ dialect: principalDialect(new PGliteDialect(pglite)) });
    embedded.add(db);
    return {
      db,
      backend: 'pglite',
      close: async () => {
        await db.destroy();
        release?.();
      },
      dump: async () => (await pglite.dumpDataDir('none')) as Blob,
    };
  } catch (e) {
    release?.();
    throw e;
  }
}
