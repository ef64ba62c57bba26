import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, OrganisationRow } from '../db/database.js';
import type { Organisation } from '../model/sbom-record.js';
import type { VendorRef } from '../model/normalised-sbom.js';
import { bulkInsert } from './bulk-insert.js';
import { escapeLike } from './sbom.repository.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { authoriseOperator } from '../access/access-rules.js';
import { currentPrincipal } from '../access/principal.js';

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

/** The vendors that own at least one stored SBOM, by name key. */
export async function listVendorsWithSboms(db: Db): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisation as o').selectAll('o').where((eb) => eb.exists(eb.selectFrom('sbom as s').select('s.id').whereRef('s.organisation_id', '=', 'o.id'))).orderBy('o.name_key').execute();
  return rows.map(organisationRowToOrganisation);
}

/** Every vendor, by name (scorecard rankings). */
export async function listAllVendors(db: Db): Promise<Organisation[]> {
  return (await db.selectFrom('organisation').selectAll().where('kind', '=', 'vendor').orderBy('name_key').orderBy('id').execute()).map(organisationRowToOrganisation);
}

/** Vendors by name, keyset-paginated on (name_key, id). */
export async function listVendors(db: Db, filter: { nameContains?: string }, page: { first: number; after?: { nameKey: string; id: number } }): Promise<Organisation[]> {
  let q = db.selectFrom('organisation').selectAll().where('kind', '=', 'vendor').orderBy('name_key').orderBy('id').limit(page.first);
  if (page.after) q = q.where(sql<boolean>`(name_key, id) > (${page.after.nameKey}, ${page.after.id})`);
  if (filter.nameContains) q = q.where(sql<boolean>`lower(name) like ${`%${escapeLike(filter.nameContains.toLowerCase())}%`}`);
  return (await q.execute()).map(organisationRowToOrganisation);
}

/**
 * An organisation name that cannot serve as the operator asked for: it names nothing, no operator has it (`404`),
 * or it belongs to an organisation of another kind (`422`: a vendor's name is not a hospital's).
 */
export class OperatorError extends Error {
  constructor(message: string, readonly status: 404 | 422) {
    super(message);
    this.name = 'OperatorError';
  }
}

const MAX_OPERATOR_NAME = 200;

function operatorKey(name: string): string {
  // eslint-disable-next-line no-control-regex
  const key = name.length <= MAX_OPERATOR_NAME && !/[\u0000-\u001f\u007f]/.test(name) && name.isWellFormed() ? normaliseVendorName(name) : undefined;
  if (key === undefined) {
    throw new OperatorError(`operator name '${name.slice(0, 100)}' is not usable: it must hold letters or digits, no control characters, and be at most ${MAX_OPERATOR_NAME} characters long`, 422);
  }
  return key;
}

/**
 * An operator's token reaches its own inventory only, whatever spelling names it; naming any other operator (known
 * or not: which hospitals use patchpath is not for other hospitals to probe) is refused. Admins reach every one.
 *
 * @throws AccessError (403).
 */
async function authoriseOperatorKey(db: Db, key: string, name: string): Promise<void> {
  const principal = currentPrincipal();
  if (!principal || principal.role === 'admin') return;
  const own = principal.role === 'operator' ? await findOrganisationByKey(db, key) : undefined;
  authoriseOperator(principal, own?.id === principal.organisationId ? own : { id: -1, name: name.slice(0, 100) });
}

function notAnOperator(name: string, found: Organisation): OperatorError {
  return new OperatorError(`'${name.slice(0, 100)}' is the name of a ${found.kind} organisation ('${found.name}'), not of an operator (a hospital or clinic); an inventory belongs to an operator`, 422);
}

/**
 * The operator (hospital, clinic) of that name, by any spelling of it.
 *
 * @throws OperatorError (404) when no operator has the name, also when another kind of organisation has it.
 */
export async function getOperator(db: Db, name: string): Promise<Organisation> {
  const key = operatorKey(name);
  await authoriseOperatorKey(db, key, name);
  const found = await findOrganisationByKey(db, key);
  if (found?.kind === 'operator') return found;
  const other = found ? ` ('${found.name}' is a ${found.kind})` : '';
  throw new OperatorError(`no operator named '${name.slice(0, 100)}'${other}; an operator comes into being with its first inventory import`, 404);
}

/**
 * Finds the operator of that name or creates it, and locks its row until the transaction ends, so that two imports
 * into one inventory run one after the other.
 *
 * @throws OperatorError (422) when the name is not usable or belongs to another kind of organisation.
 */
export async function lockOrCreateOperator(trx: Transaction<Database>, name: string): Promise<Organisation> {
  const key = operatorKey(name);
  await authoriseOperatorKey(trx, key, name);
  let found = await findOrganisationByKey(trx, key);
  if (!found) {
    await trx.insertInto('organisation').values({ kind: 'operator', name: name.trim(), name_key: key }).onConflict((oc) => oc.column('name_key').doNothing()).execute();
    found = (await findOrganisationByKey(trx, key))!;
  }
  if (found.kind !== 'operator') throw notAnOperator(name, found);
  await trx.selectFrom('organisation').select('id').where('id', '=', found.id).forUpdate().execute();
  return found;
}
