/**
 * @module
 * Resolvers of advisories, vulnerabilities and VEX statements (schema.graphql: Advisory, Vulnerability, ...).
 */
import type { AdvisoryFormat as Format } from '../../model/advisory.js';
import { listAdvisoryIssues } from '../../store/advisory.repository.js';
import { componentsOfStatements, productsReached } from '../../patch-status/affected-components.js';
import { listStatementsOfAdvisory, listStatementsOfVulnerability, listVulnerabilityDescriptions, type VulnerabilityRecord } from '../../store/vulnerability.repository.js';
import { readMaxDepth } from '../chain-arguments.js';
import type { StatedComponentModel } from '../chain-models.js';
import type { GraphQLContext } from '../context.js';
import { pageSize } from '../pagination.js';
import type {
  AdvisoryFormat,
  AdvisoryResolvers,
  IssueSeverity,
  VexJustification,
  VexStatementResolvers,
  StatedComponentResolvers,
  VersionMatch,
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

/** Statements about one vulnerability can run to thousands (a CSAF advisory per product line); all are matched. */
const ALL_STATEMENTS = 100_000;

const statedOfVulnerability = new WeakMap<VulnerabilityRecord, Promise<StatedComponentModel[]>>();

/** The components a vulnerability's statements cover, matched once per request however many fields ask. */
function statedComponents(v: VulnerabilityRecord, ctx: GraphQLContext): Promise<StatedComponentModel[]> {
  let stated = statedOfVulnerability.get(v);
  if (!stated) {
    stated = (async () => {
      const statements = await listStatementsOfVulnerability(ctx.db, v.filedIds, ALL_STATEMENTS);
      const byKey = new Map(statements.map((s) => [`${s.advisoryId}:${s.seq}`, s]));
      return (await componentsOfStatements(ctx.db, statements)).map((c) => ({
        ...c,
        statements: c.statements.map((s) => ({ ...s, statement: byKey.get(`${s.advisoryId}:${s.seq}`)! })),
      }));
    })();
    statedOfVulnerability.set(v, stated);
  }
  return stated;
}

export const Vulnerability: VulnerabilityResolvers = {
  descriptions: (v, _, ctx) => listVulnerabilityDescriptions(ctx.db, v.filedIds),
  cvssMax: (v) => v.cvssMax ?? null,
  statements: (v, { first }, ctx) => listStatementsOfVulnerability(ctx.db, v.filedIds, pageSize(first, 200)),
  components: async (v, { first }, ctx) => (await statedComponents(v, ctx)).slice(0, pageSize(first, 100)),
  products: async (v, { maxDepth, latest, first }, ctx) =>
    (await productsReached(ctx.db, await statedComponents(v, ctx), { maxDepth: readMaxDepth(maxDepth), choice: latest ? 'latest' : 'pinned' })).slice(0, pageSize(first, 100)),

};

export const StatedComponent: StatedComponentResolvers = {
  component: async (c, _, ctx) => {
    const found = await ctx.loaders.component.load(c.component);
    if (!found) throw new Error(`component ${c.component.sbomId}:${c.component.index} is not stored`);
    return found;
  },
  version: (c) => c.version ?? null,
  statements: (c) => c.statements.map((s) => ({ statement: s.statement, versionMatch: s.versionMatch.toUpperCase().replace('-', '_') as VersionMatch, matchedBy: s.matchedBy })),
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
