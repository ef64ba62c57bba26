/**
 * @module
 * Patch propagation (DOMAIN.md "Patch propagation"): for one vulnerability and a set of product versions (an
 * operator's devices, a vendor's products, or every product that carries it), every chain down to a vulnerable
 * component with the state of each hop, where it is stuck and for how long.
 *
 * What is gathered, in a fixed number of queries whatever the number of chains:
 * - the statements about the vulnerability, with publisher and date, and every stored component that is a product
 *   they name (src/patch-status/affected-components.ts). A component is *vulnerable* when the statement that
 *   decides about it (src/patch-status/hop-state.ts) says affected, *fixed* when a statement names its product
 *   but none that decides calls its version affected;
 * - which of the roots carry a vulnerable component, or only fixed ones, below them (one walk down the links);
 * - the chains from each carrying root to its vulnerable components (src/chains/resolve-chains.ts);
 * - for every hop, the newer versions of its product (by purl, CPE or vendor and name), and whether each carries
 *   the fix (a second walk), with the date each was first seen (its SBOM's creation date), plus versions that
 *   statements call fixed or unaffected, and the bound of an affected range (`< 6.0.1.66`), read as the first fix.
 * The states themselves are decided in src/patch-status/hop-state.ts. Time comes from `now`, never the system clock.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { DEFAULT_MAX_DEPTH, resolveChainsFrom, type Chain, type ChainRule } from '../chains/resolve-chains.js';
import { compareVersions, versionSortKey } from '../chains/version-order.js';
import type { StoredComponent } from '../model/sbom-record.js';
import { findComponents, purlProduct, type ComponentKey } from '../store/component.repository.js';
import type { StatementEvidence, VulnerabilityRecord } from '../store/vulnerability.repository.js';
import type { IdentityMatch } from './affected-components.js';
import { componentKey, statementKey, vulnerabilityReach, type VulnerabilityReach } from './vulnerability-reach.js';
import { dataVersion, VersionedCache } from './data-version.js';
import { chainStatus, decideHops, stuckHop, type ChainPatchStatus, type FixRelease, type HopDecision, type HopFacts } from './hop-state.js';

type Db = Kysely<Database>;

export interface PatchHop {
  /** 0 = the vulnerable component; the top hop is the root product. */
  k: number;
  /** The product as the document above lists it (for the root: its own subject). */
  component: ComponentKey;
  name: string;
  version?: string;
  vendorId?: number;
  /** The hop's own SBOM of this version, when its vendor published one. */
  sbomId?: number;
  /** The document that lists it (absent for the root). */
  assertedBy?: number;
  rule: ChainRule;
  decision: HopDecision<StatementEvidence>;
  /** Every statement about this product version, the deciding one included: conflicts are shown, not hidden. */
  statements: StatementEvidence[];
}

export interface PatchChain {
  rootSbomId: number;
  /** Hop 0 (the vulnerable component) first, the root product last. */
  hops: PatchHop[];
  status: ChainPatchStatus;
  stuck?: { hop: number; since?: Date; days?: number };
  /** Documents crossed below the root. */
  depth: number;
}

/** What one root product version means for the vulnerability. */
export interface RootPatchStatus {
  rootSbomId: number;
  /** A vulnerable component is below it (then `chains` lists the ways down). */
  carriesVulnerable: boolean;
  /** Only fixed versions are below it: this version has the fix. */
  carriesFix: boolean;
  chains: PatchChain[];
}

export interface PropagationQuery {
  vulnerability: VulnerabilityRecord;
  /** The product versions (SBOM ids) asked about. */
  rootSbomIds: number[];
  now: Date;
  maxDepth?: number;
  /** The vulnerability's reach at `maxDepth`, when the caller has it already: it is the costliest step, and the same. */
  reach?: VulnerabilityReach;
}

