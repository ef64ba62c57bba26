/**
 * REST /v1/operators end to end: a real HTTP server over each test database, the demo SBOMs stored through the real
 * ingest path and the demo hospital's device list (sboms/inventory/) sent as the README shows it.
 */
import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { DEMO_DIR, demoSbom, PUMP } from '../helpers/demo-sboms.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { productSbom } from '../helpers/chain-world.js';
import { DEMO_FIRST_DEVICE, DEMO_INVENTORY, DEMO_UNMATCHED, HOSPITAL, DEMO_DEVICES, DEMO_MATCHED } from '../helpers/demo-inventory.js';

const MAX_BYTES = 64 * 1024;

describe.each(BACKENDS)('REST /v1/operators over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  const inventoryUrl = (operator = HOSPITAL, query = '') => `${server.url}/v1/operators/${encodeURIComponent(operator)}/inventory${query}`;
  const post = (body: BodyInit, contentType?: string, query = '', operator = HOSPITAL) =>
    server.fetch(inventoryUrl(operator, query), { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });
  const devices = (query = '', headers: Record<string, string> = {}, operator = HOSPITAL) => server.fetch(`${server.url}/v1/operators/${encodeURIComponent(operator)}/devices${query}`, { headers });
  const count = async (table: 'device' | 'organisation') => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);
  /** The demo SBOMs, through the real ingest path, in name order (as `npm start` loads them). */
  const loadDemo = async () => {
    const ids: Record<string, number> = {};
    for (const f of readdirSync(DEMO_DIR, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.md')).map((e) => e.name).sort()) {
      const outcome = await ingestSbom(t.db, demoSbom(f));
      if (outcome.status === 'rejected') throw new Error(`${f} rejected`);
      ids[f] = outcome.record.id;
    }
    return ids;
  };

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t, { limits: { maxBytes: MAX_BYTES, maxDepth: 64, maxComponents: 100_000 } });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });
  beforeEach(() => t.reset());

  describe('POST /v1/operators/:operator/inventory', () => {
    it("imports the demo hospital's list and says which devices no SBOM matches, and why (the README example)", async () => {
      await loadDemo();
      const res = await post(DEMO_INVENTORY, 'text/csv');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ operator: HOSPITAL, created: DEMO_DEVICES, updated: 0, unchanged: 0, deleted: 0, devices: DEMO_DEVICES, matched: DEMO_MATCHED, unmatched: DEMO_UNMATCHED, ignoredFields: [] });
      const again = await post(DEMO_INVENTORY, 'text/csv');
      expect(await again.json()).toMatchObject({ created: 0, updated: 0, unchanged: DEMO_DEVICES, matched: DEMO_MATCHED });
    });

    it('reads JSON by its media type, and tells CSV from JSON by the bytes when the type says neither', async () => {
      const json = JSON.stringify({ devices: [{ assetTag: 'J-1', purl: 'pkg:generic/acme/x@1' }] });
      expect(await (await post(json, 'application/json')).json()).toMatchObject({ created: 1, unmatched: [{ assetTag: 'J-1', pointer: '/devices/0', reason: "no SBOM describes purl product 'pkg:generic/acme/x'" }] });
      expect(await (await post(json, 'application/octet-stream', '', 'Mercy West Clinic')).json()).toMatchObject({ created: 1 });
      expect(await (await post('tag,purl\nC-1,pkg:generic/acme/x@1\n', 'text/plain', '', 'County General')).json()).toMatchObject({ created: 1, unmatched: [{ assetTag: 'C-1', line: 2 }] });
      expect(await count('organisation')).toBe(3);
    });

    it('with ?replace=true deletes the devices the list no longer names', async () => {
      await post(DEMO_INVENTORY, 'text/csv');
      const shorter = DEMO_INVENTORY.split('\n').slice(0, 4).join('\n');
      expect(await (await post(shorter, 'text/csv')).json()).toMatchObject({ devices: 3, unchanged: 3, deleted: 0 });
      expect(await (await post(shorter, 'text/csv', '?replace=true')).json()).toMatchObject({ devices: 3, unchanged: 3, deleted: DEMO_DEVICES - 3 });
      expect(await count('device')).toBe(3);
      expect((await post(shorter, 'text/csv', '?replace=maybe')).status).toBe(400);
    });

    it('answers 422 with every problem located, and stores nothing (not even the operator)', async () => {
      const bad = DEMO_INVENTORY.replace('SEH-ICU-0103', 'SEH-ICU-0101').replace(',critical\nSEH-ICU-0110', ',5\nSEH-ICU-0110');
      const res = await post(bad, 'text/csv');
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({
        format: 'csv',
        issues: [
          { code: 'DUPLICATE_REF', severity: 'error', path: 'line 4, column Asset Tag', message: "asset tag 'SEH-ICU-0101' is listed again (first at line 2); asset tags must be unique within an inventory" },
          {
            code: 'SCHEMA_VIOLATION',
            severity: 'error',
            path: 'line 7, column Criticality',
            message: "criticality '5' is not one of critical, high, medium, low (case does not matter; numbers are not accepted: write the word)",
          },
        ],
      });
      expect([await count('device'), await count('organisation')]).toEqual([0, 0]);
    });

    it("answers 422 when the operator's name is a vendor's", async () => {
      await ingestSbom(t.db, demoSbom(PUMP));
      const res = await post(DEMO_INVENTORY, 'text/csv', '', 'Medisyn Medical GmbH');
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ issues: [{ path: 'operator', message: expect.stringMatching(/^'Medisyn Medical GmbH' is the name of a vendor organisation/) }] });
      expect(await count('device')).toBe(0);
    });

    it('answers a client error, never a 500, whatever the body', async () => {
      const bodies: [BodyInit, string | undefined][] = [
        ['', undefined],
        [new Uint8Array([0xff, 0xfe, 0x00, 0xd8, 0x00]), 'application/octet-stream'],
        [new Uint8Array([0x74, 0x61, 0x67, 0x0a, 0xc3, 0x28]), 'text/csv'],
        ['42', 'application/json'],
        ['{"devices": [null, [], {"assetTag": {"a": 1}}]}', 'application/json'],
        ['[{"tag": "A"', 'application/json'],
        ['\u0000tag,purl\nA,pkg:generic/a/b\n', 'text/csv'],
        ['a'.repeat(MAX_BYTES + 1), 'text/csv'],
        [`tag,purl\nA,pkg:generic/a/b@${'9'.repeat(2000)}\n`, 'text/csv'],
      ];
      for (const [body, type] of bodies) {
        const res = await post(body, type);
        expect([400, 413, 422], `${String(body).slice(0, 30)}: ${res.status}`).toContain(res.status);
        if (res.status !== 413) expect((await res.json()).issues?.length ?? 0, String(body).slice(0, 30)).toBeGreaterThan(0);
      }
      expect(await count('device')).toBe(0);
      const nul = await post('tag,purl\nA\u0000B,pkg:generic/a/b\n', 'text/csv');
      expect([nul.status, await nul.json()]).toEqual([
        422,
        { format: 'csv', issues: [{ code: 'SCHEMA_VIOLATION', severity: 'error', path: 'line 2, column tag', message: "the asset tag 'A\\0B' contains the character U+0000 (NUL), which a value cannot hold" }] },
      ]);
      for (const operator of ['A\u0000B', 'x'.repeat(201), '...']) {
        const refused = await post('tag,purl\nA,pkg:generic/a/b\n', 'text/csv', '', operator);
        expect([refused.status, (await refused.json()).issues[0].message]).toEqual([422, expect.stringMatching(/^operator name '.*' is not usable/)]);
        expect((await devices('', {}, operator)).status).toBe(422);
      }
      const long = await post(`tag,model,vendor\nA,${'m'.repeat(1001)},Acme\n`, 'text/csv');
      expect(await long.json()).toMatchObject({ issues: [{ code: 'LIMIT_EXCEEDED', path: 'line 2, column model' }] });
    });
  });

  describe('GET /v1/operators/:operator/devices', () => {
    it('lists the devices with their match, as JSON, and one segment with ?segment', async () => {
      const ids = await loadDemo();
      await post(DEMO_INVENTORY, 'text/csv');
      const res = await devices();
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.operator).toBe(HOSPITAL);
      expect(body.devices).toHaveLength(DEMO_DEVICES);
      expect(body.devices[0]).toEqual({
        ...DEMO_FIRST_DEVICE,
        id: expect.any(Number),
        vendor: 'Medisyn Medical GmbH',
        criticality: 'critical',
        sbomId: ids[PUMP],
        updatedAt: expect.any(String),
      });
      const icu = await (await devices('?segment=icu-vlan-20')).json();
      expect(icu.devices.map((d: { assetTag: string; matchRule: string | null }) => `${d.assetTag} ${d.matchRule}`)).toEqual([
        'SEH-ICU-0101 PURL',
        'SEH-ICU-0102 PURL',
        'SEH-ICU-0103 CPE',
        'SEH-ICU-0110 VENDOR_MODEL_VERSION',
        'SEH-ICU-0111 CPE',
        'SEH-ICU-0112 null',
        'SEH-ICU-0120 VENDOR_MODEL_VERSION',
        'SEH-ICU-0121 PURL',
        'SEH-ICU-0130 VENDOR_MODEL_VERSION',
      ]);
    });

    it('matches an SBOM uploaded after the import', async () => {
      await post('tag,vendor,model,firmware\nW-1,Halvard Semiconductor AB,hsw-wlan-driver,3.7.2\n', 'text/csv');
      expect((await (await devices()).json()).devices[0]).toMatchObject({ sbomId: null, unmatchedReason: expect.stringMatching(/no vendor by that name/) });
      const sbom = await server.fetch(`${server.url}/v1/sboms`, { method: 'POST', body: productSbom({ name: 'hsw-wlan-driver', version: '3.7.2', supplier: 'Halvard Semiconductor AB' }) });
      const { id } = await sbom.json();
      expect((await (await devices()).json()).devices[0]).toMatchObject({ sbomId: id, matchRule: 'VENDOR_MODEL_VERSION', unmatchedReason: null });
    });

    it('exports CSV (?format=csv or Accept: text/csv) that imports back unchanged', async () => {
      await loadDemo();
      await post(DEMO_INVENTORY, 'text/csv');
      const res = await devices('?format=csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="st-elsewhere-hospital-devices.csv"');
      const csv = await res.text();
      const lines = csv.trimEnd().split('\n');
      expect(lines[0]).toBe('asset_tag,vendor,model,purl,cpe,firmware_version,location,segment,criticality,sbom_id,match_rule,unmatched_reason');
      expect(lines).toHaveLength(DEMO_DEVICES + 1);
      expect(lines[6]).toBe(`SEH-ED-0301,Medisyn Medical GmbH,IP3000,,,2.4.0,"Emergency department, resus 2",ed-vlan-24,critical,,,${DEMO_UNMATCHED[1]!.reason}`);
      expect(await (await devices('', { accept: 'text/csv' })).text()).toBe(csv);

      const back = await (await post(csv, 'text/csv', '?replace=true')).json();
      expect(back).toMatchObject({ created: 0, updated: 0, unchanged: DEMO_DEVICES, deleted: 0, matched: DEMO_MATCHED, ignoredFields: ['sbom_id', 'match_rule', 'unmatched_reason'] });
      expect(await (await devices('?format=csv')).text()).toBe(csv);
    });

    it('answers 404 for an operator nobody imported, and for a vendor; 400 for an unknown format', async () => {
      const none = await devices('', {}, 'Nowhere General');
      expect(none.status).toBe(404);
      expect(await none.json()).toEqual({ error: { status: 404, message: "no operator named 'Nowhere General'; an operator comes into being with its first inventory import" } });
      await ingestSbom(t.db, demoSbom(PUMP));
      expect(await (await devices('', {}, 'MEDISYN MEDICAL')).json()).toEqual({
        error: { status: 404, message: "no operator named 'MEDISYN MEDICAL' ('Medisyn Medical GmbH' is a vendor); an operator comes into being with its first inventory import" },
      });
      await post(DEMO_INVENTORY, 'text/csv');
      expect((await devices('?format=xml')).status).toBe(400);
    });
  });
});
