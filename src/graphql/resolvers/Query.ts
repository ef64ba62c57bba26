import { normaliseVendorName } from '../../normalise/normalise-vendor-name.js';
import { searchComponents, type ComponentKey } from '../../store/component.repository.js';
import { findOrganisationByKey, listVendors } from '../../store/organisation.repository.js';
import { listSboms } from '../../store/sbom.repository.js';
import { toComponentFilter } from '../component-filter.js';
import { badUserInput } from '../errors.js';
import { parseComponentId, parseNumericId } from '../ids.js';
import { connection, decodeCursor, isNumber, pageSize } from '../pagination.js';
import type { QueryResolvers } from '../resolvers-types.generated.js';
import { formatFromEnum } from './Sbom.js';

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
};