export async function patchPropagation(db: Db, q: PropagationQuery): Promise<Map<number, RootPatchStatus>> {
  const maxDepth = q.maxDepth ?? DEFAULT_MAX_DEPTH;
  const facts = q.reach ?? (await vulnerabilityReach(db, q.vulnerability, maxDepth));
  const roots = [...new Set(q.rootSbomIds)];
  const out = new Map<number, RootPatchStatus>();
  for (const r of roots) {
    const carriesVulnerable = facts.carrying.has(r);
    out.set(r, { rootSbomId: r, carriesVulnerable, carriesFix: !carriesVulnerable && facts.carryingFix.has(r), chains: [] });
  }
  const carrying = roots.filter((r) => facts.carrying.has(r));
  if (!carrying.length) return out;

  const { chains, hopsOf, newer } = await chainsOf(db, carrying, facts, maxDepth);
  const bySeq = new Map(facts.statements.map((s) => [statementKey(s), s]));
  // Hop 0's fixed versions as stored SBOMs carry them, with the date each was first seen. Many chains end at the same
  // component, and a fixed version is seen in many SBOMs: each hop's answer, and each version's comparison, is worked
  // out once (they were most of the time of a question over many vulnerabilities).
  const seenOf = new Map<string, { version: string; sbomId: number }[]>();
  const seenFixes = (h: Hop) => {
    if (h.version === undefined) return [];
    const hopKey = `${componentKey(h.component)}|${h.sbomId ?? ''}|${h.version}`;
    const known = seenOf.get(hopKey);
    if (known) return known;
    const found = new Map<string, { version: string; sbomId: number }>();
    const newer = new Map<string, boolean>();
    for (const st of namingStatements(h, facts.matches, bySeq).all) {
      for (const f of facts.fixedSeen.get(statementKey(st)) ?? []) {
        let isNewer = newer.get(f.version);
        if (isNewer === undefined) newer.set(f.version, (isNewer = compareVersions(f.version, h.version) > 0));
        if (isNewer) found.set(`${f.sbomId}:${f.version}`, f);
      }
    }
    const list = [...found.values()];
    seenOf.set(hopKey, list);
    return list;
  };
  const seenDates = await documentDates(db, [...new Set(hopsOf.flatMap((hops) => seenFixes(hops[0]!).map((f) => f.sbomId)))]);

  // Of the fixed versions seen in SBOMs, only the first seen can decide hop 0 (hop-state.ts takes the earliest fix).
  const firstSeen = new Map<string, FixRelease<StatementEvidence> | undefined>();
  const firstSeenFix = (h: Hop) => {
    const hopKey = `${componentKey(h.component)}|${h.sbomId ?? ''}|${h.version}`;
    if (!firstSeen.has(hopKey)) {
      let first: FixRelease<StatementEvidence> | undefined;
      for (const f of seenFixes(h)) {
        const date = seenDates.get(f.sbomId)!;
        if (first === undefined || date.getTime() < first.date.getTime()) first = { version: f.version, date, sbomId: f.sbomId };
      }
      firstSeen.set(hopKey, first);
    }
    return firstSeen.get(hopKey);
  };

  chains.forEach(({ root, chain }, i) => {
    const hops = hopsOf[i]!;
    const hopFacts: HopFacts<StatementEvidence>[] = hops.map((h, k) => {
      const naming = namingStatements(h, facts.matches, bySeq);
      const fixes: FixRelease<StatementEvidence>[] = [];
      for (const v of newer.get(tierKey(h)) ?? []) {
        if (facts.carryingFix.has(v.sbomId) && !facts.carrying.has(v.sbomId)) fixes.push({ version: v.version, date: v.createdAt, sbomId: v.sbomId });
      }
      if (h.version !== undefined) fixes.push(...statedFixes(naming.all, h.version));
      if (k === 0) {
        const seen = firstSeenFix(h);
        if (seen) fixes.push(seen);
      }
      return { vendorId: h.vendorId, hasOwnSbom: h.sbomId !== undefined, statements: naming.covering, fixes };
    });
    const decisions = decideHops(hopFacts, q.now);
    const patchHops: PatchHop[] = hops.map((h, k) => ({ ...h, k, decision: decisions[k]!, statements: namingStatements(h, facts.matches, bySeq).covering }));
    const stuck = stuckHop(decisions, q.now);
    const patchChain: PatchChain = { rootSbomId: root, hops: patchHops, status: chainStatus(decisions, q.now), depth: chain.depth };
    if (stuck) patchChain.stuck = stuck;
    out.get(root)!.chains.push(patchChain);
  });
  return out;
}

interface Chains {
  chains: { root: number; chain: Chain }[];
  hopsOf: Hop[][];
  newer: Map<string, { sbomId: number; version: string; createdAt: Date }[]>;
}

