/**
 * REST /v1/advisories end to end: a real HTTP server over each test database, documents sent as bytes, every
 * expected value read off the document sent (tests/helpers/advisory-docs.ts) or read in place from the corpus.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON, corpusCases, readCorpusFile } from '../helpers/corpus.js';
import { cdxJson, demoSbom, MODULE } from '../helpers/demo-sboms.js';
import { CDX_VEX, CDX_VEX_STATEMENTS, CSAF, CSAF_STATEMENTS, cycloneDxStatementCount, json, OPENVEX, OPENVEX_BAD_STATUS, OPENVEX_STATEMENTS, OSV, OSV_STATEMENTS } from '../helpers/advisory-docs.js';

/** A small CISA CSAF advisory of the corpus: one vulnerability, one product. */
const CORPUS_CSAF = 'csaf/icsma-17-017-01.json';
const CORPUS_CSAF_CASE = corpusCases().find((c) => c.path === CORPUS_CSAF);
const CSAF_SKIP = !CORPUS_AVAILABLE ? CORPUS_SKIP_REASON : !CORPUS_CSAF_CASE ? `${CORPUS_CSAF} is not listed in the corpus MANIFEST.tsv` : undefined;

const TABLES = ['advisory', 'advisory_content', 'advisory_issue', 'advisory_vulnerability', 'vex_statement', 'vulnerability_alias', 'organisation'] as const;

async function counts(t: TestDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);
  return out;
}

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const iso = (text: string) => new Date(text).toISOString();

const MAX_BYTES = 16 * 1024;

