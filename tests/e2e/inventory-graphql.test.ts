/**
 * GraphQL inventories end to end: importInventory (CSV and JSON text, multipart file), devices (pages, segments, the
 * matched SBOM), and refusals as BAD_USER_INPUT carrying every problem.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { DEMO_FIRST_DEVICE, DEMO_INVENTORY, DEMO_UNMATCHED, HOSPITAL, DEMO_DEVICES, DEMO_MATCHED } from '../helpers/demo-inventory.js';
import { demoSbom, MONITOR, PUMP, TELEMETRY_DEVICES } from '../helpers/demo-sboms.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';


const IMPORT = `mutation($operator: String!, $csv: String, $json: String, $replace: Boolean) {
  importInventory(operator: $operator, csv: $csv, json: $json, replace: $replace) {
    operator created updated unchanged deleted devices matched unmatched { assetTag source reason } ignoredFields
  }
}`;
const DEVICES = `query($operator: String!, $segment: String, $first: Int, $after: String) {
  devices(operator: $operator, segment: $segment, first: $first, after: $after) {
    edges { cursor node { id assetTag vendorName model purl cpe firmwareVersion location segment criticality matchRule unmatchedReason product { id subject { name version } supplier { name } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Gql {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] };
}

describe.each(BACKENDS)('GraphQL inventories over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  let pumpId: number;
  let monitorId: number;
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: await res.json() };
  };
  const importCsv = async (csv: string, extra: Record<string, unknown> = {}) => {
    const { body } = await gql(IMPORT, { operator: HOSPITAL, csv, ...extra });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!.importInventory;
  };
  const count = async () => Number((await sql<{ n: number }>`select count(*) as n from device`.execute(t.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });
  beforeEach(async () => {
    await t.reset();
    const ids = [];
    for (const file of [PUMP, MONITOR, ...TELEMETRY_DEVICES]) {
      const outcome = await ingestSbom(t.db, demoSbom(file));
      if (outcome.status === 'rejected') throw new Error(`${file} rejected`);
      ids.push(outcome.record.id);
    }
    [pumpId, monitorId] = ids as [number, number];
  });

  describe('importInventory', () => {
    it('imports CSV text and answers with the counts and the devices no SBOM matches', async () => {
      const r = await importCsv(DEMO_INVENTORY);
      expect(r).toMatchObject({ operator: HOSPITAL, created: DEMO_DEVICES, updated: 0, unchanged: 0, deleted: 0, devices: DEMO_DEVICES, matched: DEMO_MATCHED, ignoredFields: [] });
      expect(r.unmatched).toEqual(DEMO_UNMATCHED.map(({ assetTag, line, reason }) => ({ assetTag, source: `line ${line}`, reason })));
    });

    it('imports JSON text, and replaces with `replace`', async () => {
      await importCsv(DEMO_INVENTORY);
      const json = JSON.stringify([{ assetTag: 'SEH-ICU-0101', vendor: 'Medisyn Medical GmbH', model: 'ip3000-firmware', firmwareVersion: '2.4.0', segment: 'icu-vlan-20', criticality: 'critical' }]);
      const { body } = await gql(IMPORT, { operator: 'st elsewhere hospital', json, replace: true });
      expect(body.data!.importInventory).toMatchObject({ operator: HOSPITAL, created: 0, updated: 1, unchanged: 0, deleted: DEMO_DEVICES - 1, devices: 1, matched: 1, unmatched: [] });
      expect(await count()).toBe(1);
    });

    it('imports a multipart file upload, CSV or JSON told apart by the bytes', async () => {
      const form = new FormData();
      form.set('operations', JSON.stringify({ query: 'mutation($f: File!) { importInventory(operator: "Mercy West Clinic", file: $f) { operator created matched } }', variables: { f: null } }));
      form.set('map', JSON.stringify({ 0: ['variables.f'] }));
      form.set('0', new Blob([DEMO_INVENTORY], { type: 'text/csv' }), 'devices.csv');
      const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', body: form, headers: { 'graphql-require-preflight': '1' } });
      const body = await res.json();
      expect(body).toEqual({ data: { importInventory: { operator: 'Mercy West Clinic', created: DEMO_DEVICES, matched: DEMO_MATCHED } } });
    });

    it('refuses a list with a bad device as BAD_USER_INPUT with every problem, and stores nothing', async () => {
      const { status, body } = await gql(IMPORT, { operator: HOSPITAL, csv: DEMO_INVENTORY.replace('icu-vlan-20,critical', 'icu-vlan-20,urgent').replace('pkg:generic/medisyn/ip3000-firmware,', 'pkg:/x,') });
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.message).toBe(
        "the inventory for 'St. Elsewhere Hospital' was refused with 2 problem(s) and nothing was stored; the first: line 2, column Criticality: criticality 'urgent' is not one of critical, high, medium, low (case does not matter; numbers are not accepted: write the word)",
      );
      expect(body.errors![0]!.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        issues: [
          { code: 'SCHEMA_VIOLATION', severity: 'error', path: 'line 2, column Criticality', message: expect.stringContaining("criticality 'urgent'") },
          { code: 'INVALID_PURL', severity: 'error', path: 'line 3, column purl', message: expect.stringMatching(/^purl 'pkg:\/x' is not valid: /) },
        ],
      });
      expect(await count()).toBe(0);
    });

    it("refuses a vendor's name as operator, and anything but exactly one of csv, json and file", async () => {
      const vendor = await gql(IMPORT, { operator: 'Medisyn Medical GmbH', csv: DEMO_INVENTORY });
      expect(vendor.body.errors![0]).toMatchObject({ message: expect.stringMatching(/'Medisyn Medical GmbH' is the name of a vendor organisation/), extensions: { code: 'BAD_USER_INPUT', issues: [{ path: 'operator' }] } });
      for (const variables of [{}, { csv: DEMO_INVENTORY, json: '[]' }]) {
        const { body } = await gql(IMPORT, { operator: HOSPITAL, ...variables });
        expect(body.errors![0]).toMatchObject({
          message: "importInventory needs exactly one of 'csv' or 'json' (the device list as text) or 'file' (a multipart upload).",
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      expect(await count()).toBe(0);
    });
  });

  describe('devices', () => {
    beforeEach(() => importCsv(DEMO_INVENTORY));

    it('gives each device with the SBOM of its product version, or why there is none', async () => {
      const { body } = await gql(DEVICES, { operator: 'ST ELSEWHERE HOSPITAL', first: DEMO_DEVICES });
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.devices.edges.map((e: { node: unknown }) => e.node);
      expect(nodes[0]).toEqual({
        ...DEMO_FIRST_DEVICE,
        id: expect.any(String),
        vendorName: 'Medisyn Medical GmbH',
        criticality: 'CRITICAL',
        product: { id: String(pumpId), subject: { name: 'ip3000-firmware', version: '2.4.0' }, supplier: { name: 'Medisyn Medical GmbH' } },
      });
      expect(nodes[7]).toMatchObject({ assetTag: 'SEH-ICU-0111', cpe: 'cpe:2.3:o:tsurugi-bedside:bm700_firmware:*:*:*:*:*:*:*:*', matchRule: 'CPE', product: { id: String(monitorId) } });
      expect(nodes[4]).toMatchObject({ assetTag: 'SEH-ONC-0202', criticality: 'HIGH', matchRule: null, product: null, unmatchedReason: DEMO_UNMATCHED[0]!.reason });
      expect(body.data!.devices.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    });

    it('pages with first and after, and keeps one segment with `segment`', async () => {
      const first = (await gql(DEVICES, { operator: HOSPITAL, first: 5 })).body.data!.devices;
      expect(first.edges.map((e: { node: { assetTag: string } }) => e.node.assetTag)).toEqual(['SEH-ICU-0101', 'SEH-ICU-0102', 'SEH-ICU-0103', 'SEH-ONC-0201', 'SEH-ONC-0202']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const rest = (await gql(DEVICES, { operator: HOSPITAL, first: DEMO_DEVICES, after: first.pageInfo.endCursor })).body.data!.devices;
      expect(rest.edges).toHaveLength(DEMO_DEVICES - 5);
      expect(rest.edges[0].node).toMatchObject({ assetTag: 'SEH-ED-0301', unmatchedReason: expect.stringMatching(/has published no SBOM for model 'IP3000'/) });
      expect(rest.pageInfo.hasNextPage).toBe(false);
      const onc = (await gql(DEVICES, { operator: HOSPITAL, segment: 'onc-vlan-22' })).body.data!.devices;
      expect(onc.edges.map((e: { node: { assetTag: string; matchRule: string | null } }) => [e.node.assetTag, e.node.matchRule])).toEqual([
        ['SEH-ONC-0201', 'VENDOR_MODEL_VERSION'],
        ['SEH-ONC-0202', null],
      ]);
    });

    it('refuses an unknown operator, a bad cursor and a page too large as BAD_USER_INPUT', async () => {
      for (const [variables, message] of [
        [{ operator: 'Nowhere General' }, "'operator' argument: no operator named 'Nowhere General'; an operator comes into being with its first inventory import."],
        [{ operator: HOSPITAL, after: 'nope' }, "'after' argument value 'nope' is not a cursor returned by this field."],
        [{ operator: HOSPITAL, first: 501 }, "'first' argument value '501' is outside the valid range of '1' to '500'."],
      ] as const) {
        const { body } = await gql(DEVICES, variables);
        expect(body.errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
      }
    });
  });
});
