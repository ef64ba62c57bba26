/**
 * @module
 * Synthetic multi-vendor worlds, written as real SBOM files, with a manifest that says what a chain resolver
 * must find in them. A world is layered like a medical-device supply chain: level 0 holds the devices (the
 * roots: their firmware is used by no other product), level 1 the boards, level 2 the connectivity modules,
 * and deeper levels RTOS/BSP/SDK products, down to level `maxDepth`. Every vendor lives at one level and
 * publishes one SBOM per product version, in one of five formats (CycloneDX JSON/XML, SPDX 2.3 JSON and
 * tag-value, SPDX 3.0.1 JSON-LD). Each product version below level 0 is used by a product one level up (older
 * versions pin older versions, the latest pins the latest), as a component whose identity matches the used
 * product's SBOM subject by exactly one rule: purl, CPE 2.3, (supplier, name, version), CycloneDX BOM-Link or
 * SHA-256; vendor names are spelt differently from file to file ("Kestrel Medical Inc.", "Kestrel Medical, Inc"
 * and "KESTREL MEDICAL INC." are one vendor). On top of that layered tree come the requested cycles (A@1 contains B@1, B@1 contains
 * A@1), diamonds (a product version used by two products below one root) and open hops (components from a
 * vendor that published no SBOM for them); lwIP components are placed so that about `stackShare` of all product
 * versions reach lwIP, and a few products use Treck TCP/IP, whose vendor publishes its own SBOMs (a chain to
 * Treck ends at Treck's SBOM). The same seed gives the same bytes; {@link expectedChains} walks the manifest,
 * never the files, to give the chains a resolver should report.
 *
 * CLI: `npx tsx bench/generate-world.ts OUT_DIR [--seed S] [--vendors N] [--versions N] [--components N]
 * [--depth D] [--stack-share F] [--cycles N] [--diamonds N] [--open-hops N] [--formats a,b,...]`
 * (defaults: the benchmark world, 2,000 vendors and 20,000 product versions, 8 levels deep).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { normaliseVendorName } from '../src/normalise/normalise-vendor-name.js';
import { hex, pick, prng, uuidV4 } from './random.js';

export type WorldFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json' | 'spdx-tag-value' | 'spdx3-jsonld';

export const WORLD_FORMATS: readonly WorldFormat[] = ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json', 'spdx-tag-value', 'spdx3-jsonld'];

export interface WorldOptions {
  /** Same seed (and options), same bytes. */
  seed: number;
  /** Vendors that publish SBOMs (Treck Inc. included). Vendors that publish none (open hops) come on top. */
  vendors: number;
  /** Product versions, each with exactly one SBOM (Treck's two included). */
  productVersions: number;
  /** Filler library components per SBOM, besides the links, stacks and open hops. */
  componentsPerSbom: number;
  /** Longest chain, in documents below the root (the deepest level). */
  maxDepth: number;
  /** Fraction of product versions that reach lwIP (hold it, or use something that does, at any depth); Treck's own SBOMs never do. */
  stackShare: number;
  /** Cycles of 2 or 3 single-version products (A contains B, B contains A). */
  cycles: number;
  /** Product versions used by two products that are both below one root. */
  diamonds: number;
  /** Components supplied by a vendor that published no SBOM for them. */
  openHops: number;
  /** Formats to spread the files over; default all five. */
  formats?: WorldFormat[];
  outDir: string;
}

/**
 * How a component in one SBOM identifies the subject of another (DOMAIN.md "Identity" and "Vendor chain"), spelt as
 * the service spells its link rules (`LinkRule` in src/db/database.ts, the GraphQL enum). Each use carries just
 * enough for its rule to be the strongest one that matches: `PURL` (sometimes with qualifiers, which identity
 * ignores, often with CPE and hash as well), `CPE` (no purl, under another name), `SUPPLIER_NAME_VERSION` (no purl,
 * CPE or hash), `BOM_LINK` (a CycloneDX `urn:cdx:serial/version#bom-ref` in an externalReference of type `bom`,
 * another name and the supplier, nothing else), `HASH` (the subject's SHA-256 under a file name, no version).
 */
export type MatchRule = 'BOM_LINK' | 'PURL' | 'CPE' | 'SUPPLIER_NAME_VERSION' | 'HASH';

/** Strongest first: an explicit link, then identity in the order of DOMAIN.md "Identity". */
export const MATCH_RULES: readonly MatchRule[] = ['BOM_LINK', 'PURL', 'CPE', 'SUPPLIER_NAME_VERSION', 'HASH'];

/** Rules that name the product apart from its version, so that they can lead to the product's latest version too. */
const PRODUCT_RULES: ReadonlySet<MatchRule> = new Set(['PURL', 'CPE', 'SUPPLIER_NAME_VERSION']);

export interface WorldVendor {
  /** Used in purls and paths: `pkg:generic/<slug>/...`, `<slug>/<product>-<version>.<ext>`. */
  slug: string;
  /** The name as the vendor writes it most often. */
  name: string;
  /** Every spelling the files use; all normalise to `key`. */
  names: string[];
  /** normaliseVendorName(name). */
  key: string;
  /** Level of its products (0 = device OEM); undefined for vendors that publish nothing. */
  level?: number;
  role: 'oem' | 'supplier' | 'stack' | 'silent';
  /** Product versions with an SBOM from this vendor. */
  productVersions: number;
}

export interface WorldFile {
  /** Relative to outDir. */
  path: string;
  format: WorldFormat;
  specVersion: string;
  /** Vendor name (WorldVendor.name). */
  vendor: string;
  product: string;
  version: string;
  subjectPurl: string;
}

/** A component of this SBOM that is another product version of the world. */
export interface WorldUse {
  /** The component's ref in this file: CycloneDX bom-ref, SPDX 2 SPDXID, SPDX 3 spdxId. */
  ref: string;
  /** Subject purl of the product version it stands for. */
  purl: string;
  rule: MatchRule;
  /** Supplier as written on the component (a spelling of the used product's vendor). */
  supplier: string;
}

/** A component supplied by a vendor that published no SBOM for it. */
export interface WorldOpenHop {
  ref: string;
  name: string;
  version: string;
  purl: string;
  supplier: string;
  /** normaliseVendorName(supplier). */
  vendorKey: string;
}

/** A TCP/IP stack component with no SBOM of its own (lwIP): the end of a chain. */
export interface WorldTarget {
  ref: string;
  stack: string;
  name: string;
  version: string;
  purl: string;
  /** When the component carries one (about 60 %). */
  cpe?: string;
  supplier: string;
}

export interface WorldProductVersion {
  /** Subject purl: `pkg:generic/<vendor-slug>/<product>@<version>`. */
  purl: string;
  /** Vendor slug. */
  vendor: string;
  /** Product slug (also the subject's name, except Treck's). */
  product: string;
  /** Subject name. */
  name: string;
  version: string;
  /** The newest version of its product. */
  latest: boolean;
  level: number;
  /** File path, relative to outDir. */
  file: string;
  format: WorldFormat;
  /** Subject CPE 2.3. */
  cpe: string;
  /** Subject SHA-256, lower-case hex. */
  sha256: string;
  /** Subject ref in its file (CycloneDX bom-ref, the BOM-Link fragment). */
  ref: string;
  /** CycloneDX serialNumber (`urn:uuid:...`), SPDX 2 documentNamespace or SPDX 3 SpdxDocument spdxId. */
  serialNumber: string;
  /** Document creation time; older versions are older. */
  created: string;
  uses: WorldUse[];
  openHops: WorldOpenHop[];
  targets: WorldTarget[];
}

export interface WorldStack {
  id: 'lwip' | 'treck';
  name: string;
  supplier: string;
  /** `startsWith` this and it is the stack. */
  purlPrefix: string;
  purls: string[];
  /** The stack vendor publishes SBOMs whose subject is the stack (chains end at that SBOM). */
  hasSbom: boolean;
  /** Share of product versions that reach the stack. */
  share: number;
}

export interface WorldCycle {
  /** Subject purls, each containing the next, the last containing the first. */
  members: string[];
}

export interface WorldDiamond {
  root: string;
  /** The product version used twice. */
  shared: string;
  /** The two products using it, both below `root`. */
  users: [string, string];
}

export interface WorldManifest {
  generator: 'patchpath-bench-generate-world';
  options: Omit<WorldOptions, 'outDir' | 'formats'> & { formats: WorldFormat[] };
  vendors: WorldVendor[];
  files: WorldFile[];
  productVersions: WorldProductVersion[];
  /** Subject purls of the product versions no other product uses (devices). */
  roots: string[];
  stacks: WorldStack[];
  cycles: WorldCycle[];
  diamonds: WorldDiamond[];
  stats: {
    uses: number;
    usesByRule: Record<MatchRule, number>;
    filesByFormat: Record<WorldFormat, number>;
    openHops: number;
    /** Longest walk from a root, in documents below it. */
    depth: number;
  };
}

