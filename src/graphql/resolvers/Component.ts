import { listRelations } from '../../store/component.repository.js';
import { componentId } from '../ids.js';
import type { ComponentResolvers } from '../resolvers-types.generated.js';

export const Component: ComponentResolvers = {
  id: (c) => componentId(c),
  sbom: async (c, _, ctx) => {
    const sbom = await ctx.loaders.sbom.load(c.sbomId);
    if (!sbom) throw new Error(`component ${componentId(c)} has no sbom`);
    return sbom;
  },
  supplier: async (c, _, ctx) => (c.supplierId ? ((await ctx.loaders.organisation.load(c.supplierId)) ?? null) : null),
  parent: async (c, _, ctx) => (c.parentIndex === undefined ? null : ((await ctx.loaders.component.load({ sbomId: c.sbomId, index: c.parentIndex })) ?? null)),
  hashes: (c, _, ctx) => ctx.loaders.hashes.load(c),
  dependencies: (c, _, ctx) => listRelations(ctx.db, c, 'dependencies'),
  dependents: (c, _, ctx) => listRelations(ctx.db, c, 'dependents'),
};
