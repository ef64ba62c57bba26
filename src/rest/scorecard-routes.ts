/**
 * @module
 * REST for procurement, as JSON or CSV (`?format=csv` or `Accept: text/csv`), each with `asOf` to set the clock:
 * - `GET /v1/scorecards[?by=PART]`: every vendor ranked by its score (or one part of it);
 * - `GET /v1/vendors/:vendor/scorecard`: one vendor's scorecard, every part with its measurement and evidence;
 * - `GET /v1/vendors/:vendor/scorecard/history[?from=&to=&last=]`: its recorded scorecards, one a day, oldest first
 *   (src/scorecards/scorecard-history.ts).
 */
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { readAsOf } from '../patch-status/patch-query.js';
import { rankScorecards } from '../scorecards/rank-scorecards.js';
import { SCORE_PARTS, type ScorePartName } from '../scorecards/score-method.js';
import { scorecardHistoryCsv, scorecardsCsv } from '../scorecards/scorecard-csv.js';
import { readHistoryWindow, scorecardHistory } from '../scorecards/scorecard-history.js';
import { vendorScorecards } from '../scorecards/vendor-scorecard.js';
import { findOrganisationByKey, listAllVendors } from '../store/organisation.repository.js';
import { answer, formatOf, respond } from './csv-response.js';
import { clientError } from './params.js';

export interface ScorecardRoutesDeps {
  db: Kysely<Database>;
  clock?: () => Date;
}

export function scorecardRoutes(deps: ScorecardRoutesDeps) {
  const { db } = deps;
  const now = deps.clock ?? (() => new Date());
  const app = new Hono();

  app.get('/scorecards', (c) =>
    answer(c, async () => {
      const by = c.req.query('by');
      if (by !== undefined && !SCORE_PARTS.some((p) => p.name === by)) {
        return clientError(c, 400, `query parameter 'by' value '${by.slice(0, 100)}' must be one of ${SCORE_PARTS.map((p) => p.name).join(', ')}`);
      }
      const asOf = readAsOf(c.req.query('asOf'), now);
      const vendors = await listAllVendors(db);
      const names = new Map(vendors.map((v) => [v.id, v.name]));
      const cards = await vendorScorecards(db, vendors.map((v) => v.id), { now: asOf });
      const ranked = rankScorecards([...cards.values()], (by as ScorePartName | undefined) ?? null, names);
      return respond(c, formatOf(c), scorecardsCsv(ranked, names), `scorecards-${asOf.toISOString().slice(0, 10)}`, { by: by ?? null, asOf: asOf.toISOString() });
    }),
  );

  /** The vendor the path names, or the 404 to answer. */
  const vendorOf = async (c: Context) => {
    const name = c.req.param('vendor') ?? '';
    const key = normaliseVendorName(name);
    const vendor = key ? await findOrganisationByKey(db, key) : undefined;
    return vendor?.kind === 'vendor' ? vendor : clientError(c, 404, `no vendor named '${name.slice(0, 100)}'`);
  };
  const fileNameOf = (nameKey: string) => nameKey.replace(/[^a-z0-9]+/g, '-');

  app.get('/vendors/:vendor/scorecard/history', (c) =>
    answer(c, async () => {
      const window = readHistoryWindow({ from: c.req.query('from'), to: c.req.query('to'), last: c.req.query('last') }, 90);
      const vendor = await vendorOf(c);
      if (vendor instanceof Response) return vendor;
      const series = (await scorecardHistory(db, [vendor.id], window)).get(vendor.id)!;
      return respond(c, formatOf(c), scorecardHistoryCsv(vendor.name, series), `scorecard-history-${fileNameOf(vendor.nameKey)}`, { vendor: vendor.name });
    }),
  );

  app.get('/vendors/:vendor/scorecard', (c) =>
    answer(c, async () => {
      const vendor = await vendorOf(c);
      if (vendor instanceof Response) return vendor;
      const asOf = readAsOf(c.req.query('asOf'), now);
      const card = (await vendorScorecards(db, [vendor.id], { now: asOf })).get(vendor.id)!;
      if (formatOf(c) === 'csv') return respond(c, 'csv', scorecardsCsv([{ rank: 1, scorecard: card }], new Map([[vendor.id, vendor.name]])), `scorecard-${fileNameOf(vendor.nameKey)}`);
      const { metrics: _metrics, ...rest } = card;
      return c.json({ vendor: vendor.name, ...rest, parts: card.parts.map((p) => ({ ...p, evidence: card.evidence[p.name] })), evidence: undefined });
    }),
  );
  return app;
}
