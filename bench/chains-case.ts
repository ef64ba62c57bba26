/**
 * The chain benchmark in a process of its own:
 *   tsx bench/chains-case.ts <pglite|postgres> WORLD_DIR [POSTGRES_URL]
 * Ingests every SBOM of a generated world (bench/generate-world.ts) through the real ingest path, then times
 * resolving all chains of one device (for many devices) and the exposure of lwIP, the stack the world puts in
 * about 5% of products; then the patch-status benchmark of bench/patch-case.ts on the same data. Prints one JSON line.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorldManifest } from './generate-world.js';
import { prepareChains } from '../src/chains/prepare-chains.js';
import { resolveChains } from '../src/chains/resolve-chains.js';
import { findStack } from '../src/chains/stack-catalogue.js';
import { stackExposure } from '../src/chains/stack-exposure.js';
import { createDb } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ingestSbom } from '../src/store/ingest-sbom.js';
import { runPatchBench } from './patch-case.js';
import { vendorScorecards } from '../src/scorecards/vendor-scorecard.js';
import { listAllVendors } from '../src/store/organisation.repository.js';

const [backend, worldDir, url] = process.argv.slice(2);
const dataDir = backend === 'pglite' ? await mkdtemp(join(tmpdir(), 'patchpath-bench-chains-')) : undefined;
const handle = await createDb(backend === 'postgres' ? { url, poolSize: 4 } : { dataDir });
await migrateToLatest(handle.db);
await prepareChains(handle.db);

const manifest = JSON.parse(await readFile(join(worldDir!, 'manifest.json'), 'utf8')) as WorldManifest;
const sbomOf = new Map<string, number>();
const started = performance.now();
let next = 0;
// Several uploads at once on PostgreSQL (as several clients would send them); PGlite is one session anyway.
const worker = async () => {
  while (next < manifest.files.length) {
    const file = manifest.files[next++]!;
    const outcome = await ingestSbom(handle.db, await readFile(join(worldDir!, file.path)));
    if (outcome.status === 'rejected') throw new Error(`${file.path} rejected: ${JSON.stringify(outcome.issues.slice(0, 2))}`);
    sbomOf.set(file.subjectPurl, outcome.record.id);
    if (next % 2000 === 0) process.stderr.write(`  ${backend}: ${next} / ${manifest.files.length} SBOMs ingested\n`);
  }
};
await Promise.all(Array.from({ length: backend === 'postgres' ? 4 : 1 }, worker));
const ingestSeconds = (performance.now() - started) / 1000;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

// Devices spread over the whole world, every one of them reached the same way a query would.
const roots = manifest.roots.filter((_, i) => i % Math.max(1, Math.floor(manifest.roots.length / 300)) === 0).slice(0, 300);
for (const root of roots.slice(0, 20)) await resolveChains(handle.db, { rootSbomId: sbomOf.get(root)! }); // warm caches and plans
const chainMs: number[] = [];
let chainCount = 0;
let maxDepthSeen = 0;
for (const root of roots) {
  chainMs.push(
    await time(async () => {
      const r = await resolveChains(handle.db, { rootSbomId: sbomOf.get(root)! });
      chainCount += r.chains.length;
      for (const c of r.chains) maxDepthSeen = Math.max(maxDepthSeen, c.depth);
    }),
  );
}

const lwip = (await findStack(handle.db, 'lwip'))!;
let exposed = 0;
await stackExposure(handle.db, { stackIds: [lwip.id], maxDepth: 10, choice: 'pinned' });
const exposureMs: number[] = [];
for (let i = 0; i < 30; i++) {
  exposureMs.push(await time(async () => void (exposed = (await stackExposure(handle.db, { stackIds: [lwip.id], maxDepth: 10, choice: 'pinned' })).products.length)));
}

// Issue 4 on the same world: operators' devices and patch status (bench/patch-case.ts).
const patch = await runPatchBench(handle.db, manifest, (line) => process.stderr.write(`  ${backend}: ${line}\n`));

// Issue 6 on the same world: every vendor's scorecard at once (target: all 2,000 under 5 s on PostgreSQL).
const vendorIds = (await listAllVendors(handle.db)).map((v) => v.id);
const scorecardStart = performance.now();
const cards = await vendorScorecards(handle.db, vendorIds, { now: new Date('2026-11-29T00:00:00Z') });
const scorecards = {
  vendors: vendorIds.length,
  seconds: (performance.now() - scorecardStart) / 1000,
  scored: [...cards.values()].filter((c) => c.verdict === 'SCORED').length,
  insufficient: [...cards.values()].filter((c) => c.verdict === 'INSUFFICIENT_EVIDENCE').length,
};
process.stderr.write(`  ${backend}: scorecards of ${scorecards.vendors} vendors in ${scorecards.seconds.toFixed(2)} s\n`);

await handle.close();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    backend,
    sboms: manifest.files.length,
    vendors: manifest.vendors.length,
    ingestSeconds,
    devices: roots.length,
    chainsPerDevice: chainCount / roots.length,
    deepestChain: maxDepthSeen,
    chainP50: percentile(chainMs, 50),
    chainP95: percentile(chainMs, 95),
    exposedProducts: exposed,
    exposureP50: percentile(exposureMs, 50),
    exposureP95: percentile(exposureMs, 95),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    patch,
    scorecards,
  })}\n`,
);
