import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DeviceRow } from '../db/database.js';
import type { Device } from '../model/inventory.js';

type Db = Kysely<Database> | Transaction<Database>;

export function deviceRowToDevice(row: DeviceRow): Device {
  const device: Device = { id: row.id, operatorId: row.organisation_id, assetTag: row.asset_tag, createdAt: row.created_at, updatedAt: row.updated_at };
  if (row.vendor_name !== null) device.vendor = row.vendor_name;
  if (row.model !== null) device.model = row.model;
  if (row.purl !== null) device.purl = row.purl;
  if (row.cpe !== null) device.cpe = row.cpe;
  if (row.firmware_version !== null) device.firmwareVersion = row.firmware_version;
  if (row.location !== null) device.location = row.location;
  if (row.segment !== null) device.segment = row.segment;
  if (row.criticality !== null) device.criticality = row.criticality;
  return device;
}

/** An operator's devices in id order (the order of first import), keyset-paginated on id; all of them without `first`. */
export async function listDevices(db: Db, operatorId: number, filter: { segment?: string } = {}, page: { first?: number; after?: number } = {}): Promise<Device[]> {
  let q = db.selectFrom('device').selectAll().where('organisation_id', '=', operatorId).orderBy('id');
  if (filter.segment !== undefined) q = q.where('segment', '=', filter.segment);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  if (page.first !== undefined) q = q.limit(page.first);
  return (await q.execute()).map(deviceRowToDevice);
}


/** Changes whenever a device of the operator is imported, updated or deleted: its device count and latest update. */
export async function inventoryVersion(db: Db, operatorId: number): Promise<string> {
  const row = await db
    .selectFrom('device')
    .select([sql<string>`count(*) || '@' || coalesce(max(updated_at)::text, '')`.as('v')])
    .where('organisation_id', '=', operatorId)
    .executeTakeFirstOrThrow();
  return row.v;
}
