/**
 * @module
 * Chain resolution (DOMAIN.md "Vendor chain"): from one product version down to every TCP/IP stack in it (or to
 * the components a filter picks), across the documents of every vendor on the way. The walk is one recursive
 * query over the stitched links (src/chains/link-sbom.ts), in the database, on PGlite and PostgreSQL alike:
 * a path array guards against cycles, a depth limit cuts what goes deeper, and diamonds give one chain per path.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, LinkRule } from '../db/database.js';
import type { StoredComponent } from '../model/sbom-record.js';
import { componentFilterSql, findComponents, findSubjectIndexes, type ComponentFilter, type ComponentKey } from '../store/component.repository.js';

type Db = Kysely<Database>;

/** How a chain steps from one tier to the next. */
export type ChainRule = 'ROOT' | LinkRule | 'IN_DOCUMENT';

/** Which link a walk follows out of a component: the version the document pins, or the product's latest. */
export type LinkChoice = 'pinned' | 'latest';

export const DEFAULT_MAX_DEPTH = 10;
/** Beyond this a walk is refused: a chain of 50 documents is a data error, and paths grow with each level. */
export const MAX_DEPTH_LIMIT = 50;

export type ChainTarget =
  | { kind: 'stacks'; stackIds?: number[] }
  | { kind: 'components'; filter: ComponentFilter }
  /** Exactly these components (the vulnerable ones of a vulnerability, src/patch-status/). */
  | { kind: 'keys'; keys: ComponentKey[] };

export interface ChainQuery {
  rootSbomId: number;
  maxDepth?: number;
  choice?: LinkChoice;
  target?: ChainTarget;
  /** Only documents among these are entered (those known to lead to a target): a walk that skips dead ends. */
  within?: number[];
}

/** One tier of a chain: a product, who supplies it, which document describes it, and how it was reached. */
export interface ChainStep {
  /** The component as the document above lists it (for the root: the subject of the root document). */
  component: ComponentKey;
  /** The document that describes this product (the vendor's own SBOM), when there is one. */
  sbomId?: number;
  /** The document that lists it (absent for the root). */
  assertedBy?: number;
  rule: ChainRule;
}

export interface Chain {
  steps: ChainStep[];
  /** The component found: a stack, or what the filter picked. */
  target: ComponentKey;
  /** The catalogue stack the target was recognised as (stack targets). */
  stackId?: number;
  /** Documents crossed below the root. */
  depth: number;
  /** The target's own SBOM, when the walk stopped at the depth limit before entering it. */
  targetSbomId?: number;
}

/** A path of documents that the walk stopped on: a cycle (the last document is already on the path) or the depth limit. */
export interface ChainPath {
  sbomIds: number[];
  /** The components followed from each document to the next (one fewer than sbomIds). */
  via: ComponentKey[];
  rules: LinkRule[];
}

export interface ChainResult {
  rootSbomId: number;
  maxDepth: number;
  choice: LinkChoice;
  chains: Chain[];
  cycles: ChainPath[];
  /** Paths cut at maxDepth that go on below it. */
  cut: ChainPath[];
  /** Every document the walk reached, root first. */
  sbomIds: number[];
}

interface WalkRow {
  sbom_id: number;
  depth: number;
  path: number[];
  via: number[];
  rules: LinkRule[];
  cycle: boolean;
  cut: boolean;
  target_idx: number | null;
  stack_id: number | null;
  described_by: number | null;
}

/**
 * Resolves every chain from `rootSbomId`. One query walks and finds targets; one more reads the in-document
 * parents of targets nested in the last document (CycloneDX nesting), which are tiers too.
 */
export async function resolveChains(db: Db, query: ChainQuery): Promise<ChainResult> {
  const { rootSbomId, ...rest } = query;
  return (await resolveChainsFrom(db, { ...rest, rootSbomIds: [rootSbomId] })).get(rootSbomId)!;
}