/**
 * Kept while the data is unchanged (data-version.ts): the chains depend only on the roots, the vulnerable components
 * and the documents carrying them, and vulnerabilities of one stack often share all three (Ripple20's nineteen CVEs
 * name the same Treck versions), so a question over many vulnerabilities walks each shape once. Read-only for callers.
 */
const chainShapes = new VersionedCache<Chains>(64);

/** The chains from `roots` down to the vulnerable components, their hops, and the newer versions of every hop. */
async function chainsOf(db: Db, roots: number[], facts: VulnerabilityReach, maxDepth: number): Promise<Chains> {
  const shape = createHash('sha256')
    .update(`${maxDepth}|${[...roots].sort((a, b) => a - b).join(',')}|${facts.vulnerable.map(componentKey).sort().join(',')}|${[...facts.carrying].sort((a, b) => a - b).join(',')}`)
    .digest('base64');
  return chainShapes.get(db, shape, await dataVersion(db), async () => {
    // The walk only enters documents that carry a vulnerable component.
    const walked = await resolveChainsFrom(db, { rootSbomIds: roots, maxDepth, target: { kind: 'keys', keys: facts.vulnerable }, within: [...facts.carrying] });
    const chains = [...walked.values()].flatMap((w) => originChains(w.chains).map((c) => ({ root: w.rootSbomId, chain: c })));
    const hopsOf = await buildHops(db, chains.map((c) => c.chain));
    const tiers = [...new Map(hopsOf.flat().map((h) => [tierKey(h), h])).values()];
    return { chains, hopsOf, newer: await newerVersions(db, tiers) };
  });
}

/**
 * A statement may call a product at any tier affected (a vendor's VEX for its board, a coordinator's advisory for a
 * device): that product is then a vulnerable component too. When another chain passes through it to a vulnerable
 * component further down, that chain says where the flaw is and how far its fix has come, so the shorter one is dropped.
 */
function originChains(chains: Chain[]): Chain[] {
  // A chain ends at a document's subject when its last step entered that document (not an in-document tier).
  const endsAtSubject = (c: Chain) => c.steps.at(-1)!.rule !== 'IN_DOCUMENT' && c.steps.at(-1)!.sbomId === c.target.sbomId;
  const passedComponents = new Set<string>();
  const passedDocuments = new Set<number>();
  for (const c of chains) {
    for (const s of c.steps) if (componentKey(s.component) !== componentKey(c.target)) passedComponents.add(componentKey(s.component));
    const through = endsAtSubject(c) ? c.steps.slice(0, -1) : c.steps;
    for (const s of through) if (s.sbomId !== undefined) passedDocuments.add(s.sbomId);
  }
  return chains.filter((c) => !passedComponents.has(componentKey(c.target)) && !(endsAtSubject(c) && passedDocuments.has(c.target.sbomId)));
}

type Hop = Omit<PatchHop, 'k' | 'decision' | 'statements'> & { identity: ProductIdentity; subject?: ComponentKey };

interface ProductIdentity {
  purlProduct?: string;
  cpeProduct?: string;
  supplierId?: number;
  nameKey: string;
}

/**
 * The hops of each chain, hop 0 first. Components the document above nests inside others (CycloneDX nesting) are
 * hops only when someone else supplies them: the vendor's own parts inside its product are not a crossing.
 */
async function buildHops(db: Db, chains: Chain[]): Promise<Hop[][]> {
  const keys = new Map<string, ComponentKey>();
  const sbomIds = new Set<number>();
  for (const chain of chains) {
    for (const s of chain.steps) {
      keys.set(componentKey(s.component), s.component);
      if (s.sbomId !== undefined) sbomIds.add(s.sbomId);
      if (s.assertedBy !== undefined) sbomIds.add(s.assertedBy);
    }
  }
  const subjects = await subjectsOf(db, [...sbomIds]);
  for (const s of subjects.values()) keys.set(componentKey(s.subject), s.subject);
  const components = new Map<string, StoredComponent>();
  for (const c of await findComponents(db, [...keys.values()])) if (c) components.set(componentKey({ sbomId: c.sbomId, index: c.index }), c);

  return chains.map((chain) => {
    const hops: Hop[] = [];
    chain.steps.forEach((step, i) => {
      const last = i === chain.steps.length - 1;
      const listed = components.get(componentKey(step.component));
      const own = step.sbomId === undefined ? undefined : subjects.get(step.sbomId);
      const asserting = step.assertedBy === undefined ? undefined : subjects.get(step.assertedBy);
      if (step.rule === 'IN_DOCUMENT' && !last && (listed?.supplierId === undefined || listed.supplierId === asserting?.vendorId)) return;
      const subjectComponent = own ? components.get(componentKey(own.subject)) : undefined;
      const shown = subjectComponent ?? listed;
      const hop: Hop = {
        component: step.component,
        name: shown?.name ?? '',
        rule: step.rule,
        identity: own?.identity ?? identityOf(listed),
      };
      const version = own?.version ?? listed?.version ?? versionOfPurl(listed?.purlKey);
      if (version !== undefined) hop.version = version;
      const vendorId = own?.vendorId ?? listed?.supplierId;
      if (vendorId !== undefined) hop.vendorId = vendorId;
      if (step.sbomId !== undefined) hop.sbomId = step.sbomId;
      if (step.assertedBy !== undefined) hop.assertedBy = step.assertedBy;
      if (own) hop.subject = own.subject;
      hops.push(hop);
    });
    return hops.reverse();
  });
}

