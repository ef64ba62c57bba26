/**
 * Scorecards over time (src/scorecards/scorecard-history.ts): every vendor's scorecard recorded once a day, the series
 * read back, on each backend, over the patch world of tests/helpers/patch-world.ts whose answers are known by hand.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { normaliseVendorName } from '../../src/normalise/normalise-vendor-name.js';
import { SCORE_METHOD } from '../../src/scorecards/score-method.js';
import {
  readHistoryWindow,
  recordScorecardHistory,
  scheduleScorecardHistory,
  scoreChange,
  scorecardHistory,
  type ScorecardSnapshot,
} from '../../src/scorecards/scorecard-history.js';
import { vendorScorecards } from '../../src/scorecards/vendor-scorecard.js';
import { findOrganisationByKey, listAllVendors } from '../../src/store/organisation.repository.js';
import { PatchQueryError } from '../../src/patch-status/patch-query.js';
import { ingestProduct } from '../helpers/chain-world.js';
import { baseWorld, CVE, device, modulePurl, NOW } from '../helpers/patch-world.js';
import { ingestVex } from '../helpers/vex-world.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';

const DAY = 86_400_000;
const day = (n: number) => new Date(NOW.getTime() + n * DAY);

describe.each(BACKENDS)('scorecard history, on %s', (backend) => {
  const testDb = useTestDb(backend);
  const db = () => testDb().db;
  const idOf = async (name: string) => (await findOrganisationByKey(db(), normaliseVendorName(name)!))!.id;
  const seriesOf = async (name: string, options: Parameters<typeof scorecardHistory>[2] = {}) => {
    const id = await idOf(name);
    return (await scorecardHistory(db(), [id], options)).get(id)!;
  };

  it('records every vendor\'s scorecard of the day, as the live scorecard gives it', async () => {
    await baseWorld(db());
    const outcome = await recordScorecardHistory(db(), { now: NOW });
    const vendors = await listAllVendors(db());
    expect(outcome).toMatchObject({ takenOn: '2025-06-01', vendors: vendors.length, skipped: false });

    const live = await vendorScorecards(db(), vendors.map((v) => v.id), { now: NOW });
    const recorded = await scorecardHistory(db(), vendors.map((v) => v.id));
    for (const v of vendors) {
      const card = live.get(v.id)!;
      expect(recorded.get(v.id), v.name).toEqual([
        {
          vendorId: v.id,
          method: SCORE_METHOD,
          takenOn: '2025-06-01',
          takenAt: NOW,
          verdict: card.verdict,
          score: card.score,
          parts: card.parts.map((p) => ({ name: p.name, score: p.score, value: p.measurement.value, unit: p.measurement.unit })),
        },
      ]);
    }
    // The world is small but not empty: at least one vendor is scored, and the vendor with no SBOM is not.
    expect(vendors.some((v) => live.get(v.id)!.verdict === 'SCORED')).toBe(true);
    expect((await seriesOf('lwIP project'))[0]).toMatchObject({ verdict: 'INSUFFICIENT_EVIDENCE', score: null });
  });

  it('keeps what was known each day: a later upload changes the next day, never the day before', async () => {
    await baseWorld(db());
    await recordScorecardHistory(db(), { now: NOW });
    const before = (await seriesOf('Northwind Wireless'))[0]!;
    // Northwind states, a day later, that its module is affected: its VEX coverage goes from 0 to 100%.
    await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE, purl: modulePurl('1.0'), state: 'exploitable', at: day(1).toISOString() }]);
    await recordScorecardHistory(db(), { now: day(1) });

    const series = await seriesOf('Northwind Wireless');
    expect(series.map((s) => s.takenOn)).toEqual(['2025-06-01', '2025-06-02']);
    expect(series[0]).toEqual(before);
    const coverage = (s: ScorecardSnapshot) => s.parts.find((p) => p.name === 'VEX_COVERAGE')!;
    expect(coverage(series[0]!)).toMatchObject({ value: 0, score: 0 });
    expect(coverage(series[1]!)).toMatchObject({ value: 100, score: 100, unit: '%' });
  });

  it('records a day once: a second recording is skipped, an admin\'s replaces it', async () => {
    await baseWorld(db());
    await recordScorecardHistory(db(), { now: NOW });
    expect(await recordScorecardHistory(db(), { now: new Date(NOW.getTime() + 3_600_000) })).toMatchObject({ skipped: true, vendors: 0 });
    expect((await seriesOf('Medisyn Medical'))[0]!.takenAt).toEqual(NOW);

    await ingestProduct(db(), device('2.1', '3.0', '2025-05-30T00:00:00Z'));
    const later = new Date(NOW.getTime() + 7_200_000);
    expect(await recordScorecardHistory(db(), { now: later, replace: true })).toMatchObject({ skipped: false, takenOn: '2025-06-01' });
    const series = await seriesOf('Medisyn Medical');
    expect(series).toHaveLength(1);
    expect(series[0]!.takenAt).toEqual(later);
  });

  it('lets exactly one of two simultaneous recordings of a day do it (several instances on one database)', async () => {
    await baseWorld(db());
    const outcomes = await Promise.all([recordScorecardHistory(db(), { now: NOW }), recordScorecardHistory(db(), { now: NOW })]);
    expect(outcomes.map((o) => o.skipped).sort()).toEqual([false, true]);
    expect(await seriesOf('Keystone Embedded')).toHaveLength(1);
  });

  it('takes over a day whose recording was left unfinished for an hour (its instance died), not a fresh one', async () => {
    await baseWorld(db());
    const claim = (startedAt: Date) => sql`insert into scorecard_snapshot_run (method, taken_on, started_at) values (${SCORE_METHOD}, '2025-06-01', ${startedAt})`.execute(db());
    await claim(new Date(NOW.getTime() - 10 * 60_000));
    expect(await recordScorecardHistory(db(), { now: NOW })).toMatchObject({ skipped: true });
    await sql`delete from scorecard_snapshot_run`.execute(db());
    await claim(new Date(NOW.getTime() - 61 * 60_000));
    expect(await recordScorecardHistory(db(), { now: NOW })).toMatchObject({ skipped: false });
    const run = await sql<{ finished: boolean; vendors: number }>`select finished_at is not null as finished, vendors from scorecard_snapshot_run`.execute(db());
    expect(run.rows).toEqual([{ finished: true, vendors: (await listAllVendors(db())).length }]);
  });

  it('reads a window of days, oldest first, the newest `last` of them, of one method', async () => {
    await baseWorld(db());
    for (let n = 0; n < 5; n++) await recordScorecardHistory(db(), { now: day(n) });
    const days = (s: ScorecardSnapshot[]) => s.map((x) => x.takenOn);
    expect(days(await seriesOf('Keystone Embedded'))).toEqual(['2025-06-01', '2025-06-02', '2025-06-03', '2025-06-04', '2025-06-05']);
    expect(days(await seriesOf('Keystone Embedded', { from: day(1), to: day(3) }))).toEqual(['2025-06-02', '2025-06-03', '2025-06-04']);
    expect(days(await seriesOf('Keystone Embedded', { last: 2 }))).toEqual(['2025-06-04', '2025-06-05']);
    expect(days(await seriesOf('Keystone Embedded', { from: day(1), last: 1 }))).toEqual(['2025-06-05']);
    expect(await seriesOf('Keystone Embedded', { method: 'patchpath-vendor-score/0' })).toEqual([]);
  });

  it('records each new day from a serving instance\'s schedule, and finishes a recording under way before it stops', async () => {
    await baseWorld(db());
    let now = NOW;
    const schedule = scheduleScorecardHistory(db(), { logger: pino({ level: 'silent' }), checkEveryMs: 20, clock: () => now });
    await expect.poll(async () => (await seriesOf('Keystone Embedded')).length, { timeout: 20_000 }).toBe(1);
    now = day(1);
    await expect.poll(async () => (await seriesOf('Keystone Embedded')).map((s) => s.takenOn), { timeout: 20_000 }).toEqual(['2025-06-01', '2025-06-02']);
    await schedule.stop();
    const runs = await sql<{ open: number }>`select count(*)::int as open from scorecard_snapshot_run where finished_at is null`.execute(db());
    expect(runs.rows[0]!.open).toBe(0);
  });
});

describe('scoreChange', () => {
  const snap = (takenOn: string, score: number | null): ScorecardSnapshot => ({ vendorId: 1, method: SCORE_METHOD, takenOn, takenAt: new Date(`${takenOn}T00:00:00Z`), verdict: score === null ? 'INSUFFICIENT_EVIDENCE' : 'SCORED', score, parts: [] });
  const series = [snap('2025-04-01', 50), snap('2025-05-01', 60.4), snap('2025-05-20', null)];

  it('subtracts the score of the nearest recorded day at or before `days` ago', () => {
    expect(scoreChange(70, series, NOW, 31)).toBe(9.6); // 2025-05-01
    expect(scoreChange(70, series, NOW, 45)).toBe(20); // 2025-04-17 -> 2025-04-01
  });

  it('is null when the day then has no score, nothing was recorded then, or there is no score now', () => {
    expect(scoreChange(70, series, NOW, 5)).toBeNull(); // 2025-05-20 had no score
    expect(scoreChange(70, series, NOW, 90)).toBeNull();
    expect(scoreChange(null, series, NOW, 31)).toBeNull();
  });
});

describe('readHistoryWindow', () => {
  it('reads from, to and last, with the default last', () => {
    expect(readHistoryWindow({ from: '2025-01-01', to: '2025-02-01T00:00:00Z', last: '7' }, 90)).toEqual({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z'), last: 7 });
    expect(readHistoryWindow({}, 90)).toEqual({ from: undefined, to: undefined, last: 90 });
  });

  it('names the argument, its value and the rule when one is wrong', () => {
    expect(() => readHistoryWindow({ from: 'yesterday' }, 90)).toThrow(new PatchQueryError(`'from' value 'yesterday' is not a date-time (RFC 3339, e.g. 2025-06-01T00:00:00Z, or a date)`));
    expect(() => readHistoryWindow({ from: '2025-03-01', to: '2025-02-01' }, 90)).toThrow(/'from' value '2025-03-01T00:00:00.000Z' is after 'to' value '2025-02-01T00:00:00.000Z'/);
    expect(() => readHistoryWindow({ last: 0 }, 90)).toThrow(/'last' value '0' must be a whole number from 1 to 1000/);
    expect(() => readHistoryWindow({ last: '12abc' }, 90)).toThrow(/'last' value '12abc'/);
  });
});