export interface ExpectedChain {
  /** Subject purls from the root to the product whose SBOM holds the target (or is the target). */
  path: string[];
  /** The target component's purl (or the stack SBOM's subject purl). */
  target: string;
  /** The match rule of each step: `rules[i]` takes `path[i]` to `path[i + 1]`. */
  rules: MatchRule[];
}

export interface ExpectedChainsOptions {
  targetPurlPrefix: string;
  /** Documents below the root the walk may enter; a use that would go deeper is not followed and sets `cut`. */
  maxDepth: number;
  /**
   * Follow the used product's latest version instead of the pinned one, where the use's rule names the product
   * apart from its version (PURL, CPE, SUPPLIER_NAME_VERSION); a BOM_LINK or HASH names one exact version and is
   * followed as pinned. The root stays as given.
   */
  latest?: boolean;
}

export interface ExpectedChains {
  chains: ExpectedChain[];
  /** Walks that came back to a product version already on their path: the path from the root to the repeat, inclusive. */
  cycles: { path: string[] }[];
  /** Some use was not followed because it lies deeper than maxDepth. */
  cut: boolean;
}

const GENERATOR = 'patchpath-bench-generate-world';
/** Files written at once; each is a few kB, so this bounds memory and open descriptors, not throughput. */
const WRITE_CONCURRENCY = 64;

/**
 * Plans a world from the options, writes every SBOM and `manifest.json` into `outDir` (created if missing;
 * files of the same names are overwritten) and resolves with the manifest.
 *
 * @throws RangeError when the options cannot make a world (too few product versions or vendors for the depth,
 * no room for the cycles or diamonds asked for); rejects when a file cannot be written.
 * @example
 * const world = await writeWorld({ seed: 1, vendors: 12, productVersions: 60, componentsPerSbom: 5, maxDepth: 4,
 *   stackShare: 0.2, cycles: 1, diamonds: 1, openHops: 3, outDir: '/tmp/world' });
 * expectedChains(world, world.roots[0], { targetPurlPrefix: 'pkg:github/lwip-tcpip/lwip', maxDepth: 6 });
 */
export async function writeWorld(options: WorldOptions): Promise<WorldManifest> {
  const plan = planWorld(options);
  const outDir = options.outDir;
  await mkdir(outDir, { recursive: true });
  for (const v of plan.vendors) if (v.productVersions > 0) await mkdir(join(outDir, v.slug), { recursive: true });

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.pvs.length) {
      const pv = plan.pvs[next++]!;
      await writeFile(join(outDir, pv.file), renderSbom(plan, pv));
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, plan.pvs.length) }, worker));

  const manifest = toManifest(plan);
  await writeManifest(join(outDir, 'manifest.json'), manifest);
  return manifest;
}

/**
 * The chains a resolver should find from `rootPurl` to components whose purl starts with `targetPurlPrefix`,
 * walking the manifest depth first, uses in manifest order. A chain ends at the product version whose SBOM lists
 * the target, or, when the target is itself the subject of an SBOM (Treck's), at that SBOM. A use back to a product
 * version already on the path is a cycle (reported, not followed); a use that would take the walk more than
 * `maxDepth` documents below the root is not followed and sets `cut` (the depth check comes first). The manifest
 * is indexed on the first call and taken to be read-only from then on.
 *
 * @throws RangeError when `rootPurl` is no product version of the world.
 * @example
 * const { chains, cycles, cut } = expectedChains(world, world.roots[0], { targetPurlPrefix: 'pkg:github/lwip-tcpip/lwip', maxDepth: 8 });
 * chains[0]; // { path: [root, board, module], target: 'pkg:github/lwip-tcpip/lwip@STABLE-2_1_2_RELEASE', rules: ['PURL', 'CPE'] }
 */
export function expectedChains(manifest: WorldManifest, rootPurl: string, options: ExpectedChainsOptions): ExpectedChains {
  const { byPurl, latestOf } = indexOf(manifest);
  const root = byPurl.get(rootPurl);
  if (!root) throw new RangeError(`product version '${rootPurl}' is not in the world`);
  const { targetPurlPrefix: prefix, maxDepth } = options;

  const result: ExpectedChains = { chains: [], cycles: [], cut: false };
  const path: string[] = [];
  const rules: MatchRule[] = [];
  const onPath = new Set<string>();
  const visit = (pv: WorldProductVersion): void => {
    path.push(pv.purl);
    onPath.add(pv.purl);
    if (pv.purl.startsWith(prefix)) {
      result.chains.push({ path: [...path], target: pv.purl, rules: [...rules] });
    } else {
      for (const t of pv.targets) if (t.purl.startsWith(prefix)) result.chains.push({ path: [...path], target: t.purl, rules: [...rules] });
      for (const use of pv.uses) {
        const pinned = byPurl.get(use.purl)!;
        const q = options.latest && PRODUCT_RULES.has(use.rule) ? latestOf.get(`${pinned.vendor}/${pinned.product}`)! : pinned;
        if (path.length > maxDepth) {
          result.cut = true;
        } else if (onPath.has(q.purl)) {
          result.cycles.push({ path: [...path, q.purl] });
        } else {
          rules.push(use.rule);
          visit(q);
          rules.pop();
        }
      }
    }
    onPath.delete(pv.purl);
    path.pop();
  };
  visit(root);
  return result;
}

interface ManifestIndex {
  byPurl: Map<string, WorldProductVersion>;
  /** Latest version by `vendor/product`. */
  latestOf: Map<string, WorldProductVersion>;
}

/** Built once per manifest object (a benchmark asks for every root of 20,000 product versions): manifests are read-only. */
const manifestIndexes = new WeakMap<WorldManifest, ManifestIndex>();

function indexOf(manifest: WorldManifest): ManifestIndex {
  let index = manifestIndexes.get(manifest);
  if (index === undefined) {
    index = { byPurl: new Map(manifest.productVersions.map((pv) => [pv.purl, pv])), latestOf: new Map() };
    for (const pv of manifest.productVersions) if (pv.latest) index.latestOf.set(`${pv.vendor}/${pv.product}`, pv);
    manifestIndexes.set(manifest, index);
  }
  return index;
}

// ---------------------------------------------------------------------------------------------------------
// The plan: every decision that the manifest records, made in one sequential pass over one PRNG. Rendering a
// file afterwards draws only from that file's own stream, so files can be written in any order.

interface Vendor {
  slug: string;
  name: string;
  names: string[];
  key: string;
  level?: number;
  role: WorldVendor['role'];
  productVersions: number;
}

interface Product {
  vendor: number;
  slug: string;
  name: string;
  /** Another name for the same product, for CPE and BOM-Link uses (a name that matches no subject). */
  title: string;
  level: number;
  pvs: number[];
  parent?: number;
  inCycle: boolean;
  isTreck: boolean;
}

interface PlannedUse {
  to: number;
  rule: MatchRule;
  supplier: string;
  /** purl uses only: add these identifiers too (the rule stays purl, the strongest). */
  withCpe: boolean;
  withHash: boolean;
  qualifier: boolean;
}

interface Pv {
  index: number;
  product: number;
  version: string;
  latest: boolean;
  level: number;
  purl: string;
  cpe: string;
  sha256: string;
  uuid: string;
  format: WorldFormat;
  specVersion: string;
  file: string;
  created: string;
  /** The subject's supplier as written in its own file. */
  supplier: string;
  uses: PlannedUse[];
  openHops: Omit<WorldOpenHop, 'ref'>[];
  targets: Omit<WorldTarget, 'ref'>[];
}

interface Plan {
  seed: number;
  options: WorldManifest['options'];
  vendors: Vendor[];
  products: Product[];
  pvs: Pv[];
  cycles: number[][];
  diamonds: { root: number; shared: number; users: [number, number] }[];
  /** Hands out vendor names; kept so that open-hop vendors come from the same sequence. */
  vendorNames?: VendorNames;
}

const LWIP = {
  name: 'lwIP',
  supplier: 'lwIP project',
  purlPrefix: 'pkg:github/lwip-tcpip/lwip',
  versions: [
    { version: '2.1.2', purl: 'pkg:github/lwip-tcpip/lwip@STABLE-2_1_2_RELEASE', cpe: 'cpe:2.3:a:lwip_project:lwip:2.1.2:*:*:*:*:*:*:*' },
    { version: '2.2.0', purl: 'pkg:github/lwip-tcpip/lwip@STABLE-2_2_0_RELEASE', cpe: 'cpe:2.3:a:lwip_project:lwip:2.2.0:*:*:*:*:*:*:*' },
  ],
};
const TRECK = { name: 'Treck TCP/IP', vendor: 'Treck Inc.', slug: 'treck', product: 'tcpip', versions: ['6.0.1.41', '6.0.1.66'] };

