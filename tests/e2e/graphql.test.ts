import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { BOARD, cdxJson, demoSbom, MODULE, MODULE_OLD, PUMP } from '../helpers/demo-sboms.js';

describe.each(BACKENDS)('GraphQL /graphql over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
  };

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t);
    for (const f of [PUMP, BOARD, MODULE, MODULE_OLD]) {
      const res = await server.fetch(`${server.url}/v1/sboms`, { method: 'POST', body: demoSbom(f) });
      expect(res.status, f).toBe(201);
    }
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('ingests an SBOM given as a string argument and returns typed problems for a bad one', async () => {
    const mutation = `mutation($d: String!, $s: Boolean) { ingestSbom(document: $d, strict: $s) { status format specVersion sbom { id componentCount schemaValid } issues { code severity path message } } }`;
    const ok = await gql(mutation, { d: cdxJson([{ type: 'library', name: 'zlib', version: '1.3.1', purl: 'pkg:generic/zlib@1.3.1' }]) });
    expect(ok.body.data.ingestSbom).toMatchObject({ status: 'ACCEPTED', format: 'CYCLONEDX_JSON', specVersion: '1.6', sbom: { componentCount: 1, schemaValid: true } });
    const dup = await gql(mutation, { d: cdxJson([{ type: 'library', name: 'zlib', version: '1.3.1', purl: 'pkg:generic/zlib@1.3.1' }]) });
    expect(dup.body.data.ingestSbom).toMatchObject({ status: 'DUPLICATE', sbom: { id: ok.body.data.ingestSbom.sbom.id } });
    const bad = await gql(mutation, { d: '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[' });
    expect(bad.body.data.ingestSbom).toMatchObject({ status: 'REJECTED', sbom: null });
    expect(bad.body.data.ingestSbom.issues[0]).toMatchObject({ code: 'SYNTAX_ERROR', severity: 'ERROR' });
  });

  it('ingests an SBOM sent as a multipart file upload', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: 'mutation($f: File!) { ingestSbom(file: $f) { status sbom { format subject { name } } } }', variables: { f: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.f'] }));
    form.set('0', new Blob([cdxJson([], { serialNumber: 'urn:uuid:0b3c0c1e-6f6e-4f7a-9d44-3f3f0a0a0a0a' })]), 'upload.cdx.json');
    const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', body: form, headers: { 'graphql-require-preflight': '1' } });
    const body = await res.json();
    expect(body.data.ingestSbom).toMatchObject({ status: 'ACCEPTED', sbom: { format: 'CYCLONEDX_JSON', subject: { name: 'test-device' } } });
  });

  it('finds components by purl whatever their qualifiers, with the SBOM that lists them', async () => {
    const { body } = await gql(`{ components(filter: { purl: "pkg:generic/northwind-wireless/nw-wm200-firmware@4.2.1?arch=arm" }) {
      edges { node { name version isSubject sbom { format } supplier { name } } } } }`);
    const nodes = body.data.components.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.sbom.format, n.isSubject]).sort()).toEqual([['CYCLONEDX_JSON', false], ['SPDX_JSON', true]]);
    expect(new Set(nodes.map((n: any) => n.supplier.name)).size).toBe(1);
  });

  it('treats two spellings of a vendor as one vendor', async () => {
    const a = await gql(`{ vendor(name: "NORTHWIND WIRELESS INC") { id name sboms { edges { node { subject { version } } } } } }`);
    const b = await gql(`{ vendor(name: "Northwind Wireless, Inc.") { id } }`);
    expect(a.body.data.vendor.id).toBe(b.body.data.vendor.id);
    const versions = a.body.data.vendor.sboms.edges.map((e: any) => e.node.subject.version).sort();
    expect(versions).toEqual(['4.1.0', '4.2.1']);
  });

  it('searches components by name prefix, CPE and supplier', async () => {
    const byName = await gql(`{ components(filter: { name: "lwip*" }) { edges { node { name version } } } }`);
    expect(byName.body.data.components.edges.map((e: any) => e.node.version).sort()).toEqual(['2.1.2', '2.2.0']);
    const byCpe = await gql(`{ components(filter: { cpe: "cpe:2.3:a:lwip_project:lwip:2.2.0:*:*:*:*:*:*:*" }) { edges { node { name version } } } }`);
    expect(byCpe.body.data.components.edges.map((e: any) => e.node.version)).toEqual(['2.2.0']);
    const bySupplier = await gql(`{ components(filter: { supplier: "Keystone Embedded" }, first: 100) { edges { node { name supplierName } } } }`);
    expect(bySupplier.body.data.components.edges.length).toBeGreaterThan(0);
    expect(bySupplier.body.data.components.edges.every((e: any) => /keystone/i.test(e.node.supplierName))).toBe(true);
    const unknown = await gql(`{ components(filter: { supplier: "Nobody Ltd" }) { edges { node { name } } } }`);
    expect(unknown.body.data.components.edges).toEqual([]);
  });

  it('finds a component by any of its hashes, in any letter case', async () => {
    const { body } = await gql(`{ components(filter: { hash: "719C5566C7B416B28A73A844E564BF1E98C201B27776AE1A5EAF0FDB2315D192" }) {
      edges { node { name version hashes { alg value } } } } }`);
    expect(body.data.components.edges.map((e: any) => e.node)).toEqual([
      { name: 'ip3000-firmware', version: '2.4.0', hashes: [{ alg: 'SHA-256', value: '719c5566c7b416b28a73a844e564bf1e98c201b27776ae1a5eaf0fdb2315d192' }] },
    ]);
  });

  it("walks a component's dependencies and dependents inside its document", async () => {
    const { body } = await gql(`{ components(filter: { name: "nw-wm200-firmware", subjectsOnly: true, version: "4.2.1" }) {
      edges { node { id dependencies { type component { name dependents { component { name } } } } } } } }`);
    const module = body.data.components.edges[0].node;
    const names = module.dependencies.map((d: any) => d.component.name);
    expect(names).toEqual(expect.arrayContaining(['lwIP', 'FreeRTOS-Kernel']));
    const lwip = module.dependencies.find((d: any) => d.component.name === 'lwIP');
    expect(lwip.component.dependents.map((d: any) => d.component.name)).toContain('nw-wm200-firmware');
  });

  it('pages through SBOMs with cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const { body } = await gql(`query($after: String) { sboms(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...body.data.sboms.edges.map((e: any) => e.node.id));
      if (!body.data.sboms.pageInfo.hasNextPage) break;
      after = body.data.sboms.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers bad arguments with a BAD_USER_INPUT error that names the value, not a 500', async () => {
    for (const [query, pattern] of [
      ['{ sbom(id: "abc") { id } }', /'id' argument value 'abc'/],
      ['{ component(id: "1") { id } }', /'1' is not a component id/],
      ['{ sboms(first: 100000) { edges { cursor } } }', /'first' argument value '100000'/],
      ['{ sboms(after: "garbage") { edges { cursor } } }', /'garbage' is not a cursor/],
      ['{ components(filter: {}) { edges { cursor } } }', /at least one/],
      ['{ components(filter: { purl: "not-a-purl" }) { edges { cursor } } }', /'not-a-purl' is not a valid purl/],
    ] as const) {
      const { status, body } = await gql(query);
      expect(status, query).toBe(200);
      expect(body.errors?.[0]?.message, query).toMatch(pattern);
      expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });

  it('returns null, not an error, for an id that does not exist', async () => {
    const { body } = await gql('{ sbom(id: "987654") { id } component(id: "987654:0") { id } }');
    expect(body).toEqual({ data: { sbom: null, component: null } });
  });

  it('serves GraphiQL from bundled assets, with no CDN', async () => {
    const res = await server.fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/graphiql/i);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
  });
});
