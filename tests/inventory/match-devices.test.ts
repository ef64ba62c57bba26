/**
 * matchDevices on SBOMs stored through the real ingest path (tests/helpers/chain-world.ts), on the embedded database
 * and on PostgreSQL: each rule, their order, the newest SBOM of a version, each unmatched reason, matching at query
 * time, and the plan over a world of 20,000 SBOMs.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { versionSortKey } from '../../src/chains/version-order.js';
import { matchDevices, matchDevicesQuery } from '../../src/inventory/match-devices.js';
import type { InventoryDevice } from '../../src/model/inventory.js';
import { importInventory } from '../../src/store/store-inventory.js';
import { ingestProduct, type Product } from '../helpers/chain-world.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

const MEDISYN = 'Medisyn Medical GmbH';
const TSURUGI = 'Tsurugi Bedside Systems K.K.';
const HOSPITAL = 'St. Elsewhere Hospital';

/** The IP3000 pump firmware's SBOM of one version, with purl and CPE. */
const pump = (version: string, extra: Partial<Product> = {}): Product => ({
  name: 'ip3000-firmware',
  version,
  supplier: MEDISYN,
  purl: `pkg:generic/medisyn/ip3000-firmware@${version}`,
  cpe: `cpe:2.3:o:medisyn:ip3000_firmware:${version}:*:*:*:*:*:*:*`,
  ...extra,
});
/** The BM-700 monitor's SBOM: supplier, name and version only. */
const monitor = (version: string, extra: Partial<Product> = {}): Product => ({ name: 'bm700-firmware', version, supplier: TSURUGI, ...extra });

