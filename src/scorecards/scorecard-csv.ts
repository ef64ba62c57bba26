/**
 * @module
 * Scorecards as CSV for procurement's spreadsheets: one row per vendor, the score and every part's score and
 * measurement, the method they were made with, and the reason when there is no score.
 */
import { stringify } from 'csv-stringify/sync';
import { SCORE_PARTS } from './score-method.js';
import type { RankedScorecard } from './rank-scorecards.js';
import type { ScorecardSnapshot } from './scorecard-history.js';

export function scorecardsCsv(ranked: RankedScorecard[], names: ReadonlyMap<number, string>): string {
  const header = ['rank', 'vendor', 'method', 'as_of', 'verdict', 'score', ...SCORE_PARTS.flatMap((p) => [`${p.name.toLowerCase()}_score`, `${p.name.toLowerCase()}_value`]), 'tiers_below', 'reason'];
  const rows = ranked.map(({ rank, scorecard: c }) => [
    rank,
    names.get(c.vendorId) ?? `vendor ${c.vendorId}`,
    c.method,
    c.asOf.toISOString().slice(0, 10),
    c.verdict,
    c.score ?? '',
    ...SCORE_PARTS.flatMap((rule) => {
      const part = c.parts.find((p) => p.name === rule.name)!;
      return [part.score ?? '', part.measurement.value ?? ''];
    }),
    c.tiersBelow ?? '',
    c.reason ?? '',
  ]);
  return stringify([header, ...rows]);
}

/** One vendor's recorded scorecards as CSV, one row per day, oldest first: the series for a chart. */
export function scorecardHistoryCsv(vendor: string, series: ScorecardSnapshot[]): string {
  const header = ['day', 'vendor', 'method', 'verdict', 'score', ...SCORE_PARTS.flatMap((p) => [`${p.name.toLowerCase()}_score`, `${p.name.toLowerCase()}_value`])];
  const rows = series.map((s) => [
    s.takenOn,
    vendor,
    s.method,
    s.verdict,
    s.score ?? '',
    ...SCORE_PARTS.flatMap((rule) => {
      const part = s.parts.find((p) => p.name === rule.name);
      return [part?.score ?? '', part?.value ?? ''];
    }),
  ]);
  return stringify([header, ...rows]);
}
