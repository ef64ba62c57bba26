/**
 * @module
 * Scorecards over time. A scorecard is computed from what patchpath holds now; `asOf` only moves the clock its days
 * are counted to. What a vendor's score *was* on a past day, with what was known that day, can only be kept, not
 * recomputed: so every vendor's scorecard is recorded once a day (a snapshot: verdict, score and each part's score
 * and measurement), by a serving instance ({@link scheduleScorecardHistory}) or on demand by an admin
 * ({@link recordScorecardHistory}), and {@link scorecardHistory} reads the series back. Dependency-Track keeps its
 * portfolio metrics the same way, as daily rows.
 *
 * Several instances on one database record a day once: the first to claim the day in `scorecard_snapshot_run` does
 * it; a claim left unfinished for an hour (its instance died) may be taken over. A recording on demand replaces the
 * day's snapshots. Snapshots are kept per scoring method (score-method.ts) and a series never mixes two methods.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { PatchQueryError, readAsOf } from '../patch-status/patch-query.js';
import { listAllVendors } from '../store/organisation.repository.js';
import { SCORE_METHOD, type ScorePartName } from './score-method.js';
import { vendorScorecards } from './vendor-scorecard.js';

type Db = Kysely<Database>;

export interface ScorePartSnapshot {
  name: ScorePartName;
  /** 0-100, null without evidence. */
  score: number | null;
  /** The measurement, in its unit; null without evidence. */
  value: number | null;
  unit: string;
}

export interface ScorecardSnapshot {
  vendorId: number;
  method: string;
  /** The UTC day, YYYY-MM-DD. */
  takenOn: string;
  takenAt: Date;
  verdict: 'SCORED' | 'INSUFFICIENT_EVIDENCE';
  score: number | null;
  parts: ScorePartSnapshot[];
}

export interface RecordOutcome {
  /** The UTC day recorded (YYYY-MM-DD). */
  takenOn: string;
  /** Vendors recorded; 0 when another instance has the day (`skipped`). */
  vendors: number;
  skipped: boolean;
  seconds: number;
}

/** An unfinished claim older than this is taken to be dead (its instance stopped mid-way). */
const STALE_CLAIM_MINUTES = 60;
/** Snapshots written per statement (each row carries its parts as JSON). */
const INSERT_BATCH = 500;

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Records every vendor's scorecard as of `now` for `now`'s UTC day. Without `replace`, does nothing when the day is
 * already recorded or being recorded by another instance (`skipped`); with it (an admin's request), records the day
 * again over what was there.
 */
export async function recordScorecardHistory(db: Db, options: { now: Date; replace?: boolean }): Promise<RecordOutcome> {
  const started = performance.now();
  const takenOn = dayOf(options.now);
  const claimed = await claimDay(db, takenOn, options.now, options.replace ?? false);
  if (!claimed) return { takenOn, vendors: 0, skipped: true, seconds: (performance.now() - started) / 1000 };
  try {
    const vendors = await listAllVendors(db);
    const cards = await vendorScorecards(db, vendors.map((v) => v.id), { now: options.now });
    const rows = [...cards.values()].map((c) => ({
      organisation_id: c.vendorId,
      method: c.method,
      taken_on: takenOn,
      taken_at: options.now,
      verdict: c.verdict,
      score: c.score,
      parts: JSON.stringify(c.parts.map((p): ScorePartSnapshot => ({ name: p.name, score: p.score, value: p.measurement.value, unit: p.measurement.unit }))),
    }));
    // The day's snapshots and the end of the claim in one transaction: a reader sees the whole day or the day before.
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        await trx
          .insertInto('scorecard_snapshot')
          .values(rows.slice(i, i + INSERT_BATCH))
          .onConflict((oc) =>
            oc.columns(['organisation_id', 'method', 'taken_on']).doUpdateSet((eb) => ({
              taken_at: eb.ref('excluded.taken_at'),
              verdict: eb.ref('excluded.verdict'),
              score: eb.ref('excluded.score'),
              parts: eb.ref('excluded.parts'),
            })),
          )
          .execute();
      }
      await trx
        .updateTable('scorecard_snapshot_run')
        .set({ finished_at: new Date(), vendors: rows.length })
        .where('method', '=', SCORE_METHOD)
        .where('taken_on', '=', takenOn)
        .execute();
    });
    return { takenOn, vendors: rows.length, skipped: false, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    // Give the day back at once, so that the next attempt (here or on another instance) need not wait out the hour.
    await db.deleteFrom('scorecard_snapshot_run').where('method', '=', SCORE_METHOD).where('taken_on', '=', takenOn).where('finished_at', 'is', null).execute().catch(() => {});
    throw e;
  }
}

/** Claims the day for this instance: true when it is ours to record. */
async function claimDay(db: Db, takenOn: string, now: Date, replace: boolean): Promise<boolean> {
  const claimed = await sql<{ method: string }>`
    insert into scorecard_snapshot_run (method, taken_on, started_at) values (${SCORE_METHOD}, ${takenOn}::date, ${now})
    on conflict (method, taken_on) do update set started_at = excluded.started_at, finished_at = null, vendors = null
    where ${replace}
       or (scorecard_snapshot_run.finished_at is null and scorecard_snapshot_run.started_at < excluded.started_at - make_interval(mins => ${STALE_CLAIM_MINUTES}))
    returning method`.execute(db);
  return claimed.rows.length > 0;
}

