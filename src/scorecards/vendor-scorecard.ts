/**
 * @module
 * A vendor's scorecard: its measurements (vendor-metrics.ts, and SBOM completeness from sbom-quality.ts over the
 * latest SBOM of each of its products) scored by the versioned method of score-method.ts, each part with the ids of
 * the SBOMs, advisories and vulnerabilities it came from. Computed for many vendors at once, in a few set-based
 * queries, so that ranking every vendor of an instance is one call.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { scoreVendor, type Measurement, type Score, type ScorePartName } from './score-method.js';
import { sbomQuality } from './sbom-quality.js';
import { currentSbomsOfVendors, vendorMetrics, type Unavailable, type VendorMetrics } from './vendor-metrics.js';

/** Where a part's figure comes from: enough to link to every document and vulnerability behind it. */
export interface ScoreEvidence {
  sbomIds: number[];
  advisoryIds: number[];
  vulnerabilityIds: string[];
  /** The counts behind the figure (products, vulnerabilities reaching, integrations, ...). */
  counts: Record<string, number>;
}

export interface VendorScorecard extends Score {
  vendorId: number;
  asOf: Date;
  evidence: Record<ScorePartName, ScoreEvidence>;
  /** Deepest chain below the vendor's products (reported, not scored); null without an SBOM. */
  tiersBelow: number | null;
  /** Every measurement, as vendor-metrics.ts gives it, for the full picture. */
  metrics: VendorMetrics;
}