function identityOf(c: StoredComponent | undefined): ProductIdentity {
  const id: ProductIdentity = { nameKey: (c?.name ?? '').toLowerCase() };
  if (c?.purlKey) id.purlProduct = purlProduct(c.purlKey);
  if (c?.cpe) id.cpeProduct = c.cpe.split(':').slice(2, 5).join(':');
  if (c?.supplierId !== undefined) id.supplierId = c.supplierId;
  return id;
}

function versionOfPurl(purlKey: string | undefined): string | undefined {
  const at = purlKey?.lastIndexOf('@') ?? -1;
  return at > 0 ? decodeURIComponent(purlKey!.slice(at + 1)) : undefined;
}

interface SubjectInfo {
  subject: ComponentKey;
  identity: ProductIdentity;
  version?: string;
  vendorId?: number;
}

async function subjectsOf(db: Db, sbomIds: number[]): Promise<Map<number, SubjectInfo>> {
  if (!sbomIds.length) return new Map();
  const rows = await db
    .selectFrom('sbom_subject as s')
    .innerJoin('sbom', 'sbom.id', 's.sbom_id')
    .select(['s.sbom_id', 's.idx', 's.purl_product', 's.cpe_product', 's.supplier_id', 's.name_key', 's.version', 'sbom.organisation_id'])
    .where(sql<boolean>`s.sbom_id = any(${sbomIds}::bigint[])`)
    .execute();
  return new Map(
    rows.map((r) => {
      const identity: ProductIdentity = { nameKey: r.name_key };
      if (r.purl_product) identity.purlProduct = r.purl_product;
      if (r.cpe_product) identity.cpeProduct = r.cpe_product;
      if (r.supplier_id !== null) identity.supplierId = Number(r.supplier_id);
      const info: SubjectInfo = { subject: { sbomId: Number(r.sbom_id), index: r.idx }, identity };
      if (r.version !== null) info.version = r.version;
      const vendor = r.supplier_id ?? r.organisation_id;
      if (vendor !== null) info.vendorId = Number(vendor);
      return [Number(r.sbom_id), info];
    }),
  );
}

function tierKey(h: Pick<Hop, 'identity' | 'version'>): string {
  const i = h.identity;
  return `${i.purlProduct ?? ''}|${i.cpeProduct ?? ''}|${i.supplierId ?? ''}|${i.nameKey}|${h.version ?? ''}`;
}

/** When each document was first seen: its creation date as it states it, else when patchpath received it. */
async function documentDates(db: Db, sbomIds: number[]): Promise<Map<number, Date>> {
  if (!sbomIds.length) return new Map();
  const rows = await db
    .selectFrom('sbom')
    .select(['id', sql<Date>`coalesce(document_created_at, ingested_at)`.as('seen')])
    .where(sql<boolean>`id = any(${sbomIds}::bigint[])`)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), new Date(r.seen)]));
}

/**
 * Every stored version of each hop's product newer than the hop's, by the strongest identity the hop has: purl, else
 * CPE, else supplier and name (one query per identity kind).
 */
