/**
 * @module
 * Synthetic CycloneDX 1.6 JSON SBOMs for the ingest benchmark: realistic npm and Maven library components
 * (supplier, hashes, licences, purls, some CPEs and external references) and a dependency graph, all derived
 * from a seed, so the same options always give the same bytes.
 *
 * Files are written in chunks of a few MB with back-pressure: a 256 MB SBOM needs a few MB of memory, not
 * the whole document. Each component is derived from `(seed, index)` alone, which lets the dependency section
 * be written after the component section without keeping anything, and lets {@link estimateComponentCount}
 * size a document by sampling instead of generating it.
 *
 * CLI: `npx tsx bench/generate-cyclonedx.ts OUT.json (--components N | --bytes N) [--seed S] [--deps D]`
 * (`--bytes` takes a plain number or one with a `k`, `M` or `G` suffix: `--bytes 256M`).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hex, pick, prng, uuidV4 } from './random.js';

export interface CycloneDxBomOptions {
  /** Number of components, the subject (metadata.component) not included. */
  components: number;
  /** Same seed, same bytes. Default 1. */
  seed?: number;
  /** Entries in each component's `dependsOn` (fewer only when there are not enough other components). Default 3. */
  dependenciesPerComponent?: number;
}

export interface GeneratedBom {
  path: string;
  components: number;
  bytes: number;
}

const DEFAULT_SEED = 1;
const DEFAULT_DEPENDENCIES = 3;
/** Strings are joined and written once they reach this size: big enough for few syscalls, small enough to stay lean. */
const CHUNK_CHARS = 4 * 1024 * 1024;
/** How many components the subject depends on directly (the application's own direct dependencies). */
const SUBJECT_DIRECT_DEPENDENCIES = 12;

/**
 * Writes a CycloneDX 1.6 JSON SBOM with `components` library components and one dependency entry for the
 * subject and for every component. Resolves once the file is flushed and closed.
 *
 * @throws RangeError when `components` is not a non-negative integer; rejects when the file cannot be written.
 * @example
 * await writeCycloneDxBom('/tmp/bom.json', { components: 2_000, seed: 7 });
 */
export async function writeCycloneDxBom(path: string, opts: CycloneDxBomOptions): Promise<GeneratedBom> {
  const n = opts.components;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`components must be a non-negative integer, got ${n}`);
  const seed = opts.seed ?? DEFAULT_SEED;
  const deps = opts.dependenciesPerComponent ?? DEFAULT_DEPENDENCIES;

  const out = createWriteStream(path);
  const closed = once(out, 'close');
  let pending: string[] = [];
  let pendingChars = 0;
  let bytes = 0;
  const push = async (s: string): Promise<void> => {
    pending.push(s);
    pendingChars += s.length;
    if (pendingChars >= CHUNK_CHARS) await flush();
  };
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingChars = 0;
    bytes += chunk.length;
    // events.once rejects on 'error', so a failing disk ends the loop instead of hanging it.
    if (!out.write(chunk)) await once(out, 'drain');
  };

  try {
    await push(documentHead(seed));
    for (let i = 0; i < n; i++) await push((i === 0 ? '\n' : ',\n') + componentJson(seed, i));
    await push(`\n],"dependencies":[\n${subjectDependencyJson(seed, n)}`);
    for (let i = 0; i < n; i++) await push(',\n' + dependencyJson(seed, i, n, deps));
    await push('\n]}\n');
    await flush();
  } catch (e) {
    out.destroy();
    throw e;
  }
  out.end();
  await closed;
  return { path, components: n, bytes };
}

/**
 * Writes an SBOM whose size lands within about 1 % of `targetBytes` (the component count comes from
 * {@link estimateComponentCount}).
 *
 * @example
 * const { components, bytes } = await writeCycloneDxBomOfSize('/tmp/bom-256m.json', 256 * 1024 * 1024);
 */
