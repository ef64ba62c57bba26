/**
 * @module
 * Writes an operator's inventory whole or not at all: one transaction in which the operator is found or created
 * (and locked, so two imports into one inventory run one after the other), the devices are upserted by asset tag in
 * batches, and with `replace` the devices the file no longer lists are deleted. Identities are stored the way
 * sbom_subject stores them, so that matching (src/inventory/match-devices.ts) is equality on indexed columns.
 */
import { sql, type Kysely } from 'kysely';
import { versionSortKey } from '../chains/version-order.js';
import type { Database } from '../db/database.js';
import { matchDevices } from '../inventory/match-devices.js';
import type { DeviceMatch, InventoryDevice } from '../model/inventory.js';
import type { Organisation } from '../model/sbom-record.js';
import { bulkUpsert, type BulkColumn } from './bulk-insert.js';
import { lockOrCreateOperator } from './organisation.repository.js';
import { recordAudit } from './access.repository.js';
import { productIdentity, type ProductIdentity } from './store-advisory.js';

export interface ImportInventoryInput {
  /** The operator's name, in any spelling ("St. Elsewhere Hospital" and "ST ELSEWHERE HOSPITAL" are one). */
  operator: string;
  /** Checked devices (src/inventory/parse-inventory.ts); asset tags unique. */
  rows: readonly InventoryDevice[];
  /** Delete the operator's devices that `rows` do not list (default: they stay as they are). */
  replace?: boolean;
}

export interface InventoryImport {
  operator: Organisation;
  /** Devices new to the inventory, devices whose values changed, devices listed as they were stored. */
  created: number;
  updated: number;
  unchanged: number;
  /** Devices removed because `replace` was asked and the rows no longer list them. */
  deleted: number;
  /** Each imported device's match, in the order of `rows`. */
  matches: DeviceMatch[];
}

interface DeviceValues {
  device: InventoryDevice;
  identity: ProductIdentity;
}

/** The columns an import writes, besides the operator; the upsert compares and updates all of them. */
const DEVICE_COLUMNS: BulkColumn<DeviceValues>[] = [
  { name: 'asset_tag', type: 'text', value: (r) => r.device.assetTag },
  { name: 'vendor_name', type: 'text', value: (r) => r.device.vendor ?? null },
  { name: 'vendor_key', type: 'text', value: (r) => r.identity.vendor?.key ?? null },
  { name: 'model', type: 'text', value: (r) => r.device.model ?? null },
  { name: 'name_key', type: 'text', value: (r) => r.identity.nameKey ?? null },
  { name: 'purl', type: 'text', value: (r) => r.device.purl ?? null },
  { name: 'purl_key', type: 'text', value: (r) => r.identity.purlKey ?? null },
  { name: 'purl_product', type: 'text', value: (r) => r.identity.purlProduct ?? null },
  { name: 'cpe', type: 'text', value: (r) => r.identity.cpe ?? null },
  { name: 'cpe_product', type: 'text', value: (r) => r.identity.cpeProduct ?? null },
  { name: 'firmware_version', type: 'text', value: (r) => r.device.firmwareVersion ?? null },
  { name: 'firmware_sort', type: 'text', value: (r) => (r.device.firmwareVersion === undefined ? null : versionSortKey(r.device.firmwareVersion)) },
  { name: 'location', type: 'text', value: (r) => r.device.location ?? null },
  { name: 'segment', type: 'text', value: (r) => r.device.segment ?? null },
  { name: 'criticality', type: 'text', value: (r) => r.device.criticality ?? null },
];
const UPDATED = DEVICE_COLUMNS.map((c) => c.name).filter((c) => c !== 'asset_tag');

/**
 * Imports devices into an operator's inventory, creating the operator on its first import, and returns what changed
 * and how each imported device matches an SBOM now.
 *
 * @throws OperatorError (422) when the name is not usable or is that of a vendor (or another kind of party); nothing
 *   is stored then.
 *
 * @example
 * const parsed = parseInventory(await readFile('st-elsewhere-devices.csv'));
 * if (parsed.ok) await importInventory(db, { operator: 'St. Elsewhere Hospital', rows: parsed.rows });
 * // { operator: { id: 9, kind: 'operator', ... }, created: 12, updated: 0, unchanged: 0, deleted: 0,
 * //   matches: [{ deviceId: 1, assetTag: 'SEH-ICU-0101', sbomId: 2, rule: 'PURL' }, ...] }
 */
export async function importInventory(db: Kysely<Database>, input: ImportInventoryInput): Promise<InventoryImport> {
  const tags = input.rows.map((r) => r.assetTag);
  if (new Set(tags).size !== tags.length) throw new Error('importInventory: asset tags must be unique within the rows (parseInventory checks this)');
  const values = input.rows.map((device) => ({ device, identity: productIdentity({ purl: device.purl, cpe: device.cpe, vendor: device.vendor, name: device.model }) }));

  const written = await db.transaction().execute(async (trx) => {
    const operator = await lockOrCreateOperator(trx, input.operator);
    const existing = await trx.selectFrom('device').select('id').where('organisation_id', '=', operator.id).where(sql<boolean>`asset_tag = any(${tags}::text[])`).execute();
    const changed = await bulkUpsert<DeviceValues, { id: number; asset_tag: string }>(
      trx,
      'device',
      [{ name: 'organisation_id', type: 'bigint', value: () => operator.id }, ...DEVICE_COLUMNS],
      values,
      { conflict: ['organisation_id', 'asset_tag'], update: UPDATED, touch: 'updated_at', returning: ['id', 'asset_tag'] },
    );
    let deleted = 0;
    if (input.replace) {
      // An anti-join against the listed tags (a hash join), not `<> all(...)`, which compares every pair.
      const result = await sql`delete from device d where d.organisation_id = ${operator.id}
        and not exists (select 1 from unnest(${tags}::text[]) as t(tag) where t.tag = d.asset_tag)`.execute(trx);
      deleted = Number(result.numAffectedRows ?? 0);
    }
    const existingIds = new Set(existing.map((e) => Number(e.id)));
    const created = changed.filter((c) => !existingIds.has(Number(c.id))).length;
    const updated = changed.length - created;
    await recordAudit(trx, { action: 'inventory.import', targetType: 'operator', targetId: operator.id, detail: { operator: operator.name, devices: input.rows.length, created, updated, deleted, replace: input.replace ?? false } });
    return { operator, created, updated, unchanged: input.rows.length - created - updated, deleted };
  });

  const matches = await matchDevices(db, { operatorId: written.operator.id, assetTags: tags });
  const byTag = new Map(matches.map((m) => [m.assetTag, m]));
  return { ...written, matches: tags.map((t) => byTag.get(t)!) };
}
