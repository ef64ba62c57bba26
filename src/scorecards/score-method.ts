/**
 * @module
 * The scoring method: how a vendor's measured hygiene (src/scorecards/vendor-metrics.ts, sbom-quality.ts) becomes one
 * score with its parts visible. Versioned: a change of weight or curve is a new {@link SCORE_METHOD} id, so a score
 * is only ever compared with scores of the same method.
 *
 * Each part maps one measurement to 0-100 on a fixed curve (below), or to null when there is no evidence for it. The
 * score is the weighted mean of the parts that have evidence. A vendor whose parts with evidence carry less than
 * {@link MIN_EVIDENCE_WEIGHT} of the total weight, or that has published no SBOM at all, gets no score but the
 * verdict INSUFFICIENT_EVIDENCE: having no data must never look like having good data.
 */

export const SCORE_METHOD = 'patchpath-vendor-score/1';

export type ScorePartName =
  | 'SBOM_COMPLETENESS'
  | 'SBOM_FRESHNESS'
  | 'VEX_COVERAGE'
  | 'VEX_TIMELINESS'
  | 'PATCH_LATENCY'
  | 'OPEN_VULNERABILITIES'
  | 'CHAIN_VISIBILITY';

/** A measurement ready to be scored: its value in its own unit, or null with the reason there is none. */
export interface Measurement {
  value: number | null;
  unit: string;
  reason?: string;
}

export interface ScorePartRule {
  name: ScorePartName;
  weight: number;
  /** How the measured value becomes 0-100. */
  curve: string;
  score: (value: number) => number;
}

const clamp = (x: number) => Math.max(0, Math.min(100, x));
const linearDown = (zeroAt: number) => (days: number) => clamp(100 * (1 - days / zeroAt));

/** The parts, their weights (summing to 100) and curves. Tiers below are reported but not scored: depth is no merit. */
export const SCORE_PARTS: readonly ScorePartRule[] = [
  { name: 'SBOM_COMPLETENESS', weight: 25, curve: 'the mean NTIA minimum-element coverage (%) of the latest SBOM of each product, 70%, plus the mean CISA 2025 coverage, 30%', score: clamp },
  { name: 'SBOM_FRESHNESS', weight: 10, curve: 'share (%) of products whose newest SBOM describes their latest known version', score: clamp },
  { name: 'VEX_COVERAGE', weight: 15, curve: 'share (%) of the vulnerabilities reaching its products on which it has published a statement', score: clamp },
  { name: 'VEX_TIMELINESS', weight: 10, curve: 'median days from disclosure to its first statement: 0 days = 100, falling linearly to 0 at 90 days', score: linearDown(90) },
  { name: 'PATCH_LATENCY', weight: 20, curve: 'median days from "fix available below" to INTEGRATED (hops still waiting count with their days so far): 0 days = 100, falling linearly to 0 at 180 days', score: linearDown(180) },
  { name: 'OPEN_VULNERABILITIES', weight: 10, curve: '100, minus 25 per open critical and 10 per open high vulnerability in the latest versions of its products, at least 0', score: clamp },
  { name: 'CHAIN_VISIBILITY', weight: 10, curve: 'share (%) of the components in its latest SBOMs whose supplier has published an SBOM of them', score: clamp },
];

/** Scored parts with evidence must carry at least this share of the total weight for a score to be given. */
export const MIN_EVIDENCE_WEIGHT = 50;

export interface ScoredPart {
  name: ScorePartName;
  weight: number;
  curve: string;
  /** 0-100, or null without evidence. */
  score: number | null;
  measurement: Measurement;
}

export interface Score {
  method: string;
  verdict: 'SCORED' | 'INSUFFICIENT_EVIDENCE';
  /** 0-100 with one decimal, null unless SCORED. */
  score: number | null;
  /** Why there is no score. */
  reason?: string;
  parts: ScoredPart[];
}

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

/**
 * Scores one vendor's measurements.
 *
 * @param hasSbom whether the vendor has published any SBOM (without one there is no score, whatever else is known).
 */
export function scoreVendor(measurements: Readonly<Record<ScorePartName, Measurement>>, hasSbom: boolean): Score {
  const parts: ScoredPart[] = SCORE_PARTS.map((rule) => {
    const m = measurements[rule.name];
    return { name: rule.name, weight: rule.weight, curve: rule.curve, score: m.value === null ? null : oneDecimal(rule.score(m.value)), measurement: m };
  });
  const withEvidence = parts.filter((p) => p.score !== null);
  const weight = withEvidence.reduce((s, p) => s + p.weight, 0);
  if (!hasSbom) return { method: SCORE_METHOD, verdict: 'INSUFFICIENT_EVIDENCE', score: null, reason: 'the vendor has published no SBOM', parts };
  if (weight < MIN_EVIDENCE_WEIGHT) {
    const missing = parts.filter((p) => p.score === null).map((p) => p.name.toLowerCase().replaceAll('_', ' '));
    return { method: SCORE_METHOD, verdict: 'INSUFFICIENT_EVIDENCE', score: null, reason: `evidence covers ${weight}% of the score's weight, less than ${MIN_EVIDENCE_WEIGHT}%; nothing known about: ${missing.join(', ')}`, parts };
  }
  const score = withEvidence.reduce((s, p) => s + p.score! * p.weight, 0) / weight;
  return { method: SCORE_METHOD, verdict: 'SCORED', score: oneDecimal(score), parts };
}
