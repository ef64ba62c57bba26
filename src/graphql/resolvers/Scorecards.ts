/**
 * @module
 * Resolvers of SBOM quality and vendor scorecards (schema.graphql: Sbom.quality, SbomQuality, vendorScorecard,
 * vendorScorecards, compareVendors): thin, over src/scorecards/.
 */
import { sbomQualityMissing } from '../../scorecards/sbom-quality.js';
import { rankScorecards } from '../../scorecards/rank-scorecards.js';
import { vendorScorecards } from '../../scorecards/vendor-scorecard.js';
import { readHistoryWindow, recordScorecardHistory, scoreChange, scorecardHistory, type HistoryWindow, type ScorecardSnapshot as Snapshot } from '../../scorecards/scorecard-history.js';
import { PatchQueryError, readAsOf } from '../../patch-status/patch-query.js';
import { listAllVendors } from '../../store/organisation.repository.js';
import type { AdvisoryRecord } from '../../store/advisory.repository.js';
import type { SbomRecord } from '../../model/sbom-record.js';
import { readVendor } from '../chain-arguments.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput } from '../errors.js';
import type {
  MutationResolvers,
  QualityElementCoverageResolvers,
  ScorecardRecordingResolvers,
  ScorecardSnapshotResolvers,
  QueryResolvers,
  SbomQualityResolvers,
  ScoreEvidenceResolvers,
  ScorePartResolvers,
  VendorScorecardResolvers,
} from '../resolvers-types.generated.js';

export const SbomQuality: SbomQualityResolvers = {
  elements: (q) => q.elements.map((e) => ({ ...e, sbomId: q.sbomId })),
};

export const QualityElementCoverage: QualityElementCoverageResolvers = {
  missing: async (e, { first, after }, ctx) => {
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 1 || n > 500) throw badUserInput(`'first' argument value ${n} must be between 1 and 500.`);
    if (after != null && (!Number.isInteger(after) || after < -1)) throw badUserInput(`'after' argument value ${after} must be a component position (0 or more).`);
    const missing = await sbomQualityMissing(ctx.db, e.sbomId, e.element, { first: n, after: after ?? undefined });
    const components = await Promise.all(missing.map((m) => ctx.loaders.component.load({ sbomId: m.sbomId, index: m.index })));
    return components.filter((c) => c !== undefined);
  },
};

/** `f` with its PatchQueryError (a bad argument) as the client's error. */
function asUserInput<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PatchQueryError) throw badUserInput(`${e.message}.`);
    throw e;
  }
}

const inWindow = (series: Snapshot[], w: HistoryWindow) => {
  const from = w.from?.toISOString().slice(0, 10);
  const to = w.to?.toISOString().slice(0, 10);
  return series.filter((s) => (!from || s.takenOn >= from) && (!to || s.takenOn <= to)).slice(-w.last);
};

async function asOfOf(asOf: Date | string | null | undefined, ctx: GraphQLContext): Promise<Date> {
  return asUserInput(() => readAsOf(asOf, ctx.now));
}

const MAX_RANKED = 500;

export const scorecardQueries: Pick<QueryResolvers, 'vendorScorecard' | 'vendorScorecards' | 'compareVendors' | 'vendorScorecardHistory'> = {
  vendorScorecardHistory: async (_, { vendor, from, to, last, method }, ctx) => {
    const window = asUserInput(() => readHistoryWindow({ from, to, last }, 90));
    const found = await readVendor(ctx.db, 'vendor', vendor);
    return (await scorecardHistory(ctx.db, [found.id], { ...window, method: method ?? undefined })).get(found.id)!;
  },

  vendorScorecard: async (_, { vendor, asOf }, ctx) => {
    const found = await readVendor(ctx.db, 'vendor', vendor);
    const now = await asOfOf(asOf, ctx);
    return (await vendorScorecards(ctx.db, [found.id], { now })).get(found.id)!;
  },

  vendorScorecards: async (_, { by, first, offset, asOf }, ctx) => {
    const n = first ?? 50;
    const skip = offset ?? 0;
    if (!Number.isInteger(n) || n < 1 || n > MAX_RANKED) throw badUserInput(`'first' argument value ${n} must be between 1 and ${MAX_RANKED}.`);
    if (!Number.isInteger(skip) || skip < 0) throw badUserInput(`'offset' argument value ${skip} must be 0 or more.`);
    const now = await asOfOf(asOf, ctx);
    const vendors = await listAllVendors(ctx.db);
    const cards = await vendorScorecards(ctx.db, vendors.map((v) => v.id), { now });
    const ranked = rankScorecards([...cards.values()], by ?? null, new Map(vendors.map((v) => [v.id, v.name])));
    return { total: ranked.length, by: by ?? null, scorecards: ranked.slice(skip, skip + n) };
  },

  compareVendors: async (_, { vendors, asOf }, ctx) => {
    if (vendors.length === 0 || vendors.length > 50) throw badUserInput(`'vendors' holds ${vendors.length} vendors; compare 1 to 50.`);
    const found = await Promise.all(vendors.map((v, i) => readVendor(ctx.db, `vendors[${i}]`, v)));
    const cards = await vendorScorecards(ctx.db, found.map((v) => v.id), { now: await asOfOf(asOf, ctx) });
    return found.map((v) => cards.get(v.id)!);
  },
};

export const scorecardMutations: Pick<MutationResolvers, 'recordScorecardHistory'> = {
  recordScorecardHistory: (_, __, ctx) => recordScorecardHistory(ctx.db, { now: ctx.now(), replace: true }),
};

export const VendorScorecard: VendorScorecardResolvers = {
  vendor: async (c, _, ctx) => (await ctx.loaders.organisation.load(c.vendorId))!,
  history: async (c, { from, to, last }, ctx) => {
    const window = asUserInput(() => readHistoryWindow({ from, to, last }, 30));
    return inWindow(await ctx.loaders.scorecardHistory.load(c.vendorId), window);
  },
  change: async (c, { days }, ctx) => {
    const n = days ?? 30;
    if (!Number.isInteger(n) || n < 1 || n > 3650) throw badUserInput(`'days' argument value ${n} must be a whole number from 1 to 3650.`);
    return scoreChange(c.score, await ctx.loaders.scorecardHistory.load(c.vendorId), c.asOf, n);
  },
  reason: (c) => c.reason ?? null,
  parts: (c) => c.parts.map((p) => ({ ...p, evidence: c.evidence[p.name] })),
};

export const ScorecardSnapshot: ScorecardSnapshotResolvers = {
  day: (s) => s.takenOn,
};

export const ScorecardRecording: ScorecardRecordingResolvers = {
  day: (r) => r.takenOn,
};

export const ScorePart: ScorePartResolvers = {
  value: (p) => p.measurement.value,
  unit: (p) => p.measurement.unit,
  reason: (p) => p.measurement.reason ?? null,
};

export const ScoreEvidence: ScoreEvidenceResolvers = {
  sboms: async (e, _, ctx) => (await ctx.loaders.sbom.loadMany(e.sbomIds)).filter((s): s is SbomRecord => s !== undefined && !(s instanceof Error)),
  advisories: async (e, _, ctx) => (await ctx.loaders.advisory.loadMany(e.advisoryIds)).filter((a): a is AdvisoryRecord => a !== undefined && !(a instanceof Error)),
  vulnerabilities: (e) => e.vulnerabilityIds,
  counts: (e) => JSON.stringify(e.counts),
};