function planWorld(options: WorldOptions): Plan {
  const { seed, maxDepth: depth } = options;
  const formats = [...new Set(options.formats ?? WORLD_FORMATS)];
  checkOptions(options, formats);
  const rng = prng(seed, 0);
  const plan: Plan = {
    seed,
    options: {
      seed,
      vendors: options.vendors,
      productVersions: options.productVersions,
      componentsPerSbom: options.componentsPerSbom,
      maxDepth: depth,
      stackShare: options.stackShare,
      cycles: options.cycles,
      diamonds: options.diamonds,
      openHops: options.openHops,
      formats,
    },
    vendors: [],
    products: [],
    pvs: [],
    cycles: [],
    diamonds: [],
  };

  // Cycle products first (one version each, fixed parents), then every level filled up to its budget.
  const cycleLengths = Array.from({ length: options.cycles }, (_, k) => (depth >= 3 && k % 2 === 1 ? 3 : 2));
  const cyclePvs = cycleLengths.reduce((a, b) => a + b, 0);
  const budget = levelBudgets(options.productVersions - TRECK.versions.length - cyclePvs, depth);
  const supplierVendors = options.vendors - 1;
  const ratio = (options.productVersions - 2) / supplierVendors;
  const versionWeights = ratio >= 2.2 ? [0.45, 0.35, 0.2] : ratio >= 1.3 ? [0.75, 0.2, 0.05] : [1, 0, 0];

  const productsAt: number[][] = Array.from({ length: depth + 1 }, () => []);
  const addProduct = (level: number, versions: number, inCycle: boolean): number => {
    const index = plan.products.length;
    plan.products.push({ vendor: -1, slug: '', name: '', title: '', level, pvs: new Array<number>(versions).fill(-1), inCycle, isTreck: false });
    productsAt[level]!.push(index);
    return index;
  };
  const cycleProducts: number[][] = [];
  for (const length of cycleLengths) {
    const start = 1 + Math.floor(rng() * (depth - length + 1));
    const members: number[] = [];
    for (let k = 0; k < length; k++) {
      const p = addProduct(start + k, 1, true);
      if (k > 0) plan.products[p]!.parent = members[k - 1];
      members.push(p);
    }
    cycleProducts.push(members);
  }
  const maxVersionsAt = (level: number) => Math.max(...productsAt[level]!.map((p) => plan.products[p]!.pvs.length));
  for (let level = 0; level <= depth; level++) {
    let left = budget[level]!;
    const cap = level === 0 ? 3 : maxVersionsAt(level - 1);
    while (left > 0) {
      const n = Math.min(left, cap, 1 + weightedIndex(rng, versionWeights));
      addProduct(level, n, false);
      left -= n;
    }
  }
  for (let level = 1; level <= depth; level++) {
    for (const p of productsAt[level]!) {
      const product = plan.products[p]!;
      if (product.parent !== undefined) continue;
      const candidates = productsAt[level - 1]!.filter((c) => plan.products[c]!.pvs.length >= product.pvs.length);
      product.parent = pick(rng, candidates);
    }
  }
  if (plan.products.length < supplierVendors) {
    throw new RangeError(`vendors ${options.vendors} is more than the ${plan.products.length + 1} products that ${options.productVersions} product versions make; use fewer vendors`);
  }

  planVendors(plan, productsAt, supplierVendors, rng);
  const treckProduct = addTreck(plan, productsAt, depth);
  planProductVersions(plan, formats, rng);

  // Uses along the tree: version i of the parent pins version max(0, i - (nP - nQ)) of the child, so the latest
  // pins the latest, older versions pin older ones, and every child version is used.
  for (const product of plan.products) {
    if (product.parent === undefined) continue;
    const parent = plan.products[product.parent]!;
    const nP = parent.pvs.length;
    const nQ = product.pvs.length;
    for (let i = 0; i < nP; i++) addUse(plan, parent.pvs[i]!, product.pvs[Math.max(0, i - (nP - nQ))]!);
  }
  for (const members of cycleProducts) {
    const pvs = members.map((p) => plan.products[p]!.pvs[0]!);
    addUse(plan, pvs[pvs.length - 1]!, pvs[0]!);
    plan.cycles.push(pvs);
  }
  planTreckUses(plan, productsAt, treckProduct, rng);
  planDiamonds(plan, options.diamonds, rng);
  placeLwip(plan, options.stackShare, rng);
  planOpenHops(plan, options.openHops, rng);
  planRules(plan, rng);
  return plan;
}

function checkOptions(o: WorldOptions, formats: WorldFormat[]): void {
  const integers: [string, number, number][] = [
    ['vendors', o.vendors, 2],
    ['productVersions', o.productVersions, 1],
    ['componentsPerSbom', o.componentsPerSbom, 0],
    ['maxDepth', o.maxDepth, 1],
    ['cycles', o.cycles, 0],
    ['diamonds', o.diamonds, 0],
    ['openHops', o.openHops, 0],
  ];
  for (const [name, value, min] of integers) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
  if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be a number, got ${o.seed}`);
  if (!(o.stackShare >= 0 && o.stackShare <= 1)) throw new RangeError(`stackShare must be between 0 and 1, got ${o.stackShare}`);
  if (formats.length === 0 || formats.some((f) => !WORLD_FORMATS.includes(f))) {
    throw new RangeError(`formats must be a non-empty list of ${WORLD_FORMATS.join(', ')}, got ${formats.join(', ')}`);
  }
  if (o.cycles > 0 && o.maxDepth < 2) throw new RangeError(`cycles need maxDepth of at least 2 (a cycle starts below a root), got ${o.maxDepth}`);
  if (o.diamonds > 0 && o.maxDepth < 2) throw new RangeError(`diamonds need maxDepth of at least 2, got ${o.maxDepth}`);
  if (o.vendors < o.maxDepth + 2) throw new RangeError(`vendors must be at least maxDepth + 2 (one per level, and Treck), got ${o.vendors} for maxDepth ${o.maxDepth}`);
  const cyclePvs = Array.from({ length: o.cycles }, (_, k) => (o.maxDepth >= 3 && k % 2 === 1 ? 3 : 2)).reduce((a, b) => a + b, 0);
  const needed = o.maxDepth + 1 + TRECK.versions.length + cyclePvs;
  if (o.productVersions < needed) {
    throw new RangeError(`productVersions must be at least ${needed} for maxDepth ${o.maxDepth} and ${o.cycles} cycles (one per level, Treck's two, the cycle members), got ${o.productVersions}`);
  }
}

