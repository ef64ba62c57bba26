import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseReady, migrateToLatest } from '../../src/db/migrate.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

describe.each(BACKENDS)('migrateToLatest on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.close());

  it('creates every table from the plain .sql files', async () => {
    const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(t.db);
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['component', 'component_edge', 'component_hash', 'organisation', 'organisation_alias', 'sbom', 'sbom_content', 'sbom_document_reference', 'sbom_issue']),
    );
  });

  it('applies nothing the second time', async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it('gives every party-owned table an organisation column', async () => {
    const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'organisation_id' order by table_name`.execute(t.db);
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['component', 'component_edge', 'component_hash', 'organisation_alias', 'sbom', 'sbom_content', 'sbom_document_reference', 'sbom_issue']),
    );
  });
});

describe.each(BACKENDS)('isDatabaseReady on %s', (backend) => {
  it('is true on a migrated database and false before migrations', async () => {
    const t = await createTestDb(backend);
    try {
      expect(await isDatabaseReady(t.db)).toBe(true);
      await sql`drop table sbom cascade`.execute(t.db);
      expect(await isDatabaseReady(t.db)).toBe(false);
    } finally {
      await t.close();
    }
  });
});
