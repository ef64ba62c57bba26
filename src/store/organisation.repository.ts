import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OrganisationRow } from '../db/database.js';
import type { Organisation } from '../model/sbom-record.js';
import type { VendorRef } from '../model/normalised-sbom.js';
import { bulkInsert } from './bulk-insert.js';
import { escapeLike } from './sbom.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export function organisationRowToOrganisation(row: OrganisationRow): Organisation {
  return { id: row.id, kind: row.kind, name: row.name, nameKey: row.name_key };
}

/**
 * Finds or creates one vendor per distinct key and returns key -> organisation id. A key that is an alias of
 * a vendor resolves to that vendor. Keys are inserted in sorted order so that two concurrent uploads naming
 * the same new vendors cannot deadlock, and `on conflict do nothing` makes the race harmless.
 */
export async function upsertVendors(db: Db, vendors: readonly VendorRef[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (vendors.length === 0) return ids;
  const byKey = new Map(vendors.map((v) => [v.key, v.name]));
  const keys = [...byKey.keys()].sort();
  const aliases = await db.selectFrom('organisation_alias').select(['name_key', 'organisation_id']).where(sql<boolean>`name_key = any(${keys}::text[])`).execute();
  for (const a of aliases) ids.set(a.name_key, a.organisation_id);
  const missing = keys.filter((k) => !ids.has(k));
  if (missing.length) {
    await bulkInsert(
      db,
      'organisation',
      [
        { name: 'name', type: 'text', value: (k: string) => byKey.get(k) },
        { name: 'name_key', type: 'text', value: (k: string) => k },
      ],
      missing,
      { onConflictDoNothing: true },
    );
    const rows = await db.selectFrom('organisation').select(['id', 'name_key']).where(sql<boolean>`name_key = any(${missing}::text[])`).execute();
    for (const r of rows) ids.set(r.name_key, r.id);
  }
  return ids;
}

/** Finds a vendor by any spelling of its name (normalised key or alias). */
export async function findOrganisationByKey(db: Db, key: string): Promise<Organisation | undefined> {
  const row = await db
    .selectFrom('organisation')
    .selectAll()
    .where((eb) => eb.or([eb('name_key', '=', key), eb('id', 'in', eb.selectFrom('organisation_alias').select('organisation_id').where('name_key', '=', key))]))
    .executeTakeFirst();
  return row && organisationRowToOrganisation(row);
}

/** Loads many organisations at once (GraphQL DataLoader); the result follows the order of `ids`. */
export async function findOrganisationsByIds(db: Db, ids: readonly number[]): Promise<(Organisation | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('organisation').selectAll().where(sql<boolean>`id = any(${[...ids]}::bigint[])`).execute();
  const byId = new Map(rows.map((r) => [r.id, organisationRowToOrganisation(r)]));
  return ids.map((id) => byId.get(id));
}

/** Vendors by name, keyset-paginated on (name_key, id). */
export async function listVendors(db: Db, filter: { nameContains?: string }, page: { first: number; after?: { nameKey: string; id: number } }): Promise<Organisation[]> {
  let q = db.selectFrom('organisation').selectAll().where('kind', '=', 'vendor').orderBy('name_key').orderBy('id').limit(page.first);
  if (page.after) q = q.where(sql<boolean>`(name_key, id) > (${page.after.nameKey}, ${page.after.id})`);
  if (filter.nameContains) q = q.where(sql<boolean>`lower(name) like ${`%${escapeLike(filter.nameContains.toLowerCase())}%`}`);
  return (await q.execute()).map(organisationRowToOrganisation);
}
