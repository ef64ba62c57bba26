/**
 * @module
 * Resolvers of advisories, vulnerabilities and VEX statements (schema.graphql: Advisory, Vulnerability, ...).
 */
import type { AdvisoryFormat as Format } from '../../model/advisory.js';
import { listAdvisoryIssues } from '../../store/advisory.repository.js';
import { listStatementsOfAdvisory, listStatementsOfVulnerability, listVulnerabilityDescriptions, filedIds } from '../../store/vulnerability.repository.js';
import type { GraphQLContext } from '../context.js';
import { pageSize } from '../pagination.js';
import type {
  AdvisoryFormat,
  AdvisoryResolvers,
  IssueSeverity,
  VexJustification,
  VexStatementResolvers,
  VexStatus,
  VulnerabilityDescriptionResolvers,
  VulnerabilityResolvers,
} from '../resolvers-types.generated.js';

export const advisoryFormatToEnum = (f: Format) => f.toUpperCase().replace(/-/g, '_') as AdvisoryFormat;

async function advisoryOf(id: number, ctx: GraphQLContext) {
  const advisory = await ctx.loaders.advisory.load(id);
  if (!advisory) throw new Error(`advisory ${id} named by a statement is not stored`);
  return advisory;
}

export const Advisory: AdvisoryResolvers = {
  id: (a) => String(a.id),
  format: (a) => advisoryFormatToEnum(a.format),
  specVersion: (a) => a.specVersion ?? null,
  documentId: (a) => a.documentId ?? null,
  documentVersion: (a) => a.documentVersion ?? null,
  title: (a) => a.title ?? null,
  publisherName: (a) => a.publisher?.name ?? null,
  publisherCategory: (a) => a.publisher?.category ?? null,
  vendor: async (a, _, ctx) => (a.organisationId ? ((await ctx.loaders.organisation.load(a.organisationId)) ?? null) : null),
  published: (a) => a.published ?? null,
  modified: (a) => a.modified ?? null,
  issues: async (a, { first }, ctx) =>
    (await listAdvisoryIssues(ctx.db, a.id)).slice(0, pageSize(first, 100)).map((i) => ({ ...i, severity: (i.severity === 'error' ? 'ERROR' : 'WARNING') as IssueSeverity })),
  rawUrl: (a) => `/v1/advisories/${a.id}/raw`,
  statements: (a, { first }, ctx) => listStatementsOfAdvisory(ctx.db, a.id, pageSize(first, 100)),
};

export const Vulnerability: VulnerabilityResolvers = {
  descriptions: async (v, _, ctx) => listVulnerabilityDescriptions(ctx.db, await filedIds(ctx.db, v)),
  cvssMax: (v) => v.cvssMax ?? null,
  statements: async (v, { first }, ctx) => listStatementsOfVulnerability(ctx.db, await filedIds(ctx.db, v), pageSize(first, 200)),
};

export const VulnerabilityDescription: VulnerabilityDescriptionResolvers = {
  advisory: (d, _, ctx) => advisoryOf(d.advisoryId, ctx),
  title: (d) => d.title ?? null,
  summary: (d) => d.summary ?? null,
  cvss: (d) => d.cvss.map((c) => ({ version: c.version, vector: c.vector ?? null, baseScore: c.baseScore ?? null, source: c.source ?? null })),
};

export const VexStatement: VexStatementResolvers = {
  advisory: (s, _, ctx) => advisoryOf(s.advisoryId, ctx),
  productRef: (s) => s.productRef ?? null,
  purl: (s) => s.purl ?? null,
  cpe: (s) => s.cpe ?? null,
  vendorName: (s) => s.vendorName ?? null,
  productName: (s) => s.productName ?? null,
  version: (s) => s.version ?? null,
  ranges: (s) => s.ranges.map((r) => ({ scheme: r.scheme, introduced: r.introduced ?? null, fixed: r.fixed ?? null, lastAffected: r.lastAffected ?? null, vers: r.vers ?? null })),
  status: (s) => s.status.toUpperCase() as VexStatus,
  justification: (s) => (s.justification ? (s.justification.toUpperCase() as VexJustification) : null),
  justificationOriginal: (s) => s.justificationOriginal ?? null,
  impactStatement: (s) => s.impactStatement ?? null,
  actionStatement: (s) => s.actionStatement ?? null,
  remediations: (s) => s.remediations.map((r) => ({ category: r.category, details: r.details ?? null, url: r.url ?? null, date: r.date ?? null })),
  statedAt: (s) => s.statedText ?? null,
};
