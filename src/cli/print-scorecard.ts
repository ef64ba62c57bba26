/**
 * @module
 * `patchpath scorecard VENDOR`: one vendor's scorecard as a table (or the GraphQL answer as JSON with --json), asked
 * through GraphQL, in-process or of a running server (--server), like `patchpath chain`.
 */

export const SCORECARD_QUERY = `query Scorecard($vendor: VendorInput!, $asOf: DateTime) {
  vendorScorecard(vendor: $vendor, asOf: $asOf) {
    vendor { name }
    method asOf verdict score reason tiersBelow
    parts { name weight score value unit reason evidence { sboms { id } advisories { id } vulnerabilities } }
    change(days: 30)
    history(last: 30) { day verdict score }
  }
}`;

/** `patchpath record-scorecards`: today's snapshot of every vendor's scorecard (admin). */
export const RECORD_SCORECARDS_QUERY = `mutation { recordScorecardHistory { day vendors seconds } }`;

interface Part {
  name: string;
  weight: number;
  score: number | null;
  value: number | null;
  unit: string;
  reason: string | null;
  evidence: { sboms: { id: string }[]; advisories: { id: string }[]; vulnerabilities: string[] };
}

interface Card {
  vendor: { name: string };
  method: string;
  asOf: string;
  verdict: string;
  score: number | null;
  reason: string | null;
  tiersBelow: number | null;
  parts: Part[];
  change: number | null;
  history: { day: string; verdict: string; score: number | null }[];
}

const label = (name: string) => {
  const words = name.toLowerCase().replaceAll('_', ' ').replace(/\bsbom\b/, 'SBOM').replace(/\bvex\b/, 'VEX');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The scorecard as text: the verdict, then one line per part (score, weight, measurement or why none, evidence). */
export function formatScorecard(data: Record<string, unknown>): string {
  const c = data.vendorScorecard as Card;
  const head =
    c.verdict === 'SCORED'
      ? `${c.vendor.name}: ${c.score!.toFixed(1)} of 100 (${c.method}, as of ${c.asOf.slice(0, 10)})`
      : `${c.vendor.name}: insufficient evidence, no score (${c.method}, as of ${c.asOf.slice(0, 10)}): ${c.reason}`;
  const lines = c.parts.map((p) => {
    const score = p.score === null ? '   -' : p.score.toFixed(1).padStart(5);
    const measured = p.value === null ? `no evidence: ${p.reason}` : `${Number.isInteger(p.value) ? p.value : p.value.toFixed(1)} ${p.unit}`;
    const count = (n: number, one: string, many: string) => (n === 0 ? '' : `${n} ${n === 1 ? one : many}`);
    const evidence = [count(p.evidence.sboms.length, 'SBOM', 'SBOMs'), count(p.evidence.advisories.length, 'advisory', 'advisories'), count(p.evidence.vulnerabilities.length, 'vulnerability', 'vulnerabilities')].filter(Boolean).join(', ');
    return `  ${label(p.name).padEnd(22)}${score}  weight ${String(p.weight).padStart(2)}  ${measured}${evidence ? `  [${evidence}]` : ''}`;
  });
  return [head, ...lines, `  tiers below: ${c.tiersBelow ?? 'unknown (no SBOM)'}`, `  ${formatHistory(c)}`].join('\n');
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** The recorded days as a sparkline (0-100), first and last score, and the change over 30 days. */
function formatHistory(c: Card): string {
  if (!c.history.length) return 'history: none recorded yet (a serving instance records every vendor once a day; `patchpath record-scorecards` now)';
  const spark = c.history.map((h) => (h.score === null ? '·' : SPARKS[Math.min(SPARKS.length - 1, Math.floor((h.score / 100) * SPARKS.length))])).join('');
  const first = c.history[0]!;
  const last = c.history.at(-1)!;
  const shown = (h: { score: number | null }) => (h.score === null ? 'no score' : h.score.toFixed(1));
  const change = c.change === null ? '' : `, ${c.change >= 0 ? '+' : ''}${c.change.toFixed(1)} in 30 days`;
  if (c.history.length === 1) return `history: ${last.day} ${shown(last)} (1 recorded day${change})`;
  return `history: ${spark} ${first.day} ${shown(first)} .. ${last.day} ${shown(last)} (${c.history.length} recorded days${change})`;
}

/** The answer of {@link RECORD_SCORECARDS_QUERY} as one line. */
export function formatRecording(data: Record<string, unknown>): string {
  const r = data.recordScorecardHistory as { day: string; vendors: number; seconds: number };
  return `recorded the scorecards of ${r.vendors} vendor${r.vendors === 1 ? '' : 's'} for ${r.day} in ${r.seconds.toFixed(2)} s`;
}
