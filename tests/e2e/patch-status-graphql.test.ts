/**
 * The patch-status answers end to end (schema.graphql: patchStatus, affectedDevices, vendorPatchStatus,
 * vulnerabilityTimeline, vexDocument): real HTTP, SBOMs through POST /v1/sboms, VEX through POST /v1/advisories, the
 * inventory through the importInventory mutation, on each backend. The world is tests/helpers/patch-world.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productSbom } from '../helpers/chain-world.js';
import { board, CVE, device, devicePurl, module, modulePurl, stackAdvisory } from '../helpers/patch-world.js';
import { vexDocument } from '../helpers/vex-world.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type Gql = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

describe.each(BACKENDS)('patch status over GraphQL, on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    expect(res.status).toBeLessThan(500);
    return (await res.json()) as Gql;
  };
  const post = async (path: string, body: string | Buffer) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };

  beforeAll(async () => {
    t = await createTestDb(backend);
    await t.reset();
    server = await startTestServer(t);
    await post('/v1/advisories', vexDocument('lwIP project', [stackAdvisory]));
    await post('/v1/sboms', productSbom(module('1.0', '2.1.2', '2024-01-10T00:00:00Z')));
    await post('/v1/sboms', productSbom(module('1.1', '2.1.3', '2025-03-01T00:00:00Z')));
    await post('/v1/sboms', productSbom(board('3.0', '1.0', '2024-02-01T00:00:00Z')));
    await post('/v1/sboms', productSbom(device('2.0', '3.0', '2024-03-01T00:00:00Z')));
    const imported = await gql(`mutation($csv: String!) { importInventory(operator: "St. Elsewhere Hospital", csv: $csv) { created } }`, {
      csv: ['asset_tag,purl,segment,criticality', `PUMP-1,${devicePurl('2.0')},icu-vlan-20,high`, `PUMP-2,${devicePurl('2.0')},ward-vlan-30,medium`, 'PRINTER-1,,icu-vlan-20,low'].join('\n').replace('PRINTER-1,,', 'PRINTER-1,pkg:generic/acme/lp1@1.0,'),
    });
    expect(imported.errors).toBeUndefined();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('security team: my affected devices, with the action, the stuck hop and the devices on the same segment', async () => {
    const r = await gql(`{
      affectedDevices(operator: "st elsewhere hospital", vulnerability: "${CVE}", asOf: "2025-06-01T00:00:00Z") {
        vulnerabilities { id }
        total
        devices {
          device { assetTag segment }
          action
          verdicts { status action chains { status daysStuck stuckAt { hop name version vendor { name } state daysWaiting } hops { hop name state since } } }
          sameSegment { assetTag criticality }
        }
        unmatched { assetTag unmatchedReason }
      }
    }`);
    expect(r.errors).toBeUndefined();
    const a = r.data.affectedDevices;
    expect(a.total).toBe(2);
    expect(a.devices.map((d: any) => `${d.device.assetTag} ${d.action}`)).toEqual(['PUMP-1 ISOLATE', 'PUMP-2 ISOLATE']);
    const chain = a.devices[0].verdicts[0].chains[0];
    expect(chain).toMatchObject({ status: 'STUCK', daysStuck: 92, stuckAt: { hop: 2, name: 'mb7', version: '3.0', vendor: { name: 'Keystone Embedded' }, state: 'FIX_AVAILABLE', daysWaiting: 92 } });
    expect(chain.hops.map((h: any) => `${h.hop} ${h.name} ${h.state} ${h.since?.slice(0, 10) ?? '-'}`)).toEqual([
      '0 lwIP INTEGRATED 2024-12-01',
      '1 nw-module INTEGRATED 2025-03-01',
      '2 mb7 FIX_AVAILABLE 2025-03-01',
      '3 ip3000 AFFECTED_NO_FIX -',
    ]);
    expect(a.devices[0].sameSegment).toEqual([{ assetTag: 'PRINTER-1', criticality: 'LOW' }]);
    expect(a.unmatched.map((d: any) => d.assetTag)).toEqual(['PRINTER-1']);
    expect(a.unmatched[0].unmatchedReason).toBeTruthy();
  });

  it('the same, by stack: every vulnerability filed against lwIP', async () => {
    const r = await gql(`{ affectedDevices(operator: "St. Elsewhere Hospital", stack: "lwip", asOf: "2025-06-01T00:00:00Z") { vulnerabilities { id } total } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.affectedDevices).toEqual({ vulnerabilities: [{ id: CVE }], total: 2 });
  });

  it('one product: the hops with evidence, latency and the fix each one integrated', async () => {
    const r = await gql(`{
      patchStatus(vulnerability: "${CVE}", product: { purl: "${modulePurl('1.0')}" }, asOf: "2025-06-01T00:00:00Z") {
        status action updateTo { version date sbom { id } }
        chains { status hops { hop state decidedBy latencyDays fix { version sbom { subject { version } } } statement { statusOriginal advisory { publisherName } } statements { status } } }
      }
    }`);
    expect(r.errors).toBeUndefined();
    const p = r.data.patchStatus;
    expect(p).toMatchObject({ status: 'AFFECTED', action: 'UPDATE', updateTo: { version: '1.1' } });
    expect(p.chains[0].status).toBe('FIXED');
    expect(p.chains[0].hops[0]).toMatchObject({ state: 'INTEGRATED', decidedBy: 'FIXED_VERSION', fix: { version: '2.1.3', sbom: null } });
    expect(p.chains[0].hops[1]).toMatchObject({ state: 'INTEGRATED', latencyDays: 90, fix: { version: '1.1', sbom: { subject: { version: '1.1' } } } });
  });

  it('vendor: its affected product, the customers waiting on it; and a VEX document to publish', async () => {
    const r = await gql(`{
      vendorPatchStatus(vendor: { name: "keystone embedded" }, vulnerability: "${CVE}", asOf: "2025-06-01T00:00:00Z") {
        products { product { subject { name version } } verdict { status action } }
        waitingOnSuppliers { days }
        customersWaiting { days product { subject { name version } } waiting { name vendor { name } } waitingAt { name version } }
      }
      vexDocument(product: { purl: "${devicePurl('2.0')}" }, asOf: "2025-06-01T00:00:00Z")
    }`);
    expect(r.errors).toBeUndefined();
    const v = r.data.vendorPatchStatus;
    expect(v.products).toEqual([{ product: { subject: { name: 'mb7', version: '3.0' } }, verdict: { status: 'AFFECTED', action: 'ISOLATE' } }]);
    expect(v.waitingOnSuppliers).toEqual([]);
    expect(v.customersWaiting).toEqual([{ days: 92, product: { subject: { name: 'ip3000', version: '2.0' } }, waiting: { name: 'ip3000', vendor: { name: 'Medisyn Medical' } }, waitingAt: { name: 'mb7', version: '3.0' } }]);
    const vex = JSON.parse(r.data.vexDocument);
    expect(vex).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', vulnerabilities: [{ id: CVE, analysis: { state: 'exploitable' } }] });
  });

  it("a vulnerability's timeline across its chains", async () => {
    const r = await gql(`{
      vulnerabilityTimeline(id: "${CVE}", asOf: "2025-06-01T00:00:00Z") {
        events { date kind hop { name version } statement { status } }
        waiting { hop { name version } days chains }
        chainCounts { stuck fixed noFix notAffected }
        latency { hop medianDays worstDays integrations }
      }
    }`);
    expect(r.errors).toBeUndefined();
    const tl = r.data.vulnerabilityTimeline;
    expect(tl.events.filter((e: any) => e.kind !== 'STATEMENT').map((e: any) => `${e.date.slice(0, 10)} ${e.kind} ${e.hop.name}`)).toEqual([
      '2024-12-01 FIX_RELEASED lwIP',
      '2025-03-01 INTEGRATED nw-module',
    ]);
    expect(tl.waiting).toEqual([{ hop: { name: 'mb7', version: '3.0' }, days: 92, chains: 1 }]);
    expect(tl.chainCounts).toEqual({ stuck: 1, fixed: 0, noFix: 0, notAffected: 0 });
    expect(tl.latency).toEqual([{ hop: 1, medianDays: 90, worstDays: 90, integrations: 1 }]);
  });

  it('bad arguments are client errors that name the argument and the value', async () => {
    const cases: [string, RegExp][] = [
      [`{ affectedDevices(operator: "St. Elsewhere Hospital", vulnerability: "${CVE}", stack: "lwip") { total } }`, /exactly one of 'vulnerability'/],
      [`{ affectedDevices(operator: "Nowhere Clinic", vulnerability: "${CVE}") { total } }`, /Nowhere Clinic/],
      [`{ affectedDevices(operator: "St. Elsewhere Hospital", vulnerability: "CVE-1999-0001") { total } }`, /CVE-1999-0001/],
      [`{ affectedDevices(operator: "St. Elsewhere Hospital", stack: "no-such-stack") { total } }`, /no-such-stack/],
      [`{ patchStatus(vulnerability: "${CVE}", product: { purl: "${devicePurl('2.0')}" }, asOf: "yesterday") { action } }`, /asOf|DateTime/],
    ];
    for (const [query, message] of cases) {
      const r = await gql(query);
      expect(r.errors?.[0]?.message, query).toMatch(message);
      expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', undefined]).toContain(r.errors?.[0]?.extensions?.code);
    }
  });
});
