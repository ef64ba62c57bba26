/**
 * `npm run bench`: ingest throughput and peak memory on both databases, each figure beside its floor
 * measured on the same machine in the same run. Not a test: it prints figures and the targets beside them.
 *
 *   BENCH_SIZES=1k,10k,100k,256mb,chains   which cases (default: all five; `chains` is the vendor-chain world)
 *   BENCH_BACKENDS=postgres,pglite  which databases (default: both)
 *   BENCH_DATABASE_URL              PostgreSQL server for the real-database cases
 *                                   (default postgres://postgres@127.0.0.1:5432/test; a bench database is created beside it)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { writeCycloneDxBom, writeCycloneDxBomOfSize } from './generate-cyclonedx.js';
import { writeWorld } from './generate-world.js';
import { DEVICES_PER_OPERATOR, type PatchBenchResult } from './patch-case.js';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const CASE = fileURLToPath(new URL('./ingest-case.ts', import.meta.url));
const CHAINS_CASE = fileURLToPath(new URL('./chains-case.ts', import.meta.url));
/** The world of issue 3's benchmark: 2,000 vendors, 20,000 product versions, chains up to 8 hops, lwIP in about 5% of products. */
const WORLD = { seed: 1, vendors: 2_000, productVersions: 20_000, componentsPerSbom: 10, maxDepth: 8, stackShare: 0.05, cycles: 20, diamonds: 50, openHops: 500 };
/** The node flags of the `patchpath` command's own shebang (its heap settings), so each case runs as the server does. */
const NODE_FLAGS = (readFileSync(fileURLToPath(new URL('../bin/patchpath.js', import.meta.url)), 'utf8').split('\n')[0]!.split(/\s+node\s+/)[1] ?? '').split(/\s+/).filter(Boolean);

const SIZES: Record<string, () => Promise<string>> = {
  '1k': () => generated('cdx-1k.json', (p) => writeCycloneDxBom(p, { components: 1_000 })),
  '10k': () => generated('cdx-10k.json', (p) => writeCycloneDxBom(p, { components: 10_000 })),
  '100k': () => generated('cdx-100k.json', (p) => writeCycloneDxBom(p, { components: 100_000 })),
  '256mb': () => generated('cdx-256mb.json', (p) => writeCycloneDxBomOfSize(p, 256 * 1024 * 1024)),
};

async function generated(name: string, write: (path: string) => Promise<unknown>): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const path = `${OUT}${name}`;
  if (!existsSync(path)) {
    process.stderr.write(`generating ${name} ...\n`);
    await write(path);
  }
  return path;
}

interface CaseResult { mode: string; backend: string; file: string; components: number; seconds: number; peakRssMb: number }

function runCase(mode: 'ingest' | 'floor', backend: 'pglite' | 'postgres', file: string, url?: string): CaseResult | { error: string } {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, '--max-old-space-size=4096', '--import', 'tsx', CASE, mode, backend, file, url ?? ''], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = r.stdout.trim().split('\n').at(-1);
  if (r.status !== 0 || !line?.startsWith('{')) return { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ').slice(0, 300) };
  return JSON.parse(line) as CaseResult;
}

/** A database of this run's own, so two runs on one server (two engineers, or a run beside a test) never collide. */
const BENCH_DB = `patchpath_bench_${process.pid}`;

/** Runs `statements` on the server of `url`, connected to its `postgres` database. */
async function onServer(url: string, ...statements: string[]): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  try {
    await client.connect();
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end().catch(() => {});
  }
}

const DROP_BENCH_DB = `drop database if exists ${BENCH_DB} with (force)`;

/** Drops and creates this run's database, empty for the next case. */
async function resetBenchDatabase(url: string): Promise<void> {
  await onServer(url, DROP_BENCH_DB, `create database ${BENCH_DB}`);
}

async function benchDatabaseUrl(): Promise<string | undefined> {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const url = new URL(base);
  url.pathname = `/${BENCH_DB}`;
  try {
    await resetBenchDatabase(url.href);
    return url.href;
  } catch (e) {
    process.stderr.write(`PostgreSQL not reachable at ${base} (${(e as Error).message}); real-database cases skipped\n`);
    return undefined;
  }
}

const TARGETS: Record<string, string> = {
  '10k': 'PostgreSQL: within 3x of the floor',
  '100k': 'PostgreSQL: within 2.5 s',
  '256mb': 'PostgreSQL: within 15 s, peak RSS under 2 GB',
};

