import type { SbomFormat } from '../../model/sbom.js';
import { searchComponents } from '../../store/component.repository.js';
import { listSbomIssues } from '../../store/sbom.repository.js';
import { toComponentFilter } from '../component-filter.js';
import { connection, decodeCursor, pageSize } from '../pagination.js';
import type { SbomFormat as SbomFormatEnum, SbomIssue as SbomIssueType, SbomResolvers } from '../resolvers-types.generated.js';
import type { SbomIssue } from '../../model/sbom-issue.js';
import { isComponentKey } from './Query.js';

export const formatToEnum = (f: SbomFormat) => f.toUpperCase().replace(/-/g, '_') as SbomFormatEnum;
export const formatFromEnum = (f: SbomFormatEnum) => f.toLowerCase().replace(/_/g, '-') as SbomFormat;
export const issueToGraphQL = (i: SbomIssue): SbomIssueType => ({ ...i, severity: i.severity === 'error' ? 'ERROR' : 'WARNING' });

export const Sbom: SbomResolvers = {
  id: (s) => String(s.id),
  quality: async (s, _, ctx) => (await ctx.loaders.quality.load(s.id))!,
  format: (s) => formatToEnum(s.format),
  createdAt: (s) => s.createdAt ?? null,
  subject: async (s, _, ctx) => (await ctx.loaders.subjects.load(s.id))[0] ?? null,
  subjects: (s, _, ctx) => ctx.loaders.subjects.load(s.id),
  supplier: async (s, _, ctx) => (s.organisationId ? ((await ctx.loaders.organisation.load(s.organisationId)) ?? null) : null),
  issues: async (s, { first }, ctx) => (await listSbomIssues(ctx.db, s.id, pageSize(first, 100))).map(issueToGraphQL),
  components: async (s, { first, after, filter }, ctx) => {
    const n = pageSize(first, 50);
    const storeFilter = await toComponentFilter(ctx.db, filter, false);
    if (!storeFilter) return connection([], n, () => null);
    const rows = await searchComponents(ctx.db, { ...storeFilter, sbomId: s.id }, { first: n + 1, after: decodeCursor(after, isComponentKey) });
    return connection(rows, n, (c) => ({ sbomId: c.sbomId, index: c.index }));
  },
  rawUrl: (s) => `/v1/sboms/${s.id}/raw`,
};