/** `resolveChains` for many roots in one walk (an operator's devices, a vulnerability's products): one result per root. */
export async function resolveChainsFrom(db: Db, query: Omit<ChainQuery, 'rootSbomId'> & { rootSbomIds: number[] }): Promise<Map<number, ChainResult>> {
  const maxDepth = query.maxDepth ?? DEFAULT_MAX_DEPTH;
  const choice = query.choice ?? 'pinned';
  const target = query.target ?? { kind: 'stacks' };
  const roots = [...new Set(query.rootSbomIds)];
  const results = new Map<number, ChainResult & { seenPaths: Set<string>; reached: Set<number> }>();
  for (const root of roots) results.set(root, { rootSbomId: root, maxDepth, choice, chains: [], cycles: [], cut: [], sbomIds: [], seenPaths: new Set(), reached: new Set([root]) });
  if (!roots.length || (target.kind === 'keys' && !target.keys.length)) return finish(results);
  const rows = await walk(db, roots, maxDepth, choice, target, query.within);
  const subjects = await findSubjectIndexes(db, [...new Set([...rows.map((r) => r.sbom_id), ...roots])]);

  for (const r of rows) {
    const result = results.get(r.path[0]!)!;
    result.reached.add(r.sbom_id);
    const path: ChainPath = { sbomIds: r.path, via: r.via.map((index, k) => ({ sbomId: r.path[k]!, index })), rules: r.rules };
    const pathKey = `${r.path.join('/')}|${r.via.join('/')}`;
    const firstTime = !result.seenPaths.has(pathKey);
    result.seenPaths.add(pathKey);
    if (r.cycle) {
      if (firstTime) result.cycles.push(path);
      continue;
    }
    if (r.cut && firstTime) result.cut.push(path);
    if (r.target_idx === null) continue;
    const steps: ChainStep[] = [{ component: { sbomId: r.path[0]!, index: subjects.get(r.path[0]!) ?? 0 }, sbomId: r.path[0]!, rule: 'ROOT' }];
    for (let k = 1; k < r.path.length; k++) {
      steps.push({ component: path.via[k - 1]!, sbomId: r.path[k]!, assertedBy: r.path[k - 1]!, rule: r.rules[k - 1]! });
    }
    const chain: Chain = { steps, target: { sbomId: r.sbom_id, index: r.target_idx }, stackId: r.stack_id ?? undefined, depth: r.depth };
    if (r.described_by !== null) chain.targetSbomId = r.described_by;
    result.chains.push(chain);
  }
  const all = [...results.values()].flatMap((r) => r.chains);
  await addInDocumentTiers(db, all.filter((c) => subjects.get(c.target.sbomId) !== c.target.index));
  return finish(results);
}

function finish(results: Map<number, ChainResult & { seenPaths: Set<string>; reached: Set<number> }>): Map<number, ChainResult> {
  const out = new Map<number, ChainResult>();
  for (const [root, { seenPaths: _seen, reached, ...r }] of results) out.set(root, { ...r, sbomIds: [...reached] });
  return out;
}

async function walk(db: Db, roots: number[], maxDepth: number, choice: LinkChoice, target: ChainTarget, within?: number[]): Promise<WalkRow[]> {
  const followed = sql.raw(choice === 'latest' ? 'latest' : 'pinned');
  const targets: RawBuilder<unknown> =
    target.kind === 'stacks'
      ? sql`select cs.idx, cs.stack_id from component_stack cs
             where cs.sbom_id = w.sbom_id ${target.stackIds ? sql`and cs.stack_id = any(${target.stackIds}::bigint[])` : sql``}`
      : target.kind === 'keys'
        ? sql`select k.idx, null::bigint as stack_id from keyset k where k.sbom_id = w.sbom_id`
        : sql`select c.idx, null::bigint as stack_id from component c where c.sbom_id = w.sbom_id and ${componentFilterSql(target.filter, 'c')}`;
  const result = await sql<WalkRow>`
    with recursive walk(sbom_id, depth, path, via, rules, cycle) as (
      select r, 0, array[r], array[]::int[], array[]::text[], false from unnest(${roots}::bigint[]) as r
      union all
      select l.target_sbom_id, w.depth + 1, w.path || l.target_sbom_id, w.via || l.idx, w.rules || l.rule, l.target_sbom_id = any(w.path)
      from walk w join ${
        within
          ? // The links of each document by index, then the filter: planned as a join, the long list made it scan every link.
            sql`lateral (select * from component_link l where l.sbom_id = w.sbom_id and l.${followed} offset 0) l on l.target_sbom_id = any(${within}::bigint[])`
          : sql`component_link l on l.sbom_id = w.sbom_id and l.${followed}`
      }
      where not w.cycle and w.depth < ${maxDepth}
    )${
      // Keys are narrowed to the documents walked first (a hash join), so that each walk row scans only a few.
      target.kind === 'keys'
        ? sql`, keyset as materialized (
      select k.sbom_id, k.idx from unnest(${target.keys.map((k) => k.sbomId)}::bigint[], ${target.keys.map((k) => k.index)}::int[]) as k(sbom_id, idx)
      where k.sbom_id in (select sbom_id from walk))`
        : sql``
    }
    select w.sbom_id, w.depth, w.path, w.via, w.rules, w.cycle,
      (not w.cycle and w.depth = ${maxDepth} and exists (select 1 from component_link l where l.sbom_id = w.sbom_id and l.${followed})) as cut,
      t.idx as target_idx, t.stack_id, t.described_by
    from walk w
    left join lateral (
      select found.*, (select l.target_sbom_id from component_link l where l.sbom_id = w.sbom_id and l.idx = found.idx and l.${followed} limit 1) as described_by
      from (${targets}) found
      -- A target the walk follows into its own document is found there (as that document's subject), not here,
      -- unless the walk stops at this depth.
      where not w.cycle and (w.depth = ${maxDepth} or not exists (
        select 1 from component_link l where l.sbom_id = w.sbom_id and l.idx = found.idx and l.${followed}))
    ) t on true
    order by w.depth, w.path, t.idx, t.stack_id`.execute(db);
  return result.rows.map((r) => ({
    ...r,
    sbom_id: Number(r.sbom_id),
    path: r.path.map(Number),
    stack_id: r.stack_id === null ? null : Number(r.stack_id),
    described_by: r.described_by === null ? null : Number(r.described_by),
  }));
}

