/**
 * Throwaway databases for stored-data tests: every such test runs on the embedded PGlite, and also on the
 * real PostgreSQL server when TEST_DATABASE_URL is set (CI sets it), each test file in a database of its own.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/create-db.js';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { prepareChains } from '../../src/chains/prepare-chains.js';
import { seedBuiltinStacks } from '../../src/chains/stack-catalogue.js';

export type Backend = 'pglite' | 'postgres';

export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  backend: Backend;
  db: Kysely<Database>;
  handle: DbHandle;
  /** postgres only: the URL of this test's own database (for a server process under test). */
  url?: string;
  /** Empties every table (between tests). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const TABLES = ['scorecard_snapshot_run', 'scorecard_snapshot', 'device', 'vex_statement', 'vulnerability_alias', 'advisory_vulnerability', 'advisory_issue', 'advisory_content', 'advisory', 'component_stack', 'component_link', 'sbom_subject_hash', 'sbom_subject', 'component_edge', 'component_hash', 'component', 'sbom_document_reference', 'sbom_issue', 'sbom_content', 'sbom', 'organisation_alias', 'organisation'];

export async function createTestDb(backend: Backend): Promise<TestDb> {
  if (backend === 'pglite') {
    const template = new Blob([await readFile(inject('pgliteTemplate'))]);
    const handle = await createDb({ loadDataDir: template });
    await migrateToLatest(handle.db); // no-op unless migrations changed since the template
    await prepareChains(handle.db);
    return wrap(backend, handle);
  }
  const admin = new URL(process.env.TEST_DATABASE_URL!);
  const name = `patchpath_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin.href);
  url.pathname = `/${name}`;
  const handle = await createDb({ url: url.href, poolSize: 5 });
  await migrateToLatest(handle.db);
  await prepareChains(handle.db);
  const t = wrap(backend, handle, url.href);
  return {
    ...t,
    close: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: admin.href });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

function wrap(backend: Backend, handle: DbHandle, url?: string): TestDb {
  return {
    backend,
    db: handle.db,
    handle,
    url,
    reset: async () => {
      await sql.raw(`truncate ${TABLES.join(', ')}, stack, stack_identifier restart identity cascade`).execute(handle.db);
      await seedBuiltinStacks(handle.db);
    },
    close: () => handle.close(),
  };
}

/**
 * A test database for the enclosing `describe`: opened before its tests, emptied before each, closed after them.
 * Call it in the describe body; the returned function gives the database inside a test.
 */
export function useTestDb(backend: Backend): () => TestDb {
  let t: TestDb | undefined;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t!.reset();
  });
  return () => t!;
}

/** Rows of every table, by name: two calls around a refused write show that it changed nothing. */
export async function rowCounts(t: TestDb): Promise<Record<string, number>> {
  const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(t.db);
  const counts: Record<string, number> = {};
  for (const { tablename } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(tablename)}`.execute(t.db);
    counts[tablename] = r.rows[0]!.n;
  }
  return counts;
}
