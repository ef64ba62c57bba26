/**
 * The patch-status answers end to end (schema.graphql: patchStatus, affectedDevices, vendorPatchStatus,
 * vulnerabilityTimeline, vexDocument; and their REST lists, JSON and CSV): real HTTP, SBOMs through POST /v1/sboms, VEX through POST /v1/advisories, the
 * inventory through the importInventory mutation, on each backend. The world is tests/helpers/patch-world.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CVE, devicePurl, modulePurl } from '../helpers/patch-world.js';
import { startPatchWorldServer, type PatchWorldServer } from '../helpers/patch-world-server.js';
import { BACKENDS } from '../helpers/test-db.js';
import type { TestServer } from '../helpers/test-server.js';

describe.each(BACKENDS)('patch status over GraphQL and REST, on %s', (backend) => {
  let world: PatchWorldServer;
  let server: TestServer;
  const gql = (query: string, variables: Record<string, unknown> = {}) => world.gql(query, variables);

  beforeAll(async () => {
    world = await startPatchWorldServer(backend);
    server = world.server;
    const imported = await gql(`mutation($csv: String!) { importInventory(operator: "St. Elsewhere Hospital", csv: $csv) { created } }`, {
      csv: ['asset_tag,purl,segment,criticality', `PUMP-1,${devicePurl('2.0')},icu-vlan-20,high`, `PUMP-2,${devicePurl('2.0')},ward-vlan-30,medium`, 'PRINTER-1,,icu-vlan-20,low'].join('\n').replace('PRINTER-1,,', 'PRINTER-1,pkg:generic/acme/lp1@1.0,'),
    });
    expect(imported.errors).toBeUndefined();
  }, 120_000);
  afterAll(() => world?.close());

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

  describe('REST lists', () => {
    const get = (path: string, init?: RequestInit) => server.fetch(`${server.url}${path}`, init);

    it('the affected devices as CSV: one row per device and vulnerability, the chain and the stuck hop written out', async () => {
      const res = await get(`/v1/operators/St.%20Elsewhere%20Hospital/affected-devices?vulnerability=${CVE}&asOf=2025-06-01&format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toContain('st-elsewhere-hospital-affected-devices.csv');
      const lines = (await res.text()).trimEnd().split('\n');
      expect(lines[0]).toBe('asset_tag,vendor,model,firmware_version,location,segment,criticality,vulnerability,cvss,status,action,update_to,stuck_at,stuck_since,days_stuck,chain,same_segment');
      expect(lines.slice(1)).toEqual([
        `PUMP-1,,,,,icu-vlan-20,high,${CVE},,AFFECTED,ISOLATE,,Keystone Embedded mb7 3.0,2025-03-01,92,Medisyn Medical ip3000 2.0 [AFFECTED_NO_FIX] > Keystone Embedded mb7 3.0 [FIX_AVAILABLE] > Northwind Wireless nw-module 1.0 [INTEGRATED] > lwIP project lwIP 2.1.2 [INTEGRATED],PRINTER-1 (low)`,
        `PUMP-2,,,,,ward-vlan-30,medium,${CVE},,AFFECTED,ISOLATE,,Keystone Embedded mb7 3.0,2025-03-01,92,Medisyn Medical ip3000 2.0 [AFFECTED_NO_FIX] > Keystone Embedded mb7 3.0 [FIX_AVAILABLE] > Northwind Wireless nw-module 1.0 [INTEGRATED] > lwIP project lwIP 2.1.2 [INTEGRATED],`,
      ]);
      // The same rows as JSON (Accept decides when format is not given), with the devices no SBOM matched.
      const json = (await (await get(`/v1/operators/St.%20Elsewhere%20Hospital/affected-devices?stack=lwip&asOf=2025-06-01`)).json()) as any;
      expect(json).toMatchObject({ operator: 'St. Elsewhere Hospital', vulnerabilities: [CVE], unmatched: [{ assetTag: 'PRINTER-1' }] });
      expect(json.rows.map((r: any) => `${r.asset_tag} ${r.action} ${r.days_stuck}`)).toEqual(['PUMP-1 ISOLATE 92', 'PUMP-2 ISOLATE 92']);
    });

    it("a vendor's list and a vulnerability's timeline as CSV; the drafted VEX as CycloneDX JSON", async () => {
      const vendor = await (await get(`/v1/vendors/Keystone%20Embedded/patch-status?vulnerability=${CVE}&asOf=2025-06-01&format=csv`)).text();
      expect(vendor.trimEnd().split('\n').map((l) => l.split(',').slice(0, 10).join(','))).toEqual([
        'kind,vulnerability,product,status,action,update_to,other_party,other_product,since,days',
        `product,${CVE},mb7 3.0,AFFECTED,ISOLATE,,,,,`,
        `customer_waiting,${CVE},ip3000 2.0,FIX_AVAILABLE,,,Medisyn Medical,ip3000 2.0,2025-03-01,92`,
      ]);
      const timeline = await (await get(`/v1/vulnerabilities/${CVE}/timeline?asOf=2025-06-01`, { headers: { accept: 'text/csv' } })).text();
      expect(timeline.split('\n').filter((l) => /,(FIX_RELEASED|INTEGRATED),/.test(l)).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
        `2024-12-01,FIX_RELEASED,${CVE},lwIP project,lwIP,2.1.2`,
        `2025-03-01,INTEGRATED,${CVE},Northwind Wireless,nw-module,1.0`,
      ]);
      const sboms = (await (await get('/v1/sboms?first=10')).json()) as any;
      const deviceId = sboms.sboms.find((s: any) => s.subject?.name === 'ip3000').id;
      const vex = await get(`/v1/sboms/${deviceId}/vex?asOf=2025-06-01`);
      expect(vex.headers.get('content-type')).toMatch(/^application\/vnd\.cyclonedx\+json/);
      expect(await vex.json()).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { timestamp: '2025-06-01T00:00:00.000Z' }, vulnerabilities: [{ id: CVE }] });
    });

    it('bad requests are 400 or 404 with a message naming the value, never 500', async () => {
      const cases: [string, number, RegExp][] = [
        [`/v1/operators/St.%20Elsewhere%20Hospital/affected-devices`, 400, /exactly one of 'vulnerability'/],
        [`/v1/operators/Nowhere%20Clinic/affected-devices?vulnerability=${CVE}`, 404, /Nowhere Clinic/],
        [`/v1/operators/St.%20Elsewhere%20Hospital/affected-devices?vulnerability=${CVE}&asOf=someday`, 400, /asOf.*someday/],
        [`/v1/operators/St.%20Elsewhere%20Hospital/affected-devices?vulnerability=${CVE}&format=xlsx`, 400, /format.*xlsx/],
        [`/v1/vendors/Nobody%20Ltd/patch-status?vulnerability=${CVE}`, 404, /Nobody Ltd/],
        [`/v1/vulnerabilities/CVE-1999-0001/timeline`, 400, /CVE-1999-0001/],
        [`/v1/sboms/999999/vex`, 404, /999999/],
        [`/v1/sboms/abc/vex`, 400, /abc/],
      ];
      for (const [path, status, message] of cases) {
        const res = await get(path);
        expect(res.status, path).toBe(status);
        expect(((await res.json()) as any).error.message, path).toMatch(message);
      }
    });
  });
});
