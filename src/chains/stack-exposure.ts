/**
 * @module
 * Stack exposure: which product versions, at any tier, contain a TCP/IP stack (optionally at versions in a
 * range), and how deep. The walk goes up the stitched links from every document that lists the stack, in one
 * recursive query; `union` keeps one row per (document, depth, stack version), so diamonds and cycles cannot
 * make it grow beyond documents x depth.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { LinkChoice } from './resolve-chains.js';
import { compareVersions, isVersionInRange, type VersionRange } from './version-order.js';

export interface ExposureQuery {
  stackIds: number[];
  versions?: VersionRange;
  maxDepth: number;
  choice: LinkChoice;
}

export interface ExposedProduct {
  sbomId: number;
  /**
   * Tiers between the product and the stack: 0 for the stack's own SBOM, 1 for a document that lists the stack,
   * one more for each document above.
   */
  depth: number;
  /** The stack versions that reach it, in version order. */
  stackVersions: string[];
}

export interface ExposureResult {
  products: ExposedProduct[];
  /** Stack components found, before the walk up (after the version filter). */
  stackComponents: number;
}

export async function stackExposure(db: Kysely<Database>, q: ExposureQuery): Promise<ExposureResult> {
  if (!q.stackIds.length) return { products: [], stackComponents: 0 };
  const found = await db
    .selectFrom('component_stack as cs')
    .innerJoin('component as c', (j) => j.onRef('c.sbom_id', '=', 'cs.sbom_id').onRef('c.idx', '=', 'cs.idx'))
    .select(['cs.sbom_id', 'cs.idx', 'c.is_subject', sql<string | null>`coalesce(c.version, c.purl_version)`.as('version')])
    .where(sql<boolean>`cs.stack_id = any(${q.stackIds}::bigint[])`)
    .execute();
  const direct = found.filter((r) => !q.versions || (r.version !== null && isVersionInRange(r.version, q.versions)));
  return { stackComponents: direct.length, products: await productsAbove(db, direct, q) };
}

/**
 * The product versions that carry any of `direct` (components, each with its version) at any tier, nearest first:
 * the walk goes up the stitched links from the documents that list them, in one recursive query; `union` keeps one
 * row per (document, depth, version), so diamonds and cycles cannot make it grow beyond documents x depth.
 */
export async function productsAbove(
  db: Kysely<Database>,
  direct: { sbom_id: number; is_subject: boolean; version: string | null }[],
  q: { maxDepth: number; choice: LinkChoice },
): Promise<ExposedProduct[]> {
  if (!direct.length) return [];
  const followed = sql.raw(q.choice === 'latest' ? 'latest' : 'pinned');
  const rows = await sql<{ sbom_id: number; depth: number; versions: (string | null)[] }>`
    with recursive up(sbom_id, depth, version) as (
      select d.sbom_id, case when d.is_subject then 0 else 1 end, d.version
        from unnest(${direct.map((d) => d.sbom_id)}::bigint[], ${direct.map((d) => d.is_subject)}::boolean[], ${direct.map((d) => d.version)}::text[])
          as d(sbom_id, is_subject, version)
      union
      select l.sbom_id, u.depth + 1, u.version
        from up u join component_link l on l.target_sbom_id = u.sbom_id and l.${followed}
        where u.depth < ${q.maxDepth}
    )
    select sbom_id, min(depth) as depth, array_agg(distinct version) as versions from up group by sbom_id
    order by min(depth), sbom_id`.execute(db);
  return rows.rows.map((r) => ({
    sbomId: Number(r.sbom_id),
    depth: Number(r.depth),
    stackVersions: r.versions.filter((v): v is string => v !== null).sort(compareVersions),
  }));
}
