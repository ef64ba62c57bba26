/**
 * @module
 * Resolvers of the patch-status answers (schema.graphql: patchStatus, affectedDevices, vendorPatchStatus,
 * vulnerabilityTimeline, vexDocument) and their types: thin, over src/patch-status/, reading the arguments and
 * loading documents, components, vendors and devices through the request's DataLoaders.
 */
import { firmwareVerdict } from '../../patch-status/device-exposure.js';
import { affectedDevices as findAffectedDevices } from '../../patch-status/device-exposure.js';
import { patchPropagation, type PatchHop as PatchHopModel } from '../../patch-status/patch-propagation.js';
import { productVex } from '../../patch-status/product-vex.js';
import { vendorPatchStatus as findVendorPatchStatus } from '../../patch-status/vendor-patch-status.js';
import { PatchQueryError, readAsOf, readVulnerabilities, readVulnerability } from '../../patch-status/patch-query.js';
import { vulnerabilityTimeline as findTimeline } from '../../patch-status/vulnerability-timeline.js';
import { findVulnerability } from '../../store/vulnerability.repository.js';
import { readMaxDepth, readProduct, readVendor } from '../chain-arguments.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput } from '../errors.js';
import { pageSize } from '../pagination.js';
import type {
  AffectedDevicesResolvers,
  ChainMatchRule,
  ChainStatusCountsResolvers,
  DeviceExposureResolvers,
  DeviceVerdictResolvers,
  FixReleaseResolvers,
  PatchChainResolvers,
  PatchHopResolvers,
  PatchWaitResolvers,
  ProductPatchStatusResolvers,
  QueryResolvers,
  TimelineEventResolvers,
  TimelineWaitResolvers,
  VendorPatchStatusResolvers,
  VendorProductStatusResolvers,
  VulnerabilityTimelineResolvers,
} from '../resolvers-types.generated.js';
import { readOperator } from './Inventory.js';


/** The shared argument readers (src/patch-status/patch-query.ts), their errors as BAD_USER_INPUT. */
async function read<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PatchQueryError) throw badUserInput(`${e.message}.`);
    throw e;
  }
}
const readClock = (asOf: Date | string | null | undefined, ctx: GraphQLContext) => read(() => readAsOf(asOf, ctx.now));

export const patchStatus: NonNullable<QueryResolvers['patchStatus']> = async (_, args, ctx) => {
  const vulnerability = await read(() => readVulnerability(ctx.db, 'vulnerability', args.vulnerability));
  const sbomId = await readProduct(ctx.db, args.product);
  const status = await patchPropagation(ctx.db, { vulnerability, rootSbomIds: [sbomId], now: await readClock(args.asOf, ctx), maxDepth: readMaxDepth(args.maxDepth) });
  const root = status.get(sbomId)!;
  const verdict = firmwareVerdict(vulnerability, root);
  return { vulnerability, sbomId, chains: root.chains, ...(verdict ? { verdict } : {}) };
};

export const affectedDevices: NonNullable<QueryResolvers['affectedDevices']> = async (_, args, ctx) => {
  const operator = await readOperator(ctx.db, args.operator);
  const vulnerabilities = await read(() => readVulnerabilities(ctx.db, args));
  const offset = args.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw badUserInput(`'offset' argument value ${offset} must be 0 or more.`);
  const result = await findAffectedDevices(ctx.db, { operatorId: operator.id, vulnerabilities, now: await readClock(args.asOf, ctx) });
  return { vulnerabilities, result, page: { first: pageSize(args.first, 100), offset } };
};

export const vendorPatchStatus: NonNullable<QueryResolvers['vendorPatchStatus']> = async (_, args, ctx) => {
  const vendor = await readVendor(ctx.db, 'vendor', args.vendor);
  const vulnerabilities = await read(() => readVulnerabilities(ctx.db, args));
  const status = await findVendorPatchStatus(ctx.db, { vendorId: vendor.id, vulnerabilities, now: await readClock(args.asOf, ctx) });
  return { vendor, vulnerabilities, status };
};

export const vulnerabilityTimeline: NonNullable<QueryResolvers['vulnerabilityTimeline']> = async (_, args, ctx) => {
  const vulnerability = await findVulnerability(ctx.db, args.id.trim());
  if (!vulnerability) return null;
  return { timeline: await findTimeline(ctx.db, { vulnerability, now: await readClock(args.asOf, ctx) }), first: pageSize(args.first, 100) };
};

export const vexDocument: NonNullable<QueryResolvers['vexDocument']> = async (_, args, ctx) => {
  const sbomId = await readProduct(ctx.db, args.product);
  const doc = await productVex(ctx.db, { sbomId, now: await readClock(args.asOf, ctx) });
  return doc ? JSON.stringify(doc, null, 2) : null;
};

