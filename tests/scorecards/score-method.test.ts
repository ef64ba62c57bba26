import { describe, expect, it } from 'vitest';
import { MIN_EVIDENCE_WEIGHT, SCORE_METHOD, SCORE_PARTS, scoreVendor, type Measurement, type ScorePartName } from '../../src/scorecards/score-method.js';

const none = (reason: string): Measurement => ({ value: null, unit: '', reason });
const all = (m: Partial<Record<ScorePartName, Measurement>>): Record<ScorePartName, Measurement> =>
  Object.fromEntries(SCORE_PARTS.map((p) => [p.name, m[p.name] ?? none('no evidence')])) as Record<ScorePartName, Measurement>;

describe('the scoring method', () => {
  it('has weights that sum to 100 and a versioned id', () => {
    expect(SCORE_PARTS.reduce((s, p) => s + p.weight, 0)).toBe(100);
    expect(SCORE_METHOD).toMatch(/^patchpath-vendor-score\/\d+$/);
  });

  it('scores a vendor with every part known as the weighted mean of the parts', () => {
    const score = scoreVendor(
      all({
        SBOM_COMPLETENESS: { value: 80, unit: '%' }, // 80 x 25
        SBOM_FRESHNESS: { value: 50, unit: '%' }, // 50 x 10
        VEX_COVERAGE: { value: 100, unit: '%' }, // 100 x 15
        VEX_TIMELINESS: { value: 45, unit: 'days' }, // 50 x 10
        PATCH_LATENCY: { value: 90, unit: 'days' }, // 50 x 20
        OPEN_VULNERABILITIES: { value: 65, unit: 'points' }, // 65 x 10 (one critical, one high)
        CHAIN_VISIBILITY: { value: 40, unit: '%' }, // 40 x 10
      }),
      true,
    );
    expect(score.verdict).toBe('SCORED');
    expect(score.score).toBe((80 * 25 + 50 * 10 + 100 * 15 + 50 * 10 + 50 * 20 + 65 * 10 + 40 * 10) / 100);
    expect(score.parts.find((p) => p.name === 'PATCH_LATENCY')).toMatchObject({ score: 50, weight: 20, measurement: { value: 90, unit: 'days' } });
  });

  it('leaves parts without evidence out of the mean, and says which they are', () => {
    const score = scoreVendor(all({ SBOM_COMPLETENESS: { value: 60, unit: '%' }, PATCH_LATENCY: { value: 0, unit: 'days' }, CHAIN_VISIBILITY: { value: 100, unit: '%' } }), true);
    // 25 + 20 + 10 = 55% of the weight has evidence: (60 x 25 + 100 x 20 + 100 x 10) / 55
    expect(score).toMatchObject({ verdict: 'SCORED', score: Math.round(((60 * 25 + 100 * 20 + 100 * 10) / 55) * 10) / 10 });
    expect(score.parts.filter((p) => p.score === null).map((p) => p.name)).toEqual(['SBOM_FRESHNESS', 'VEX_COVERAGE', 'VEX_TIMELINESS', 'OPEN_VULNERABILITIES']);
  });

  it('gives no score but INSUFFICIENT_EVIDENCE to a vendor with too little evidence, never a good score', () => {
    const thin = scoreVendor(all({ VEX_COVERAGE: { value: 100, unit: '%' }, CHAIN_VISIBILITY: { value: 100, unit: '%' } }), true);
    expect(thin).toMatchObject({ verdict: 'INSUFFICIENT_EVIDENCE', score: null });
    expect(thin.reason).toContain(`evidence covers 25% of the score's weight, less than ${MIN_EVIDENCE_WEIGHT}%`);
    const noSbom = scoreVendor(all({ VEX_COVERAGE: { value: 100, unit: '%' }, PATCH_LATENCY: { value: 0, unit: 'days' }, OPEN_VULNERABILITIES: { value: 100, unit: 'points' }, CHAIN_VISIBILITY: { value: 100, unit: '%' } }), false);
    expect(noSbom).toMatchObject({ verdict: 'INSUFFICIENT_EVIDENCE', score: null, reason: 'the vendor has published no SBOM' });
  });

  it('maps days on falling lines and clamps every part to 0-100', () => {
    const score = scoreVendor(all({ SBOM_COMPLETENESS: { value: 120, unit: '%' }, VEX_TIMELINESS: { value: 400, unit: 'days' }, PATCH_LATENCY: { value: 18, unit: 'days' } }), true);
    const part = (n: ScorePartName) => score.parts.find((p) => p.name === n)!.score;
    expect([part('SBOM_COMPLETENESS'), part('VEX_TIMELINESS'), part('PATCH_LATENCY')]).toEqual([100, 0, 90]);
  });
});
