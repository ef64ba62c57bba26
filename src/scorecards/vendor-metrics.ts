/**
 * @module
 * Per-vendor hygiene metrics for procurement (DOMAIN.md "Answers": "Procurement"), computed from what patchpath
 * already stores, for many vendors at once. Each metric carries its value, the counts behind it and evidence (ids a
 * UI can link to), or is `null` with the reason there is no evidence: a vendor with no data never looks good.
 *
 * Words used below:
 * - a vendor's **product version** is an SBOM whose subject the vendor supplies (the subject's supplier, else the
 *   document's owner), as in src/patch-status/vendor-patch-status.ts;
 * - a **product** is a subject identity without its version (src/chains/link-sbom.ts `sbom_subject`): the purl
 *   without version, else the CPE product, else the supplier and lower-case name;
 * - a product's **current SBOM** is the SBOM of its highest version (src/chains/version-order.ts), the newest
 *   document of that version: what the vendor still ships;
 * - an SBOM's **date** is its document creation date, else when patchpath received it; days are whole days
 *   (src/patch-status/hop-state.ts `daysBetween`) at `now`, never below 0; a median of an even count is the rounded
 *   mean of the two middle values.
 *
 * The metrics:
 * 1. `freshness`: per product, the age of its newest SBOM, and whether that SBOM describes the product's latest
 *    known version: the highest version any stored SBOM names, as a subject or as a component (a customer's SBOM
 *    that lists a newer version than the vendor published an SBOM for makes the product stale). Value: the median
 *    age over products and the share of products that are current. Evidence: SBOM ids (the newest, and where the
 *    latest version is named).
 * 2. `vexCoverage`: of the vulnerabilities that reach any of its product versions (a vulnerable component in them
 *    or below them, src/patch-status/vulnerability-reach.ts), the share for which the vendor itself (the advisory's
 *    organisation) has published a statement about one of its products (a statement naming its vendor as the
 *    product's vendor, or matching a component it supplies or the subject of one of its SBOMs). Evidence:
 *    vulnerability ids, advisory ids.
 * 3. `vexTimeliness`: for those covered, the days from the vulnerability's first publication (the earliest of the
 *    `published` date any advisory gives it and the date of any statement about it by anyone: the statement's
 *    timestamp, else its document's publication, else its arrival; the first event of its timeline,
 *    src/patch-status/vulnerability-timeline.ts) to the vendor's first such statement. Value: median and worst.
 * 4. `patchLatency`: in every chain of every vulnerability (the timeline's chains), each hop whose vendor is this
 *    one, above a hop that is INTEGRATED (src/patch-status/hop-state.ts decides, not this module): an integration
 *    when the hop is INTEGRATED with a latency (days from the fix below to the fix here), a wait when the chain is
 *    stuck at the hop (days so far). One per (vulnerability, product version): its smallest latency over its chains
 *    (from the last hop below to make the fix available), its longest wait. Value: the median latency of
 *    integrations (null when there is none yet) and the worst days, waits included (a hop still waiting has taken
 *    at least that long). Evidence: (vulnerability, product SBOM) pairs.
 * 5. `openVulnerabilities`: distinct vulnerabilities with CVSS >= 9.0 (critical) and >= 7.0 below 9.0 (high, the
 *    highest score any advisory gives) for which a current SBOM of the vendor is AFFECTED (src/patch-status/
 *    device-exposure.ts `firmwareVerdict`: neither has the fix nor is covered by a NOT_AFFECTED claim); affected
 *    ones with no score are counted apart (`unscored`). Evidence: (vulnerability, SBOM) pairs.
 * 6. `chainVisibility`: of the components of its current SBOMs whose supplier is another vendor, the share its
 *    supplier has documented: the component's link is followed, it is not an open hop (src/chains/open-hops.ts).
 *    Evidence: the counts, and the open hops' suppliers.
 * 7. `tiersBelow`: the deepest walk down the pinned links from its current SBOMs, in documents crossed, one more
 *    when the deepest document has an open hop (src/chains/vendor-network.ts counts distance that way); a cycle
 *    ends a walk, `maxDepth` cuts it. Evidence: the path of SBOM ids.
 *
 * A metric is `null` with a reason when nothing backs it: every metric of a vendor with no SBOM ("no SBOM"); the
 * VEX metrics and patch latency when no vulnerability reaches its products, or no fix has reached the hops below
 * them; timeliness when it has made no statement; open vulnerabilities and tiers when its current SBOMs list no
 * components, and open vulnerabilities when no advisory is loaded at all (zero would be a claim without evidence);
 * visibility when no component names another vendor. A product whose newest SBOM states no version is never current.
 *
 * Cost: a fixed handful of queries over all vendors at once, plus the patch-status work of each vulnerability that
 * reaches anything (its reach, its timeline and one propagation from the current SBOMs it reaches), a few at a
 * time: never a query per vendor or per product. The benchmark world (bench/generate-world.ts: 2,127 vendors,
 * 20,000 SBOMs, 20 vulnerabilities reaching them) takes 3 to 4.5 s on PostgreSQL; one vendor, under 0.1 s.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { DEFAULT_MAX_DEPTH } from '../chains/resolve-chains.js';
import { compareVersions } from '../chains/version-order.js';
import { firmwareVerdict } from '../patch-status/device-exposure.js';
import { daysBetween } from '../patch-status/hop-state.js';
import { patchPropagation } from '../patch-status/patch-propagation.js';
import { vulnerabilitiesBelow } from '../patch-status/vulnerabilities-below.js';
import { componentKey, statementKey, vulnerabilityReach, type VulnerabilityReach } from '../patch-status/vulnerability-reach.js';
import { vulnerabilityTimeline } from '../patch-status/vulnerability-timeline.js';
import { findVulnerability, type StatementEvidence, type VulnerabilityRecord } from '../store/vulnerability.repository.js';

type Db = Kysely<Database>;

/** A metric without evidence. */
export interface Unavailable {
  value: null;
  reason: string;
}

