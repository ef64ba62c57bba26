/**
 * @module
 * The patch-status benchmark (issue 4), run by bench/chains-case.ts on the vendor world it has just ingested:
 * - advisories: the project's shipped set (src/advisories/data/), plus one synthetic lwIP advisory (CVE-2099-0001,
 *   made up: lwIP below 2.2.0 affected, 2.2.0 not), because the shipped set has no lwIP CVE and lwIP is the stack
 *   the world spreads widest: it is the heavy case;
 * - 200 operators with 500 devices each (100,000 in all), imported through the real inventory path: devices are the
 *   world's device firmware (its roots), 5% of rows name products nobody published (unmatched);
 * - timed: "my affected devices for CVE X" for 30 operators, and one vulnerability's timeline, each for a real
 *   Ripple20 CVE (Treck, in about 1% of products) and for the synthetic lwIP one.
 */
import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/database.js';
import type { InventoryDevice } from '../src/model/inventory.js';
import { affectedDevices } from '../src/patch-status/device-exposure.js';
import { vulnerabilityTimeline } from '../src/patch-status/vulnerability-timeline.js';
import { ingestAdvisory } from '../src/store/ingest-advisory.js';
import { importInventory } from '../src/store/store-inventory.js';
import { findVulnerability } from '../src/store/vulnerability.repository.js';
import type { WorldManifest } from './generate-world.js';
import { pick, prng } from './random.js';

const SHIPPED_DIR = fileURLToPath(new URL('../src/advisories/data/', import.meta.url));
export const OPERATORS = 200;
export const DEVICES_PER_OPERATOR = 500;
const RIPPLE20_CVE = 'CVE-2020-11896';
const LWIP_CVE = 'CVE-2099-0001';
/** The benchmark's clock: a fixed day, so that every run counts the same days. */
const NOW = new Date('2026-11-29T00:00:00Z');

export interface Timing {
  p50: number;
  p95: number;
  /** Devices (or chains) the answer held, on average. */
  size: number;
}

export interface PatchBenchResult {
  advisories: number;
  operators: number;
  devices: number;
  importSeconds: number;
  affectedRipple20: Timing;
  affectedLwip: Timing;
  timelineRipple20: Timing;
  timelineLwip: Timing;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The synthetic lwIP advisory (a CycloneDX VDR by "patchpath benchmark"). */
function lwipAdvisory(): Buffer {
  return Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:5d0c8a3e-1b7f-4e2a-9c6d-3f8e0a1b2c4d',
      version: 1,
      metadata: { timestamp: '2024-01-15T00:00:00Z', supplier: { name: 'patchpath benchmark' } },
      components: [{ type: 'library', 'bom-ref': 'lwip', name: 'lwIP', purl: 'pkg:github/lwip-tcpip/lwip' }],
      vulnerabilities: [
        {
          id: LWIP_CVE,
          description: 'Synthetic vulnerability for the benchmark: lwIP before 2.2.0.',
          analysis: { state: 'exploitable', firstIssued: '2024-01-15T00:00:00Z' },
          affects: [{ ref: 'lwip', versions: [{ range: 'vers:generic/<2.2.0', status: 'affected' }, { version: '2.2.0', status: 'unaffected' }] }],
        },
      ],
    }),
  );
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

export async function runPatchBench(db: Kysely<Database>, manifest: WorldManifest, log: (line: string) => void): Promise<PatchBenchResult> {
  let advisories = 0;
  for (const file of readdirSync(SHIPPED_DIR).filter((f) => f.endsWith('.json'))) {
    const outcome = await ingestAdvisory(db, await readFile(`${SHIPPED_DIR}${file}`));
    if (outcome.status === 'rejected') throw new Error(`${file} rejected`);
    advisories++;
  }
  if ((await ingestAdvisory(db, lwipAdvisory())).status === 'rejected') throw new Error('synthetic lwIP advisory rejected');
  advisories++;

  const rng = prng(manifest.options.seed, 4);
  const operatorIds: number[] = [];
  const importStarted = performance.now();
  for (let o = 0; o < OPERATORS; o++) {
    const rows: InventoryDevice[] = [];
    for (let d = 0; d < DEVICES_PER_OPERATOR; d++) {
      const assetTag = `H${String(o).padStart(3, '0')}-${String(d).padStart(4, '0')}`;
      const segment = `vlan-${d % 25}`;
      const criticality = pick(rng, ['critical', 'high', 'medium', 'medium', 'low'] as const);
      rows.push(
        rng() < 0.05
          ? { assetTag, vendor: `Unlisted Devices ${o}`, model: 'legacy-monitor', firmwareVersion: '1.0', segment, criticality }
          : { assetTag, purl: pick(rng, manifest.roots), segment, criticality },
      );
    }
    const imported = await importInventory(db, { operator: `Benchmark Hospital ${o}`, rows });
    operatorIds.push(imported.operator.id);
    if ((o + 1) % 50 === 0) log(`${o + 1} / ${OPERATORS} inventories imported`);
  }
  const importSeconds = (performance.now() - importStarted) / 1000;

  const ripple20 = (await findVulnerability(db, RIPPLE20_CVE))!;
  const lwip = (await findVulnerability(db, LWIP_CVE))!;
  const affected = async (vulnerability: typeof ripple20): Promise<Timing> => {
    for (const operatorId of operatorIds.slice(0, 3)) await affectedDevices(db, { operatorId, vulnerabilities: [vulnerability], now: NOW }); // warm plans
    const ms: number[] = [];
    const sizes: number[] = [];
    for (const operatorId of operatorIds.slice(0, 30)) {
      const r = await timed(() => affectedDevices(db, { operatorId, vulnerabilities: [vulnerability], now: NOW }));
      ms.push(r.ms);
      sizes.push(r.value.devices.length);
    }
    return { p50: percentile(ms, 50), p95: percentile(ms, 95), size: mean(sizes) };
  };
  const timeline = async (vulnerability: typeof ripple20): Promise<Timing> => {
    await vulnerabilityTimeline(db, { vulnerability, now: NOW });
    const ms: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await timed(() => vulnerabilityTimeline(db, { vulnerability, now: NOW }));
      ms.push(r.ms);
      sizes.push(r.value.chains.length);
    }
    return { p50: percentile(ms, 50), p95: percentile(ms, 95), size: mean(sizes) };
  };
  const affectedRipple20 = await affected(ripple20);
  const affectedLwip = await affected(lwip);
  const timelineRipple20 = await timeline(ripple20);
  const timelineLwip = await timeline(lwip);
  return { advisories, operators: OPERATORS, devices: OPERATORS * DEVICES_PER_OPERATOR, importSeconds, affectedRipple20, affectedLwip, timelineRipple20, timelineLwip };
}
