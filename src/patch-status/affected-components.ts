/**
 * @module
 * Which stored components a vulnerability's statements are about (issue 4, "Matching a vulnerability to
 * components"). A statement names a product by purl, CPE, vendor and name, or as a stack of the catalogue; it is
 * matched to components by the same identities (purl without version, CPE product, supplier + name, and every
 * component the catalogue recognises as that stack, aliases and rebrand names included), then by version:
 * - exact versions (`version`, `versions`) compare as versions (src/chains/version-order.ts: `V2.1` = `2.1`);
 * - ranges (`introduced` inclusive, `fixed` exclusive, `lastAffected` inclusive) in the generic version order,
 *   which agrees with semver on release versions; `vers:*` covers every version;
 * - a statement with neither covers every version of the product;
 * - a range that cannot be read, or a component that states no version, gives `unknown`: never silently dropped.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { AffectedRange, VexStatus } from '../model/advisory.js';
import { listSubjectsOfSboms, type ComponentKey } from '../store/component.repository.js';
import type { LinkChoice } from '../chains/resolve-chains.js';
import { productsAbove, type ExposedProduct } from '../chains/stack-exposure.js';
import type { VexStatementRecord } from '../store/vulnerability.repository.js';
import { compareVersions, isVersionInRange } from '../chains/version-order.js';

/** How a statement's versions cover a component's version. */
export type VersionMatch = 'exact' | 'range' | 'all-versions' | 'unknown';

export interface ComponentStatement {
  advisoryId: number;
  seq: number;
  status: VexStatus;
  versionMatch: VersionMatch;
  /** The identity the component was found by. */
  matchedBy: 'purl' | 'cpe' | 'vendor-name' | 'stack';
}

export interface StatedComponent {
  component: ComponentKey;
  /** The component's version as its document states it. */
  version?: string;
  statements: ComponentStatement[];
}

interface Candidate {
  advisory_id: number;
  seq: number;
  sbom_id: number;
  idx: number;
  version: string | null;
  supplier_id: number | null;
  how: ComponentStatement['matchedBy'];
}

/** A component found by a statement's product identity, whatever its version. */
export interface IdentityMatch {
  component: ComponentKey;
  version?: string;
  /** The component's supplier, as its document names it. */
  supplierId?: number;
  /** Each statement whose product the component is, with how its versions cover the component's (undefined: not at all). */
  statements: (Omit<ComponentStatement, 'versionMatch'> & { versionMatch?: VersionMatch })[];
}

/**
 * Every stored component one of `statements` covers, with the statements that cover it (document order), in
 * (SBOM, position) order. Statements whose version range excludes the component are left out.
 */
export async function componentsOfStatements(db: Kysely<Database>, statements: VexStatementRecord[]): Promise<StatedComponent[]> {
  return (await identityMatches(db, statements))
    .map((m) => ({ ...m, statements: m.statements.filter((st): st is ComponentStatement => st.versionMatch !== undefined) }))
    .filter((m) => m.statements.length > 0);
}

/**
 * Every stored component that is the product one of `statements` names (by purl, CPE, vendor and name, or as a
 * catalogue stack), at any version: patch status needs the versions a statement does not cover too (the fixed ones).
 */
