import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { ComponentRow, Database } from '../db/database.js';
import type { StoredComponent } from '../model/sbom-record.js';
import { escapeLike } from './sbom.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export function componentRowToComponent(row: ComponentRow): StoredComponent {
  return {
    sbomId: row.sbom_id,
    index: row.idx,
    ref: row.bom_ref,
    isSubject: row.is_subject,
    parentIndex: row.parent_idx ?? undefined,
    type: row.type ?? undefined,
    group: row.group_name ?? undefined,
    name: row.name,
    version: row.version ?? undefined,
    description: row.description ?? undefined,
    purl: row.purl ?? undefined,
    purlKey: row.purl_key ?? undefined,
    cpe: row.cpe ?? undefined,
    supplierId: row.supplier_id ?? undefined,
    supplierName: row.supplier_name ?? undefined,
    manufacturerName: row.manufacturer_name ?? undefined,
    author: row.author ?? undefined,
    licenseExpression: row.license_expression ?? undefined,
    licenses: row.licenses as StoredComponent['licenses'],
    externalReferences: row.external_references as StoredComponent['externalReferences'],
    copyright: row.copyright ?? undefined,
    scope: row.scope ?? undefined,
  };
}

/** A canonical purl key without its version (`pkg:type/namespace/name`): in canonical form `@` only ever starts the version. */
export function purlProduct(purlKey: string): string {
  const at = purlKey.indexOf('@');
  return at === -1 ? purlKey : purlKey.slice(0, at);
}

export interface ComponentKey {
  sbomId: number;
  index: number;
}

export interface ComponentFilter {
  sbomId?: number;
  /** Canonical purl identity (qualifiers ignored). */
  purlKey?: string;
  /** A CPE 2.3 string, matched exactly after normalisation. */
  cpe?: string;
  /** Name, case-insensitive: exact, or a prefix when it ends in `*`. */
  name?: string;
  version?: string;
  /** Supplier organisation ids (a vendor and its aliases resolve to one id). */
  supplierId?: number;
  /** Hash value, any algorithm. */
  hash?: string;
  /** Only document subjects (the products SBOMs describe). */
  subjectsOnly?: boolean;
}

/** Keyset-paginated in (sbom_id, idx) order; `after` is the last key of the previous page. */
export async function searchComponents(db: Db, filter: ComponentFilter, page: { first: number; after?: ComponentKey }): Promise<StoredComponent[]> {
  let q = db.selectFrom('component').selectAll('component').orderBy('component.sbom_id').orderBy('component.idx').limit(page.first);
  if (page.after) {
    const { sbomId, index } = page.after;
    q = q.where(sql<boolean>`(component.sbom_id, component.idx) > (${sbomId}, ${index})`);
  }
  q = q.where(componentFilterSql(filter, 'component'));
  return (await q.execute()).map(componentRowToComponent);
}

/**
 * The filter as one SQL condition on the component table under `alias`, for searches and for chain targets.
 * Every field set must hold; an empty filter holds for every component.
 */
export function componentFilterSql(filter: ComponentFilter, alias: string): RawBuilder<boolean> {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  const conditions: RawBuilder<boolean>[] = [];
  if (filter.sbomId !== undefined) conditions.push(sql`${c('sbom_id')} = ${filter.sbomId}`);
  // The purl index is on the product (the key without its version): name it so the planner can use it.
  if (filter.purlKey) conditions.push(sql`${c('purl_key')} = ${filter.purlKey} and split_part(${c('purl_key')}, '@', 1) = ${purlProduct(filter.purlKey)}`);
  if (filter.cpe) conditions.push(sql`${c('cpe')} = ${filter.cpe}`);
  if (filter.name) {
    const n = filter.name.toLowerCase();
    conditions.push(n.endsWith('*') ? sql`lower(${c('name')}) like ${`${escapeLike(n.slice(0, -1))}%`}` : sql`lower(${c('name')}) = ${n}`);
  }
  if (filter.version) conditions.push(sql`${c('version')} = ${filter.version}`);
  if (filter.supplierId !== undefined) conditions.push(sql`${c('supplier_id')} = ${filter.supplierId}`);
  if (filter.subjectsOnly) conditions.push(sql`${c('is_subject')}`);
  if (filter.hash) {
    conditions.push(sql`exists (select 1 from component_hash h where h.sbom_id = ${c('sbom_id')} and h.idx = ${c('idx')} and h.value = ${filter.hash.toLowerCase()})`);
  }
  return conditions.length ? sql<boolean>`(${sql.join(conditions, sql` and `)})` : sql<boolean>`true`;
}

