/**
 * @module
 * A vendor's place in the supply chain: its suppliers (whose products sit below its own, at any depth) and its
 * customers (whose products carry its own), each with the hop distance, and whether the link is documented (the
 * other side published an SBOM) or open (a component names the vendor, but no SBOM of it exists).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { LinkChoice } from './resolve-chains.js';

export interface VendorRelation {
  organisationId: number;
  /** Documents crossed between the two vendors' products (1 = directly). */
  distance: number;
  /**
   * Whether some path between the two is documented by SBOMs all the way; false when every path passes an open
   * hop (a product of a vendor that published no SBOM of it).
   */
  documented: boolean;
}

export interface VendorNetwork {
  suppliers: VendorRelation[];
  customers: VendorRelation[];
}

export async function vendorNetwork(db: Kysely<Database>, organisationId: number, options: { maxDepth: number; choice: LinkChoice }): Promise<VendorNetwork> {
  const followed = sql.raw(options.choice === 'latest' ? 'latest' : 'pinned');
  const suppliers = await sql<{ organisation_id: number; distance: number; documented: boolean }>`
    with recursive down(sbom_id, depth) as (
      select id, 0 from sbom where organisation_id = ${organisationId}
      union
      select l.target_sbom_id, d.depth + 1 from down d join component_link l on l.sbom_id = d.sbom_id and l.${followed}
        where d.depth < ${options.maxDepth}
    ), reached as (select sbom_id, min(depth) as depth from down group by sbom_id),
    related as (
      select s.organisation_id, r.depth as distance, true as documented
        from reached r join sbom s on s.id = r.sbom_id where r.depth > 0 and s.organisation_id is not null
      union all
      -- components of reached documents supplied by someone who published no SBOM of them
      select c.supplier_id, r.depth + 1, false
        from reached r join sbom s on s.id = r.sbom_id join component c on c.sbom_id = r.sbom_id
        where c.supplier_id is not null and c.supplier_id is distinct from s.organisation_id and not c.is_subject
          and not exists (select 1 from component_link l where l.sbom_id = c.sbom_id and l.idx = c.idx and l.${followed})
          and r.depth < ${options.maxDepth}
    )
    select organisation_id, min(distance) as distance, bool_or(documented) as documented from related
    where organisation_id <> ${organisationId} group by organisation_id order by min(distance), organisation_id`.execute(db);
  const customers = await sql<{ organisation_id: number; distance: number; documented: boolean }>`
    with recursive up(sbom_id, depth, documented) as (
      select id, 0, true from sbom where organisation_id = ${organisationId}
      union
      -- documents that list this vendor's products although it published no SBOM of them: they wait on it
      select c.sbom_id, 1, false from component c join sbom s on s.id = c.sbom_id
        where c.supplier_id = ${organisationId} and s.organisation_id is distinct from ${organisationId} and not c.is_subject
          and not exists (select 1 from component_link l where l.sbom_id = c.sbom_id and l.idx = c.idx and l.${followed})
      union
      select l.sbom_id, u.depth + 1, u.documented from up u join component_link l on l.target_sbom_id = u.sbom_id and l.${followed}
        where u.depth < ${options.maxDepth}
    )
    select s.organisation_id, min(u.depth) as distance, bool_or(u.documented) as documented
    from up u join sbom s on s.id = u.sbom_id
    where u.depth > 0 and s.organisation_id is not null and s.organisation_id <> ${organisationId}
    group by s.organisation_id order by min(u.depth), s.organisation_id`.execute(db);
  const toRelation = (r: { organisation_id: number; distance: number; documented: boolean }): VendorRelation => ({
    organisationId: Number(r.organisation_id),
    distance: Number(r.distance),
    documented: r.documented,
  });
  return { suppliers: suppliers.rows.map(toRelation), customers: customers.rows.map(toRelation) };
}
