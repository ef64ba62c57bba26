/**
 * @module
 * Which vulnerabilities concern a set of product versions, before any chain is resolved: the ones some statement
 * names a product for that lies anywhere below them (by purl, CPE, vendor and name, or as a catalogue stack), and
 * the ones filed against a catalogue stack. Patch status is then worked out per vulnerability.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';

type Db = Kysely<Database>;

/**
 * Ids of the vulnerabilities whose statements name a product found in the documents below `rootSbomIds`
 * (the roots' own documents included), in id order. `from` picks how (both give the same answer; the default picks
 * by the number of roots, see {@link MANY_ROOTS}).
 */
export async function vulnerabilitiesBelow(db: Db, rootSbomIds: number[], maxDepth: number, options: { from?: 'documents' | 'statements' } = {}): Promise<string[]> {
  if (!rootSbomIds.length) return [];
  const from = options.from ?? (rootSbomIds.length > MANY_ROOTS ? 'statements' : 'documents');
  const rows = await sql<{ vulnerability_id: string }>`
    with recursive down(sbom_id, depth) as (
      select r, 0 from unnest(${rootSbomIds}::bigint[]) as r
      union
      select l.target_sbom_id, d.depth + 1 from down d join component_link l on l.sbom_id = d.sbom_id and l.pinned
      where d.depth < ${maxDepth}
    ),
    docs as (select distinct sbom_id from down),
    stacks as (select distinct cs.stack_id from component_stack cs where cs.sbom_id in (select sbom_id from docs)),
    ${from === 'statements' ? NAMED_FROM_STATEMENTS : NAMED_FROM_DOCUMENTS}
    union select vulnerability_id from vex_statement s where ${statementNamesStack(sql`(select stack_id from stacks)`)}
    order by 1`.execute(db);
  return rows.rows.map((r) => r.vulnerability_id);
}

/**
 * Above this many roots (a scorecard of every vendor), the documents below them hold most components, and listing
 * their products costs more than going the other way: from the few statements to the components they name, through
 * the component indexes (purl product, supplier), keeping those in the documents below. Same answer, 2.3 s -> 0.4 s
 * on the benchmark world's 20,000 SBOMs.
 */
const MANY_ROOTS = 500;

/** Statements naming a product of the documents below, from the documents' products (few roots). */
const NAMED_FROM_DOCUMENTS = sql`
    products as (
      select distinct split_part(c.purl_key, '@', 1) as purl_product, split_part(c.cpe, ':', 3) || ':' || split_part(c.cpe, ':', 4) || ':' || split_part(c.cpe, ':', 5) as cpe_product,
        c.supplier_id, lower(c.name) as name_key
      from component c where c.sbom_id in (select sbom_id from docs)
    )
    select distinct s.vulnerability_id from vex_statement s join products p on s.purl_product = p.purl_product
    union select distinct s.vulnerability_id from vex_statement s join products p on s.cpe_product = p.cpe_product
    union select distinct s.vulnerability_id from vex_statement s join products p on s.vendor_id = p.supplier_id and s.name_key = p.name_key`;

/** The same, from the statements' products to the components they name (many roots). */
const NAMED_FROM_STATEMENTS = sql`
    named as (
      select s.vulnerability_id, c.sbom_id from vex_statement s
        join component c on split_part(c.purl_key, '@', 1) = s.purl_product and c.purl_key is not null
      union all
      select s.vulnerability_id, c.sbom_id from vex_statement s
        join component c on split_part(c.cpe, ':', 3) || ':' || split_part(c.cpe, ':', 4) || ':' || split_part(c.cpe, ':', 5) = s.cpe_product and c.cpe is not null
      union all
      select s.vulnerability_id, c.sbom_id from vex_statement s join component c on c.supplier_id = s.vendor_id and lower(c.name) = s.name_key
    )
    select distinct vulnerability_id from named where sbom_id in (select sbom_id from docs)`;

/** Ids of the vulnerabilities some statement files against one of these catalogue stacks, in id order. */
export async function vulnerabilitiesOfStacks(db: Db, stackIds: number[]): Promise<string[]> {
  if (!stackIds.length) return [];
  const rows = await sql<{ vulnerability_id: string }>`
    select distinct vulnerability_id from vex_statement s where ${statementNamesStack(sql`(select unnest(${stackIds}::bigint[]))`)} order by 1`.execute(db);
  return rows.rows.map((r) => r.vulnerability_id);
}

/** A statement whose product is a catalogue stack of `stackIds` (by purl, CPE product or name, as components are). */
function statementNamesStack(stackIds: RawBuilder<unknown>) {
  return sql<boolean>`exists (select 1 from stack_identifier si where si.stack_id in ${stackIds} and (
    (si.kind = 'purl' and si.value = s.purl_product) or (si.kind = 'cpe' and si.value = s.cpe_product) or (si.kind = 'name' and si.value = s.name_key)))`;
}