const EMPTY: ScoreEvidence = { sbomIds: [], advisoryIds: [], vulnerabilityIds: [], counts: {} };
const unavailable = (m: { value: unknown; reason?: string }): m is Unavailable => m.value === null;
// vendor-metrics.ts gives shares as fractions.
const percent = (share: number) => share * 100;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Scorecards of `vendorIds` as of `now`; every id gets one (INSUFFICIENT_EVIDENCE when nothing is known). */
export async function vendorScorecards(db: Kysely<Database>, vendorIds: number[], options: { now: Date }): Promise<Map<number, VendorScorecard>> {
  const ids = [...new Set(vendorIds)];
  // Completeness (the latest SBOMs' quality) is measured beside the other metrics, on connections of its own.
  const completeness = async () => {
    const latest = await currentSbomsOfVendors(db, ids);
    return { latest, quality: await sbomQuality(db, [...latest.values()].flat()) };
  };
  const [metrics, { latest, quality }] = await Promise.all([vendorMetrics(db, ids, { now: options.now }), completeness()]);
  const out = new Map<number, VendorScorecard>();
  for (const id of ids) {
    const m = metrics.get(id)!;
    const sbomIds = latest.get(id) ?? [];
    const measurements = {} as Record<ScorePartName, Measurement>;
    const evidence = {} as Record<ScorePartName, ScoreEvidence>;

    const qualities = sbomIds.map((s) => quality.get(s)).filter((q) => q !== undefined && q.ntiaPercent !== null);
    measurements.SBOM_COMPLETENESS =
      qualities.length === 0
        ? { value: null, unit: '%', reason: sbomIds.length ? 'its latest SBOMs list no components' : 'no SBOM' }
        : { value: round(qualities.reduce((s, q) => s + 0.7 * q!.ntiaPercent! + 0.3 * (q!.cisaPercent ?? 0), 0) / qualities.length), unit: '%' };
    evidence.SBOM_COMPLETENESS = { ...EMPTY, sbomIds, counts: { products: sbomIds.length, scored: qualities.length } };

    if (unavailable(m.freshness)) measurements.SBOM_FRESHNESS = { value: null, unit: '%', reason: m.freshness.reason };
    else measurements.SBOM_FRESHNESS = { value: round(percent(m.freshness.value.currentShare)), unit: '%' };
    evidence.SBOM_FRESHNESS = unavailable(m.freshness) ? EMPTY : { ...EMPTY, sbomIds: m.freshness.evidence.map((p) => p.newestSbomId), counts: { ...m.freshness.counts, medianAgeDays: m.freshness.value.medianAgeDays } };

    if (unavailable(m.vexCoverage)) measurements.VEX_COVERAGE = { value: null, unit: '%', reason: m.vexCoverage.reason };
    else measurements.VEX_COVERAGE = { value: round(percent(m.vexCoverage.value.share)), unit: '%' };
    evidence.VEX_COVERAGE = unavailable(m.vexCoverage)
      ? EMPTY
      : {
          ...EMPTY,
          advisoryIds: [...new Set(m.vexCoverage.evidence.covered.flatMap((c) => c.advisoryIds))],
          vulnerabilityIds: [...m.vexCoverage.evidence.covered.map((c) => c.vulnerabilityId), ...m.vexCoverage.evidence.uncovered],
          counts: m.vexCoverage.counts,
        };

    if (unavailable(m.vexTimeliness)) measurements.VEX_TIMELINESS = { value: null, unit: 'days', reason: m.vexTimeliness.reason };
    else measurements.VEX_TIMELINESS = { value: m.vexTimeliness.value.medianDays, unit: 'days' };
    evidence.VEX_TIMELINESS = unavailable(m.vexTimeliness)
      ? EMPTY
      : { ...EMPTY, advisoryIds: [...new Set(m.vexTimeliness.evidence.map((d) => d.advisoryId))], vulnerabilityIds: m.vexTimeliness.evidence.map((d) => d.vulnerabilityId), counts: { ...m.vexTimeliness.counts, worstDays: m.vexTimeliness.value.worstDays } };

    if (unavailable(m.patchLatency)) {
      measurements.PATCH_LATENCY = { value: null, unit: 'days', reason: m.patchLatency.reason };
      evidence.PATCH_LATENCY = EMPTY;
    } else {
      // Hops still waiting count with the days they have waited so far: a vendor that never integrates is not fast.
      const hops = [...m.patchLatency.evidence.integrations, ...m.patchLatency.evidence.waiting];
      measurements.PATCH_LATENCY = { value: median(hops.map((h) => h.days)), unit: 'days', ...(hops.length ? {} : { reason: 'no fix has become available below its products' }) };
      evidence.PATCH_LATENCY = {
        ...EMPTY,
        sbomIds: [...new Set(hops.flatMap((h) => [h.sbomId, h.listedIn]).filter((x): x is number => x !== null))],
        vulnerabilityIds: [...new Set(hops.map((h) => h.vulnerabilityId))],
        counts: { ...m.patchLatency.counts, worstDays: m.patchLatency.value.worstDays },
      };
    }

    if (unavailable(m.openVulnerabilities)) measurements.OPEN_VULNERABILITIES = { value: null, unit: 'points', reason: m.openVulnerabilities.reason };
    else measurements.OPEN_VULNERABILITIES = { value: Math.max(0, 100 - 25 * m.openVulnerabilities.value.critical - 10 * m.openVulnerabilities.value.high), unit: 'points' };
    evidence.OPEN_VULNERABILITIES = unavailable(m.openVulnerabilities)
      ? EMPTY
      : { ...EMPTY, sbomIds: [...new Set(m.openVulnerabilities.evidence.map((o) => o.sbomId))], vulnerabilityIds: [...new Set(m.openVulnerabilities.evidence.map((o) => o.vulnerabilityId))], counts: m.openVulnerabilities.counts };

    if (unavailable(m.chainVisibility)) measurements.CHAIN_VISIBILITY = { value: null, unit: '%', reason: m.chainVisibility.reason };
    else measurements.CHAIN_VISIBILITY = { value: round(percent(m.chainVisibility.value.share)), unit: '%' };
    evidence.CHAIN_VISIBILITY = unavailable(m.chainVisibility) ? EMPTY : { ...EMPTY, sbomIds: m.chainVisibility.evidence.currentSbomIds, counts: m.chainVisibility.counts };

    const score = scoreVendor(measurements, sbomIds.length > 0);
    out.set(id, { ...score, vendorId: id, asOf: options.now, evidence, tiersBelow: unavailable(m.tiersBelow) ? null : m.tiersBelow.value.tiers, metrics: m });
  }
  return out;
}

const round = (x: number) => Math.round(x * 10) / 10;
