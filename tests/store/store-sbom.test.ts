import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeSbom } from '../../src/store/store-sbom.js';
import { compressInBackground } from '../../src/store/compress-in-background.js';
import { listRelations, searchComponents } from '../../src/store/component.repository.js';
import { findSbomById, listSbomIssues, readSbomContent } from '../../src/store/sbom.repository.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { normalisedSbom } from '../helpers/normalised-sbom.js';

const bytesOf = (s: string) => Buffer.from(s);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function rowCounts(t: TestDb) {
  const count = async (table: 'sbom' | 'component' | 'component_edge' | 'component_hash' | 'sbom_content' | 'sbom_issue' | 'organisation') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    sbom: await count('sbom'), component: await count('component'), edge: await count('component_edge'), hash: await count('component_hash'),
    content: await count('sbom_content'), issue: await count('sbom_issue'), organisation: await count('organisation'),
  };
}

describe.each(BACKENDS)('storeSbom on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('stores the document, its components, edges, hashes, problems and original bytes', async () => {
    const bytes = bytesOf('{"bomFormat":"CycloneDX"}');
    const result = await storeSbom(t.db, { bytes, sha256: sha(bytes), sbom: normalisedSbom(3), strict: false });
    expect(result.created).toBe(true);
    const record = (await findSbomById(t.db, result.record.id))!;
    expect(record).toMatchObject({ format: 'cyclonedx-json', specVersion: '1.6', componentCount: 3, relationshipCount: 3, issueCount: 1, schemaValid: true, sha256: sha(bytes) });
    expect(record.subject).toEqual({ name: 'IP3000 firmware', version: '2.4.0', purl: 'pkg:generic/medisyn/ip3000@2.4.0' });
    expect(record.createdAt?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(await rowCounts(t)).toEqual({ sbom: 1, component: 4, edge: 3, hash: 4, content: 1, issue: 1, organisation: 1 });
    expect((await listSbomIssues(t.db, record.id))[0]).toMatchObject({ code: 'INVALID_LICENSE', path: 'ref:ref-1' });
    const chunks: Buffer[] = [];
    for await (const c of readSbomContent(t.db, record)) chunks.push(c);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('keeps brotli bytes when given them and gives back the original', async () => {
    const bytes = Buffer.from('{"bomFormat":"CycloneDX"}'.repeat(1000));
    const encoded = compressInBackground(bytes);
    const { record } = await storeSbom(t.db, { bytes, encoded, sha256: sha(bytes), sbom: normalisedSbom(1), strict: false });
    expect(record).toMatchObject({ contentEncoding: 'br', byteSize: bytes.length });
    const kept = await t.db.selectFrom('sbom_content').select('data').where('sbom_id', '=', record.id).execute();
    expect(Buffer.concat(kept.map((r) => r.data)).length).toBeLessThan(bytes.length / 10);
    const chunks: Buffer[] = [];
    for await (const c of readSbomContent(t.db, record)) chunks.push(c);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('gives back the original of a document kept as gzip, as documents stored before brotli are', async () => {
    const bytes = Buffer.from('{"bomFormat":"CycloneDX"}'.repeat(1000));
    const { record } = await storeSbom(t.db, { bytes, encoded: { encoding: 'gzip', bytes: gzipSync(bytes) }, sha256: sha(bytes), sbom: normalisedSbom(1), strict: false });
    expect(record).toMatchObject({ contentEncoding: 'gzip', byteSize: bytes.length });
    const chunks: Buffer[] = [];
    for await (const c of readSbomContent(t.db, record)) chunks.push(c);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('returns the first record and stores nothing when the same bytes come again', async () => {
    const bytes = bytesOf('same bytes');
    const first = await storeSbom(t.db, { bytes, sha256: sha(bytes), sbom: normalisedSbom(2), strict: false });
    const before = await rowCounts(t);
    const second = await storeSbom(t.db, { bytes, sha256: sha(bytes), sbom: normalisedSbom(2), strict: false });
    expect(second).toEqual({ created: false, record: first.record });
    expect(await rowCounts(t)).toEqual(before);
  });

  it('creates exactly one record when the same bytes are stored concurrently', async () => {
    const bytes = bytesOf('concurrent bytes');
    const results = await Promise.all(Array.from({ length: 6 }, () => storeSbom(t.db, { bytes, sha256: sha(bytes), sbom: normalisedSbom(50), strict: false })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.record.id)).size).toBe(1);
    expect((await rowCounts(t)).component).toBe(51);
  });

  it('keeps one vendor row when concurrent uploads name the same new vendors', async () => {
    await Promise.all(Array.from({ length: 4 }, (_, i) => {
      const bytes = bytesOf(`doc ${i}`);
      return storeSbom(t.db, { bytes, sha256: sha(bytes), sbom: normalisedSbom(3), strict: false });
    }));
    expect(await rowCounts(t)).toMatchObject({ sbom: 4, organisation: 1 });
  });

  it('stores nothing at all when a write inside the upload fails', async () => {
    const sbom = normalisedSbom(3);
    sbom.components.push({ ...sbom.components[1]!, index: 2 ** 31 }); // beyond PostgreSQL's integer: fails in the component COPY, mid-upload
    const bytes = bytesOf('broken');
    await expect(storeSbom(t.db, { bytes, sha256: sha(bytes), sbom, strict: false })).rejects.toThrow();
    expect(await rowCounts(t)).toEqual({ sbom: 0, component: 0, edge: 0, hash: 0, content: 0, issue: 0, organisation: 0 });
  });

  it('stores text PostgreSQL cannot hold as is (NUL, lone surrogates) with U+FFFD, and COPY specials unchanged', async () => {
    const sbom = normalisedSbom(2);
    sbom.components[1]!.name = 'nul\u0000here';
    sbom.components[1]!.description = 'lone \ud800 surrogate';
    sbom.components[1]!.licenses = [{ name: 'odd \u0000 licence \udc00' }];
    sbom.components[2]!.name = 'tab\there\nnewline\\backslash\rreturn';
    const bytes = bytesOf('odd text');
    const { record } = await storeSbom(t.db, { bytes, sha256: sha(bytes), sbom, strict: false });
    const [a, b] = await searchComponents(t.db, { sbomId: record.id, subjectsOnly: false }, { first: 10, after: { sbomId: record.id, index: 0 } });
    expect(a).toMatchObject({ name: 'nul\ufffdhere', description: 'lone \ufffd surrogate', licenses: [{ name: 'odd \ufffd licence \ufffd' }] });
    expect(b!.name).toBe('tab\there\nnewline\\backslash\rreturn');
  });

  it('gives back each licence expression as stated, also one that repeats and holds quotes, backslashes and tabs', async () => {
    const sbom = normalisedSbom(3);
    const odd = 'LicenseRef-a"b\\c\td\u0000e';
    sbom.components[1]!.licenses = [{ expression: odd }];
    sbom.components[2]!.licenses = [{ expression: odd }];
    sbom.components[3]!.licenses = [{ expression: 'MIT', kind: 'concluded' }];
    const bytes = bytesOf('licences');
    const { record } = await storeSbom(t.db, { bytes, sha256: sha(bytes), sbom, strict: false });
    const found = await searchComponents(t.db, { sbomId: record.id, subjectsOnly: false }, { first: 10, after: { sbomId: record.id, index: 0 } });
    expect(found.map((c) => c.licenses)).toEqual([
      [{ expression: 'LicenseRef-a"b\\c\td\ufffde' }],
      [{ expression: 'LicenseRef-a"b\\c\td\ufffde' }],
      [{ expression: 'MIT', kind: 'concluded' }],
    ]);
  });

  it('writes documents larger than one batch in full', async () => {
    const bytes = bytesOf('big');
    const { record } = await storeSbom(t.db, { bytes, sha256: sha(bytes), sbom: normalisedSbom(25_000), strict: false });
    expect(record.componentCount).toBe(25_000);
    expect(await rowCounts(t)).toMatchObject({ component: 25_001, edge: 25_000, hash: 25_001 });
    const last = await searchComponents(t.db, { sbomId: record.id, purlKey: 'pkg:npm/component-25000@1.0.0' }, { first: 2 });
    expect(last.map((c) => c.name)).toEqual(['component-25000']);
    const deps = await listRelations(t.db, { sbomId: record.id, index: 24_999 }, 'dependencies');
    expect(deps.map((d) => [d.component.index, d.type])).toEqual([[25_000, 'DEPENDS_ON']]);
  });
});
