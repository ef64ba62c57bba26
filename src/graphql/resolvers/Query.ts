import { normaliseVendorName } from '../../normalise/normalise-vendor-name.js';
import { searchComponents, type ComponentKey } from '../../store/component.repository.js';
import { findOrganisationByKey, listVendors } from '../../store/organisation.repository.js';
import { listSboms } from '../../store/sbom.repository.js';
import { toComponentFilter } from '../component-filter.js';
import { badUserInput } from '../errors.js';
import { parseComponentId, parseNumericId } from '../ids.js';
import { connection, decodeCursor, isNumber, pageSize } from '../pagination.js';
import type { QueryResolvers } from '../resolvers-types.generated.js';
import { openHopGroups } from '../../chains/open-hops.js';
import { listAdvisories } from '../../store/advisory.repository.js';
import { findVulnerability } from '../../store/vulnerability.repository.js';
import { resolveChains } from '../../chains/resolve-chains.js';
import { findDerivedStacks, findStack, listStacks } from '../../chains/stack-catalogue.js';
import { stackExposure } from '../../chains/stack-exposure.js';
import { vendorNetwork } from '../../chains/vendor-network.js';
import { readChainTarget, readMaxDepth, readProduct, readStack, readVendor, readVersionRange } from '../chain-arguments.js';
import { formatFromEnum } from './Sbom.js';
import { devices } from './Inventory.js';
import { affectedDevices, patchStatus, vendorPatchStatus, vexDocument, vulnerabilityTimeline } from './PatchStatus.js';

export const isComponentKey = (v: unknown): v is ComponentKey =>
  typeof v === 'object' && v !== null && isNumber((v as ComponentKey).sbomId) && isNumber((v as ComponentKey).index);

const isVendorCursor = (v: unknown): v is { nameKey: string; id: number } =>
  typeof v === 'object' && v !== null && typeof (v as { nameKey: unknown }).nameKey === 'string' && isNumber((v as { id: unknown }).id);

export const Query: QueryResolvers = {
  sbom: (_, { id }, ctx) => ctx.loaders.sbom.load(parseNumericId('id', id)).then((r) => r ?? null),

  sboms: async (_, { first, after, filter }, ctx) => {
    const n = pageSize(first, 20);
    const rows = await listSboms(
      ctx.db,
      {
        organisationId: filter?.vendorId ? parseNumericId('filter.vendorId', filter.vendorId) : undefined,
        format: filter?.format ? formatFromEnum(filter.format) : undefined,
        schemaValid: filter?.schemaValid ?? undefined,
        subject: filter?.subject ?? undefined,
      },
      { first: n + 1, after: decodeCursor(after, isNumber) },
    );
    return connection(rows, n, (r) => r.id);
  },

  component: (_, { id }, ctx) => ctx.loaders.component.load(parseComponentId(id)).then((r) => r ?? null),

  components: async (_, { filter, first, after }, ctx) => {
    const n = pageSize(first, 20);
    const storeFilter = await toComponentFilter(ctx.db, filter, true);
    if (!storeFilter) return connection([], n, () => null);
    const rows = await searchComponents(ctx.db, storeFilter, { first: n + 1, after: decodeCursor(after, isComponentKey) });
    return connection(rows, n, (c) => ({ sbomId: c.sbomId, index: c.index }));
  },

  vendor: async (_, { id, name }, ctx) => {
    if ((id ? 1 : 0) + (name ? 1 : 0) !== 1) throw badUserInput(`vendor needs exactly one of 'id' or 'name'.`);
    if (id) return (await ctx.loaders.organisation.load(parseNumericId('id', id))) ?? null;
    const key = normaliseVendorName(name!);
    return key ? ((await findOrganisationByKey(ctx.db, key)) ?? null) : null;
  },

  vendors: async (_, { first, after, nameContains }, ctx) => {
    const n = pageSize(first, 20);
    const rows = await listVendors(ctx.db, { nameContains: nameContains ?? undefined }, { first: n + 1, after: decodeCursor(after, isVendorCursor) });
    return connection(rows, n, (v) => ({ nameKey: v.nameKey, id: v.id }));
  },

  devices,
  patchStatus,
  affectedDevices,
  vendorPatchStatus,
  vulnerabilityTimeline,
  vexDocument,

  chains: async (_, { product, to, maxDepth, latest }, ctx) => {
    const depth = readMaxDepth(maxDepth);
    const rootSbomId = await readProduct(ctx.db, product);
    const target = await readChainTarget(ctx.db, to);
    const choice = latest ? 'latest' : 'pinned';
    // A filter naming an unknown supplier matches nothing: walk anyway (cycles, cuts and open hops still answer).
    return resolveChains(ctx.db, { rootSbomId, maxDepth: depth, choice, target: target ?? { kind: 'components', filter: { sbomId: -1 } } });
  },

  stackExposure: async (_, { stack, versions, includeDerived, maxDepth, latest, first, offset }, ctx) => {
    const depth = readMaxDepth(maxDepth);
    const found = await readStack(ctx.db, 'stack', stack);
    const stacks = includeDerived ? [found, ...(await findDerivedStacks(ctx.db, found.slug))] : [found];
    const result = await stackExposure(ctx.db, { stackIds: stacks.map((s) => s.id), versions: readVersionRange(versions), maxDepth: depth, choice: latest ? 'latest' : 'pinned' });
    return { stacks, result, page: { first: pageSize(first, 100), offset: readOffset(offset) } };
  },

  vendorNetwork: async (_, { vendor, maxDepth, latest }, ctx) => {
    const found = await readVendor(ctx.db, 'vendor', vendor);
    return { vendor: found, network: await vendorNetwork(ctx.db, found.id, { maxDepth: readMaxDepth(maxDepth), choice: latest ? 'latest' : 'pinned' }) };
  },

  openHops: async (_, { customer, supplier, first, offset }, ctx) => {
    const scope = {
      customerId: customer ? (await readVendor(ctx.db, 'customer', customer)).id : undefined,
      supplierId: supplier ? (await readVendor(ctx.db, 'supplier', supplier)).id : undefined,
    };
    return openHopGroups(ctx.db, scope, { first: pageSize(first, 20), offset: readOffset(offset) });
  },

  stacks: (_, { search }, ctx) => listStacks(ctx.db, search ?? undefined),

  stack: async (_, { id }, ctx) => (await findStack(ctx.db, id)) ?? null,

  advisory: (_, { id }, ctx) => ctx.loaders.advisory.load(parseNumericId('id', id)).then((r) => r ?? null),

  advisories: async (_, { first, after }, ctx) => {
    const n = pageSize(first, 20);
    const rows = await listAdvisories(ctx.db, { first: n + 1, after: decodeCursor(after, isNumber) });
    return connection(rows, n, (r) => r.id);
  },

  vulnerability: async (_, { id }, ctx) => (await findVulnerability(ctx.db, id.trim())) ?? null,
};

function readOffset(offset: number | null | undefined): number {
  const n = offset ?? 0;
  if (!Number.isInteger(n) || n < 0) throw badUserInput(`'offset' argument value ${n} is not a count (0 or more).`);
  return n;
}