async function newerVersions(db: Db, tiers: Hop[]): Promise<Map<string, { sbomId: number; version: string; createdAt: Date }[]>> {
  const withVersion = tiers.filter((t) => t.version !== undefined);
  const out = new Map<string, { sbomId: number; version: string; createdAt: Date }[]>();
  if (!withVersion.length) return out;
  const by = (pick: (t: Hop) => boolean) => withVersion.filter(pick);
  const purl = by((t) => t.identity.purlProduct !== undefined);
  const cpe = by((t) => t.identity.purlProduct === undefined && t.identity.cpeProduct !== undefined);
  const named = by((t) => t.identity.purlProduct === undefined && t.identity.cpeProduct === undefined && t.identity.supplierId !== undefined);
  const keyed = (list: Hop[]) => ({ keys: list.map(tierKey), sorts: list.map((t) => versionSortKey(t.version!)) });
  const p = keyed(purl);
  const c = keyed(cpe);
  const n = keyed(named);
  // `offset 0` keeps each lookup an index scan per product (planned as a join, it read every subject).
  const rows = await sql<{ tier: string; sbom_id: number; version: string; created_at: Date }>`
    select t.tier, s.sbom_id, s.version, s.created_at
      from unnest(${p.keys}::text[], ${purl.map((t) => t.identity.purlProduct!)}::text[], ${p.sorts}::text[]) as t(tier, product, sort)
      cross join lateral (select * from sbom_subject s where s.purl_product = t.product and s.version_sort > t.sort collate "C" offset 0) s
    union all
    select t.tier, s.sbom_id, s.version, s.created_at
      from unnest(${c.keys}::text[], ${cpe.map((t) => t.identity.cpeProduct!)}::text[], ${c.sorts}::text[]) as t(tier, product, sort)
      join sbom_subject s on s.cpe_product = t.product and s.version_sort > t.sort collate "C"
    union all
    select t.tier, s.sbom_id, s.version, s.created_at
      from unnest(${n.keys}::text[], ${named.map((t) => t.identity.supplierId!)}::bigint[], ${named.map((t) => t.identity.nameKey)}::text[], ${n.sorts}::text[])
        as t(tier, supplier_id, name_key, sort)
      join sbom_subject s on s.supplier_id = t.supplier_id and s.name_key = t.name_key and s.version_sort > t.sort collate "C"`.execute(db);
  for (const r of rows.rows) {
    if (r.version === null) continue;
    const list = out.get(r.tier) ?? [];
    list.push({ sbomId: Number(r.sbom_id), version: r.version, createdAt: new Date(r.created_at) });
    out.set(r.tier, list);
  }
  return out;
}

/** The statements that name a hop's product (its listed component or its own subject), and those that cover its version. */
function namingStatements(h: Hop, matches: Map<string, IdentityMatch>, bySeq: Map<string, StatementEvidence>): { all: StatementEvidence[]; covering: StatementEvidence[] } {
  const all = new Map<string, StatementEvidence>();
  const covering = new Map<string, StatementEvidence>();
  for (const key of [h.component, ...(h.subject ? [h.subject] : [])]) {
    for (const s of matches.get(componentKey(key))?.statements ?? []) {
      const st = bySeq.get(statementKey(s))!;
      all.set(statementKey(s), st);
      if (s.versionMatch !== undefined) covering.set(statementKey(s), st);
    }
  }
  return { all: [...all.values()], covering: [...covering.values()] };
}

/**
 * Versions newer than `version` that statements call fixed or not affected (`6.0.1.66 unaffected`), and the upper
 * bound of an affected range that covers `version` (`< 6.0.1.66`): read as the first version with the fix.
 */
function statedFixes(statements: StatementEvidence[], version: string): FixRelease<StatementEvidence>[] {
  const out: FixRelease<StatementEvidence>[] = [];
  const add = (v: string, s: StatementEvidence) => {
    if (compareVersions(v, version) > 0) out.push({ version: v, date: s.statedAt, statement: s });
  };
  for (const s of statements) {
    if (s.status === 'fixed' || s.status === 'not_affected') for (const v of [...(s.version ? [s.version] : []), ...s.versions]) add(v, s);
    if (s.status === 'affected') for (const r of s.ranges) if (r.fixed && isCovered(r, version)) add(r.fixed, s);
  }
  return out;
}

function isCovered(r: { introduced?: string; fixed?: string }, version: string): boolean {
  return (!r.introduced || r.introduced === '0' || compareVersions(version, r.introduced) >= 0) && (!r.fixed || compareVersions(version, r.fixed) < 0);
}