export interface ProductFreshness {
  /** The product's name as its newest SBOM writes it. */
  name: string;
  newestSbomId: number;
  /** The version the newest SBOM describes. */
  version: string | null;
  ageDays: number;
  latestKnownVersion: string | null;
  /** SBOMs that name the latest known version (its own SBOMs, or documents listing it as a component). */
  latestNamedIn: number[];
  current: boolean;
}

export interface Freshness {
  value: { medianAgeDays: number; currentShare: number };
  counts: { products: number; current: number; stale: number };
  evidence: ProductFreshness[];
}

export interface VexCoverage {
  value: { share: number };
  counts: { reaching: number; covered: number };
  evidence: { covered: { vulnerabilityId: string; advisoryIds: number[] }[]; uncovered: string[] };
}

export interface StatementDelay {
  vulnerabilityId: string;
  publishedAt: Date;
  firstStatementAt: Date;
  days: number;
  advisoryId: number;
}

export interface VexTimeliness {
  value: { medianDays: number; worstDays: number };
  counts: { covered: number };
  evidence: StatementDelay[];
}

export interface HopLatency {
  vulnerabilityId: string;
  /** The vendor's SBOM of the product version, when it published one. */
  sbomId: number | null;
  /** The document that lists the product version in the chain (absent at the top of a chain). */
  listedIn: number | null;
  name: string;
  version: string | null;
  /** Integration: days from the fix below to the fix here; wait: days waiting so far. */
  days: number;
}

export interface PatchLatency {
  value: { medianDays: number | null; worstDays: number };
  counts: { integrations: number; waiting: number };
  evidence: { integrations: HopLatency[]; waiting: HopLatency[] };
}

export interface OpenVulnerability {
  vulnerabilityId: string;
  sbomId: number;
  cvss: number | null;
}

export interface OpenVulnerabilities {
  value: { critical: number; high: number };
  counts: { critical: number; high: number; unscored: number; currentSboms: number };
  evidence: OpenVulnerability[];
}

export interface ChainVisibility {
  value: { share: number };
  counts: { components: number; documented: number; open: number };
  evidence: { currentSbomIds: number[]; openSuppliers: { supplierId: number; components: number; sbomIds: number[] }[] };
}

export interface TiersBelow {
  value: { tiers: number };
  counts: { currentSboms: number };
  evidence: { rootSbomId: number; path: number[]; endsOpen: boolean };
}

export interface VendorMetrics {
  vendorId: number;
  freshness: Freshness | Unavailable;
  vexCoverage: VexCoverage | Unavailable;
  vexTimeliness: VexTimeliness | Unavailable;
  patchLatency: PatchLatency | Unavailable;
  openVulnerabilities: OpenVulnerabilities | Unavailable;
  chainVisibility: ChainVisibility | Unavailable;
  tiersBelow: TiersBelow | Unavailable;
}