/**
 * A vendor's snapshots of one method (default the current one) from `from` to `to` (UTC days, both included; default
 * all), oldest first, at most the `last` newest (default {@link MAX_HISTORY}).
 */
export async function scorecardHistory(
  db: Db,
  vendorIds: number[],
  options: { from?: Date; to?: Date; method?: string; last?: number } = {},
): Promise<Map<number, ScorecardSnapshot[]>> {
  const out = new Map<number, ScorecardSnapshot[]>(vendorIds.map((id) => [id, []]));
  if (!vendorIds.length) return out;
  const limit = options.last ?? MAX_HISTORY;
  const rows = await sql<{ organisation_id: number; method: string; taken_on: string; taken_at: Date; verdict: ScorecardSnapshot['verdict']; score: number | null; parts: ScorePartSnapshot[] | string }>`
    select organisation_id, method, taken_on, taken_at, verdict, score, parts from (
      select organisation_id, method, taken_on::text as taken_on, taken_at, verdict, score::float8 as score, parts,
        row_number() over (partition by organisation_id order by taken_on desc) as newest
      from scorecard_snapshot
      where organisation_id = any(${vendorIds}::bigint[]) and method = ${options.method ?? SCORE_METHOD}
        and (${options.from ? dayOf(options.from) : null}::date is null or taken_on >= ${options.from ? dayOf(options.from) : null}::date)
        and (${options.to ? dayOf(options.to) : null}::date is null or taken_on <= ${options.to ? dayOf(options.to) : null}::date)
    ) s
    where newest <= ${limit}
    order by organisation_id, taken_on`.execute(db);
  for (const r of rows.rows) {
    out.get(Number(r.organisation_id))!.push({
      vendorId: Number(r.organisation_id),
      method: r.method,
      takenOn: r.taken_on,
      takenAt: new Date(r.taken_at),
      verdict: r.verdict,
      score: r.score === null ? null : Number(r.score),
      parts: typeof r.parts === 'string' ? (JSON.parse(r.parts) as ScorePartSnapshot[]) : r.parts,
    });
  }
  return out;
}

/** Most snapshots one question returns per vendor (close to three years of days). */
export const MAX_HISTORY = 1000;

export interface HistoryWindow {
  from?: Date;
  to?: Date;
  last: number;
}

/**
 * The window of a history question from its arguments (GraphQL and REST spell them alike).
 * @throws PatchQueryError naming the argument, its value and the rule.
 */
export function readHistoryWindow(args: { from?: string | Date | null; to?: string | Date | null; last?: number | string | null }, fallbackLast: number): HistoryWindow {
  const never = () => new Date(NaN);
  const from = args.from == null || args.from === '' ? undefined : readAsOf(args.from, never, 'from');
  const to = args.to == null || args.to === '' ? undefined : readAsOf(args.to, never, 'to');
  if (from && to && from > to) throw new PatchQueryError(`'from' value '${from.toISOString()}' is after 'to' value '${to.toISOString()}'; the window would hold no day`);
  const last = args.last == null || args.last === '' ? fallbackLast : typeof args.last === 'number' ? args.last : /^\d{1,9}$/.test(args.last) ? Number(args.last) : NaN;
  if (!Number.isInteger(last) || last < 1 || last > MAX_HISTORY) throw new PatchQueryError(`'last' value '${String(args.last).slice(0, 100)}' must be a whole number from 1 to ${MAX_HISTORY}`);
  return { from, to, last };
}

/**
 * The score `days` before `asOf` from a vendor's series (the nearest recorded day at or before then) subtracted from
 * `score`; null when either is missing.
 */
export function scoreChange(score: number | null, series: ScorecardSnapshot[], asOf: Date, days: number): number | null {
  if (score === null) return null;
  const then = dayOf(new Date(asOf.getTime() - days * 86_400_000));
  const before = series.filter((s) => s.takenOn <= then).at(-1);
  if (before?.score == null) return null;
  return Math.round((score - before.score) * 10) / 10;
}

export interface HistorySchedule {
  /** Stops the schedule; resolves when a recording under way has finished. */
  stop(): Promise<void>;
}

/**
 * Records the day's scorecards now (when not yet recorded) and then checks every `checkEveryMs` (default an hour)
 * whether a new UTC day has begun. Failures are logged and retried at the next check: a serving instance never stops
 * for them.
 */
export function scheduleScorecardHistory(db: Db, options: { logger: Logger; checkEveryMs?: number; clock?: () => Date }): HistorySchedule {
  const clock = options.clock ?? (() => new Date());
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = running.then(async () => {
      if (stopped) return;
      try {
        const outcome = await recordScorecardHistory(db, { now: clock() });
        if (!outcome.skipped) {
          options.logger.info({ event: 'scorecard_history', takenOn: outcome.takenOn, vendors: outcome.vendors, seconds: Math.round(outcome.seconds * 1000) / 1000 }, `recorded the scorecards of ${outcome.vendors} vendors for ${outcome.takenOn}`);
        }
      } catch (e) {
        options.logger.error({ event: 'scorecard_history_failed', error: (e as Error).message }, 'recording the day\'s scorecards failed; retrying at the next check');
      }
    });
  };
  tick();
  const timer = setInterval(tick, options.checkEveryMs ?? 60 * 60 * 1000);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
