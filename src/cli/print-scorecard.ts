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
  }
}`;

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
  return [head, ...lines, `  tiers below: ${c.tiersBelow ?? 'unknown (no SBOM)'}`].join('\n');
}
