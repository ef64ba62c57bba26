/**
 * @module
 * Resolvers of the vendor-chain types (schema.graphql: ChainResult, Chain, ChainHop, ...): thin, over the
 * results of src/chains/, loading documents, components and vendors through the request's DataLoaders.
 */
import { listOpenHops, openHopMessage } from '../../chains/open-hops.js';
import type { ChainRule } from '../../chains/resolve-chains.js';
import { findDerivedStacks, findStack, type StackRecord } from '../../chains/stack-catalogue.js';
import type { Organisation } from '../../model/sbom-record.js';
import { chainHops } from '../chain-models.js';
import type { GraphQLContext } from '../context.js';
import { pageSize } from '../pagination.js';
import type {
  ChainHopResolvers,
  ChainMatchRule,
  ChainPathResolvers,
  ChainResolvers,
  ChainResultResolvers,
  ExposedProductResolvers,
  OpenHopGroupResolvers,
  OpenHopResolvers,
  StackExposureResolvers,
  StackRelation,
  StackResolvers,
  StackStatus,
  VendorDistanceResolvers,
  VendorNetworkResolvers,
} from '../resolvers-types.generated.js';

const rule = (r: ChainRule): ChainMatchRule => r;

async function vendorOf(id: number | undefined, ctx: GraphQLContext): Promise<Organisation | null> {
  return id === undefined ? null : ((await ctx.loaders.organisation.load(id)) ?? null);
}

async function sbomOf(id: number | undefined, ctx: GraphQLContext) {
  if (id === undefined) return null;
  const sbom = await ctx.loaders.sbom.load(id);
  if (!sbom) throw new Error(`sbom ${id} named by a chain is not stored`);
  return sbom;
}

async function componentOf(key: { sbomId: number; index: number }, ctx: GraphQLContext) {
  const c = await ctx.loaders.component.load(key);
  if (!c) throw new Error(`component ${key.sbomId}:${key.index} named by a chain is not stored`);
  return c;
}

export const ChainResult: ChainResultResolvers = {
  root: async (r, _, ctx) => (await sbomOf(r.rootSbomId, ctx))!,
  product: async (r, _, ctx) => (await ctx.loaders.subjects.load(r.rootSbomId))[0] ?? null,
  chains: (r) => r.chains.map((chain) => ({ chain, result: r })),
  truncated: (r) => r.cut.length > 0,
  latest: (r) => r.choice === 'latest',
  openHops: (r, { first }, ctx) => listOpenHops(ctx.db, { sbomIds: r.sbomIds, choice: r.choice }, { first: pageSize(first, 50) }),
};

export const Chain: ChainResolvers = {
  hops: (m, _, ctx) => chainHops(m.chain, ctx),
  target: (m, _, ctx) => componentOf(m.chain.target, ctx),
  stack: async (m, _, ctx) => (m.chain.stackId === undefined ? null : ((await ctx.loaders.stack.load(m.chain.stackId)) ?? null)),
  depth: (m) => m.chain.depth,
  vendorHops: async (m, _, ctx) => (await chainHops(m.chain, ctx)).filter((h) => h.vendorHop).length,
};

export const ChainHop: ChainHopResolvers = {
  name: (h) => h.component.name,
  version: (h) => h.component.version ?? null,
  purl: (h) => h.component.purl ?? null,
  vendor: (h, _, ctx) => vendorOf(h.vendorId, ctx),
  sbom: (h) => h.sbom ?? null,
  assertedBy: (h, _, ctx) => sbomOf(h.step.assertedBy, ctx),
  matchRule: (h) => rule(h.step.rule),
};

export const ChainPath: ChainPathResolvers = {
  sboms: async (p, _, ctx) => Promise.all(p.sbomIds.map(async (id) => (await sbomOf(id, ctx))!)),
  via: (p, _, ctx) => Promise.all(p.via.map((k) => componentOf(k, ctx))),
  rules: (p) => p.rules.map(rule),
};

export const OpenHop: OpenHopResolvers = {
  component: (h, _, ctx) => componentOf(h.component, ctx),
  supplier: async (h, _, ctx) => (await vendorOf(h.supplierId, ctx))!,
  assertedBy: async (h, _, ctx) => (await sbomOf(h.component.sbomId, ctx))!,
  missing: async (h, _, ctx) => openHopMessage((await vendorOf(h.supplierId, ctx))?.name ?? 'the supplier', h),
};

export const OpenHopGroup: OpenHopGroupResolvers = {
  supplier: async (g, _, ctx) => (await vendorOf(g.supplierId, ctx))!,
  hops: (g, { first }, ctx) => listOpenHops(ctx.db, { ...g.scope, supplierId: g.supplierId }, { first: pageSize(first, 20) }),
};

export const StackExposure: StackExposureResolvers = {
  stacks: (m) => m.stacks,
  products: (m) => m.result.products.slice(m.page.offset, m.page.offset + m.page.first),
  totalProducts: (m) => m.result.products.length,
  stackComponents: (m) => m.result.stackComponents,
};

export const ExposedProduct: ExposedProductResolvers = {
  sbom: async (p, _, ctx) => (await sbomOf(p.sbomId, ctx))!,
  product: async (p, _, ctx) => (await ctx.loaders.subjects.load(p.sbomId))[0] ?? null,
  vendor: async (p, _, ctx) => vendorOf((await sbomOf(p.sbomId, ctx))?.organisationId, ctx),
};

export const VendorNetwork: VendorNetworkResolvers = {
  vendor: (m) => m.vendor,
  suppliers: (m) => m.network.suppliers,
  customers: (m) => m.network.customers,
};

export const VendorDistance: VendorDistanceResolvers = {
  vendor: async (d, _, ctx) => (await vendorOf(d.organisationId, ctx))!,
};

export const Stack: StackResolvers = {
  id: (s) => s.slug,
  status: (s) => s.status.toUpperCase() as StackStatus,
  statusNote: (s) => s.statusNote ?? null,
  relation: (s) => (s.relation ? (s.relation.toUpperCase() as StackRelation) : null),
  derivedFrom: async (s, _, ctx) => (s.derivedFrom ? ((await findStack(ctx.db, s.derivedFrom)) ?? null) : null),
  derivatives: (s, _, ctx) => findDerivedStacks(ctx.db, s.slug),
  notes: (s) => s.notes ?? null,
  sources: (s: StackRecord) => Object.entries(s.sources).map(([fact, urls]) => ({ fact, urls })),
  addedBy: (s, _, ctx) => vendorOf(s.organisationId, ctx),
};