/** Product versions per level: devices weigh three times a supplier level; every level gets at least one. */
function levelBudgets(total: number, depth: number): number[] {
  const weights = Array.from({ length: depth + 1 }, (_, level) => (level === 0 ? 3 : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const budget = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  let diff = total - budget.reduce((a, b) => a + b, 0);
  for (let level = 0; diff !== 0; level = (level + 1) % budget.length) {
    if (diff > 0) {
      budget[level]!++;
      diff--;
    } else if (budget[level]! > 1) {
      budget[level]!--;
      diff++;
    }
  }
  return budget;
}

function planVendors(plan: Plan, productsAt: number[][], count: number, rng: () => number): void {
  const levels = productsAt.length;
  const total = productsAt.reduce((a, ps) => a + ps.length, 0);
  const perLevel = productsAt.map((ps) => Math.min(ps.length, Math.max(1, Math.round((count * ps.length) / total))));
  let sum = perLevel.reduce((a, b) => a + b, 0);
  while (sum > count) {
    const level = argMax(perLevel, (v) => (v > 1 ? v : -1));
    perLevel[level]!--;
    sum--;
  }
  while (sum < count) {
    const level = argMax(perLevel, (v, l) => (productsAt[l]!.length > v ? productsAt[l]!.length / v : -1));
    perLevel[level]!++;
    sum++;
  }
  const names = new VendorNames(plan.seed);
  const keys = new Set<string>();
  for (let level = 0; level < levels; level++) {
    const first = plan.vendors.length;
    for (let k = 0; k < perLevel[level]!; k++) {
      const vendor = names.next(level === 0 ? 'oem' : 'supplier', rng);
      if (keys.has(vendor.key)) throw new Error(`vendor key '${vendor.key}' generated twice`);
      keys.add(vendor.key);
      plan.vendors.push({ ...vendor, level, productVersions: 0 });
    }
    // Every vendor gets one product, the rest go at random.
    const products = shuffle(rng, [...productsAt[level]!]);
    products.forEach((p, i) => {
      plan.products[p]!.vendor = first + (i < perLevel[level]! ? i : Math.floor(rng() * perLevel[level]!));
    });
  }
  plan.vendorNames = names;
}

function addTreck(plan: Plan, productsAt: number[][], depth: number): number {
  const vendor = plan.vendors.length;
  plan.vendors.push({
    slug: TRECK.slug,
    name: TRECK.vendor,
    names: ['Treck Inc.', 'Treck, Inc', 'TRECK INC.', 'Treck Incorporated'],
    key: normaliseVendorName(TRECK.vendor)!,
    level: depth,
    role: 'stack',
    productVersions: 0,
  });
  const index = plan.products.length;
  plan.products.push({ vendor, slug: TRECK.product, name: TRECK.name, title: 'Treck TCP/IP stack', level: depth, pvs: TRECK.versions.map(() => -1), inCycle: false, isTreck: true });
  productsAt[depth]!.push(index);
  return index;
}

const DEVICE_KINDS = ['infusion-pump', 'patient-monitor', 'ventilator', 'glucose-meter', 'ecg-recorder', 'dialysis-unit', 'ultrasound-console', 'insulin-pump', 'pulse-oximeter', 'syringe-driver', 'defibrillator', 'bedside-hub', 'telemetry-pack', 'anaesthesia-unit', 'imaging-workstation'];
const BOARD_KINDS = ['mainboard', 'controller-board', 'display-board', 'power-board', 'sensor-board', 'comms-board'];
const MODULE_KINDS = ['wifi-module', 'ble-module', 'lte-module', 'ethernet-module', 'gateway-module', 'zigbee-module'];
const PLATFORM_KINDS = ['rtos-bsp', 'network-sdk', 'connectivity-sdk', 'driver-pack', 'middleware', 'secure-boot', 'crypto-lib', 'ip-core', 'phy-driver', 'firmware-platform'];
const LETTERS = 'abcdefghjkmnpqrstuvwxz';

function planProductVersions(plan: Plan, formats: WorldFormat[], rng: () => number): void {
  const order: number[] = [];
  plan.products.forEach((product, p) => {
    const vendor = plan.vendors[product.vendor]!;
    if (!product.isTreck) {
      const kinds = product.level === 0 ? DEVICE_KINDS : product.level === 1 ? BOARD_KINDS : product.level === 2 ? MODULE_KINDS : PLATFORM_KINDS;
      const code = `${LETTERS[Math.floor(rng() * LETTERS.length)]}${LETTERS[Math.floor(rng() * LETTERS.length)]}${100 + p}`;
      const kind = pick(rng, kinds);
      product.slug = `${kind}-${code}`;
      product.name = product.slug;
      product.title = `${code.toUpperCase()} ${kind.replace(/-/g, ' ')} firmware image`;
    }
    const major = 1 + Math.floor(rng() * 4);
    const minor = Math.floor(rng() * 5);
    const firstDay = Math.floor(rng() * 600);
    for (let k = 0; k < product.pvs.length; k++) {
      const version = product.isTreck ? TRECK.versions[k]! : k === 2 ? `${major + 1}.0.0` : `${major}.${minor + k}.0`;
      const index = plan.pvs.length;
      product.pvs[k] = index;
      order.push(index);
      vendor.productVersions++;
      const purl = `pkg:generic/${vendor.slug}/${product.slug}@${version}`;
      plan.pvs.push({
        index,
        product: p,
        version,
        latest: k === product.pvs.length - 1,
        level: product.level,
        purl,
        cpe: product.isTreck ? `cpe:2.3:a:treck:tcp\\/ip:${version}:*:*:*:*:*:*:*` : `cpe:2.3:o:${underscore(vendor.slug)}:${underscore(product.slug)}:${version}:*:*:*:*:*:*:*`,
        sha256: hex(rng, 64),
        uuid: uuidV4(rng),
        format: 'cyclonedx-json',
        specVersion: '',
        file: '',
        created: isoDay(firstDay + k * 120),
        supplier: pick(rng, vendor.names),
        uses: [],
        openHops: [],
        targets: [],
      });
    }
  });
  // Every format at least once (when there are enough files), the rest at random.
  const shuffled = shuffle(rng, order);
  shuffled.forEach((index, i) => {
    const pv = plan.pvs[index]!;
    const product = plan.products[pv.product]!;
    pv.format = i < formats.length ? formats[i]! : pick(rng, formats);
    pv.specVersion = pv.format === 'cyclonedx-json' || pv.format === 'cyclonedx-xml' ? (rng() < 0.6 ? '1.6' : '1.5') : pv.format === 'spdx3-jsonld' ? '3.0.1' : '2.3';
    pv.file = `${plan.vendors[product.vendor]!.slug}/${product.slug}-${pv.version}${EXTENSIONS[pv.format]}`;
  });
}

const EXTENSIONS: Record<WorldFormat, string> = {
  'cyclonedx-json': '.cdx.json',
  'cyclonedx-xml': '.cdx.xml',
  'spdx-json': '.spdx.json',
  'spdx-tag-value': '.spdx',
  'spdx3-jsonld': '.spdx3.json',
};

function addUse(plan: Plan, from: number, to: number): void {
  const uses = plan.pvs[from]!.uses;
  if (!uses.some((u) => u.to === to)) uses.push({ to, rule: 'PURL', supplier: '', withCpe: false, withHash: false, qualifier: false });
}

/**
 * About 1 % of the products, in the deeper levels, use Treck's stack: older versions 6.0.1.41, the latest 6.0.1.66.
 * The first single-version user keeps 6.0.1.41 in its latest (and only) version: a hop that has not integrated
 * the fix. Both Treck versions end up used, so neither is a root.
 */
function planTreckUses(plan: Plan, productsAt: number[][], treck: number, rng: () => number): void {
  const [old, fixed] = plan.products[treck]!.pvs as [number, number];
  const depth = productsAt.length - 1;
  const candidates = shuffle(rng, productsAt.slice(Math.max(1, depth - 3), depth).flat().filter((p) => !plan.products[p]!.inCycle));
  if (candidates.length === 0) candidates.push(...productsAt[depth - 1]!);
  const count = Math.max(2, Math.round(plan.products.length * 0.01));
  let usedOld = false;
  let usedFixed = false;
  for (const p of candidates.slice(0, count)) {
    const pvs = plan.products[p]!.pvs;
    if (pvs.length === 1) {
      const q = !usedOld ? old : fixed;
      addUse(plan, pvs[0]!, q);
      if (q === old) usedOld = true;
      else usedFixed = true;
    } else {
      pvs.forEach((pv, i) => addUse(plan, pv, i === pvs.length - 1 ? fixed : old));
      usedOld = usedFixed = true;
    }
  }
  if (!usedFixed && candidates.length > 0) addUse(plan, plan.products[candidates[0]!]!.pvs.at(-1)!, fixed);
}

function parentsOf(plan: Plan): number[][] {
  const parents: number[][] = plan.pvs.map(() => []);
  for (const pv of plan.pvs) for (const u of pv.uses) parents[u.to]!.push(pv.index);
  return parents;
}

/**
 * Each diamond: a root R, a product version M at least two levels below it, and a product version Y below R, on
 * a level above M, that is not already above M: Y now uses M too. Y is shallower than M, so no walk gets longer.
 */
function planDiamonds(plan: Plan, count: number, rng: () => number): void {
  if (count === 0) return;
  const roots = plan.pvs.filter((pv) => pv.level === 0).map((pv) => pv.index);
  const parents = parentsOf(plan);
  const shared = new Set<number>();
  for (let attempt = 0; plan.diamonds.length < count; attempt++) {
    if (attempt > 200 * count) throw new RangeError(`could not place ${count} diamonds in this world (placed ${plan.diamonds.length}); use more product versions or a greater maxDepth`);
    const root = pick(rng, roots);
    const below = descendants(plan, root);
    const ms = [...below.keys()].filter((m) => plan.pvs[m]!.level >= 2 && !shared.has(m) && !plan.products[plan.pvs[m]!.product]!.inCycle && !plan.products[plan.pvs[m]!.product]!.isTreck);
    if (ms.length === 0) continue;
    const m = pick(rng, ms);
    const above = ancestors(parents, [m]);
    const userProducts = new Set(parents[m]!.map((x) => plan.pvs[x]!.product));
    const ys = [...below.keys()].filter((y) => {
      const pv = plan.pvs[y]!;
      return y !== root && pv.level >= 1 && pv.level < plan.pvs[m]!.level && !above.has(y) && !userProducts.has(pv.product) && !plan.products[pv.product]!.inCycle;
    });
    if (ys.length === 0) continue;
    const y = pick(rng, ys);
    const x = parents[m]!.find((p) => below.has(p))!;
    addUse(plan, y, m);
    parents[m]!.push(y);
    shared.add(m);
    plan.diamonds.push({ root, shared: m, users: [x, y] });
  }
}

/** Product versions below `from` (not itself). */
function descendants(plan: Plan, from: number): Set<number> {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length) {
    for (const u of plan.pvs[stack.pop()!]!.uses) {
      if (u.to !== from && !seen.has(u.to)) {
        seen.add(u.to);
        stack.push(u.to);
      }
    }
  }
  return seen;
}

/** Product versions above any of `from` (not themselves, unless in a cycle), skipping those in `stop`. */
function ancestors(parents: number[][], from: number[], stop?: Set<number>): Set<number> {
  const seen = new Set<number>();
  const stack = [...from];
  while (stack.length) {
    for (const p of parents[stack.pop()!]!) {
      if (!seen.has(p) && !stop?.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return seen;
}

/**
 * Puts lwIP into whole products (every version: the latest 2.2.0, older ones 2.1.2; a single version 2.1.2), modules
 * and deeper first, products with several versions before others (in random order), then boards and devices, taking a product only while the product versions that then reach lwIP stay within the target;
 * then single product versions to close the gap.
 */
function placeLwip(plan: Plan, share: number, rng: () => number): void {
  const target = Math.round(share * plan.pvs.length);
  if (target === 0) return;
  const tolerance = Math.max(1, Math.round(target * 0.01));
  const parents = parentsOf(plan);
  const deep = Math.min(2, plan.options.maxDepth);
  const reached = new Set<number>();
  const tryUnit = (pvs: number[]): void => {
    const fresh = pvs.filter((pv) => !reached.has(pv));
    if (fresh.length === 0) return;
    const above = ancestors(parents, fresh, reached);
    for (const pv of fresh) above.add(pv);
    if (reached.size + above.size > target + tolerance) return;
    for (const pv of above) reached.add(pv);
    for (const pv of pvs) {
      const p = plan.pvs[pv]!;
      const v = LWIP.versions[p.latest && plan.products[p.product]!.pvs.length > 1 ? 1 : 0]!;
      if (p.targets.length === 0) p.targets.push({ stack: 'lwip', name: LWIP.name, version: v.version, purl: v.purl, ...(rng() < 0.6 ? { cpe: v.cpe } : {}), supplier: LWIP.supplier });
    }
  };
  const products = plan.products
    .map((product, p) => ({ p, key: (product.level >= deep ? 2 : 0) + (product.pvs.length > 1 ? 1 : 0) + rng() }))
    .filter(({ p }) => !plan.products[p]!.isTreck)
    .sort((a, b) => b.key - a.key);
  for (const { p } of products) {
    if (reached.size >= target - tolerance) break;
    tryUnit(plan.products[p]!.pvs);
  }
  for (const { p } of products) {
    for (const pv of plan.products[p]!.pvs) {
      if (reached.size >= target - tolerance) return;
      tryUnit([pv]);
    }
  }
}

const OPEN_HOP_KINDS = ['wlan-driver', 'pmic-firmware', 'ble-radio-fw', 'secure-element-applet', 'touch-controller-fw', 'gnss-firmware', 'modem-firmware', 'codec-dsp-fw', 'battery-gauge-fw', 'sensor-hub-fw'];

/** Open hops: half from vendors that publish nothing at all, half from world vendors, for products they have no SBOM of. */
function planOpenHops(plan: Plan, count: number, rng: () => number): void {
  if (count === 0) return;
  const silent: number[] = [];
  const silentCount = Math.min(200, Math.max(1, Math.ceil(count / 4)));
  for (let k = 0; k < silentCount; k++) {
    silent.push(plan.vendors.length);
    plan.vendors.push({ ...plan.vendorNames!.next('supplier', rng), role: 'silent', productVersions: 0 });
  }
  const candidates = plan.pvs.filter((pv) => !plan.products[pv.product]!.isTreck);
  for (let k = 0; k < count; k++) {
    const pv = pick(rng, candidates);
    const own = plan.products[pv.product]!.vendor;
    let vendor = k % 2 === 0 ? pick(rng, silent) : Math.floor(rng() * plan.vendors.length);
    if (vendor === own || plan.vendors[vendor]!.role === 'stack') vendor = pick(rng, silent);
    const v = plan.vendors[vendor]!;
    const name = `${pick(rng, OPEN_HOP_KINDS)}-x${k + 1}`;
    const version = `${1 + Math.floor(rng() * 5)}.${Math.floor(rng() * 10)}.${Math.floor(rng() * 20)}`;
    const supplier = pick(rng, v.names);
    pv.openHops.push({ name, version, purl: `pkg:generic/${v.slug}/${name}@${version}`, supplier, vendorKey: v.key });
  }
}

const RULE_WEIGHTS: [MatchRule, number][] = [['PURL', 0.6], ['CPE', 0.14], ['SUPPLIER_NAME_VERSION', 0.14], ['HASH', 0.12]];

function isCycloneDx(format: WorldFormat): boolean {
  return format === 'cyclonedx-json' || format === 'cyclonedx-xml';
}

/** A rule per use (BOM-Links only between two CycloneDX files), every rule at least once where it can be, and the supplier's spelling. */
function planRules(plan: Plan, rng: () => number): void {
  const all: [Pv, PlannedUse][] = [];
  for (const pv of plan.pvs) {
    for (const use of pv.uses) {
      const q = plan.pvs[use.to]!;
      // BOM-Links need CycloneDX on both ends: between two CycloneDX files they take 40 %, elsewhere none.
      const linkable = isCycloneDx(pv.format) && isCycloneDx(q.format);
      const rule = linkable && rng() < 0.4 ? 'BOM_LINK' : RULE_WEIGHTS[weightedIndex(rng, RULE_WEIGHTS.map(([, w]) => w))]![0];
      use.rule = rule;
      use.supplier = pick(rng, plan.vendors[plan.products[q.product]!.vendor]!.names);
      use.withCpe = rng() < 0.5;
      use.withHash = rng() < 0.3;
      use.qualifier = rng() < 0.2;
      all.push([pv, use]);
    }
  }
  for (const rule of MATCH_RULES) {
    if (all.some(([, u]) => u.rule === rule)) continue;
    const eligible = all.filter(([pv, u]) => u.rule === 'PURL' && (rule !== 'BOM_LINK' || (isCycloneDx(pv.format) && isCycloneDx(plan.pvs[u.to]!.format))));
    if (eligible.length > 1) pick(rng, eligible)[1].rule = rule;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Vendor names.

const FIRST_WORDS = [
  'Aldermoor', 'Brightwater', 'Castellan', 'Driftwood', 'Eastbrook', 'Fairhaven', 'Glenrock', 'Highmoor', 'Ironvale', 'Juniper',
  'Kingsmere', 'Lakeshore', 'Marlowe', 'Norbury', 'Oakhurst', 'Pemberton', 'Quillon', 'Ravenscar', 'Stonebridge', 'Thornbury',
  'Upton', 'Vireo', 'Westbrook', 'Yarrow', 'Zenith', 'Ashgrove', 'Beaconsfield', 'Corvid', 'Delmar', 'Elmstead',
  'Foxley', 'Greyhawk', 'Halcyon', 'Inverhall', 'Jasperton', 'Kestrel', 'Linden', 'Meridian', 'Norland', 'Orchard',
  'Pinewood', 'Quarrington', 'Redfern', 'Saltmarsh', 'Tamarind', 'Umberly', 'Valemont', 'Whitlock', 'Yewdale', 'Zephyrine',
];
const OEM_WORDS = ['Medical', 'Health', 'Healthcare', 'Diagnostics', 'Imaging', 'Biomedical', 'Therapeutics', 'Clinical', 'Cardio', 'Respiratory'];
const SUPPLIER_WORDS = [
  'Embedded', 'Electronics', 'Semiconductor', 'Wireless', 'Microsystems', 'Controls', 'Instruments', 'Networks', 'Software', 'Sensors',
  'Labs', 'Technologies', 'Systems', 'Dynamics', 'Silicon', 'Connectivity', 'Devices', 'Circuits', 'Logic', 'Signal',
];
const REGIONS = ['', 'Nordic', 'Pacific', 'Europe', 'Asia', 'Americas', 'Alpine', 'Atlantic'];
/** A legal form and the ways files write it (the first is the usual one). All normalise to the bare name. */
const LEGAL_FORMS: ((base: string) => string[])[] = [
  (b) => [`${b} Inc.`, `${b}, Inc`, `${b.toUpperCase()} INC.`, `${b} Incorporated`, b],
  (b) => [`${b} GmbH`, `${b} GMBH`, b],
  (b) => [`${b} Ltd`, `${b} Ltd.`, `${b} Limited`, b],
  (b) => [`${b} AB`, b],
  (b) => [`${b} Corp.`, `${b} Corporation`, `${b}, Corp`],
  (b) => [`${b} LLC`, `${b}, L.L.C.`, b],
  (b) => [`${b} B.V.`, `${b} BV`],
  (b) => [`${b} S.A.`, `${b} SA`],
  (b) => [`${b} Oy`, b.toUpperCase()],
  (b) => [b],
];

/**
 * Distinct vendor names: each role's word combinations in a seed-dependent order, never one twice; names without a
 * region word come first, so only big worlds get "Kestrel Sensors Nordic".
 */
class VendorNames {
  private readonly order: Record<'oem' | 'supplier', number[]>;
  private readonly used = { oem: 0, supplier: 0 };

  constructor(seed: number) {
    const rng = prng(seed, 1);
    const space = (words: readonly string[]) => {
      const plain = FIRST_WORDS.length * words.length;
      const all = Array.from({ length: plain * REGIONS.length }, (_, i) => i);
      return [...shuffle(rng, all.slice(0, plain)), ...shuffle(rng, all.slice(plain))];
    };
    this.order = { oem: space(OEM_WORDS), supplier: space(SUPPLIER_WORDS) };
  }

  next(role: 'oem' | 'supplier', rng: () => number): Omit<Vendor, 'level' | 'productVersions' | 'role'> & { role: 'oem' | 'supplier' } {
    const words = role === 'oem' ? OEM_WORDS : SUPPLIER_WORDS;
    const order = this.order[role];
    const n = this.used[role]++;
    const c = order[n % order.length]!;
    const first = FIRST_WORDS[c % FIRST_WORDS.length]!;
    const second = words[Math.floor(c / FIRST_WORDS.length) % words.length]!;
    const region = REGIONS[Math.floor(c / (FIRST_WORDS.length * words.length))]!;
    const round = Math.floor(n / order.length);
    const base = [first, second, region, round > 0 ? String(round + 1) : ''].filter((w) => w !== '').join(' ');
    const names = pick(rng, LEGAL_FORMS)(base);
    return { slug: base.toLowerCase().replace(/ /g, '-'), name: names[0]!, names, key: normaliseVendorName(base)!, role };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Rendering: one SBOM as a string (a few kB), components described once and written in each format's terms.

interface DocComponent {
  /** Local id: [a-z0-9.-], unique in the document. */
  id: string;
  type: 'firmware' | 'library';
  name: string;
  version?: string;
  supplier?: string;
  purl?: string;
  cpe?: string;
  sha256?: string;
  license?: string;
  bomLink?: string;
  description?: string;
}

const LIBS = ['hal', 'bootloader', 'config-store', 'logger', 'crypto-shim', 'ota-agent', 'ui-shell', 'drivers', 'json-codec', 'mqtt-client', 'scheduler', 'storage', 'usb-device', 'diagnostics', 'calibration', 'alarm-engine', 'audit-log', 'pki-client', 'time-sync', 'watchdog'];
const LICENSES = ['MIT', 'MIT', 'Apache-2.0', 'Apache-2.0', 'BSD-3-Clause', 'BSD-2-Clause', 'ISC', 'Zlib'];

function subjectId(product: Product, pv: Pv): string {
  return `${product.slug}-${pv.version}`;
}

/** The component's ref as the parser reads it back: bom-ref, SPDXID or spdxId. */
function refIn(pv: Pv, product: Product, vendor: Vendor, id: string): string {
  if (isCycloneDx(pv.format)) return id;
  if (pv.format === 'spdx3-jsonld') return `${spdx3Base(pv, product, vendor)}/pkg/${id}`;
  return `SPDXRef-${id}`;
}

function spdx3Base(pv: Pv, product: Product, vendor: Vendor): string {
  return `https://${vendor.slug}.example/spdx3/${product.slug}/${pv.version}/${pv.uuid}`;
}

function spdx2Namespace(pv: Pv, product: Product, vendor: Vendor): string {
  return `https://${vendor.slug}.example/spdx/${product.slug}/${pv.version}/${pv.uuid}`;
}

function serialNumberOf(pv: Pv, product: Product, vendor: Vendor): string {
  if (isCycloneDx(pv.format)) return `urn:uuid:${pv.uuid}`;
  if (pv.format === 'spdx3-jsonld') return `${spdx3Base(pv, product, vendor)}/document`;
  return spdx2Namespace(pv, product, vendor);
}

function useId(q: Pv, product: Product): string {
  return `use-${product.slug}-${q.version}`;
}

function renderSbom(plan: Plan, pv: Pv): string {
  const product = plan.products[pv.product]!;
  const vendor = plan.vendors[product.vendor]!;
  const rng = prng(plan.seed ^ 0x5bd1e995, pv.index);
  const subject: DocComponent = {
    id: subjectId(product, pv),
    type: 'firmware',
    name: product.name,
    version: pv.version,
    supplier: pv.supplier,
    purl: pv.purl,
    cpe: pv.cpe,
    sha256: pv.sha256,
    description: product.isTreck ? 'Treck TCP/IP stack for embedded devices.' : `Firmware of the ${product.title.replace(/ firmware image$/, '')}, release ${pv.version}.`,
  };
  const components: DocComponent[] = [];
  const fillers = plan.options.componentsPerSbom;
  const half = Math.ceil(fillers / 2);
  const filler = (k: number): DocComponent => {
    const lib = `${product.slug}-${LIBS[k % LIBS.length]}${k >= LIBS.length ? `-${Math.floor(k / LIBS.length) + 1}` : ''}`;
    const own = rng() < 0.7;
    const c: DocComponent = { id: `lib-${lib}`, type: 'library', name: lib, version: pv.version, sha256: hex(rng, 64), license: pick(rng, LICENSES) };
    if (own) {
      c.supplier = pick(rng, vendor.names);
      c.purl = `pkg:generic/${vendor.slug}/${lib}@${pv.version}`;
      if (rng() < 0.2) c.cpe = `cpe:2.3:a:${underscore(vendor.slug)}:${underscore(lib)}:${pv.version}:*:*:*:*:*:*:*`;
    } else {
      c.purl = `pkg:npm/${lib}@${pv.version}`;
    }
    return c;
  };
  for (let k = 0; k < half; k++) components.push(filler(k));
  for (const use of pv.uses) {
    const q = plan.pvs[use.to]!;
    const qProduct = plan.products[q.product]!;
    const c: DocComponent = { id: useId(q, qProduct), type: 'firmware', name: qProduct.name, supplier: use.supplier };
    switch (use.rule) {
      case 'PURL':
        c.version = q.version;
        c.purl = use.qualifier ? `${q.purl}?arch=armv7m` : q.purl;
        if (use.withCpe) c.cpe = q.cpe;
        if (use.withHash) c.sha256 = q.sha256;
        break;
      case 'CPE':
        c.name = qProduct.title;
        c.version = q.version;
        c.cpe = q.cpe;
        break;
      case 'SUPPLIER_NAME_VERSION':
        c.version = q.version;
        break;
      case 'BOM_LINK':
        c.name = qProduct.title;
        c.bomLink = `urn:cdx:${q.uuid}/1#${subjectId(qProduct, q)}`;
        break;
      case 'HASH':
        c.name = `${qProduct.slug}-${q.version}.bin`;
        c.sha256 = q.sha256;
        break;
    }
    components.push(c);
  }
  for (const t of pv.targets) {
    components.push({ id: `stack-${t.stack}`, type: 'library', name: t.name, version: t.version, supplier: t.supplier, purl: t.purl, cpe: t.cpe, license: 'BSD-3-Clause' });
  }
  pv.openHops.forEach((h, k) => {
    components.push({ id: `ext-${k + 1}-${h.name}`, type: 'firmware', name: h.name, version: h.version, supplier: h.supplier, purl: h.purl, sha256: hex(rng, 64) });
  });
  for (let k = half; k < fillers; k++) components.push(filler(k));

  const doc: RenderInput = { pv, product, vendor, subject, components };
  switch (pv.format) {
    case 'cyclonedx-json':
      return renderCycloneDxJson(doc);
    case 'cyclonedx-xml':
      return renderCycloneDxXml(doc);
    case 'spdx-json':
      return renderSpdxJson(doc);
    case 'spdx-tag-value':
      return renderSpdxTagValue(doc);
    case 'spdx3-jsonld':
      return renderSpdx3(doc);
  }
}

interface RenderInput {
  pv: Pv;
  product: Product;
  vendor: Vendor;
  subject: DocComponent;
  components: DocComponent[];
}

const TOOL = { name: GENERATOR, version: '1.0.0' };

function cdxComponent(c: DocComponent): Record<string, unknown> {
  const out: Record<string, unknown> = { type: c.type, 'bom-ref': c.id };
  if (c.supplier) out.supplier = { name: c.supplier };
  out.name = c.name;
  if (c.version) out.version = c.version;
  if (c.description) out.description = c.description;
  if (c.sha256) out.hashes = [{ alg: 'SHA-256', content: c.sha256 }];
  if (c.license) out.licenses = [{ license: { id: c.license } }];
  if (c.cpe) out.cpe = c.cpe;
  if (c.purl) out.purl = c.purl;
  if (c.bomLink) out.externalReferences = [{ type: 'bom', url: c.bomLink }];
  return out;
}

function renderCycloneDxJson({ pv, subject, components }: RenderInput): string {
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: pv.specVersion,
    serialNumber: `urn:uuid:${pv.uuid}`,
    version: 1,
    metadata: {
      timestamp: pv.created,
      tools: { components: [{ type: 'application', name: TOOL.name, version: TOOL.version }] },
      component: cdxComponent(subject),
    },
    components: components.map(cdxComponent),
    dependencies: [{ ref: subject.id, dependsOn: components.map((c) => c.id) }],
  };
  return `${JSON.stringify(bom)}\n`;
}

function renderCycloneDxXml({ pv, subject, components }: RenderInput): string {
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<bom xmlns="http://cyclonedx.org/schema/bom/${pv.specVersion}" serialNumber="urn:uuid:${pv.uuid}" version="1">`,
    '  <metadata>',
    `    <timestamp>${pv.created}</timestamp>`,
    `    <tools><components><component type="application"><name>${TOOL.name}</name><version>${TOOL.version}</version></component></components></tools>`,
    xmlComponent(subject, '    '),
    '  </metadata>',
    '  <components>',
    ...components.map((c) => xmlComponent(c, '    ')),
    '  </components>',
    '  <dependencies>',
    `    <dependency ref="${xml(subject.id)}">`,
    ...components.map((c) => `      <dependency ref="${xml(c.id)}"/>`),
    '    </dependency>',
    '  </dependencies>',
    '</bom>',
    '',
  ];
  return lines.join('\n');
}

/** Children in the order the XSD's sequence wants them (1.5 and 1.6 agree on these). */
function xmlComponent(c: DocComponent, indent: string): string {
  const parts: string[] = [];
  if (c.supplier) parts.push(`<supplier><name>${xml(c.supplier)}</name></supplier>`);
  parts.push(`<name>${xml(c.name)}</name>`);
  if (c.version) parts.push(`<version>${xml(c.version)}</version>`);
  if (c.description) parts.push(`<description>${xml(c.description)}</description>`);
  if (c.sha256) parts.push(`<hashes><hash alg="SHA-256">${c.sha256}</hash></hashes>`);
  if (c.license) parts.push(`<licenses><license><id>${c.license}</id></license></licenses>`);
  if (c.cpe) parts.push(`<cpe>${xml(c.cpe)}</cpe>`);
  if (c.purl) parts.push(`<purl>${xml(c.purl)}</purl>`);
  if (c.bomLink) parts.push(`<externalReferences><reference type="bom"><url>${xml(c.bomLink)}</url></reference></externalReferences>`);
  return `${indent}<component type="${c.type}" bom-ref="${xml(c.id)}">\n${parts.map((p) => `${indent}  ${p}`).join('\n')}\n${indent}</component>`;
}

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

function spdxPackage(c: DocComponent): Record<string, unknown> {
  const p: Record<string, unknown> = { SPDXID: `SPDXRef-${c.id}`, name: c.name };
  if (c.version) p.versionInfo = c.version;
  if (c.supplier) p.supplier = `Organization: ${c.supplier}`;
  p.downloadLocation = 'NOASSERTION';
  p.filesAnalyzed = false;
  if (c.sha256) p.checksums = [{ algorithm: 'SHA256', checksumValue: c.sha256 }];
  if (c.license) p.licenseDeclared = c.license;
  if (c.description) p.description = c.description;
  const refs: Record<string, string>[] = [];
  if (c.purl) refs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl });
  if (c.cpe) refs.push({ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: c.cpe });
  if (refs.length) p.externalRefs = refs;
  p.primaryPackagePurpose = c.type === 'firmware' ? 'FIRMWARE' : 'LIBRARY';
  return p;
}

function documentName(product: Product, pv: Pv): string {
  return `${product.slug}-${pv.version}`;
}

function renderSpdxJson({ pv, product, vendor, subject, components }: RenderInput): string {
  const doc = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: documentName(product, pv),
    documentNamespace: spdx2Namespace(pv, product, vendor),
    creationInfo: { created: pv.created, creators: [`Organization: ${pv.supplier}`, `Tool: ${TOOL.name}-${TOOL.version}`] },
    packages: [spdxPackage(subject), ...components.map(spdxPackage)],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: `SPDXRef-${subject.id}` },
      ...components.map((c) => ({ spdxElementId: `SPDXRef-${subject.id}`, relationshipType: 'CONTAINS', relatedSpdxElement: `SPDXRef-${c.id}` })),
    ],
  };
  return `${JSON.stringify(doc)}\n`;
}

function renderSpdxTagValue({ pv, product, vendor, subject, components }: RenderInput): string {
  const lines: string[] = [
    'SPDXVersion: SPDX-2.3',
    'DataLicense: CC0-1.0',
    'SPDXID: SPDXRef-DOCUMENT',
    `DocumentName: ${documentName(product, pv)}`,
    `DocumentNamespace: ${spdx2Namespace(pv, product, vendor)}`,
    `Creator: Organization: ${pv.supplier}`,
    `Creator: Tool: ${TOOL.name}-${TOOL.version}`,
    `Created: ${pv.created}`,
  ];
  for (const c of [subject, ...components]) {
    lines.push('', `PackageName: ${c.name}`, `SPDXID: SPDXRef-${c.id}`);
    if (c.version) lines.push(`PackageVersion: ${c.version}`);
    if (c.supplier) lines.push(`PackageSupplier: Organization: ${c.supplier}`);
    lines.push('PackageDownloadLocation: NOASSERTION', 'FilesAnalyzed: false');
    if (c.sha256) lines.push(`PackageChecksum: SHA256: ${c.sha256}`);
    if (c.license) lines.push(`PackageLicenseDeclared: ${c.license}`);
    if (c.description) lines.push(`PackageDescription: <text>${c.description}</text>`);
    if (c.purl) lines.push(`ExternalRef: PACKAGE-MANAGER purl ${c.purl}`);
    if (c.cpe) lines.push(`ExternalRef: SECURITY cpe23Type ${c.cpe}`);
    lines.push(`PrimaryPackagePurpose: ${c.type === 'firmware' ? 'FIRMWARE' : 'LIBRARY'}`);
  }
  lines.push('', `Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-${subject.id}`);
  for (const c of components) lines.push(`Relationship: SPDXRef-${subject.id} CONTAINS SPDXRef-${c.id}`);
  lines.push('');
  return lines.join('\n');
}

function renderSpdx3({ pv, product, vendor, subject, components }: RenderInput): string {
  const base = spdx3Base(pv, product, vendor);
  const CI = '_:creationinfo';
  const agents = new Map<string, string>();
  const agentOf = (name: string): string => {
    let id = agents.get(name);
    if (id === undefined) agents.set(name, (id = `${base}/agent/${agents.size + 1}`));
    return id;
  };
  const author = agentOf(pv.supplier);
  const pkg = (c: DocComponent): Record<string, unknown> => {
    const e: Record<string, unknown> = { type: 'software_Package', spdxId: `${base}/pkg/${c.id}`, creationInfo: CI, name: c.name };
    if (c.description) e.description = c.description;
    if (c.version) e.software_packageVersion = c.version;
    if (c.purl) e.software_packageUrl = c.purl;
    if (c.supplier) e.suppliedBy = agentOf(c.supplier);
    if (c.cpe) e.externalIdentifier = [{ type: 'ExternalIdentifier', externalIdentifierType: 'cpe23', identifier: c.cpe }];
    if (c.sha256) e.verifiedUsing = [{ type: 'Hash', algorithm: 'sha256', hashValue: c.sha256 }];
    e.software_primaryPurpose = c.type === 'firmware' ? 'firmware' : 'library';
    return e;
  };
  const packages = [subject, ...components].map(pkg);
  const graph: Record<string, unknown>[] = [
    { type: 'CreationInfo', '@id': CI, specVersion: '3.0.1', created: pv.created, createdBy: [author], createdUsing: [`${base}/tool`] },
    ...[...agents].map(([name, id]) => ({ type: 'Organization', spdxId: id, creationInfo: CI, name })),
    { type: 'Tool', spdxId: `${base}/tool`, creationInfo: CI, name: `${TOOL.name} ${TOOL.version}` },
    {
      type: 'SpdxDocument',
      spdxId: `${base}/document`,
      creationInfo: CI,
      name: documentName(product, pv),
      rootElement: [`${base}/sbom`],
      profileConformance: ['core', 'software'],
    },
    { type: 'software_Sbom', spdxId: `${base}/sbom`, creationInfo: CI, rootElement: [`${base}/pkg/${subject.id}`], software_sbomType: ['build'] },
    ...packages,
  ];
  if (components.length) {
    graph.push({ type: 'Relationship', spdxId: `${base}/relationship/contains`, creationInfo: CI, from: `${base}/pkg/${subject.id}`, relationshipType: 'contains', to: components.map((c) => `${base}/pkg/${c.id}`) });
  }
  return `${JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': graph })}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Manifest.

function toManifest(plan: Plan): WorldManifest {
  const usesByRule = Object.fromEntries(MATCH_RULES.map((r) => [r, 0])) as Record<MatchRule, number>;
  const filesByFormat = Object.fromEntries(WORLD_FORMATS.map((f) => [f, 0])) as Record<WorldFormat, number>;
  let uses = 0;
  let openHops = 0;
  const used = new Set<number>();
  const productVersions: WorldProductVersion[] = plan.pvs.map((pv) => {
    const product = plan.products[pv.product]!;
    const vendor = plan.vendors[product.vendor]!;
    filesByFormat[pv.format]++;
    openHops += pv.openHops.length;
    return {
      purl: pv.purl,
      vendor: vendor.slug,
      product: product.slug,
      name: product.name,
      version: pv.version,
      latest: pv.latest,
      level: pv.level,
      file: pv.file,
      format: pv.format,
      cpe: pv.cpe,
      sha256: pv.sha256,
      ref: refIn(pv, product, vendor, subjectId(product, pv)),
      serialNumber: serialNumberOf(pv, product, vendor),
      created: pv.created,
      uses: pv.uses.map((u) => {
        const q = plan.pvs[u.to]!;
        used.add(u.to);
        usesByRule[u.rule]++;
        uses++;
        return { ref: refIn(pv, product, vendor, useId(q, plan.products[q.product]!)), purl: q.purl, rule: u.rule, supplier: u.supplier };
      }),
      openHops: pv.openHops.map((h, k) => ({ ref: refIn(pv, product, vendor, `ext-${k + 1}-${h.name}`), ...h })),
      targets: pv.targets.map((t) => ({ ref: refIn(pv, product, vendor, `stack-${t.stack}`), ...t })),
    };
  });
  const manifest: WorldManifest = {
    generator: GENERATOR,
    options: plan.options,
    vendors: plan.vendors.map((v) => ({ slug: v.slug, name: v.name, names: v.names, key: v.key, ...(v.level === undefined ? {} : { level: v.level }), role: v.role, productVersions: v.productVersions })),
    files: plan.pvs.map((pv) => {
      const product = plan.products[pv.product]!;
      return { path: pv.file, format: pv.format, specVersion: pv.specVersion, vendor: plan.vendors[product.vendor]!.name, product: product.slug, version: pv.version, subjectPurl: pv.purl };
    }),
    productVersions,
    roots: plan.pvs.filter((pv) => !used.has(pv.index)).map((pv) => pv.purl),
    stacks: [],
    cycles: plan.cycles.map((members) => ({ members: members.map((m) => plan.pvs[m]!.purl) })),
    diamonds: plan.diamonds.map((d) => ({ root: plan.pvs[d.root]!.purl, shared: plan.pvs[d.shared]!.purl, users: [plan.pvs[d.users[0]]!.purl, plan.pvs[d.users[1]]!.purl] })),
    stats: { uses, usesByRule, filesByFormat, openHops, depth: 0 },
  };
  const reach = reachShares(manifest);
  manifest.stacks = [
    { id: 'lwip', name: LWIP.name, supplier: LWIP.supplier, purlPrefix: LWIP.purlPrefix, purls: LWIP.versions.map((v) => v.purl), hasSbom: false, share: reach.lwip },
    { id: 'treck', name: TRECK.name, supplier: TRECK.vendor, purlPrefix: `pkg:generic/${TRECK.slug}/${TRECK.product}`, purls: TRECK.versions.map((v) => `pkg:generic/${TRECK.slug}/${TRECK.product}@${v}`), hasSbom: true, share: reach.treck },
  ];
  manifest.stats.depth = reach.depth;
  return manifest;
}

/** Shares of product versions reaching each stack, and the longest walk from a root, from the manifest alone. */
function reachShares(manifest: WorldManifest): { lwip: number; treck: number; depth: number } {
  const pvs = manifest.productVersions;
  const index = new Map(pvs.map((pv, i) => [pv.purl, i]));
  const parents: number[][] = pvs.map(() => []);
  pvs.forEach((pv, i) => pv.uses.forEach((u) => parents[index.get(u.purl)!]!.push(i)));
  const share = (holders: number[]): number => {
    const seen = new Set(holders);
    const stack = [...holders];
    while (stack.length) for (const p of parents[stack.pop()!]!) if (!seen.has(p)) (seen.add(p), stack.push(p));
    return pvs.length ? seen.size / pvs.length : 0;
  };
  const lwip = share(pvs.flatMap((pv, i) => (pv.targets.some((t) => t.stack === 'lwip') ? [i] : [])));
  const treck = share(pvs.flatMap((pv, i) => (pv.purl.startsWith(`pkg:generic/${TRECK.slug}/${TRECK.product}@`) ? [i] : [])));
  let depth = 0;
  const onPath = new Set<number>();
  const walk = (i: number, d: number): void => {
    depth = Math.max(depth, d);
    onPath.add(i);
    for (const u of pvs[i]!.uses) {
      const j = index.get(u.purl)!;
      if (!onPath.has(j)) walk(j, d + 1);
    }
    onPath.delete(i);
  };
  for (const root of manifest.roots) walk(index.get(root)!, 0);
  return { lwip, treck, depth };
}

/** manifest.json written a product version at a time, so a 20,000-version manifest is never one string. */
async function writeManifest(path: string, manifest: WorldManifest): Promise<void> {
  const out = createWriteStream(path);
  const closed = once(out, 'close');
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  try {
    const { productVersions, files, ...rest } = manifest;
    const head = JSON.stringify(rest, null, 1);
    await write(`${head.slice(0, -2)},\n "files": [\n`);
    for (let i = 0; i < files.length; i++) await write(`  ${JSON.stringify(files[i])}${i < files.length - 1 ? ',' : ''}\n`);
    await write(' ],\n "productVersions": [\n');
    for (let i = 0; i < productVersions.length; i++) await write(`  ${JSON.stringify(productVersions[i])}${i < productVersions.length - 1 ? ',' : ''}\n`);
    await write(' ]\n}\n');
  } catch (e) {
    out.destroy();
    throw e;
  }
  out.end();
  await closed;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers.

function weightedIndex(rng: () => number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function shuffle<T>(rng: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function argMax(values: readonly number[], score: (v: number, i: number) => number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (score(values[i]!, i) > score(values[best]!, best)) best = i;
  return best;
}

function underscore(slug: string): string {
  return slug.replace(/-/g, '_');
}

function isoDay(daysAfter2022: number): string {
  return `${new Date(Date.UTC(2022, 0, 1) + daysAfter2022 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`;
}

// ---------------------------------------------------------------------------------------------------------
// CLI.

async function main(argv: string[]): Promise<void> {
  const usage =
    'usage: tsx bench/generate-world.ts OUT_DIR [--seed S] [--vendors N] [--versions N] [--components N] [--depth D] [--stack-share F] [--cycles N] [--diamonds N] [--open-hops N] [--formats a,b,...]';
  const o: WorldOptions = { seed: 1, vendors: 2_000, productVersions: 20_000, componentsPerSbom: 10, maxDepth: 8, stackShare: 0.05, cycles: 20, diamonds: 50, openHops: 500, outDir: '' };
  const flags: Record<string, (v: string) => void> = {
    '--seed': (v) => (o.seed = Number(v)),
    '--vendors': (v) => (o.vendors = Number(v)),
    '--versions': (v) => (o.productVersions = Number(v)),
    '--components': (v) => (o.componentsPerSbom = Number(v)),
    '--depth': (v) => (o.maxDepth = Number(v)),
    '--stack-share': (v) => (o.stackShare = Number(v)),
    '--cycles': (v) => (o.cycles = Number(v)),
    '--diamonds': (v) => (o.diamonds = Number(v)),
    '--open-hops': (v) => (o.openHops = Number(v)),
    '--formats': (v) => (o.formats = v.split(',') as WorldFormat[]),
  };
  const args = [...argv];
  while (args.length) {
    const a = args.shift()!;
    const flag = flags[a];
    if (flag) {
      const v = args.shift();
      if (v === undefined) throw new Error(`${a} needs a value\n${usage}`);
      flag(v);
    } else if (!a.startsWith('--') && !o.outDir) o.outDir = a;
    else throw new Error(`unknown argument '${a}'\n${usage}`);
  }
  if (!o.outDir) throw new Error(usage);
  const started = performance.now();
  const world = await writeWorld(o);
  const seconds = (performance.now() - started) / 1000;
  const s = world.stats;
  console.log(
    `${o.outDir}: ${world.files.length} SBOMs from ${world.vendors.filter((v) => v.productVersions > 0).length} vendors, ${world.roots.length} roots, ` +
      `${s.uses} uses (${MATCH_RULES.map((r) => `${r} ${s.usesByRule[r]}`).join(', ')}), depth ${s.depth}, ` +
      `lwIP share ${(world.stacks[0]!.share * 100).toFixed(1)} %, ${s.openHops} open hops, ${world.cycles.length} cycles, ${world.diamonds.length} diamonds, ${seconds.toFixed(1)} s`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