const wanted = (process.env.BENCH_SIZES ?? '1k,10k,100k,256mb,chains').split(',').map((s) => s.trim());
const pgUrl = await benchDatabaseUrl();
const chosen = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',').map((s) => s.trim());
const backends = (pgUrl ? (['postgres', 'pglite'] as const) : (['pglite'] as const)).filter((b) => chosen.includes(b));
const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2; nproc"], { encoding: 'utf8' }).trim().replace(/\n/, ', cores: ');
console.log(`patchpath ingest benchmark — node ${process.version}, cpu:${cpu}`);
console.log('size    backend   components   ingest s   comp/s     RSS MB | floor s   comp/s     RSS MB | ratio | target');
for (const size of wanted.filter((s) => s !== 'chains')) {
  const file = await SIZES[size]!();
  const mb = (statSync(file).size / 1048576).toFixed(0);
  for (const backend of backends) {
    if (pgUrl) await resetBenchDatabase(pgUrl);
    const ingest = runCase('ingest', backend, file, pgUrl);
    if (pgUrl) await resetBenchDatabase(pgUrl);
    const floor = runCase('floor', backend, file, pgUrl);
    const label = `${size} (${mb} MB)`.padEnd(14);
    if ('error' in ingest || 'error' in floor) {
      console.log(`${label} ${backend.padEnd(9)} error: ${'error' in ingest ? `ingest: ${ingest.error}` : ''} ${'error' in floor ? `floor: ${floor.error}` : ''}`);
      continue;
    }
    const rate = (r: CaseResult) => Math.round(r.components / r.seconds).toString().padStart(9);
    console.log(
      `${label} ${backend.padEnd(9)} ${String(ingest.components).padStart(10)} ${ingest.seconds.toFixed(2).padStart(9)} ${rate(ingest)} ${String(ingest.peakRssMb).padStart(8)} | ${floor.seconds.toFixed(2).padStart(7)} ${rate(floor)} ${String(floor.peakRssMb).padStart(8)} | ${(ingest.seconds / floor.seconds).toFixed(2).padStart(5)} | ${backend === 'postgres' ? (TARGETS[size] ?? '') : ''}`,
    );
  }
}
const patchLines: string[] = [];
const scorecardLines: string[] = [];
/** One row of the patch-status table (issue 4). */
function patchLine(backend: string, p: PatchBenchResult): string {
  const t = (x: { p50: number; p95: number; size: number }) => `${x.p50.toFixed(1).padStart(6)} ${x.p95.toFixed(1).padStart(6)} ${x.size.toFixed(0).padStart(4)}`;
  return `patch   ${backend.padEnd(9)} ${String(p.operators).padStart(9)} ${String(p.devices).padStart(7)} ${p.importSeconds.toFixed(0).padStart(8)} | ${' '.repeat(40)}${t(p.affectedRipple20)} | ${t(p.affectedLwip).padStart(18)} | ${' '.repeat(10)}${t(p.timelineRipple20)} | ${t(p.timelineLwip).padStart(22)} | ${backend === 'postgres' ? 'my affected devices p95 < 100 ms' : ''}`;
}
if (wanted.includes('chains')) {
  const worldDir = `${OUT}world-20k`;
  if (!existsSync(`${worldDir}/manifest.json`)) {
    process.stderr.write('generating the vendor world (2,000 vendors, 20,000 SBOMs) ...\n');
    await writeWorld({ ...WORLD, outDir: worldDir });
  }
  console.log('');
  console.log('chains  backend   SBOMs   ingest s | one device: p50 ms  p95 ms  chains/device  deepest | lwIP exposure: p50 ms  p95 ms  products | RSS MB | target (PostgreSQL)');
  for (const backend of backends) {
    if (pgUrl) await resetBenchDatabase(pgUrl);
    const r = spawnSync(process.execPath, [...NODE_FLAGS, '--max-old-space-size=4096', '--import', 'tsx', CHAINS_CASE, backend, worldDir, pgUrl ?? ''], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = r.stdout.trim().split('\n').at(-1);
    if (r.status !== 0 || !line?.startsWith('{')) {
      console.log(`chains  ${backend.padEnd(9)} error (exit ${r.status})`);
      continue;
    }
    const c = JSON.parse(line) as Record<string, number> & { patch: PatchBenchResult; scorecards: { vendors: number; seconds: number; scored: number; insufficient: number } };
    patchLines.push(patchLine(backend, c.patch));
    scorecardLines.push(`scorecards ${backend.padEnd(9)} ${String(c.scorecards.vendors).padStart(7)} vendors in ${c.scorecards.seconds.toFixed(2).padStart(6)} s (${c.scorecards.scored} scored, ${c.scorecards.insufficient} insufficient evidence)${backend === 'postgres' ? ' | target (PostgreSQL): under 5 s' : ''}`);
    console.log(
      `chains  ${backend.padEnd(9)} ${String(c.sboms).padStart(5)} ${c.ingestSeconds!.toFixed(0).padStart(10)} | ${c.chainP50!.toFixed(1).padStart(18)} ${c.chainP95!.toFixed(1).padStart(7)} ${c.chainsPerDevice!.toFixed(1).padStart(14)} ${String(c.deepestChain).padStart(8)} | ${c.exposureP50!.toFixed(1).padStart(21)} ${c.exposureP95!.toFixed(1).padStart(7)} ${String(c.exposedProducts).padStart(9)} | ${String(c.peakRssMb).padStart(6)} | ${backend === 'postgres' ? 'one device p95 < 20 ms, exposure p95 < 200 ms' : ''}`,
    );
  }
}
if (patchLines.length) {
  console.log('');
  console.log(`patch   backend   operators devices import s | my affected devices (operator of ${DEVICES_PER_OPERATOR}): Ripple20 p50 ms p95 ms n | lwIP p50 ms p95 ms n | timeline: Ripple20 p50 ms p95 ms chains | lwIP p50 ms p95 ms chains | target (PostgreSQL)`);
  for (const l of patchLines) console.log(l);
  for (const l of scorecardLines) console.log(l);
}
if (pgUrl) await onServer(pgUrl, DROP_BENCH_DB);
