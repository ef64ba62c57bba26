/**
 * @module
 * Open hops (DOMAIN.md "Vendor chain"): components whose supplier is another vendor that has published no SBOM
 * of them, so the chain cannot be followed below them. That gap is information, not an error: grouped by the
 * supplier, it is the list of whom to ask for which SBOM.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import type { ComponentKey } from '../store/component.repository.js';
import type { LinkChoice } from './resolve-chains.js';

export interface OpenHopScope {
  /** Only components in documents of this vendor (its own open hops: the suppliers it waits on). */
  customerId?: number;
  /** Only components supplied by this vendor (what it is asked for). */
  supplierId?: number;
  /** Only components in these documents (a chain's documents). */
  sbomIds?: number[];
  choice?: LinkChoice;
}

export interface OpenHopGroup {
  supplierId: number;
  /** Components waiting for an SBOM of this supplier. */
  components: number;
  /** Distinct (name, version) products among them. */
  products: number;
  /** Documents that list them. */
  documents: number;
  /** The scope the group was counted in, for listing its hops. */
  scope: OpenHopScope;
}

export interface OpenHop {
  component: ComponentKey;
  supplierId: number;
  name: string;
  version: string | null;
  /** Versions of the same product whose SBOM the supplier did publish (the component pins another one). */
  otherVersions: string[];
}

function scopeSql(scope: OpenHopScope): RawBuilder<boolean> {
  const followed = sql.raw(scope.choice === 'latest' ? 'latest' : 'pinned');
  return sql<boolean>`c.supplier_id is not null and c.supplier_id is distinct from s.organisation_id and not c.is_subject
    and not exists (select 1 from component_link l where l.sbom_id = c.sbom_id and l.idx = c.idx and l.${followed})
    ${scope.customerId === undefined ? sql`` : sql`and s.organisation_id = ${scope.customerId}`}
    ${scope.supplierId === undefined ? sql`` : sql`and c.supplier_id = ${scope.supplierId}`}
    ${scope.sbomIds === undefined ? sql`` : sql`and c.sbom_id = any(${scope.sbomIds}::bigint[])`}`;
}

/** Open hops grouped by supplier, the most components first. */
export async function openHopGroups(db: Kysely<Database>, scope: OpenHopScope, page: { first: number; offset: number }): Promise<OpenHopGroup[]> {
  const rows = await sql<{ supplier_id: number; components: number; products: number; documents: number }>`
    select c.supplier_id, count(*) as components, count(distinct (lower(c.name), coalesce(c.version, ''))) as products, count(distinct c.sbom_id) as documents
    from component c join sbom s on s.id = c.sbom_id
    where ${scopeSql(scope)}
    group by c.supplier_id
    order by count(*) desc, c.supplier_id
    limit ${page.first} offset ${page.offset}`.execute(db);
  return rows.rows.map((r) => ({ supplierId: Number(r.supplier_id), components: Number(r.components), products: Number(r.products), documents: Number(r.documents), scope }));
}

/** The open hops themselves, in (document, position) order, with the versions the supplier did document. */
export async function listOpenHops(db: Kysely<Database>, scope: OpenHopScope, page: { first: number; after?: ComponentKey }): Promise<OpenHop[]> {
  const rows = await sql<{ sbom_id: number; idx: number; supplier_id: number; name: string; version: string | null; other_versions: (string | null)[] }>`
    select c.sbom_id, c.idx, c.supplier_id, c.name, coalesce(c.version, c.purl_version) as version,
      array(select t.version from component_link o join sbom_subject t on t.sbom_id = o.target_sbom_id
            where o.sbom_id = c.sbom_id and o.idx = c.idx and not o.same_version order by t.version_sort) as other_versions
    from component c join sbom s on s.id = c.sbom_id
    where ${scopeSql(scope)}
      ${page.after ? sql`and (c.sbom_id, c.idx) > (${page.after.sbomId}, ${page.after.index})` : sql``}
    order by c.sbom_id, c.idx
    limit ${page.first}`.execute(db);
  return rows.rows.map((r) => ({
    component: { sbomId: Number(r.sbom_id), index: r.idx },
    supplierId: Number(r.supplier_id),
    name: r.name,
    version: r.version,
    otherVersions: r.other_versions.filter((v): v is string => v !== null),
  }));
}

/** "Treck Inc. has not published an SBOM for Treck TCP/IP 6.0.1.41 (it has for 6.0.1.66)." */
export function openHopMessage(supplierName: string, hop: Pick<OpenHop, 'name' | 'version' | 'otherVersions'>): string {
  const product = hop.version ? `${hop.name} ${hop.version}` : hop.name;
  const others = hop.otherVersions.length ? ` (it has for ${hop.otherVersions.join(', ')})` : '';
  return `${supplierName} has not published an SBOM for ${product}${others}`;
}