/**
 * A target nested inside other components of its document (CycloneDX nesting: a board SBOM that lists a Wi-Fi
 * module and, inside it, the module's stack) passes through those components: they are tiers of the chain, with
 * the vendor the document names for them, reached IN_DOCUMENT; then the target itself. `nested` are the chains
 * whose target is not the subject of its document (that one is the last step already).
 */
async function addInDocumentTiers(db: Db, nested: Chain[]): Promise<void> {
  if (!nested.length) return;
  const keys = nested.map((c) => c.target);
  const rows = await sql<{ sbom_id: number; target_idx: number; idx: number; depth: number; is_subject: boolean }>`
    with recursive up(sbom_id, target_idx, idx, depth, is_subject) as (
      select c.sbom_id, c.idx, c.parent_idx, 1, false from component c
        where (c.sbom_id, c.idx) in (select * from unnest(${keys.map((k) => k.sbomId)}::bigint[], ${keys.map((k) => k.index)}::int[]))
          and c.parent_idx is not null
      union all
      select p.sbom_id, up.target_idx, p.parent_idx, up.depth + 1, p.is_subject
        from up join component p on p.sbom_id = up.sbom_id and p.idx = up.idx
        where p.parent_idx is not null and up.depth < 64
    )
    select up.sbom_id, up.target_idx, up.idx, up.depth, c.is_subject from up join component c on c.sbom_id = up.sbom_id and c.idx = up.idx
    order by up.sbom_id, up.target_idx, up.depth desc`.execute(db);
  const ancestors = new Map<string, number[]>();
  for (const r of rows.rows) {
    if (r.is_subject) continue;
    const key = `${Number(r.sbom_id)}:${r.target_idx}`;
    const list = ancestors.get(key) ?? [];
    list.push(r.idx);
    ancestors.set(key, list);
  }
  for (const chain of nested) {
    const last = chain.steps.at(-1)!;
    for (const index of ancestors.get(`${chain.target.sbomId}:${chain.target.index}`) ?? []) {
      chain.steps.push({ component: { sbomId: chain.target.sbomId, index }, assertedBy: last.sbomId, rule: 'IN_DOCUMENT' });
    }
    chain.steps.push({ component: chain.target, assertedBy: last.sbomId, rule: 'IN_DOCUMENT', ...(chain.targetSbomId === undefined ? {} : { sbomId: chain.targetSbomId }) });
  }
}

/** The components of many chain steps at once, for display (CLI) or checks. */
export async function loadChainComponents(db: Db, result: ChainResult): Promise<Map<string, StoredComponent>> {
  const keys = new Map<string, ComponentKey>();
  for (const chain of result.chains) for (const s of chain.steps) keys.set(`${s.component.sbomId}:${s.component.index}`, s.component);
  const found = await findComponents(db, [...keys.values()]);
  const out = new Map<string, StoredComponent>();
  for (const c of found) if (c) out.set(`${c.sbomId}:${c.index}`, c);
  return out;
}