export interface VendorMetricsOptions {
  now: Date;
  /** How deep chains are followed (default that of chain resolution). */
  maxDepth?: number;
}

const none = (reason: string): Unavailable => ({ value: null, reason });
const NO_SBOM = none('no SBOM');
const HIGH = 7.0;
const CRITICAL = 9.0;

interface ProductVersion {
  sbomId: number;
  vendorId: number;
  product: string;
  name: string;
  subjectIndex: number;
  version: string | null;
  date: Date;
}

/** Metrics for each of `vendorIds` (every id gets an entry, with `null` metrics when nothing is known of it). */
export async function vendorMetrics(db: Db, vendorIds: number[], options: VendorMetricsOptions): Promise<Map<number, VendorMetrics>> {
  const vendors = [...new Set(vendorIds)];
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const out = new Map<number, VendorMetrics>();
  if (!vendors.length) return out;

  const versions = await productVersionsOf(db, vendors);
  const products = groupBy(versions, (v) => `${v.vendorId}|${v.product}`);
  const current = [...products.values()].map(currentOf);
  const currentIds = current.map((v) => v.sbomId);
  const [named, visibility, tiers, anyAdvisory, candidates] = await Promise.all([
    namedVersions(db, versions.map((v) => v.sbomId)),
    componentsOfCurrent(db, currentIds),
    deepestWalks(db, currentIds, maxDepth),
    sql<{ any: boolean }>`select exists (select 1 from advisory) as any`.execute(db).then((r) => r.rows[0]!.any),
    candidateVulnerabilities(db, vendors, versions, maxDepth),
  ]);
  const vulnerabilities = await vulnerabilityFacts(db, candidates, vendors, versions, current, { now: options.now, maxDepth });

  const versionsOf = groupBy(versions, (v) => v.vendorId);
  const productsOf = groupBy([...products.values()], (list) => list[0]!.vendorId);
  const currentOfVendor = groupBy(current, (v) => v.vendorId);
  for (const vendorId of vendors) {
    const v = vulnerabilities.get(vendorId);
    if (!versionsOf.has(vendorId)) {
      // Its products may still wait in others' chains (listed, with no SBOM of its own): that counts against it.
      const waits = patchLatency(v, NO_SBOM);
      out.set(vendorId, { vendorId, freshness: NO_SBOM, vexCoverage: NO_SBOM, vexTimeliness: NO_SBOM, patchLatency: waits, openVulnerabilities: NO_SBOM, chainVisibility: NO_SBOM, tiersBelow: NO_SBOM });
      continue;
    }
    const shipped = currentOfVendor.get(vendorId)!;
    const listsComponents = shipped.some((s) => (visibility.get(s.sbomId)?.components ?? 0) > 0);
    const unreached = v?.reaching.size ? undefined : none('no vulnerability reaches its products');
    const empty = listsComponents ? undefined : none('its current SBOMs list no components: nothing to check');
    out.set(vendorId, {
      vendorId,
      freshness: freshness(productsOf.get(vendorId)!, named, options.now),
      vexCoverage: unreached ?? vexCoverage(v!),
      vexTimeliness: unreached ?? vexTimeliness(v!),
      patchLatency: patchLatency(v, unreached ?? none('no fix has become available below its products yet')),
      openVulnerabilities: empty ?? (anyAdvisory ? openVulnerabilities(v, shipped.length) : none('no advisory is loaded: nothing to check its products against')),
      chainVisibility: chainVisibility(shipped, visibility),
      tiersBelow: empty ?? tiersBelow(shipped, tiers),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Products and SBOMs

/**
 * Each vendor's current SBOMs (one per product: its highest version, the newest document of it), as every metric here
 * counts them; vendor-scorecard.ts measures their completeness.
 */
export async function currentSbomsOfVendors(db: Db, vendorIds: number[]): Promise<Map<number, number[]>> {
  const versions = await productVersionsOf(db, [...new Set(vendorIds)]);
  const out = new Map<number, number[]>();
  for (const list of groupBy(versions, (v) => `${v.vendorId}|${v.product}`).values()) {
    const current = currentOf(list);
    out.set(current.vendorId, [...(out.get(current.vendorId) ?? []), current.sbomId]);
  }
  return out;
}

async function productVersionsOf(db: Db, vendorIds: number[]): Promise<ProductVersion[]> {
  const rows = await sql<{
    sbom_id: number; vendor_id: number; idx: number; purl_product: string | null; cpe_product: string | null; name_key: string;
    version: string | null; created_at: Date; name: string | null;
  }>`
    select s.sbom_id, v.id as vendor_id, s.idx, s.purl_product, s.cpe_product, s.name_key, s.version, s.created_at, sb.subject_name as name
    from sbom_subject s join sbom sb on sb.id = s.sbom_id
    join unnest(${vendorIds}::bigint[]) as v(id) on v.id = coalesce(s.supplier_id, sb.organisation_id)
    order by s.sbom_id`.execute(db);
  return rows.rows.map((r) => ({
    sbomId: Number(r.sbom_id),
    vendorId: Number(r.vendor_id),
    product: r.purl_product ? `purl:${r.purl_product}` : r.cpe_product ? `cpe:${r.cpe_product}` : `name:${r.name_key}`,
    name: r.name ?? r.name_key,
    subjectIndex: r.idx,
    version: r.version,
    date: new Date(r.created_at),
  }));
}

/** The highest version, then the newest document of it. */
function currentOf(list: ProductVersion[]): ProductVersion {
  return [...list].sort((a, b) => compareNullableVersions(b.version, a.version) || b.date.getTime() - a.date.getTime() || b.sbomId - a.sbomId)[0]!;
}

function compareNullableVersions(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareVersions(a, b);
}

/**
 * Versions of these SBOMs' products that other components name without any SBOM of that version (a component
 * linked to the product by a rule that matches other versions, and to no SBOM of its own version): one row per
 * component, with one of the product's SBOMs it links to.
 */
async function namedVersions(db: Db, sbomIds: number[]): Promise<Map<number, { version: string; namedIn: number }[]>> {
  const out = new Map<number, { version: string; namedIn: number }[]>();
  if (!sbomIds.length) return out;
  const rows = await sql<{ target_sbom_id: number; named_in: number; version: string }>`
    select distinct on (l.sbom_id, l.idx) l.target_sbom_id, l.sbom_id as named_in, coalesce(c.version, c.purl_version) as version
    from component_link l
    join component c on c.sbom_id = l.sbom_id and c.idx = l.idx
    where l.target_sbom_id in (select unnest(${sbomIds}::bigint[])) and not l.same_version
      and coalesce(c.version, c.purl_version) is not null
      and not exists (select 1 from component_link x where x.sbom_id = l.sbom_id and x.idx = l.idx and x.same_version)
    order by l.sbom_id, l.idx, l.target_sbom_id`.execute(db);
  for (const r of rows.rows) push(out, Number(r.target_sbom_id), { version: r.version, namedIn: Number(r.named_in) });
  return out;
}

function freshness(products: ProductVersion[][], named: Map<number, { version: string; namedIn: number }[]>, now: Date): Freshness {
  const evidence = products.map((list): ProductFreshness => {
    const newest = [...list].sort((a, b) => b.date.getTime() - a.date.getTime() || b.sbomId - a.sbomId)[0]!;
    const known = [
      ...list.filter((v) => v.version !== null).map((v) => ({ version: v.version!, namedIn: v.sbomId })),
      ...list.flatMap((v) => named.get(v.sbomId) ?? []),
    ];
    const latest = known.map((k) => k.version).sort((a, b) => compareVersions(b, a))[0] ?? null;
    const latestNamedIn = latest === null ? [] : [...new Set(known.filter((k) => compareVersions(k.version, latest) === 0).map((k) => k.namedIn))].sort((a, b) => a - b);
    return {
      name: newest.name,
      newestSbomId: newest.sbomId,
      version: newest.version,
      ageDays: Math.max(0, daysBetween(newest.date, now)),
      latestKnownVersion: latest,
      latestNamedIn,
      current: newest.version !== null && latest !== null && compareVersions(newest.version, latest) === 0,
    };
  });
  evidence.sort((a, b) => a.newestSbomId - b.newestSbomId);
  const current = evidence.filter((e) => e.current).length;
  return {
    value: { medianAgeDays: median(evidence.map((e) => e.ageDays))!, currentShare: current / evidence.length },
    counts: { products: evidence.length, current, stale: evidence.length - current },
    evidence,
  };
}

interface ComponentCounts {
  /** Components other than the subject. */
  components: number;
  /** Components supplied by another vendor, by supplier: how many, and how many of them are open hops. */
  bySupplier: Map<number, { components: number; open: number }>;
}

/** What the current SBOMs list: components, those of other vendors, and which of those are open hops (src/chains/open-hops.ts). */
async function componentsOfCurrent(db: Db, sbomIds: number[]): Promise<Map<number, ComponentCounts>> {
  const out = new Map<number, ComponentCounts>();
  if (!sbomIds.length) return out;
  const rows = await sql<{ sbom_id: number; supplier_id: number | null; components: number; open: number }>`
    select x.sbom_id, x.supplier_id, count(*)::int as components, count(*) filter (where x.open)::int as open
    from (
      select c.sbom_id, case when f.other then c.supplier_id end as supplier_id,
        f.other and not exists (select 1 from component_link l where l.sbom_id = c.sbom_id and l.idx = c.idx and l.pinned) as open
      from component c join sbom s on s.id = c.sbom_id
      cross join lateral (select c.supplier_id is not null and c.supplier_id is distinct from s.organisation_id as other) f
      where c.sbom_id in (select unnest(${sbomIds}::bigint[])) and not c.is_subject
    ) x
    group by x.sbom_id, x.supplier_id`.execute(db);
  for (const r of rows.rows) {
    const id = Number(r.sbom_id);
    let counts = out.get(id);
    if (!counts) out.set(id, (counts = { components: 0, bySupplier: new Map() }));
    counts.components += r.components;
    if (r.supplier_id !== null) counts.bySupplier.set(Number(r.supplier_id), { components: r.components, open: r.open });
  }
  return out;
}

function chainVisibility(shipped: ProductVersion[], visibility: Map<number, ComponentCounts>): ChainVisibility | Unavailable {
  let components = 0;
  let open = 0;
  const suppliers = new Map<number, { supplierId: number; components: number; sbomIds: number[] }>();
  for (const s of shipped) {
    for (const [supplierId, c] of visibility.get(s.sbomId)?.bySupplier ?? []) {
      components += c.components;
      open += c.open;
      if (!c.open) continue;
      const entry = suppliers.get(supplierId) ?? { supplierId, components: 0, sbomIds: [] };
      entry.components += c.open;
      entry.sbomIds.push(s.sbomId);
      suppliers.set(supplierId, entry);
    }
  }
  if (!components) return none('no component of its current SBOMs names another vendor as its supplier');
  return {
    value: { share: (components - open) / components },
    counts: { components, documented: components - open, open },
    evidence: {
      currentSbomIds: shipped.map((s) => s.sbomId).sort((a, b) => a - b),
      openSuppliers: [...suppliers.values()].map((s) => ({ ...s, sbomIds: s.sbomIds.sort((a, b) => a - b) })).sort((a, b) => b.components - a.components || a.supplierId - b.supplierId),
    },
  };
}

/** Per root, the deepest walk down the pinned links (documents crossed, one more for an open hop at its end). */
async function deepestWalks(db: Db, roots: number[], maxDepth: number): Promise<Map<number, { tiers: number; path: number[]; endsOpen: boolean }>> {
  const out = new Map<number, { tiers: number; path: number[]; endsOpen: boolean }>();
  if (!roots.length) return out;
  const rows = await sql<{ root: number; tiers: number; path: number[]; ends_open: boolean }>`
    with recursive walk(root, sbom_id, depth, path) as (
      select r, r, 0, array[r] from unnest(${roots}::bigint[]) as r
      union all
      select w.root, l.target_sbom_id, w.depth + 1, w.path || l.target_sbom_id
      from walk w join component_link l on l.sbom_id = w.sbom_id and l.pinned
      where w.depth < ${maxDepth} and l.target_sbom_id <> all(w.path)
    ),
    open as (
      select r.sbom_id from (select distinct sbom_id from walk) r
      where exists (
        select 1 from component c join sbom s on s.id = c.sbom_id
        where c.sbom_id = r.sbom_id and not c.is_subject and c.supplier_id is not null and c.supplier_id is distinct from s.organisation_id
          and not exists (select 1 from component_link l where l.sbom_id = c.sbom_id and l.idx = c.idx and l.pinned))
    )
    select distinct on (w.root) w.root, w.depth + (o.sbom_id is not null and w.depth < ${maxDepth})::int as tiers, w.path,
      (o.sbom_id is not null and w.depth < ${maxDepth}) as ends_open
    from walk w left join open o on o.sbom_id = w.sbom_id
    order by w.root, 2 desc, w.path`.execute(db);
  for (const r of rows.rows) out.set(Number(r.root), { tiers: Number(r.tiers), path: r.path.map(Number), endsOpen: r.ends_open });
  return out;
}

function tiersBelow(shipped: ProductVersion[], walks: Map<number, { tiers: number; path: number[]; endsOpen: boolean }>): TiersBelow {
  const deepest = shipped
    .map((s) => ({ rootSbomId: s.sbomId, ...(walks.get(s.sbomId) ?? { tiers: 0, path: [s.sbomId], endsOpen: false }) }))
    .sort((a, b) => b.tiers - a.tiers || a.rootSbomId - b.rootSbomId)[0]!;
  const { tiers, ...evidence } = deepest;
  return { value: { tiers }, counts: { currentSboms: shipped.length }, evidence };
}

// ---------------------------------------------------------------------------------------------------------------
// Vulnerabilities

interface VendorVulnerabilities {
  /** Vulnerabilities that reach one of its product versions (by primary id). */
  reaching: Map<string, VulnerabilityRecord>;
  /** Its own statements about its products, per vulnerability, earliest first, with the vulnerability's first publication. */
  statements: Map<string, { publishedAt: Date; statements: StatementEvidence[] }>;
  integrations: Map<string, HopLatency>;
  waiting: Map<string, HopLatency>;
  open: Map<string, OpenVulnerability>;
}

/** What may reach the vendors: the vulnerabilities, the documents listing what they supply, publication dates. */
interface Candidates {
  records: VulnerabilityRecord[];
  /** Documents that list a component one of the vendors supplies (an SBOM of theirs or not). */
  listingIds: Set<number>;
  /** The `published` dates advisories give each filed id. */
  published: Map<string, Date[]>;
}

/**
 * Every vulnerability whose statements name a product in or below the vendors' documents, or the documents that
 * list what they supply (src/patch-status/vulnerabilities-below.ts), one record per vulnerability whatever its ids.
 */
async function candidateVulnerabilities(db: Db, vendors: number[], versions: ProductVersion[], maxDepth: number): Promise<Candidates> {
  const listing = await sql<{ sbom_id: number }>`
    select distinct c.sbom_id from component c join unnest(${vendors}::bigint[]) as v(id) on c.supplier_id = v.id`.execute(db);
  const listingIds = new Set(listing.rows.map((r) => Number(r.sbom_id)));
  const ids = await vulnerabilitiesBelow(db, [...new Set([...versions.map((v) => v.sbomId), ...listingIds])], maxDepth);
  const records = new Map<string, VulnerabilityRecord>();
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    const record = await findVulnerability(db, id);
    if (!record) continue;
    for (const filed of record.filedIds) seen.add(filed);
    records.set(record.id, record);
  }
  const published = await publishedDates(db, [...records.values()].flatMap((r) => r.filedIds));
  return { records: [...records.values()], listingIds, published };
}

/** Vulnerabilities worked out at once (each waits on the database most of its time; PGlite takes them in turn). */
const CONCURRENCY = 3;

/**
 * Each candidate vulnerability worked out with the patch-status code (its reach, its timeline, the verdict on the
 * current SBOMs it reaches), sorted into each vendor's facts.
 */
async function vulnerabilityFacts(
  db: Db,
  { records, listingIds, published }: Candidates,
  vendors: number[],
  versions: ProductVersion[],
  current: ProductVersion[],
  q: { now: Date; maxDepth: number },
): Promise<Map<number, VendorVulnerabilities>> {
  const out = new Map<number, VendorVulnerabilities>();
  const requested = new Set(vendors);
  const vendorOfSbom = new Map(versions.map((v) => [v.sbomId, v]));
  const currentIds = current.map((c) => c.sbomId);
  const facts = (vendorId: number): VendorVulnerabilities => {
    let f = out.get(vendorId);
    if (!f) out.set(vendorId, (f = { reaching: new Map(), statements: new Map(), integrations: new Map(), waiting: new Map(), open: new Map() }));
    return f;
  };

  await forEachConcurrently(records, CONCURRENCY, async (record) => {
    const reach = await vulnerabilityReach(db, record, q.maxDepth);
    if (!reach.carrying.size) return;
    const reached = new Set<number>();
    for (const sbomId of reach.carrying) {
      const v = vendorOfSbom.get(sbomId);
      if (v) reached.add(v.vendorId);
    }
    for (const vendorId of reached) facts(vendorId).reaching.set(record.id, record);

    // Coverage and timeliness: the vendor's own statements about its products.
    const firstPublished = earliest([...reach.statements.map((s) => s.statedAt), ...record.filedIds.flatMap((id) => published.get(id) ?? [])]);
    for (const [vendorId, statements] of ownStatements(reach, reached, vendorOfSbom)) {
      facts(vendorId).statements.set(record.id, { publishedAt: firstPublished!, statements });
    }

    // Patch latency: every hop of the vendors' products in every chain of the vulnerability (only chains through
    // their SBOMs, or through documents that list what they supply, can hold one).
    if (!reached.size && ![...reach.carrying].some((id) => listingIds.has(id))) return;
    const timeline = await vulnerabilityTimeline(db, { vulnerability: record, now: q.now, maxDepth: q.maxDepth, reach });
    for (const chain of timeline.chains) {
      chain.hops.forEach((hop, k) => {
        if (k === 0 || hop.vendorId === undefined || !requested.has(hop.vendorId)) return;
        const below = chain.hops[k - 1]!.decision;
        const key = `${record.id}|${hop.sbomId ?? `${componentKey(hop.component)}`}`;
        const entry = (days: number): HopLatency => ({
          vulnerabilityId: record.id, sbomId: hop.sbomId ?? null, listedIn: hop.assertedBy ?? null, name: hop.name, version: hop.version ?? null, days,
        });
        const f = facts(hop.vendorId);
        const d = hop.decision;
        if (d.state === 'INTEGRATED' && d.latencyDays !== undefined) {
          const known = f.integrations.get(key);
          if (!known || d.latencyDays < known.days) f.integrations.set(key, entry(d.latencyDays));
        } else if (chain.stuck?.hop === k && below.state === 'INTEGRATED') {
          const known = f.waiting.get(key);
          const days = chain.stuck.days ?? 0;
          if (!known || days > known.days) f.waiting.set(key, entry(days));
        }
      });
    }

    // Open vulnerabilities: the verdict on each current SBOM it reaches.
    if (record.cvssMax !== undefined && record.cvssMax < HIGH) return;
    const roots = currentIds.filter((id) => reach.carrying.has(id) && requested.has(vendorOfSbom.get(id)!.vendorId));
    if (!roots.length) return;
    const status = await patchPropagation(db, { vulnerability: record, rootSbomIds: roots, now: q.now, maxDepth: q.maxDepth, reach });
    for (const root of roots) {
      const verdict = firmwareVerdict(record, status.get(root)!);
      if (verdict?.status !== 'AFFECTED') continue;
      const f = facts(vendorOfSbom.get(root)!.vendorId);
      f.open.set(`${record.id}|${root}`, { vulnerabilityId: record.id, sbomId: root, cvss: record.cvssMax ?? null });
    }
  });
  for (const f of out.values()) for (const key of f.integrations.keys()) f.waiting.delete(key);
  return out;
}

/** The `published` dates advisories give these vulnerability ids (where they can be read as dates). */
async function publishedDates(db: Db, ids: string[]): Promise<Map<string, Date[]>> {
  const out = new Map<string, Date[]>();
  if (!ids.length) return out;
  const rows = await sql<{ vulnerability_id: string; published_text: string }>`
    select vulnerability_id, published_text from advisory_vulnerability
    where vulnerability_id = any(${ids}::text[]) and published_text is not null`.execute(db);
  for (const r of rows.rows) {
    const date = new Date(r.published_text);
    if (!Number.isNaN(date.getTime())) push(out, r.vulnerability_id, date);
  }
  return out;
}

/**
 * Per vendor among `vendors`, its statements about one of its products, earliest first: published by it, and naming
 * it as the product's vendor, or matching a component it supplies or the subject of one of its SBOMs.
 */
function ownStatements(reach: VulnerabilityReach, vendors: Set<number>, vendorOfSbom: Map<number, ProductVersion>): Map<number, StatementEvidence[]> {
  const productVendors = new Map<string, Set<number>>();
  for (const m of reach.matches.values()) {
    const owners = new Set<number>();
    if (m.supplierId !== undefined) owners.add(m.supplierId);
    const subjectOf = vendorOfSbom.get(m.component.sbomId);
    if (subjectOf && subjectOf.subjectIndex === m.component.index) owners.add(subjectOf.vendorId);
    for (const s of m.statements) {
      const set = productVendors.get(statementKey(s)) ?? new Set<number>();
      for (const o of owners) set.add(o);
      productVendors.set(statementKey(s), set);
    }
  }
  const out = new Map<number, StatementEvidence[]>();
  for (const s of reach.statements) {
    const publisher = s.publisherId;
    if (publisher === undefined || !vendors.has(publisher)) continue;
    if (s.vendorId !== publisher && !productVendors.get(statementKey(s))?.has(publisher)) continue;
    push(out, publisher, s);
  }
  for (const list of out.values()) list.sort((a, b) => a.statedAt.getTime() - b.statedAt.getTime() || a.advisoryId - b.advisoryId || a.seq - b.seq);
  return out;
}

function vexCoverage(v: VendorVulnerabilities): VexCoverage {
  const ids = [...v.reaching.keys()].sort();
  const covered = ids.filter((id) => v.statements.has(id));
  return {
    value: { share: covered.length / ids.length },
    counts: { reaching: ids.length, covered: covered.length },
    evidence: {
      covered: covered.map((id) => ({ vulnerabilityId: id, advisoryIds: [...new Set(v.statements.get(id)!.statements.map((s) => s.advisoryId))].sort((a, b) => a - b) })),
      uncovered: ids.filter((id) => !v.statements.has(id)),
    },
  };
}

function vexTimeliness(v: VendorVulnerabilities): VexTimeliness | Unavailable {
  const evidence = [...v.statements.entries()]
    .filter(([id]) => v.reaching.has(id))
    .map(([vulnerabilityId, { publishedAt, statements }]): StatementDelay => {
      const first = statements[0]!;
      return { vulnerabilityId, publishedAt, firstStatementAt: first.statedAt, days: Math.max(0, daysBetween(publishedAt, first.statedAt)), advisoryId: first.advisoryId };
    })
    .sort((a, b) => a.vulnerabilityId.localeCompare(b.vulnerabilityId));
  if (!evidence.length) return none('it has published no statement about a vulnerability that reaches its products');
  const days = evidence.map((e) => e.days);
  return { value: { medianDays: median(days)!, worstDays: Math.max(...days) }, counts: { covered: evidence.length }, evidence };
}

/** `otherwise` when it has neither integrated a fix nor waits for one. */
function patchLatency(v: VendorVulnerabilities | undefined, otherwise: Unavailable): PatchLatency | Unavailable {
  const byHop = (a: HopLatency, b: HopLatency) => a.vulnerabilityId.localeCompare(b.vulnerabilityId) || (a.sbomId ?? 0) - (b.sbomId ?? 0) || (a.listedIn ?? 0) - (b.listedIn ?? 0);
  const integrations = [...(v?.integrations.values() ?? [])].sort(byHop);
  const waiting = [...(v?.waiting.values() ?? [])].sort(byHop);
  if (!integrations.length && !waiting.length) return otherwise;
  const all = [...integrations, ...waiting].map((h) => h.days);
  return {
    value: { medianDays: median(integrations.map((h) => h.days)), worstDays: Math.max(...all) },
    counts: { integrations: integrations.length, waiting: waiting.length },
    evidence: { integrations, waiting },
  };
}

function openVulnerabilities(v: VendorVulnerabilities | undefined, currentSboms: number): OpenVulnerabilities {
  const evidence = [...(v?.open.values() ?? [])].sort((a, b) => (b.cvss ?? -1) - (a.cvss ?? -1) || a.vulnerabilityId.localeCompare(b.vulnerabilityId) || a.sbomId - b.sbomId);
  const distinct = (pick: (cvss: number | null) => boolean) => new Set(evidence.filter((e) => pick(e.cvss)).map((e) => e.vulnerabilityId)).size;
  const critical = distinct((c) => c !== null && c >= CRITICAL);
  const high = distinct((c) => c !== null && c >= HIGH && c < CRITICAL);
  return {
    value: { critical, high },
    counts: { critical, high, unscored: distinct((c) => c === null), currentSboms },
    evidence,
  };
}

// ---------------------------------------------------------------------------------------------------------------

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Runs `f` on every item, at most `limit` at a time. */
async function forEachConcurrently<T>(items: T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function earliest(dates: Date[]): Date | undefined {
  return dates.reduce<Date | undefined>((min, d) => (min === undefined || d < min ? d : min), undefined);
}

function groupBy<K, T>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) push(out, key(item), item);
  return out;
}

function push<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