export async function identityMatches(db: Kysely<Database>, statements: VexStatementRecord[]): Promise<IdentityMatch[]> {
  if (!statements.length) return [];
  const s = statements.map((st) => ({ advisory_id: st.advisoryId, seq: st.seq, purl_product: st.purlProduct ?? null, cpe_product: st.cpeProduct ?? null, vendor_id: st.vendorId ?? null, name_key: st.nameKey ?? null }));
  const unnested = sql`unnest(${s.map((r) => r.advisory_id)}::bigint[], ${s.map((r) => r.seq)}::int[], ${s.map((r) => r.purl_product)}::text[],
      ${s.map((r) => (r.cpe_product ? `cpe:2.3:${r.cpe_product}:` : null))}::text[], ${s.map((r) => (r.cpe_product ? `cpe:2.3:${r.cpe_product};` : null))}::text[],
      ${s.map((r) => r.vendor_id)}::bigint[], ${s.map((r) => r.name_key)}::text[]) as s(advisory_id, seq, purl_product, cpe_from, cpe_to, vendor_id, name_key)`;
  // One index range per CPE product, as literals: a join on ranges read from an array is planned as a scan of every component.
  const cpeProducts = [...new Set(s.map((r) => r.cpe_product).filter((p): p is string => p !== null))];
  const cpeRanges = cpeProducts.length ? sql.join(cpeProducts.map((p) => sql`(c.cpe >= ${`cpe:2.3:${p}:`} and c.cpe < ${`cpe:2.3:${p};`})`), sql` or `) : sql`false`;
  const candidates = await sql<Candidate>`
    with s as (select * from ${unnested}),
    stacks as (
      -- the catalogue stacks each statement's product is (by purl, CPE product or name)
      select distinct s.advisory_id, s.seq, si.stack_id from s join stack_identifier si on
        (si.kind = 'purl' and si.value = s.purl_product) or (si.kind = 'cpe' and si.value = substr(s.cpe_from, 9, length(s.cpe_from) - 9))
        or (si.kind = 'name' and si.value = s.name_key)
    )
    select s.advisory_id, s.seq, c.sbom_id, c.idx, coalesce(c.version, c.purl_version) as version, c.supplier_id, 'purl' as how
      from s join component c on split_part(c.purl_key, '@', 1) = s.purl_product and c.purl_key is not null
    union all
    select s.advisory_id, s.seq, c.sbom_id, c.idx, coalesce(c.version, c.purl_version), c.supplier_id, 'cpe'
      from (select * from component c where ${cpeRanges}) c join s on c.cpe >= s.cpe_from and c.cpe < s.cpe_to
    union all
    select s.advisory_id, s.seq, c.sbom_id, c.idx, coalesce(c.version, c.purl_version), c.supplier_id, 'vendor-name'
      from s join component c on c.supplier_id = s.vendor_id and lower(c.name) = s.name_key
    union all
    select st.advisory_id, st.seq, c.sbom_id, c.idx, coalesce(c.version, c.purl_version), c.supplier_id, 'stack'
      from stacks st join component_stack cs on cs.stack_id = st.stack_id join component c on c.sbom_id = cs.sbom_id and c.idx = cs.idx`.execute(db);

  const bySeq = new Map(statements.map((st) => [`${st.advisoryId}:${st.seq}`, st]));
  const strength = { purl: 0, cpe: 1, 'vendor-name': 2, stack: 3 } as const;
  const found = new Map<string, IdentityMatch & { seen: Map<string, IdentityMatch['statements'][number]> }>();
  for (const c of candidates.rows) {
    const st = bySeq.get(`${Number(c.advisory_id)}:${c.seq}`)!;
    const versionMatch = coverage(st, c.version ?? undefined);
    const key = `${Number(c.sbom_id)}:${c.idx}`;
    let entry = found.get(key);
    if (!entry) {
      entry = { component: { sbomId: Number(c.sbom_id), index: c.idx }, statements: [], seen: new Map() };
      if (c.version !== null) entry.version = c.version;
      if (c.supplier_id !== null) entry.supplierId = Number(c.supplier_id);
      found.set(key, entry);
    }
    const statementKey = `${st.advisoryId}:${st.seq}`;
    const previous = entry.seen.get(statementKey);
    // One component found by several identities for one statement: keep the strongest.
    if (previous && strength[previous.matchedBy] <= strength[c.how]) continue;
    entry.seen.set(statementKey, { advisoryId: st.advisoryId, seq: st.seq, status: st.status, matchedBy: c.how, ...(versionMatch === undefined ? {} : { versionMatch }) });
  }
  return [...found.values()]
    .map(({ seen, ...e }) => ({ ...e, statements: [...seen.values()].sort((a, b) => a.advisoryId - b.advisoryId || a.seq - b.seq) }))
    .sort((a, b) => a.component.sbomId - b.component.sbomId || a.component.index - b.component.index);
}

/** How the statement covers `version`; undefined when it does not. */
export function coverage(st: Pick<VexStatementRecord, 'version' | 'versions' | 'ranges'>, version: string | undefined): VersionMatch | undefined {
  const exact = [...(st.version ? [st.version] : []), ...st.versions];
  const ranges = st.ranges;
  if (!exact.length && !ranges.length) return 'all-versions';
  if (version === undefined) return 'unknown';
  if (exact.some((v) => compareVersions(v, version) === 0)) return 'exact';
  let unreadable = false;
  for (const r of ranges) {
    const read = readRange(r);
    if (read === 'all') return 'all-versions';
    if (read === 'unreadable') unreadable = true;
    else if (isVersionInRange(version, read)) return 'range';
  }
  return unreadable ? 'unknown' : undefined;
}

function readRange(r: AffectedRange): { introduced?: string; fixed?: string; lastAffected?: string } | 'all' | 'unreadable' {
  if (r.introduced !== undefined || r.fixed !== undefined || r.lastAffected !== undefined) {
    // OSV writes introduced "0" for "from the beginning".
    return { ...(r.introduced && r.introduced !== '0' ? { introduced: r.introduced } : {}), ...(r.fixed ? { fixed: r.fixed } : {}), ...(r.lastAffected ? { lastAffected: r.lastAffected } : {}) };
  }
  if (r.vers !== undefined && /^\s*(vers:[^/]+\/)?\s*\*\s*$/i.test(r.vers)) return 'all';
  return 'unreadable';
}

/**
 * Product versions that carry, at any tier, a component an `affected` statement covers: the vulnerability's reach
 * through the vendor chains, nearest first.
 */
export async function productsReached(db: Kysely<Database>, stated: StatedComponent[], options: { maxDepth: number; choice: LinkChoice }): Promise<ExposedProduct[]> {
  const affected = stated.filter((c) => c.statements.some((st) => st.status === 'affected'));
  const subjects = await listSubjectsOfSboms(db, [...new Set(affected.map((c) => c.component.sbomId))]);
  const isSubject = new Set(subjects.flat().map((c) => `${c.sbomId}:${c.index}`));
  const direct = affected.map((c) => ({ sbom_id: c.component.sbomId, is_subject: isSubject.has(`${c.component.sbomId}:${c.component.index}`), version: c.version ?? null }));
  return productsAbove(db, direct, options);
}