async function sbomOf(id: number | undefined, ctx: GraphQLContext) {
  if (id === undefined) return null;
  const sbom = await ctx.loaders.sbom.load(id);
  if (!sbom) throw new Error(`sbom ${id} named by patch status is not stored`);
  return sbom;
}

export const PatchHop: PatchHopResolvers = {
  hop: (h) => h.k,
  version: (h) => h.version ?? null,
  vendor: async (h, _, ctx) => (h.vendorId === undefined ? null : ((await ctx.loaders.organisation.load(h.vendorId)) ?? null)),
  component: async (h, _, ctx) => {
    const c = await ctx.loaders.component.load(h.component);
    if (!c) throw new Error(`component ${h.component.sbomId}:${h.component.index} named by patch status is not stored`);
    return c;
  },
  sbom: (h, _, ctx) => sbomOf(h.sbomId, ctx),
  assertedBy: (h, _, ctx) => sbomOf(h.assertedBy, ctx),
  matchRule: (h): ChainMatchRule => h.rule,
  state: (h) => h.decision.state,
  since: (h) => h.decision.since ?? null,
  decidedBy: (h) => h.decision.decidedBy,
  statement: (h) => h.decision.statement ?? null,
  fix: (h) => h.decision.fix ?? null,
  inheritedFromHop: (h) => h.decision.inheritedFrom ?? null,
  latencyDays: (h) => h.decision.latencyDays ?? null,
  daysWaiting: (h) => h.decision.daysWaiting ?? null,
  statements: (h) => h.statements,
};

export const PatchChain: PatchChainResolvers = {
  stuckAt: (c) => (c.stuck ? c.hops[c.stuck.hop]! : null),
  stuckSince: (c) => c.stuck?.since ?? null,
  daysStuck: (c) => c.stuck?.days ?? null,
};

export const FixRelease: FixReleaseResolvers = {
  sbom: (f, _, ctx) => sbomOf(f.sbomId, ctx),
  statement: (f) => f.statement ?? null,
};

export const ProductPatchStatus: ProductPatchStatusResolvers = {
  product: async (p, _, ctx) => (await sbomOf(p.sbomId, ctx))!,
  status: (p) => p.verdict?.status ?? null,
  action: (p) => p.verdict?.action ?? 'NONE',
  updateTo: (p) => p.verdict?.updateTo ?? null,
};

export const DeviceVerdict: DeviceVerdictResolvers = {
  updateTo: (v) => v.updateTo ?? null,
};

export const DeviceExposure: DeviceExposureResolvers = {
  device: (e) => ({ device: e.device, match: e.match }),
  product: async (e, _, ctx) => (await sbomOf(e.match.sbomId, ctx))!,
  sameSegment: (e) => e.sameSegment,
};

export const AffectedDevices: AffectedDevicesResolvers = {
  total: (m) => m.result.devices.length,
  devices: (m) => m.result.devices.slice(m.page.offset, m.page.offset + m.page.first),
  unmatched: (m) => m.result.unmatched,
};

export const PatchWait: PatchWaitResolvers = {
  product: async (w, _, ctx) => (await sbomOf(w.rootSbomId, ctx))!,
  since: (w) => w.since ?? null,
  days: (w) => w.days ?? null,
};

export const VendorProductStatus: VendorProductStatusResolvers = {
  product: async (p, _, ctx) => (await sbomOf(p.sbomId, ctx))!,
};

export const VendorPatchStatus: VendorPatchStatusResolvers = {
  products: (m) => m.status.products,
  waitingOnSuppliers: (m) => m.status.waitingOnSuppliers,
  customersWaiting: (m) => m.status.customersWaiting,
};

export const TimelineEvent: TimelineEventResolvers = {
  hop: (e): PatchHopModel | null => e.hop ?? null,
  statement: (e) => e.statement ?? e.hop?.decision.statement ?? null,
};

export const TimelineWait: TimelineWaitResolvers = {
  since: (w) => w.since ?? null,
  days: (w) => w.days ?? null,
};

export const ChainStatusCounts: ChainStatusCountsResolvers = {
  notAffected: (c) => c.NOT_AFFECTED,
  fixed: (c) => c.FIXED,
  stuck: (c) => c.STUCK,
  noFix: (c) => c.NO_FIX,
};

export const VulnerabilityTimeline: VulnerabilityTimelineResolvers = {
  vulnerability: (m) => m.timeline.vulnerability,
  events: (m) => m.timeline.events,
  waiting: (m) => m.timeline.waiting,
  chainCounts: (m) => m.timeline.chainCounts,
  latency: (m) => m.timeline.latency,
  chains: (m) => m.timeline.chains.slice(0, m.first),
};