export async function writeCycloneDxBomOfSize(
  path: string,
  targetBytes: number,
  opts: Omit<CycloneDxBomOptions, 'components'> = {},
): Promise<GeneratedBom> {
  return writeCycloneDxBom(path, { ...opts, components: estimateComponentCount(targetBytes, opts) });
}

/**
 * The component count whose SBOM is closest to `targetBytes`, from the exact size of the fixed parts and the
 * mean size of components sampled evenly over the index range (component sizes grow slowly with the index,
 * which is part of every name). Costs a few thousand component renderings, not a whole document.
 */
export function estimateComponentCount(targetBytes: number, opts: Omit<CycloneDxBomOptions, 'components'> = {}): number {
  const seed = opts.seed ?? DEFAULT_SEED;
  const deps = opts.dependenciesPerComponent ?? DEFAULT_DEPENDENCIES;
  const fixed = (n: number) =>
    Buffer.byteLength(documentHead(seed)) + Buffer.byteLength(`\n],"dependencies":[\n${subjectDependencyJson(seed, n)}`) + 4;
  if (targetBytes <= fixed(0)) return 0;
  let n = Math.max(1, Math.round(targetBytes / 700));
  for (let pass = 0; pass < 4; pass++) {
    const samples = Math.min(n, 4000);
    let sampled = 0;
    for (let k = 0; k < samples; k++) {
      const i = Math.floor(((k + 0.5) * n) / samples);
      sampled += Buffer.byteLength(componentJson(seed, i)) + Buffer.byteLength(dependencyJson(seed, i, n, deps)) + 4;
    }
    const next = Math.max(1, Math.round((targetBytes - fixed(n)) / (sampled / samples)));
    if (next === n) break;
    n = next;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Document parts. Every value is drawn from a PRNG seeded by (seed, index): component i is the same whatever
// else is generated, so the dependency section can name its targets without keeping the components around.

interface Identity {
  ecosystem: 'npm' | 'maven';
  group: string;
  name: string;
  version: string;
  purl: string;
  ref: string;
  supplier: string;
  vendorSlug: string;
}

const VENDORS = [
  'Acorn Labs', 'Bluefin Software', 'Cedar Systems', 'Dunmore Digital', 'Elkhorn Data', 'Fernway Tools',
  'Granite Peak Software', 'Harbourlight', 'Ironbark Labs', 'Juniper Works', 'Kestrel Code', 'Larchmont Systems',
  'Mistral Bay Software', 'Northgate Labs', 'Oakridge Digital', 'Pinecrest Software', 'Quarry Hill Labs',
  'Redwater Systems', 'Silverbirch Software', 'Tidewater Code', 'Umber Labs', 'Vantage Point Software',
  'Willowby Systems', 'Yellowstone Data', 'Zephyr Works', 'Open Source Community',
];
const WORDS_A = [
  'fast', 'tiny', 'smart', 'async', 'safe', 'micro', 'deep', 'lazy', 'pure', 'strict', 'fluent', 'simple',
  'quick', 'lean', 'super', 'hyper', 'meta', 'open', 'core', 'mini', 'solid', 'rapid', 'clean', 'stable',
];
const WORDS_B = [
  'json', 'yaml', 'http', 'cache', 'crypto', 'stream', 'buffer', 'router', 'logger', 'parser', 'config', 'queue',
  'schema', 'events', 'retry', 'codec', 'pool', 'proxy', 'socket', 'timer', 'format', 'mapper', 'uuid', 'glob',
];
const NPM_SCOPES = ['', '', '', '@acorn', '@bluefin', '@kestrel', '@northgate', '@zephyr', '@types', '@oakridge'];
const MAVEN_GROUPS = [
  'org.acornlabs', 'com.bluefin', 'io.cedar', 'org.elkhorn.data', 'com.granitepeak', 'io.harbourlight',
  'org.juniperworks', 'com.larchmont', 'io.northgate', 'org.pinecrest', 'com.silverbirch', 'io.zephyr',
];
const LICENSE_IDS = ['MIT', 'MIT', 'MIT', 'Apache-2.0', 'Apache-2.0', 'ISC', 'BSD-3-Clause', 'BSD-2-Clause', 'MPL-2.0', 'EPL-2.0'];
const LICENSE_EXPRESSIONS = [
  'Apache-2.0 OR MIT',
  'MIT AND BSD-3-Clause',
  '(MIT OR Apache-2.0) AND BSD-2-Clause',
  'EPL-2.0 OR GPL-2.0-or-later WITH Classpath-exception-2.0',
  'LGPL-2.1-or-later OR MPL-2.0',
];
const DESCRIPTIONS = [
  'Utilities for working with %s data in %s applications.',
  'A %s %s implementation with no runtime dependencies.',
  'Small, well-tested %s helpers for %s code.',
  'High-performance %s support, built for %s workloads.',
];

function documentHead(seed: number): string {
  const rng = prng(seed, -1);
  const serial = uuidV4(rng);
  const subject = {
    'bom-ref': 'bench-subject',
    type: 'application',
    supplier: { name: 'Patchpath Bench Corp', url: ['https://bench.example'] },
    name: `bench-app-${seed}`,
    version: '1.0.0',
    description: 'Synthetic application generated for the patchpath ingest benchmark.',
    licenses: [{ license: { id: 'Apache-2.0' } }],
    purl: `pkg:npm/bench-app-${seed}@1.0.0`,
  };
  const head = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${serial}`,
    version: 1,
    metadata: {
      // Fixed, so the same seed gives byte-identical files.
      timestamp: '2025-01-01T00:00:00Z',
      tools: { components: [{ type: 'application', name: 'patchpath-bench-generate-cyclonedx', version: '1.0.0' }] },
      authors: [{ name: 'patchpath benchmark' }],
      component: subject,
      supplier: { name: 'Patchpath Bench Corp' },
    },
  };
  const json = JSON.stringify(head);
  return json.slice(0, -1) + ',"components":[';
}

function identity(seed: number, i: number): Identity {
  const rng = prng(seed, i);
  const ecosystem = rng() < 0.7 ? 'npm' : 'maven';
  const base = `${pick(rng, WORDS_A)}-${pick(rng, WORDS_B)}-${i.toString(36)}`;
  const version = `${Math.floor(rng() * 8)}.${Math.floor(rng() * 20)}.${Math.floor(rng() * 30)}`;
  const vendorIndex = Math.floor(rng() * VENDORS.length);
  const supplier = VENDORS[vendorIndex]!;
  const vendorSlug = supplier.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  if (ecosystem === 'npm') {
    const scope = pick(rng, NPM_SCOPES);
    const purl = scope ? `pkg:npm/%40${scope.slice(1)}/${base}@${version}` : `pkg:npm/${base}@${version}`;
    return { ecosystem, group: scope, name: base, version, purl, ref: purl, supplier, vendorSlug };
  }
  const group = pick(rng, MAVEN_GROUPS);
  const purl = `pkg:maven/${group}/${base}@${version}`;
  return { ecosystem, group, name: base, version, purl, ref: purl, supplier, vendorSlug };
}

function componentJson(seed: number, i: number): string {
  const id = identity(seed, i);
  // A second stream for the rest, so identity() stays cheap for dependency targets.
  const rng = prng(seed ^ 0x5bd1e995, i);
  const hashes = [{ alg: 'SHA-256', content: hex(rng, 64) }];
  if (rng() < 0.5) hashes.push({ alg: 'SHA-1', content: hex(rng, 40) });
  const licenses = rng() < 0.8 ? [{ license: { id: pick(rng, LICENSE_IDS) } }] : [{ expression: pick(rng, LICENSE_EXPRESSIONS) }];
  const words = id.name.split('-');
  const component: Record<string, unknown> = {
    type: 'library',
    'bom-ref': id.ref,
    supplier: { name: id.supplier },
    ...(id.group ? { group: id.group } : {}),
    name: id.name,
    version: id.version,
    description: pick(rng, DESCRIPTIONS).replace('%s', words[1]!).replace('%s', id.ecosystem === 'npm' ? 'Node.js' : 'JVM'),
    scope: rng() < 0.9 ? 'required' : 'optional',
    hashes,
    licenses,
    purl: id.purl,
  };
  if (rng() < 0.3) component.cpe = `cpe:2.3:a:${id.vendorSlug}:${id.name.replace(/-/g, '_')}:${id.version}:*:*:*:*:*:*:*`;
  if (rng() < 0.4) {
    const slug = `${id.vendorSlug.replace(/_/g, '-')}/${id.name}`;
    component.externalReferences = [
      { type: 'vcs', url: `https://git.example/${slug}.git` },
      ...(rng() < 0.5 ? [{ type: 'website', url: `https://${id.vendorSlug.replace(/_/g, '-')}.example/${id.name}` }] : []),
    ];
  }
  return JSON.stringify(component);
}

