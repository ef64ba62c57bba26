/**
 * @module
 * Row-level security for every query, on both backends: a {@link Dialect} wrapper whose connections are switched,
 * when handed out, to the caller of the running request (src/access/principal.ts): role `patchpath_app` and the
 * settings `patchpath.role` / `patchpath.org_id` that the policies of migrations/202611300900_create_access.sql read.
 * Outside a request the connection runs as the connecting user (migrations, start-up, CLI).
 *
 * Switching happens when a connection is acquired, which Kysely does once per query outside a transaction and once
 * per transaction, never inside one, so a rolled-back transaction cannot undo it. Each connection remembers whom it
 * runs as, so the common case (the same party again) costs nothing.
 */
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from 'kysely';
import { currentPrincipal } from '../access/principal.js';

export const APP_ROLE = 'patchpath_app';

export function principalDialect(inner: Dialect): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => new PrincipalDriver(inner.createDriver()),
  };
}

class PrincipalDriver implements Driver {
  /** Whom each connection runs as: `role:org`, or '' for the connecting user (a new connection's state). */
  readonly #runsAs = new WeakMap<DatabaseConnection, string>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    const principal = currentPrincipal();
    const wanted = principal ? `${principal.role}:${principal.organisationId}` : '';
    if ((this.#runsAs.get(connection) ?? '') === wanted) return connection;
    try {
      this.#runsAs.delete(connection);
      // With parameters, so both backends run it with the extended protocol (one statement, typed values).
      await connection.executeQuery(
        principal
          ? CompiledQuery.raw(`select set_config('role', '${APP_ROLE}', false), set_config('patchpath.role', $1, false), set_config('patchpath.org_id', $2, false)`, [principal.role, String(principal.organisationId)])
          : CompiledQuery.raw(`select set_config('role', 'none', false), set_config('patchpath.role', $1, false), set_config('patchpath.org_id', $1, false)`, ['']),
      );
      this.#runsAs.set(connection, wanted);
    } catch (e) {
      await this.inner.releaseConnection(connection);
      throw e;
    }
    return connection;
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
