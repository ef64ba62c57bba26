import { readFileSync } from 'node:fs';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createSchema, createYoga } from 'graphql-yoga';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLContext } from './context.js';
import { graphqlLimitPlugins, type GraphQLLimits } from './graphql-limits.js';
import { Component } from './resolvers/Component.js';
import { Mutation } from './resolvers/Mutation.js';
import { Query } from './resolvers/Query.js';
import { Sbom } from './resolvers/Sbom.js';
import { Vendor } from './resolvers/Vendor.js';
import * as chainResolvers from './resolvers/Chains.js';
import { AffectedDevices, ChainStatusCounts, DeviceExposure, DeviceVerdict, FixRelease, PatchChain, PatchHop, PatchWait, ProductPatchStatus, TimelineEvent, TimelineWait, VendorPatchStatus, VendorProductStatus, VulnerabilityTimeline } from './resolvers/PatchStatus.js';
import { Advisory, StatedComponent, Vulnerability, VulnerabilityDescription, VexStatement } from './resolvers/Advisories.js';
import { Device } from './resolvers/Inventory.js';
import { accessMutations, accessQueries, ApiToken, AuditEntry, CreatedApiToken, Me, Organisation, UploadGrant } from './resolvers/Access.js';
import { guardRootFields } from './guard-root-fields.js';
import { QualityElementCoverage, SbomQuality, ScorecardRecording, scorecardMutations, scorecardQueries, ScorecardSnapshot, ScoreEvidence, ScorePart, VendorScorecard } from './resolvers/Scorecards.js';

const advisoryResolvers = { Advisory, Vulnerability, VulnerabilityDescription, VexStatement, StatedComponent };
import type { Resolvers } from './resolvers-types.generated.js';

export const SCHEMA_PATH = new URL('../../schema.graphql', import.meta.url);

const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query: guardRootFields('Query', { ...Query, ...accessQueries, ...scorecardQueries }),
  Mutation: guardRootFields('Mutation', { ...Mutation, ...accessMutations, ...scorecardMutations }),
  Organisation,
  Me,
  ApiToken,
  CreatedApiToken,
  UploadGrant,
  AuditEntry,
  SbomQuality,
  QualityElementCoverage,
  VendorScorecard,
  ScorePart,
  ScoreEvidence,
  ScorecardSnapshot,
  ScorecardRecording,
  Sbom,
  Component,
  Vendor,
  ...chainResolvers,
  ...advisoryResolvers,
  Device,
  ...{ AffectedDevices, ChainStatusCounts, DeviceExposure, DeviceVerdict, FixRelease, PatchChain, PatchHop, PatchWait, ProductPatchStatus, TimelineEvent, TimelineWait, VendorPatchStatus, VendorProductStatus, VulnerabilityTimeline },
};

/**
 * The GraphQL endpoint, SDL first: schema.graphql + resolvers. Unexpected errors are masked
 * (`Unexpected error.`); errors thrown on purpose (BAD_USER_INPUT) pass through with their message.
 * GraphiQL is served from bundled assets (no CDN on a closed hospital network). `limits` refuse abusive queries
 * (graphql-limits.ts); `maxBodyBytes` is yoga's own cap on any body, set to the largest the routes in front let in.
 */
export function createGraphQLHandler(options: { graphiql: boolean; limits: GraphQLLimits; maxBodyBytes: number; context: (request: Request) => GraphQLContext }) {
  return createYoga<object, GraphQLContext>({
    schema: createSchema<GraphQLContext>({ typeDefs: readFileSync(SCHEMA_PATH, 'utf8'), resolvers: resolvers as never }),
    graphqlEndpoint: '/graphql',
    // Every request needs a token: the headers pane opens with the header to fill in (npm start prints the demo tokens).
    graphiql: options.graphiql ? { title: 'patchpath GraphQL', defaultQuery: DEFAULT_QUERY, defaultHeaders: GRAPHIQL_HEADERS } : false,
    renderGraphiQL,
    landingPage: false,
    maskedErrors: true,
    logging: false,
    plugins: graphqlLimitPlugins(options.limits),
    maxRequestBodySize: options.maxBodyBytes,
    context: ({ request }) => options.context(request),
  });
}

const GRAPHIQL_HEADERS = JSON.stringify({ Authorization: 'Bearer <paste an API token here: npm start prints one per demo party>' }, null, 2);

const DEFAULT_QUERY = `# Newest SBOMs and what they describe
{
  sboms(first: 5) {
    edges {
      node { id format specVersion schemaValid componentCount subject { name version purl } supplier { name } }
    }
  }
}
`;
