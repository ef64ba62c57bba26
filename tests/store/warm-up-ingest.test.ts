import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSbom } from '../../src/ingest/parse-sbom.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { warmUpIngest } from '../../src/store/warm-up-ingest.js';
import { BACKENDS, createTestDb, rowCounts, type TestDb } from '../helpers/test-db.js';

describe('warmUpIngest', () => {
  it('accepts its own document and leaves validation working as before', async () => {
    await expect(warmUpIngest()).resolves.toBeUndefined();
    const doc = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', bogus: 1 }] };
    const r = await parseSbom(Buffer.from(JSON.stringify(doc)));
    expect(r.ok && r.sbom.schemaValid).toBe(false);
  });
});

describe.each(BACKENDS)('warmUpIngest with a database on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.close());

  it('copies its rows in a transaction it rolls back: every table holds what it held, and uploads go on as before', async () => {
    const doc = (serial: string) =>
      Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: `urn:uuid:${serial}`, version: 1, components: [{ type: 'library', 'bom-ref': 'a', name: 'a', version: '1', hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }] }] }));
    const first = await ingestSbom(t.db, doc('3e671687-395b-41f5-a30f-a58921a69b79'));
    const before = await rowCounts(t);
    await warmUpIngest(t.db);
    expect(await rowCounts(t)).toEqual(before);
    const second = await ingestSbom(t.db, doc('3e671687-395b-41f5-a30f-a58921a69b7a'));
    expect(second.status).toBe('accepted');
    expect(second.status === 'accepted' && first.status === 'accepted' && second.record.id).toBe(first.status === 'accepted' ? first.record.id + 1 : -1);
  });
});
