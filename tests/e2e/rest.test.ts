import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { cdxJson, demoSbom, MODULE, PUMP } from '../helpers/demo-sboms.js';

async function count(t: TestDb, table: 'sbom' | 'component' | 'organisation') {
  return Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

describe.each(BACKENDS)('REST /v1/sboms over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  const post = (body: BodyInit, query = '') => server.fetch(`${server.url}/v1/sboms${query}`, { method: 'POST', body });

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t, { limits: { maxBytes: 2 * 1024 * 1024, maxDepth: 64, maxComponents: 100_000 }, spoolThresholdBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });
  beforeEach(() => t.reset());

  it('answers 201 with the record and a Location for a new SBOM', async () => {
    const res = await post(demoSbom(PUMP));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ format: 'cyclonedx-json', specVersion: '1.6', schemaValid: true, subject: { name: 'ip3000-firmware', version: '2.4.0' } });
    expect(body.components).toBeGreaterThan(5);
    expect(res.headers.get('location')).toBe(`/v1/sboms/${body.id}`);
  });

  it('answers 200 with the first record when the same bytes come again', async () => {
    const first = await (await post(demoSbom(PUMP))).json();
    const again = await post(demoSbom(PUMP));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, duplicate: true });
    expect(await count(t, 'sbom')).toBe(1);
  });

  it('creates one record when identical uploads race', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(demoSbom(MODULE))));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(responses.map(async (r) => (await r.json()).id)));
    expect(ids.size).toBe(1);
    expect(await count(t, 'sbom')).toBe(1);
  });

  it('gives back the original bytes, byte for byte', async () => {
    const bytes = demoSbom(MODULE);
    const { id } = await (await post(bytes)).json();
    const raw = await server.fetch(`${server.url}/v1/sboms/${id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/spdx+json');
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('takes a body above the spool threshold through a temporary file', async () => {
    const components = Array.from({ length: 1500 }, (_, i) => ({ type: 'library', 'bom-ref': `c${i}`, name: `lib-${i}`, version: '1.0.0', purl: `pkg:npm/lib-${i}@1.0.0` }));
    const body = cdxJson(components);
    const res = await post(body);
    expect(res.status).toBe(201);
    const record = await res.json();
    expect(record.components).toBe(1500);
    // The sha256 taken while the body arrived is the one of the bytes kept: the record, the raw bytes and a re-upload agree.
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(record.sha256).toBe(sha256);
    const raw = await server.fetch(`${server.url}/v1/sboms/${record.id}/raw`);
    expect(raw.headers.get('etag')).toBe(`"${sha256}"`);
    expect(Buffer.from(await raw.arrayBuffer()).toString()).toBe(body);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(record.id);
  });

  it.each([
    ['an empty body', '', 'EMPTY_DOCUMENT'],
    ['JSON that is not an SBOM', '{"hello":"world"}', 'NOT_AN_SBOM'],
    ['text that is not an SBOM', 'just some words', 'NOT_AN_SBOM'],
    ['truncated JSON', cdxJson().slice(0, 80), 'SYNTAX_ERROR'],
    ['an unknown CycloneDX version', cdxJson([], { specVersion: '9.9' }), 'UNSUPPORTED_SPEC_VERSION'],
    ['XML with an external entity (XXE)', '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>&xxe;</components></bom>', 'FORBIDDEN_XML_CONSTRUCT'],
    ['JSON nested beyond the limit', `${'['.repeat(100)}${']'.repeat(100)}`, 'LIMIT_EXCEEDED'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'INVALID_ENCODING'],
  ])('rejects %s with 422, a located problem, and stores nothing', async (_, body, code) => {
    const res = await post(body as BodyInit);
    expect(res.status).toBe(422);
    const { issues } = await res.json();
    expect(issues[0].code).toBe(code);
    expect(typeof issues[0].path).toBe('string');
    expect(issues[0].message.length).toBeGreaterThan(10);
    expect(await count(t, 'sbom')).toBe(0);
    expect(await count(t, 'organisation')).toBe(0);
  });

  it('locates the problem in truncated JSON by line and column', async () => {
    const { issues } = await (await post('{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6",\n  "components": [')).json();
    expect(issues[0].path).toMatch(/^line \d+, column \d+$/);
  });

  it('answers 413 above the size limit and stores nothing', async () => {
    const res = await post(Buffer.alloc(3 * 1024 * 1024, 0x20));
    expect(res.status).toBe(413);
    expect((await res.json()).issues[0].message).toMatch(/limit of 2097152 bytes/);
    expect(await count(t, 'sbom')).toBe(0);
  });

  it('stores a schema-invalid SBOM with its verdict by default, and rejects it with ?strict=true', async () => {
    const doc = cdxJson([{ type: 'library', name: 'x', version: '1', notInTheSchema: true }]);
    const strict = await post(doc, '?strict=true');
    expect(strict.status).toBe(422);
    expect((await strict.json()).issues.some((i: { code: string }) => i.code === 'SCHEMA_VIOLATION')).toBe(true);
    expect(await count(t, 'sbom')).toBe(0);
    const lenient = await post(doc);
    expect(lenient.status).toBe(201);
    const body = await lenient.json();
    expect(body.schemaValid).toBe(false);
    expect(body.issues.some((i: { code: string; path: string }) => i.code === 'SCHEMA_VIOLATION' && i.path.startsWith('/components/0'))).toBe(true);
  });

  it('answers 400, not 500, to a bad strict value or id', async () => {
    expect((await post(cdxJson(), '?strict=banana')).status).toBe(400);
    const bad = await server.fetch(`${server.url}/v1/sboms/abc`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/'abc' is not a valid id/);
    expect((await server.fetch(`${server.url}/v1/sboms/999999`)).status).toBe(404);
    expect((await server.fetch(`${server.url}/v1/sboms/99999999999999999999/raw`)).status).toBe(400);
  });

  it('lists stored SBOMs newest first, page by page', async () => {
    await post(demoSbom(PUMP));
    await post(demoSbom(MODULE));
    const page1 = await (await server.fetch(`${server.url}/v1/sboms?first=1`)).json();
    expect(page1.sboms).toHaveLength(1);
    expect(page1.sboms[0].format).toBe('spdx-json');
    const page2 = await (await server.fetch(`${server.url}${page1.next}`)).json();
    expect(page2.sboms[0].format).toBe('cyclonedx-json');
    expect(page2.next).toBeNull();
  });
});

describe.each(BACKENDS)('health, readiness and metrics on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('reports healthy and ready', async () => {
    expect(await (await server.fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await server.fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('counts ingests and rejections by reason in Prometheus format', async () => {
    await server.fetch(`${server.url}/v1/sboms`, { method: 'POST', body: demoSbom(PUMP) });
    await server.fetch(`${server.url}/v1/sboms`, { method: 'POST', body: 'nope' });
    const text = await (await server.fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/patchpath_ingest_total\{status="accepted",format="cyclonedx-json",channel="rest"\} 1/);
    expect(text).toMatch(/patchpath_ingest_rejections_total\{reason="NOT_AN_SBOM"\} 1/);
    expect(text).toMatch(/patchpath_ingest_duration_seconds_bucket/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await server.fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/no route/);
  });
});