describe.each(BACKENDS)('matchDevices on %s', (backend) => {
  let t: TestDb;
  const ingest = (p: Product) => ingestProduct(t.db, p);
  /** Imports the devices into the hospital's inventory and returns their matches, in list order. */
  const match = async (...rows: InventoryDevice[]) => (await importInventory(t.db, { operator: HOSPITAL, rows })).matches;
  const matchOne = async (row: Omit<InventoryDevice, 'assetTag'>) => {
    const [m] = await match({ assetTag: 'D-1', ...row });
    const { deviceId: _, ...rest } = m!;
    return rest;
  };

  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  describe('rules', () => {
    it('PURL: a purl with a version is that version; without one, the firmware version picks it (V2.4.0 = 2.4.0)', async () => {
      const v240 = await ingest(pump('2.4.0'));
      const v230 = await ingest(pump('2.3.0'));
      expect(await matchOne({ purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0?arch=arm#sub' })).toEqual({ assetTag: 'D-1', sbomId: v240, rule: 'PURL' });
      expect(await matchOne({ purl: 'pkg:generic/medisyn/ip3000-firmware', firmwareVersion: 'V2.3.0' })).toEqual({ assetTag: 'D-1', sbomId: v230, rule: 'PURL' });
      // A purl's own version wins over a firmware version that says otherwise.
      expect(await matchOne({ purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0', firmwareVersion: '2.3.0' })).toMatchObject({ sbomId: v240, rule: 'PURL' });
    });

    it('CPE: a CPE with a version is that version; a CPE without one (or a 2.2 URI), with the firmware version', async () => {
      const v240 = await ingest(pump('2.4.0', { purl: undefined }));
      const v230 = await ingest(pump('2.3.0', { purl: undefined }));
      expect(await matchOne({ cpe: 'cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*' })).toEqual({ assetTag: 'D-1', sbomId: v240, rule: 'CPE' });
      expect(await matchOne({ cpe: 'cpe:2.3:o:medisyn:ip3000_firmware:*:*:*:*:*:*:*:*', firmwareVersion: '2.3.0' })).toEqual({ assetTag: 'D-1', sbomId: v230, rule: 'CPE' });
      expect(await matchOne({ cpe: 'cpe:/o:Medisyn:IP3000_Firmware', firmwareVersion: '2.3.0' })).toMatchObject({ sbomId: v230, rule: 'CPE' });
    });

    it('VENDOR_MODEL_VERSION: the vendor by any spelling or alias, the model in any case, the firmware version as vendors mean it', async () => {
      const id = await ingest(monitor('3.1.0'));
      for (const vendor of [TSURUGI, 'TSURUGI BEDSIDE SYSTEMS', 'Tsurugi Bedside Systems KK']) {
        expect(await matchOne({ vendor, model: 'BM700-Firmware', firmwareVersion: 'v3.1.0' })).toEqual({ assetTag: 'D-1', sbomId: id, rule: 'VENDOR_MODEL_VERSION' });
      }
      const vendorId = (await t.db.selectFrom('organisation').select('id').where('name_key', '=', 'tsurugi bedside systems').executeTakeFirstOrThrow()).id;
      await t.db.insertInto('organisation_alias').values({ name_key: 'tsurugi', organisation_id: vendorId, name: 'Tsurugi' }).execute();
      expect(await matchOne({ vendor: 'Tsurugi', model: 'bm700-firmware', firmwareVersion: '3.1.0' })).toMatchObject({ sbomId: id, rule: 'VENDOR_MODEL_VERSION' });
    });

    it('takes the strongest identity that matches: purl, then CPE, then vendor, model and version', async () => {
      const byPurl = await ingest(pump('2.4.0', { cpe: undefined }));
      const byCpe = await ingest(pump('2.3.0', { purl: undefined }));
      const byName = await ingest(pump('2.2.0', { purl: undefined, cpe: undefined }));
      const device = { purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0', cpe: 'cpe:2.3:o:medisyn:ip3000_firmware:2.3.0:*:*:*:*:*:*:*', vendor: MEDISYN, model: 'ip3000-firmware', firmwareVersion: '2.2.0' };
      expect(await matchOne(device)).toMatchObject({ sbomId: byPurl, rule: 'PURL' });
      expect(await matchOne({ ...device, purl: undefined })).toMatchObject({ sbomId: byCpe, rule: 'CPE' });
      expect(await matchOne({ ...device, purl: undefined, cpe: undefined })).toMatchObject({ sbomId: byName, rule: 'VENDOR_MODEL_VERSION' });
      // A purl that matches nothing does not stop a weaker rule that does.
      expect(await matchOne({ ...device, purl: 'pkg:generic/medisyn/ip3000-firmware@9.9' })).toMatchObject({ sbomId: byCpe, rule: 'CPE' });
    });

    it('takes the newest SBOM of a product version when its vendor re-issued one', async () => {
      const first = await ingest(pump('2.4.0', { timestamp: '2026-01-01T00:00:00Z' }));
      const reissued = await ingest(pump('2.4.0', { timestamp: '2026-03-01T00:00:00Z' }));
      await ingest(pump('2.4.0', { timestamp: '2025-06-01T00:00:00Z' }));
      expect(first).not.toBe(reissued);
      expect(await matchOne({ purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0' })).toMatchObject({ sbomId: reissued });
      expect(await matchOne({ vendor: MEDISYN, model: 'ip3000-firmware', firmwareVersion: '2.4.0' })).toMatchObject({ sbomId: reissued });
    });
  });

  describe('unmatched devices say why', () => {
    beforeEach(async () => {
      for (const v of ['2.2.0', 'V2.4.0', '2.4.0', '2.10.0']) await ingest(pump(v));
      await ingest(monitor('3.1.0'));
    });

    it('no vendor by that name', async () => {
      expect(await matchOne({ vendor: 'Velmora Imaging AB', model: 'VX-220 ultrasound', firmwareVersion: '7.2.0' })).toEqual({
        assetTag: 'D-1',
        reason: "no SBOM describes vendor 'Velmora Imaging AB' product 'VX-220 ultrasound' (no vendor by that name)",
      });
    });

    it('a vendor without an SBOM of that model, naming the models it has SBOMs of', async () => {
      expect(await matchOne({ vendor: 'MEDISYN MEDICAL', model: 'IP3000', firmwareVersion: '2.4.0' })).toMatchObject({
        reason: "vendor 'MEDISYN MEDICAL' has published no SBOM for model 'IP3000' (its SBOMs describe: ip3000-firmware)",
      });
    });

    it('a vendor known only as a supplier of components', async () => {
      await ingest({ name: 'mb7-firmware', version: '1.3.0', supplier: 'Keystone Embedded Ltd', components: [{ name: 'Treck TCP/IP', version: '6.0.1.41', supplier: 'Treck Inc.' }] });
      expect(await matchOne({ vendor: 'Treck, Inc.', model: 'Treck TCP/IP', firmwareVersion: '6.0.1.41' })).toMatchObject({ reason: "vendor 'Treck, Inc.' has published no SBOM" });
    });

    it('a firmware version with no SBOM, listing the known versions in version order (V2.4.0 and 2.4.0 are one)', async () => {
      expect(await matchOne({ vendor: MEDISYN, model: 'ip3000-firmware', firmwareVersion: '2.3.1' })).toMatchObject({
        reason: "no SBOM for firmware 2.3.1 of 'ip3000-firmware' (known versions: 2.2.0, 2.4.0, 2.10.0)",
      });
      expect(await matchOne({ purl: 'pkg:generic/medisyn/ip3000-firmware@2.3.1' })).toMatchObject({
        reason: "no SBOM for firmware 2.3.1 of 'pkg:generic/medisyn/ip3000-firmware' (known versions: 2.2.0, 2.4.0, 2.10.0)",
      });
      expect(await matchOne({ cpe: 'cpe:2.3:o:medisyn:ip3000_firmware:*:*:*:*:*:*:*:*', firmwareVersion: '1.0' })).toMatchObject({
        reason: "no SBOM for firmware 1.0 of 'o:medisyn:ip3000_firmware' (known versions: 2.2.0, 2.4.0, 2.10.0)",
      });
    });

    it('no firmware version given', async () => {
      expect(await matchOne({ vendor: TSURUGI, model: 'bm700-firmware' })).toMatchObject({ reason: "no firmware version given for 'bm700-firmware' (known versions: 3.1.0)" });
      expect(await matchOne({ purl: 'pkg:generic/medisyn/ip3000-firmware' })).toMatchObject({
        reason: "no firmware version given for 'pkg:generic/medisyn/ip3000-firmware' (known versions: 2.2.0, 2.4.0, 2.10.0)",
      });
    });

    it('the latest ten versions when there are more', async () => {
      for (let minor = 0; minor < 10; minor++) await ingest(monitor(`4.${minor}.0`));
      expect(await matchOne({ vendor: TSURUGI, model: 'bm700-firmware', firmwareVersion: '5.0' })).toMatchObject({
        reason: "no SBOM for firmware 5.0 of 'bm700-firmware' (known versions: ..., 4.0.0, 4.1.0, 4.2.0, 4.3.0, 4.4.0, 4.5.0, 4.6.0, 4.7.0, 4.8.0, 4.9.0)",
      });
    });

    it('every identity given that no SBOM knows', async () => {
      expect(await matchOne({ purl: 'pkg:generic/thermiq/tq10-firmware@1.8.2', cpe: 'cpe:2.3:h:thermiq:tq10:-:*:*:*:*:*:*:*', vendor: 'Thermiq Sensorik GmbH', model: 'TQ-10' })).toMatchObject({
        reason: "no SBOM describes purl product 'pkg:generic/thermiq/tq10-firmware'; no SBOM describes CPE product 'h:thermiq:tq10'; no SBOM describes vendor 'Thermiq Sensorik GmbH' product 'TQ-10' (no vendor by that name)",
      });
    });
  });

  describe('at query time', () => {
    it('matches an SBOM uploaded after the import, and a vendor that published its first SBOM after it, without a re-import', async () => {
      const rows = [
        { assetTag: 'P-1', purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0' },
        { assetTag: 'W-1', vendor: 'Halvard Semiconductor AB', model: 'hsw-wlan-driver', firmwareVersion: '3.7.2' },
      ];
      const before = await match(...rows);
      expect(before.map((m) => m.sbomId)).toEqual([undefined, undefined]);
      expect(before[1]!.reason).toMatch(/\(no vendor by that name\)$/);
      const pumpId = await ingest(pump('2.4.0'));
      const driverId = await ingest({ name: 'hsw-wlan-driver', version: '3.7.2', supplier: 'Halvard Semiconductor AB' });
      const operatorId = (await t.db.selectFrom('organisation').select('id').where('kind', '=', 'operator').executeTakeFirstOrThrow()).id;
      expect((await matchDevices(t.db, { operatorId })).map(({ assetTag, sbomId, rule }) => ({ assetTag, sbomId, rule }))).toEqual([
        { assetTag: 'P-1', sbomId: pumpId, rule: 'PURL' },
        { assetTag: 'W-1', sbomId: driverId, rule: 'VENDOR_MODEL_VERSION' },
      ]);
    });

    it("answers for the devices asked for, and only the operator's own", async () => {
      await ingest(pump('2.4.0'));
      const ours = await match({ assetTag: 'A', purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0' }, { assetTag: 'B', purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0' });
      const theirs = await importInventory(t.db, { operator: 'Mercy West Clinic', rows: [{ assetTag: 'A', purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0' }] });
      const operatorId = (await t.db.selectFrom('device').select('organisation_id').where('id', '=', ours[0]!.deviceId).executeTakeFirstOrThrow()).organisation_id;
      expect((await matchDevices(t.db, { operatorId })).map((m) => m.deviceId)).toEqual(ours.map((m) => m.deviceId));
      expect((await matchDevices(t.db, { operatorId, deviceIds: [ours[1]!.deviceId, theirs.matches[0]!.deviceId] })).map((m) => m.assetTag)).toEqual(['B']);
      expect((await matchDevices(t.db, { operatorId, assetTags: ['A'] })).map((m) => m.deviceId)).toEqual([ours[0]!.deviceId]);
    });
  });

  it('matches 500 devices among 20,000 SBOMs in one query that reads sbom_subject through its indexes only', async () => {
    // 2,000 vendors, each with 5 products in 2 versions: 20,000 subjects, as the chains benchmark's world.
    await sql`insert into organisation (name, name_key) select 'Vendor ' || i, 'vendor ' || i from generate_series(1, 2000) i`.execute(t.db);
    const vendorBase = Number((await sql<{ id: number }>`select min(id) as id from organisation`.execute(t.db)).rows[0]!.id) - 1;
    await sql`insert into sbom (organisation_id, sha256, byte_size, format, spec_version, schema_valid, component_count, relationship_count, issue_count)
      select ${vendorBase} + (i % 2000) + 1, md5(i::text), 1, 'cyclonedx-json', '1.6', true, 0, 0, 0 from generate_series(0, 19999) i`.execute(t.db);
    const versions = ['1.0.0', '2.0.0'];
    await sql`insert into sbom_subject (sbom_id, organisation_id, idx, purl_key, purl_product, cpe, cpe_product, supplier_id, name_key, version, version_sort, created_at)
      select s.id, s.organisation_id, 0,
        'pkg:generic/vendor' || v.n || '/p' || p.n || '@' || ver.v, 'pkg:generic/vendor' || v.n || '/p' || p.n,
        'cpe:2.3:o:vendor' || v.n || ':p' || p.n || ':' || ver.v || ':*:*:*:*:*:*:*', 'o:vendor' || v.n || ':p' || p.n,
        s.organisation_id, 'p' || p.n, ver.v, ver.k, now()
      from (select id, organisation_id, row_number() over (order by id) - 1 as i from sbom) s
      cross join lateral (select s.organisation_id - ${vendorBase} as n) v
      cross join lateral (select (s.i / 2000) % 5 as n) p
      cross join lateral (select (array[${versions[0]}, ${versions[1]}])[(s.i / 10000) + 1] as v, (array[${versionSortKey(versions[0]!)}, ${versionSortKey(versions[1]!)}])[(s.i / 10000) + 1] as k) ver`.execute(t.db);
    expect(Number((await sql<{ n: number }>`select count(*) as n from sbom_subject`.execute(t.db)).rows[0]!.n)).toBe(20_000);

    const rows: InventoryDevice[] = Array.from({ length: 500 }, (_, i) => {
      const v = ((i * 7) % 2000) + 1;
      const p = i % 5;
      const version = i % 10 === 8 ? '9.9.9' : '1.0.0';
      const identity = [
        { purl: `pkg:generic/vendor${v}/p${p}@${version}` },
        { purl: `pkg:generic/vendor${v}/p${p}`, firmwareVersion: version },
        { cpe: `cpe:2.3:o:vendor${v}:p${p}:*:*:*:*:*:*:*:*`, firmwareVersion: version },
        { vendor: `Vendor ${v}`, model: `P${p}`, firmwareVersion: version },
        { vendor: `Nobody ${v}`, model: `P${p}`, firmwareVersion: version },
      ][i % 5]!;
      return { assetTag: `T${i}`, segment: 'icu', ...identity };
    });
    const { operator } = await importInventory(t.db, { operator: HOSPITAL, rows });
    await sql`analyze`.execute(t.db);

    const started = performance.now();
    const matches = await matchDevices(t.db, { operatorId: operator.id });
    const ms = performance.now() - started;
    // Devices 0-3 of every 5 match, except those asking for version 9.9.9 (every 10th); device 4 names no known vendor.
    expect(matches.filter((m) => m.sbomId !== undefined)).toHaveLength(400 - 50);
    expect(matches.find((m) => m.assetTag === 'T8')!.reason).toBe("no SBOM for firmware 9.9.9 of 'P3' (known versions: 1.0.0, 2.0.0)");
    expect(matches.find((m) => m.assetTag === 'T9')!.reason).toBe("no SBOM describes vendor 'Nobody 64' product 'P4' (no vendor by that name)");

    const compiled = matchDevicesQuery({ operatorId: operator.id }).compile(t.db);
    const explained = await t.db.executeQuery<{ 'QUERY PLAN': unknown }>({ ...compiled, sql: `explain (format json) ${compiled.sql}` });
    const plan = JSON.stringify(explained.rows[0]!['QUERY PLAN']);
    const scans = [...plan.matchAll(/"Node Type":\s*"([^"]+)"[^{}]*?"Relation Name":\s*"sbom_subject"/g)].map((m) => m[1]);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.filter((s) => !/Index|Bitmap Heap/.test(s!))).toEqual([]);
    console.info(`matchDevices on ${backend}: 500 devices, 20,000 SBOMs, one query: ${ms.toFixed(1)} ms`);
  });
});