/** Loads many components at once (GraphQL DataLoader); the result follows the order of `keys`. */
export async function findComponents(db: Db, keys: readonly ComponentKey[]): Promise<(StoredComponent | undefined)[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('component')
    .selectAll()
    .where(sql<boolean>`(sbom_id, idx) in (select * from unnest(${keys.map((k) => k.sbomId)}::bigint[], ${keys.map((k) => k.index)}::int[]))`)
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.sbom_id}:${r.idx}`, componentRowToComponent(r)]));
  return keys.map((k) => byKey.get(`${k.sbomId}:${k.index}`));
}

export interface ComponentRelation {
  component: StoredComponent;
  type: string;
  originalType: string;
}

/**
 * Neighbours of a component within its document: `dependencies` are what it needs or holds (edges out of it),
 * `dependents` what needs or holds it (edges into it).
 */
export async function listRelations(db: Db, key: ComponentKey, direction: 'dependencies' | 'dependents'): Promise<ComponentRelation[]> {
  const rows =
    direction === 'dependencies'
      ? (
          await sql<ComponentRow & { edge_type: string; edge_original_type: string }>`
            select c.*, e.type as edge_type, e.original_type as edge_original_type
            from component_edge e cross join unnest(e.to_idx) as t(idx)
            join component c on c.sbom_id = e.sbom_id and c.idx = t.idx
            where e.sbom_id = ${key.sbomId} and e.from_idx = ${key.index}
            order by c.idx`.execute(db)
        ).rows
      : await db
          .selectFrom('component_edge as e')
          .innerJoin('component as c', (j) => j.onRef('c.sbom_id', '=', 'e.sbom_id').onRef('c.idx', '=', 'e.from_idx'))
          .selectAll('c')
          .select(['e.type as edge_type', 'e.original_type as edge_original_type'])
          .where('e.sbom_id', '=', key.sbomId)
          .where(sql<boolean>`${key.index} = any(e.to_idx)`)
          .orderBy('c.idx')
          .execute();
  return rows.map((r) => ({ component: componentRowToComponent(r), type: r.edge_type, originalType: r.edge_original_type }));
}

/** The subject components of many documents at once (GraphQL DataLoader); the result follows the order of `sbomIds`. */
export async function listSubjectsOfSboms(db: Db, sbomIds: readonly number[]): Promise<StoredComponent[][]> {
  if (sbomIds.length === 0) return [];
  const rows = await db
    .selectFrom('component')
    .selectAll()
    .where(sql<boolean>`sbom_id = any(${[...sbomIds]}::bigint[])`)
    .where('is_subject', '=', true)
    .orderBy('sbom_id')
    .orderBy('idx')
    .execute();
  const bySbom = new Map<number, StoredComponent[]>();
  for (const r of rows) {
    const list = bySbom.get(r.sbom_id) ?? [];
    list.push(componentRowToComponent(r));
    bySbom.set(r.sbom_id, list);
  }
  return sbomIds.map((id) => bySbom.get(id) ?? []);
}

/** Hashes of many components at once (GraphQL DataLoader); the result follows the order of `keys`. */
export async function listHashes(db: Db, keys: readonly ComponentKey[]): Promise<{ alg: string; value: string }[][]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('component_hash')
    .select(['sbom_id', 'idx', 'alg', 'value'])
    .where(sql<boolean>`(sbom_id, idx) in (select * from unnest(${keys.map((k) => k.sbomId)}::bigint[], ${keys.map((k) => k.index)}::int[]))`)
    .execute();
  const byKey = new Map<string, { alg: string; value: string }[]>();
  for (const r of rows) {
    const k = `${r.sbom_id}:${r.idx}`;
    const list = byKey.get(k) ?? [];
    list.push({ alg: r.alg, value: r.value });
    byKey.set(k, list);
  }
  return keys.map((k) => byKey.get(`${k.sbomId}:${k.index}`) ?? []);
}

/** Each document's subject position (sbom_subject), for many documents at once. */
export async function findSubjectIndexes(db: Db, sbomIds: readonly number[]): Promise<Map<number, number>> {
  if (!sbomIds.length) return new Map();
  const rows = await db.selectFrom('sbom_subject').select(['sbom_id', 'idx']).where(sql<boolean>`sbom_id = any(${[...new Set(sbomIds)]}::bigint[])`).execute();
  return new Map(rows.map((r) => [Number(r.sbom_id), r.idx]));
}
