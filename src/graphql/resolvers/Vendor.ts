import { searchComponents } from '../../store/component.repository.js';
import { listSboms } from '../../store/sbom.repository.js';
import { connection, decodeCursor, isNumber, pageSize } from '../pagination.js';
import type { VendorResolvers } from '../resolvers-types.generated.js';
import { isComponentKey } from './Query.js';

export const Vendor: VendorResolvers = {
  id: (v) => String(v.id),
  sboms: async (v, { first, after }, ctx) => {
    const n = pageSize(first, 20);
    const rows = await listSboms(ctx.db, { organisationId: v.id }, { first: n + 1, after: decodeCursor(after, isNumber) });
    return connection(rows, n, (r) => r.id);
  },
  suppliedComponents: async (v, { first, after }, ctx) => {
    const n = pageSize(first, 20);
    const rows = await searchComponents(ctx.db, { supplierId: v.id }, { first: n + 1, after: decodeCursor(after, isComponentKey) });
    return connection(rows, n, (c) => ({ sbomId: c.sbomId, index: c.index }));
  },
};