function subjectDependencyJson(seed: number, n: number): string {
  const direct = Math.min(n, SUBJECT_DIRECT_DEPENDENCIES);
  const dependsOn: string[] = [];
  for (let i = 0; i < direct; i++) dependsOn.push(identity(seed, i).ref);
  return JSON.stringify({ ref: 'bench-subject', dependsOn });
}

function dependencyJson(seed: number, i: number, n: number, deps: number): string {
  const rng = prng(seed ^ 0x27d4eb2f, i);
  const want = Math.min(deps, n - 1);
  const targets: number[] = [];
  // Rejection sampling over a handful of picks: `targets.includes` stays O(deps), never O(n).
  while (targets.length < want) {
    const j = Math.floor(rng() * n);
    if (j !== i && !targets.includes(j)) targets.push(j);
  }
  return JSON.stringify({ ref: identity(seed, i).ref, dependsOn: targets.map((j) => identity(seed, j).ref) });
}


// ---------------------------------------------------------------------------------------------------------
// CLI.

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(text);
  if (!m) throw new Error(`--bytes value '${text}' is not a number (optionally with a k, M or G suffix)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

async function main(argv: string[]): Promise<void> {
  const usage = 'usage: tsx bench/generate-cyclonedx.ts OUT.json (--components N | --bytes N[k|M|G]) [--seed S] [--deps D]';
  const args = [...argv];
  let out: string | undefined;
  let components: number | undefined;
  let bytes: number | undefined;
  let seed: number | undefined;
  let deps: number | undefined;
  while (args.length) {
    const a = args.shift()!;
    const value = () => {
      const v = args.shift();
      if (v === undefined) throw new Error(`${a} needs a value\n${usage}`);
      return v;
    };
    if (a === '--components') components = Number(value());
    else if (a === '--bytes') bytes = parseSize(value());
    else if (a === '--seed') seed = Number(value());
    else if (a === '--deps') deps = Number(value());
    else if (!a.startsWith('--') && out === undefined) out = a;
    else throw new Error(`unknown argument '${a}'\n${usage}`);
  }
  if (!out || (components === undefined) === (bytes === undefined)) throw new Error(usage);
  const started = performance.now();
  const result =
    components !== undefined
      ? await writeCycloneDxBom(out, { components, seed, dependenciesPerComponent: deps })
      : await writeCycloneDxBomOfSize(out, bytes!, { seed, dependenciesPerComponent: deps });
  const seconds = (performance.now() - started) / 1000;
  const target = bytes !== undefined ? ` (target ${bytes} bytes, ${(((result.bytes - bytes) / bytes) * 100).toFixed(2)} % off)` : '';
  console.log(`${result.path}: ${result.components} components, ${result.bytes} bytes${target}, ${seconds.toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