describe.each(BACKENDS)('REST /v1/advisories over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  const post = (body: BodyInit, query = '') => server.fetch(`${server.url}/v1/advisories${query}`, { method: 'POST', body });
  const get = (path: string) => server.fetch(`${server.url}${path}`);

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t, { limits: { maxBytes: MAX_BYTES, maxDepth: 64, maxComponents: 100_000 } });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });
  beforeEach(() => t.reset());

  describe('201 with the record for a new document', () => {
    it('OSV', async () => {
      const body = json(OSV);
      const res = await post(body);
      expect(res.status).toBe(201);
      const r = await res.json();
      expect(res.headers.get('location')).toBe(`/v1/advisories/${r.id}`);
      expect(r).toMatchObject({
        format: 'osv',
        specVersion: OSV.schema_version,
        documentId: OSV.id,
        documentVersion: null,
        title: OSV.summary,
        publisher: null,
        vendorId: null,
        published: iso(OSV.published),
        modified: iso(OSV.modified),
        schemaValid: true,
        vulnerabilities: 1,
        statements: OSV_STATEMENTS,
        issueCount: 0,
        issues: [],
        sha256: sha256(body),
        byteSize: Buffer.byteLength(body),
        links: { self: `/v1/advisories/${r.id}`, raw: `/v1/advisories/${r.id}/raw` },
      });
      expect(Number.isInteger(r.id)).toBe(true);
      expect(Number.isNaN(Date.parse(r.ingestedAt))).toBe(false);
    });

    it.skipIf(CSAF_SKIP !== undefined)(`a CISA CSAF advisory of the corpus, read in place${CSAF_SKIP ? ` (skipped: ${CSAF_SKIP})` : ''}`, async () => {
      const bytes = readCorpusFile(CORPUS_CSAF);
      const doc = JSON.parse(bytes.toString('utf8'));
      const statements = (doc.vulnerabilities as any[]).reduce((n, v) => n + Object.values(v.product_status ?? {}).reduce((m: number, ids) => m + (ids as string[]).length, 0), 0);
      const res = await post(new Uint8Array(bytes));
      expect(res.status).toBe(201);
      const r = await res.json();
      expect(res.headers.get('location')).toBe(`/v1/advisories/${r.id}`);
      expect(r).toMatchObject({
        format: 'csaf',
        specVersion: doc.document.csaf_version,
        documentId: doc.document.tracking.id,
        documentVersion: doc.document.tracking.version,
        title: doc.document.title,
        publisher: { name: doc.document.publisher.name, namespace: doc.document.publisher.namespace, category: doc.document.publisher.category },
        // CISA publishes as a coordinator, not as the vendor of the products.
        vendorId: null,
        published: iso(doc.document.tracking.initial_release_date),
        modified: iso(doc.document.tracking.current_release_date),
        schemaValid: CORPUS_CSAF_CASE!.expected === 'valid',
        vulnerabilities: doc.vulnerabilities.length,
        statements,
        sha256: sha256(bytes),
        byteSize: bytes.byteLength,
      });
      expect([doc.vulnerabilities.length, statements]).toEqual([1, 1]);
    });

    it('CSAF VEX written inline, whose vendor publisher becomes the owning vendor', async () => {
      const res = await post(json(CSAF));
      expect(res.status).toBe(201);
      const r = await res.json();
      expect(r).toMatchObject({
        format: 'csaf',
        specVersion: '2.0',
        documentId: CSAF.document.tracking.id,
        documentVersion: CSAF.document.tracking.version,
        title: CSAF.document.title,
        publisher: CSAF.document.publisher,
        schemaValid: true,
        vulnerabilities: 1,
        statements: CSAF_STATEMENTS,
      });
      expect(CSAF_STATEMENTS).toBe(Object.values(CSAF.vulnerabilities[0]!.product_status).flat().length);
      const vendor = await t.db.selectFrom('organisation').select(['id', 'name']).where('id', '=', r.vendorId).executeTakeFirst();
      expect(vendor?.name).toBe(CSAF.document.publisher.name);
    });

    it('OpenVEX', async () => {
      const body = json(OPENVEX);
      const res = await post(body);
      expect(res.status).toBe(201);
      const r = await res.json();
      expect(res.headers.get('location')).toBe(`/v1/advisories/${r.id}`);
      expect(r).toMatchObject({
        format: 'openvex',
        specVersion: '0.2.0',
        documentId: OPENVEX['@id'],
        documentVersion: String(OPENVEX.version),
        title: null,
        publisher: { name: OPENVEX.author },
        published: iso(OPENVEX.timestamp),
        modified: null,
        schemaValid: true,
        vulnerabilities: 1,
        statements: OPENVEX_STATEMENTS,
        issueCount: 0,
        sha256: sha256(body),
        byteSize: Buffer.byteLength(body),
      });
      expect(OPENVEX_STATEMENTS).toBe(OPENVEX.statements.reduce((n, s) => n + s.products.length, 0));
      expect(typeof r.vendorId).toBe('number');
    });

    it('CycloneDX VEX/VDR', async () => {
      const body = json(CDX_VEX);
      const res = await post(body);
      expect(res.status).toBe(201);
      const r = await res.json();
      expect(res.headers.get('location')).toBe(`/v1/advisories/${r.id}`);
      expect(r).toMatchObject({
        format: 'cyclonedx-vex',
        specVersion: CDX_VEX.specVersion,
        documentId: CDX_VEX.serialNumber,
        documentVersion: String(CDX_VEX.version),
        publisher: { name: CDX_VEX.metadata.component.supplier.name },
        published: iso(CDX_VEX.metadata.timestamp),
        schemaValid: true,
        vulnerabilities: CDX_VEX.vulnerabilities.length,
        statements: CDX_VEX_STATEMENTS,
        issueCount: 0,
        sha256: sha256(body),
      });
      expect(CDX_VEX_STATEMENTS).toBe(cycloneDxStatementCount(CDX_VEX));
      const stored = await counts(t);
      expect([stored.advisory, stored.advisory_content, stored.advisory_vulnerability, stored.vex_statement]).toEqual([1, 1, CDX_VEX.vulnerabilities.length, CDX_VEX_STATEMENTS]);
    });
  });

  it('answers 200 with the first record when the same bytes come again, and stores nothing more', async () => {
    const body = json(OSV);
    const first = await (await post(body)).json();
    const before = await counts(t);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.headers.get('location')).toBeNull();
    const r = await again.json();
    expect(r).toMatchObject({ id: first.id, duplicate: true, format: 'osv', sha256: first.sha256, vulnerabilities: 1, statements: OSV_STATEMENTS });
    expect(await counts(t)).toEqual(before);
    // Other bytes of the same content are another document.
    const reformatted = await post(JSON.stringify(OSV));
    expect(reformatted.status).toBe(201);
    expect((await reformatted.json()).id).not.toBe(first.id);
  });

  it('creates one record when identical uploads race', async () => {
    const responses = await Promise.all(Array.from({ length: 4 }, () => post(json(CDX_VEX))));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const ids = new Set(await Promise.all(responses.map(async (r) => (await r.json()).id)));
    expect(ids.size).toBe(1);
    const c = await counts(t);
    expect([c.advisory, c.vex_statement]).toEqual([1, CDX_VEX_STATEMENTS]);
  });

  describe('422 with located issues, and nothing stored', () => {
    const truncated = json(OSV).slice(0, 120);
    it.each([
      ['an empty body', '', 'EMPTY_DOCUMENT', /^$/, /document is empty; expected an OSV, CSAF 2\.0, OpenVEX or CycloneDX VEX JSON document/],
      ['whitespace only', '  \n\t ', 'EMPTY_DOCUMENT', /^$/, /document is empty/],
      ['text that is not JSON', 'just some words', 'SYNTAX_ERROR', /^line 1, column 1$/, /^JSON syntax error\b.*Unexpected token 'j'/],
      ['truncated JSON', truncated, 'SYNTAX_ERROR', new RegExp(`^line ${truncated.split('\n').length}, column \\d+$`), /JSON ends early \(truncated document\?\)/],
      ['JSON that is no advisory', '{"hello":"world"}', 'NOT_AN_ADVISORY', /^$/, /document is JSON but not an advisory: the JSON object has none of document\.csaf_version \(CSAF\)/],
      ['a JSON array', '[1,2,3]', 'NOT_AN_ADVISORY', /^$/, /the top-level JSON value is an array, not an object/],
      ['a CycloneDX SBOM (no vulnerabilities)', cdxJson([{ type: 'library', name: 'zlib', version: '1.3.1' }]), 'NOT_AN_ADVISORY', /^$/, /CycloneDX BOM without a 'vulnerabilities' array: an SBOM, not VEX or VDR \(upload it as an SBOM\)/],
      ['an SPDX SBOM', demoSbom(MODULE), 'NOT_AN_ADVISORY', /^$/, /it is an SPDX document: an SBOM, not an advisory \(upload it as an SBOM\)/],
      ['XML', '<?xml version="1.0"?><cvrf:cvrfdoc/>', 'UNSUPPORTED_FORMAT', /^line 1, column 1$/, /document is XML; advisories are read as JSON only/],
      ['CSAF 2.1', json({ ...CSAF, document: { ...CSAF.document, csaf_version: '2.1' } }), 'UNSUPPORTED_SPEC_VERSION', /^\/document\/csaf_version$/, /csaf spec version '2\.1' is not supported; supported: 2\.0/],
      ['CycloneDX 1.3 VEX', json({ ...CDX_VEX, specVersion: '1.3' }), 'UNSUPPORTED_SPEC_VERSION', /^\/specVersion$/, /cyclonedx-vex spec version '1\.3' is not supported; supported: 1\.4, 1\.5, 1\.6/],
      ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'INVALID_ENCODING', /^byte 2$/, /byte 0xff at offset 2 is not valid UTF-8/],
      ['JSON nested beyond the limit', `${'['.repeat(100)}${']'.repeat(100)}`, 'LIMIT_EXCEEDED', /^line 1, column \d+$/, /JSON nesting goes deeper than the limit of 64 levels/],
    ])('%s', async (_, body, code, path, message) => {
      await post(json(CDX_VEX)); // something stored already, so "nothing more" is checked against a non-empty database
      const before = await counts(t);
      const res = await post(body as BodyInit);
      expect(res.status).toBe(422);
      const r = await res.json();
      expect(r.issues.length).toBeGreaterThanOrEqual(1);
      expect(r.issues[0]).toMatchObject({ code, severity: 'error' });
      expect(r.issues[0].path).toMatch(path);
      expect(r.issues[0].message).toMatch(message);
      expect(await counts(t)).toEqual(before);
    });

    it('a schema violation with ?strict=true, naming the value and the rule; stored with its verdict without', async () => {
      const body = json(OPENVEX_BAD_STATUS);
      const strict = await post(body, '?strict=true');
      expect(strict.status).toBe(422);
      const r = await strict.json();
      expect(r.format).toBe('openvex');
      expect(r.issues).toEqual([
        {
          code: 'SCHEMA_VIOLATION',
          severity: 'error',
          path: '/statements/0/status',
          message: "'/statements/0/status' 'maybe' is not one of 'not_affected', 'affected', 'fixed', 'under_investigation' (OpenVEX 0.2.0 JSON schema)",
        },
      ]);
      expect(Object.values(await counts(t))).toEqual(TABLES.map(() => 0));

      const lenient = await post(body, '?strict=false');
      expect(lenient.status).toBe(201);
      const stored = await lenient.json();
      expect(stored).toMatchObject({ schemaValid: false, vulnerabilities: 1, statements: 1, issueCount: 2 });
      expect(stored.issues.map((i: { code: string; severity: string; path: string }) => [i.code, i.severity, i.path])).toEqual([
        ['SCHEMA_VIOLATION', 'error', '/statements/0/status'],
        ['UNKNOWN_STATUS', 'warning', '/statements/0/status'],
      ]);
      expect(stored.issues[1].message).toMatch(/has status 'maybe'.*recorded as unknown/);

      // The same bytes again: a lenient caller gets the first record, a strict one still the rejection.
      expect((await post(body)).status).toBe(200);
      const strictAgain = await post(body, '?strict=1');
      expect(strictAgain.status).toBe(422);
      expect((await strictAgain.json()).issues[0]).toMatchObject({ code: 'SCHEMA_VIOLATION', path: '/statements/0/status' });
      expect((await counts(t)).advisory).toBe(1);
    });

    it('every schema violation, each at its own pointer, with ?strict=true', async () => {
      const doc = { ...OSV, modified: 'yesterday', affected: [{ package: { ecosystem: 'NoSuchEcosystem', name: 'tinydns' } }] };
      const res = await post(json(doc), '?strict=true');
      expect(res.status).toBe(422);
      const { issues } = await res.json();
      const paths = issues.map((i: { path: string }) => i.path);
      expect(paths).toContain('/modified');
      expect(paths).toContain('/affected/0/package/ecosystem');
      const modified = issues.find((i: { path: string }) => i.path === '/modified');
      expect(modified.message).toMatch(/'yesterday'/);
      expect(modified.message).toMatch(/OSV JSON schema/);
      const ecosystem = issues.find((i: { path: string }) => i.path === '/affected/0/package/ecosystem');
      expect(ecosystem.message).toMatch(/'NoSuchEcosystem' does not match pattern/);
      expect((await counts(t)).advisory).toBe(0);
    });
  });

  it('rejects schema violations server-wide with PATCHPATH_STRICT, unless the request says ?strict=false', async () => {
    const strictServer = await startTestServer(t, { strict: true });
    try {
      const body = json(OPENVEX_BAD_STATUS);
      const rejected = await strictServer.fetch(`${strictServer.url}/v1/advisories`, { method: 'POST', body });
      expect(rejected.status).toBe(422);
      expect((await rejected.json()).issues[0]).toMatchObject({ code: 'SCHEMA_VIOLATION', path: '/statements/0/status' });
      expect((await counts(t)).advisory).toBe(0);
      const accepted = await strictServer.fetch(`${strictServer.url}/v1/advisories?strict=false`, { method: 'POST', body });
      expect(accepted.status).toBe(201);
      expect(await accepted.json()).toMatchObject({ schemaValid: false });
    } finally {
      await strictServer.close();
    }
  });

  it(`answers 413 above PATCHPATH_MAX_UPLOAD_BYTES (${MAX_BYTES}) and stores nothing`, async () => {
    // A valid advisory, padded with trailing whitespace to one byte above the limit.
    const body = json(OSV);
    const padded = body + ' '.repeat(MAX_BYTES + 1 - Buffer.byteLength(body));
    expect(Buffer.byteLength(padded)).toBe(MAX_BYTES + 1);
    const res = await post(padded);
    expect(res.status).toBe(413);
    const r = await res.json();
    expect(r.issues[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', severity: 'error' });
    expect(r.issues[0].message).toMatch(new RegExp(`limit of ${MAX_BYTES} bytes`));
    expect(r.issues[0].message).toMatch(/PATCHPATH_MAX_UPLOAD_BYTES/);
    expect(Object.values(await counts(t))).toEqual(TABLES.map(() => 0));
    // Exactly at the limit is accepted.
    const atLimit = await post(padded.slice(0, -1));
    expect(atLimit.status).toBe(201);
  });

  it('answers 400, not 500, to a bad strict value or id, and 404 to an unknown id', async () => {
    const badStrict = await post(json(OSV), '?strict=banana');
    expect(badStrict.status).toBe(400);
    expect((await badStrict.json()).error.message).toMatch(/query parameter 'strict' value 'banana' must be 'true' or 'false'/);
    expect((await counts(t)).advisory).toBe(0);

    for (const [path, pattern] of [
      ['/v1/advisories/abc', /id 'abc' is not a valid id/],
      ['/v1/advisories/0', /id '0' is not a valid id/],
      ['/v1/advisories/-1', /id '-1' is not a valid id/],
      ['/v1/advisories/1.5', /id '1\.5' is not a valid id/],
      ['/v1/advisories/99999999999999999999', /is not a valid id/],
      ['/v1/advisories/abc/raw', /id 'abc' is not a valid id/],
      ['/v1/advisories?first=0', /query parameter 'first' value '0' is outside the valid range of 1 to 500/],
      ['/v1/advisories?first=501', /query parameter 'first' value '501' is outside the valid range/],
      ['/v1/advisories?first=ten', /query parameter 'first' value 'ten'/],
      ['/v1/advisories?after=xyz', /after 'xyz' is not a valid id/],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.message, path).toMatch(pattern);
    }
    for (const path of ['/v1/advisories/987654', '/v1/advisories/987654/raw']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error.message, path).toBe("advisory with id '987654' not found");
    }
  });

  it('gives the record back with its issues by id', async () => {
    const { id } = await (await post(json(OPENVEX_BAD_STATUS))).json();
    const res = await get(`/v1/advisories/${id}`);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ id, format: 'openvex', documentId: OPENVEX_BAD_STATUS['@id'], schemaValid: false, issueCount: 2 });
    expect(r.issues.map((i: { code: string }) => i.code)).toEqual(['SCHEMA_VIOLATION', 'UNKNOWN_STATUS']);
  });

  it('gives back the original bytes, byte for byte, with the sha256 as ETag', async () => {
    for (const [bytes, type] of [
      [Buffer.from(json(CDX_VEX)), 'application/vnd.cyclonedx+json'],
      [Buffer.from(`\ufeff${json(OPENVEX)}\r\n`), 'application/json'],
      [Buffer.from(json(OSV)), 'application/json'],
    ] as const) {
      const { id } = await (await post(bytes)).json();
      const raw = await get(`/v1/advisories/${id}/raw`);
      expect(raw.status).toBe(200);
      const back = Buffer.from(await raw.arrayBuffer());
      expect(back.equals(bytes)).toBe(true);
      expect(raw.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
      expect(raw.headers.get('content-type')).toBe(type);
      expect(raw.headers.get('content-length')).toBe(String(bytes.byteLength));
      expect(raw.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`);
    }
  });

  it('lists stored advisories newest first, page by page', async () => {
    const ids: number[] = [];
    for (const doc of [OSV, CSAF, OPENVEX]) ids.push((await (await post(json(doc))).json()).id);
    const page1 = await (await get('/v1/advisories?first=2')).json();
    expect(page1.advisories.map((a: { id: number; format: string }) => [a.id, a.format])).toEqual([
      [ids[2], 'openvex'],
      [ids[1], 'csaf'],
    ]);
    expect(page1.next).toBe(`/v1/advisories?first=2&after=${ids[1]}`);
    const page2 = await (await get(page1.next)).json();
    expect(page2.advisories.map((a: { id: number; format: string }) => [a.id, a.format])).toEqual([[ids[0], 'osv']]);
    expect(page2.next).toBeNull();
    const all = await (await get('/v1/advisories')).json();
    expect(all.advisories.map((a: { id: number }) => a.id)).toEqual([...ids].reverse());
    expect(all.next).toBeNull();
    expect(all.advisories[2]).toMatchObject({ documentId: OSV.id, vulnerabilities: 1, statements: OSV_STATEMENTS, links: { raw: `/v1/advisories/${ids[0]}/raw` } });
  });
});
