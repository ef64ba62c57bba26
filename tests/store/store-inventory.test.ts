import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryDevice } from '../../src/model/inventory.js';
import { listDevices } from '../../src/store/device.repository.js';
import { OperatorError } from '../../src/store/organisation.repository.js';
import { importInventory } from '../../src/store/store-inventory.js';
import { ingestProduct } from '../helpers/chain-world.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

const HOSPITAL = 'St. Elsewhere Hospital';

const pump = (assetTag: string, extra: Partial<InventoryDevice> = {}): InventoryDevice => ({
  assetTag,
  vendor: 'Medisyn Medical GmbH',
  model: 'IP3000-Firmware',
  firmwareVersion: '2.4.0',
  segment: 'icu-vlan-20',
  criticality: 'critical',
  ...extra,
});

describe.each(BACKENDS)('importInventory on %s', (backend) => {
  let t: TestDb;
  const count = async (table: 'device' | 'organisation') => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);
  const stored = () => t.db.selectFrom('device').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('creates the operator on its first import and stores each device with its identities normalised, under the operator', async () => {
    const r = await importInventory(t.db, {
      operator: HOSPITAL,
      rows: [
        pump('ICU-1', { purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0?arch=arm', cpe: 'cpe:/o:Medisyn:ip3000_firmware:2.4.0', location: 'ICU, bed 1' }),
        { assetTag: 'LAB-1', purl: 'pkg:generic/corvane/cd900' },
      ],
    });
    expect(r).toMatchObject({ operator: { kind: 'operator', name: HOSPITAL, nameKey: 'st elsewhere hospital' }, created: 2, updated: 0, unchanged: 0, deleted: 0 });
    const [icu, lab] = await stored();
    expect(icu).toMatchObject({
      organisation_id: r.operator.id,
      asset_tag: 'ICU-1',
      vendor_name: 'Medisyn Medical GmbH',
      vendor_key: 'medisyn medical',
      model: 'IP3000-Firmware',
      name_key: 'ip3000-firmware',
      purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0?arch=arm',
      purl_key: 'pkg:generic/medisyn/ip3000-firmware@2.4.0',
      purl_product: 'pkg:generic/medisyn/ip3000-firmware',
      cpe: 'cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*',
      cpe_product: 'o:medisyn:ip3000_firmware',
      firmware_version: '2.4.0',
      location: 'ICU, bed 1',
      segment: 'icu-vlan-20',
      criticality: 'critical',
    });
    expect(lab).toMatchObject({ organisation_id: r.operator.id, purl_key: 'pkg:generic/corvane/cd900', purl_product: 'pkg:generic/corvane/cd900', vendor_key: null, firmware_version: null, firmware_sort: null });
    // Every device row carries the operator's organisation id.
    expect(await t.db.selectFrom('device').select('id').where('organisation_id', 'is', null).execute()).toEqual([]);
    expect(r.matches.map((m) => m.assetTag)).toEqual(['ICU-1', 'LAB-1']);
  });

  it('counts a re-import as unchanged, a changed device as updated (only it gets a new updated_at) and a new one as created', async () => {
    await importInventory(t.db, { operator: HOSPITAL, rows: [pump('A'), pump('B'), pump('C')] });
    const before = await stored();
    expect(await importInventory(t.db, { operator: 'ST ELSEWHERE HOSPITAL', rows: [pump('A'), pump('B'), pump('C')] })).toMatchObject({ created: 0, updated: 0, unchanged: 3, deleted: 0 });
    expect(await stored()).toEqual(before);

    const r = await importInventory(t.db, { operator: 'st elsewhere hospital', rows: [pump('A'), pump('B', { firmwareVersion: '2.5.0', location: 'moved' }), pump('C'), pump('D')] });
    expect(r).toMatchObject({ created: 1, updated: 1, unchanged: 2, deleted: 0 });
    const after = await stored();
    expect(after.map((d) => d.asset_tag)).toEqual(['A', 'B', 'C', 'D']);
    expect(after[0]!.updated_at).toEqual(before[0]!.updated_at);
    expect(after[1]).toMatchObject({ firmware_version: '2.5.0', location: 'moved', created_at: before[1]!.created_at });
    expect(after[1]!.updated_at.getTime()).toBeGreaterThan(before[1]!.updated_at.getTime());
  });

  it('clears a value the file no longer gives', async () => {
    await importInventory(t.db, { operator: HOSPITAL, rows: [pump('A', { location: 'ICU' })] });
    expect(await importInventory(t.db, { operator: HOSPITAL, rows: [pump('A', { location: undefined, criticality: undefined })] })).toMatchObject({ updated: 1 });
    expect(await stored()).toMatchObject([{ location: null, criticality: null }]);
  });

  it('keeps devices the file does not list, unless asked to replace, then deletes them', async () => {
    await importInventory(t.db, { operator: HOSPITAL, rows: [pump('A'), pump('B'), pump('C')] });
    expect(await importInventory(t.db, { operator: HOSPITAL, rows: [pump('A')] })).toMatchObject({ unchanged: 1, deleted: 0 });
    expect(await count('device')).toBe(3);
    expect(await importInventory(t.db, { operator: HOSPITAL, rows: [pump('A'), pump('E')], replace: true })).toMatchObject({ created: 1, unchanged: 1, deleted: 2 });
    expect((await stored()).map((d) => d.asset_tag)).toEqual(['A', 'E']);
  });

  it("keeps operators' inventories apart: the same asset tag in two hospitals, and replace touches only its own", async () => {
    const a = await importInventory(t.db, { operator: HOSPITAL, rows: [pump('A'), pump('B')] });
    const b = await importInventory(t.db, { operator: 'Mercy West Clinic', rows: [pump('A')], replace: true });
    expect(b).toMatchObject({ created: 1, deleted: 0 });
    expect(a.operator.id).not.toBe(b.operator.id);
    expect((await listDevices(t.db, a.operator.id)).map((d) => d.assetTag)).toEqual(['A', 'B']);
    expect((await listDevices(t.db, b.operator.id)).map((d) => d.assetTag)).toEqual(['A']);
  });

  it("refuses a vendor's name as operator (also through an alias) and stores nothing", async () => {
    await ingestProduct(t.db, { name: 'ip3000-firmware', version: '2.4.0', supplier: 'Medisyn Medical GmbH' });
    const vendor = (await t.db.selectFrom('organisation').select('id').where('name_key', '=', 'medisyn medical').executeTakeFirstOrThrow()).id;
    await t.db.insertInto('organisation_alias').values({ name_key: 'medisyn', organisation_id: vendor, name: 'Medisyn' }).execute();
    const organisations = await count('organisation');
    for (const operator of ['MEDISYN MEDICAL GMBH', 'Medisyn']) {
      const refused = importInventory(t.db, { operator, rows: [pump('A')] });
      await expect(refused).rejects.toThrow(OperatorError);
      await expect(refused).rejects.toMatchObject({ status: 422, message: `'${operator}' is the name of a vendor organisation ('Medisyn Medical GmbH'), not of an operator (a hospital or clinic); an inventory belongs to an operator` });
    }
    await expect(importInventory(t.db, { operator: ' -- ', rows: [pump('A')] })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/^operator name ' -- ' is not usable/) });
    expect([await count('device'), await count('organisation')]).toEqual([0, organisations]);
  });

  it('writes tens of thousands of devices in batches, and replaces them with an anti-join', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => pump(`T${i}`));
    expect(await importInventory(t.db, { operator: HOSPITAL, rows })).toMatchObject({ created: 25_000 });
    const again = await importInventory(t.db, { operator: HOSPITAL, rows: rows.slice(5_000).map((r, i) => (i < 10 ? { ...r, location: 'x' } : r)), replace: true });
    expect(again).toMatchObject({ created: 0, updated: 10, unchanged: 19_990, deleted: 5_000 });
    expect(await count('device')).toBe(20_000);
  });

  it('runs two imports into one inventory one after the other', async () => {
    const [x, y] = await Promise.all([
      importInventory(t.db, { operator: HOSPITAL, rows: [pump('A'), pump('B')] }),
      importInventory(t.db, { operator: HOSPITAL, rows: [pump('B'), pump('C')] }),
    ]);
    expect(x.operator.id).toBe(y.operator.id);
    expect(x.created + y.created).toBe(3);
    expect((await stored()).map((d) => d.asset_tag).sort()).toEqual(['A', 'B', 'C']);
  });
});
