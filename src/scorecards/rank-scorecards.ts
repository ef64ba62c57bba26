/**
 * @module
 * Vendors ranked by their score or by one part of it: best first (for PATCH_LATENCY and VEX_TIMELINESS the part's
 * score already turns fewer days into more points), vendors without a figure last, equal figures sharing a rank.
 */
import type { ScorePartName } from './score-method.js';
import type { VendorScorecard } from './vendor-scorecard.js';

export interface RankedScorecard {
  rank: number;
  scorecard: VendorScorecard;
}

export function figureOf(card: VendorScorecard, by: ScorePartName | null): number | null {
  return by === null ? card.score : (card.parts.find((p) => p.name === by)?.score ?? null);
}

/** @param names vendor names, to order equal figures alphabetically (a stable answer, page after page). */
export function rankScorecards(cards: VendorScorecard[], by: ScorePartName | null, names: ReadonlyMap<number, string>): RankedScorecard[] {
  const sorted = [...cards].sort((a, b) => {
    const fa = figureOf(a, by);
    const fb = figureOf(b, by);
    if (fa !== fb) return fa === null ? 1 : fb === null ? -1 : fb - fa;
    return (names.get(a.vendorId) ?? '').localeCompare(names.get(b.vendorId) ?? '') || a.vendorId - b.vendorId;
  });
  const ranked: RankedScorecard[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const same = i > 0 && figureOf(sorted[i]!, by) === figureOf(sorted[i - 1]!, by);
    ranked.push({ rank: same ? ranked[i - 1]!.rank : i + 1, scorecard: sorted[i]! });
  }
  return ranked;
}
