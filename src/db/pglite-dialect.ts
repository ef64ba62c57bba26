/**
 * @module
 * A Kysely dialect for PGlite (PostgreSQL in WASM). kysely 0.28 has none built in and kysely-pglite-dialect
 * does not accept pglite 0.5 (see ../shared/docs/DEPENDENCIES.md 3.1).
 */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { types, type PGlite } from '@electric-sql/pglite';
import { isCopyQuery } from './copy-from.js';
import { APP_ROLE } from './principal-dialect.js';

/**
 * Parameter encoders that replace PGlite's own. Its bytea encoder makes a two-character string per byte and joins
 * them: for the 18 MB compressed original of a 74 MB upload, 6 of the 21 seconds of its ingest, and most of the garbage
 * collector's work. Node's hex encoder gives the same text natively.
 */
const SERIALIZERS = {
  [types.BYTEA]: (v: unknown) => {
    // Text is bytea's input syntax, as pg sends it to the real server.
    if (typeof v === 'string') return v;
    if (!(v instanceof Uint8Array)) throw new TypeError(`a bytea parameter must be bytes (a Uint8Array) or bytea text, not ${typeof v}`);
    return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  },
};

/** And its bytea decoder, which parses two hex digits at a time into a new array: Node's decoder instead. */
const PARSERS = {
  [types.BYTEA]: (v: string) => (v.startsWith('\\x') ? Buffer.from(v.slice(2), 'hex') : types.parsers[types.BYTEA]!(v, types.BYTEA)),
};

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const params = query.parameters as unknown[];
    if (isCopyQuery(params)) {
      // PGlite reads COPY data from the virtual file /dev/blob, which PostgreSQL allows only to roles that may read
      // server files. A request's role (patchpath_app, src/db/principal-dialect.ts) may not, and should not, so the
      // COPY alone runs as the session's own user: `set local` ends with the statement's transaction at the latest,
      // and the role is set back at once. COPY is only used inside a transaction (src/store/).
      // Chunks are strings or bytes of ordinary (never shared) buffers, which Blob takes as they are.
      const blob = new Blob([...params[0].chunks] as BlobPart[]);
      const asApp = (await this.pg.query<{ app: boolean }>(`select current_user = '${APP_ROLE}' as app`)).rows[0]?.app === true;
      if (asApp) await this.pg.exec('set local role none');
      try {
        const res = await this.pg.query(query.sql.replace(/from stdin$/i, "from '/dev/blob'"), [], { blob });
        return { rows: [], numAffectedRows: res.affectedRows != null ? BigInt(res.affectedRows) : undefined };
      } finally {
        // After a failed COPY the transaction is aborted and refuses this; its rollback ends the `set local` anyway.
        if (asApp) await this.pg.exec(`set local role ${APP_ROLE}`).catch(() => {});
      }
    }
    // Without parameters, use the simple protocol so a migration file may hold several statements (as pg does).
    if (params.length === 0) {
      const results = await this.pg.exec(query.sql);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as R[], numAffectedRows: last?.affectedRows != null ? BigInt(last.affectedRows) : undefined };
    }
    const res = await this.pg.query<R>(query.sql, params, { rowMode: 'object', serializers: SERIALIZERS, parsers: PARSERS });
    return { rows: res.rows ?? [], numAffectedRows: res.affectedRows != null ? BigInt(res.affectedRows) : undefined };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the PGlite dialect does not stream query results');
  }
}

/**
 * PGlite is ONE PostgreSQL session: the connection is handed out to one holder at a time, so a Kysely
 * transaction (which keeps the connection from begin to commit) never interleaves with other queries.
 */
class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #busy = false;
  readonly #waiters: Array<() => void> = [];

  constructor(private readonly pg: PGlite) {
    this.#connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#busy = true;
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#busy = false;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const sql = settings.isolationLevel ? `start transaction isolation level ${settings.isolationLevel}` : 'begin';
    await connection.executeQuery(CompiledQuery.raw(sql));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
