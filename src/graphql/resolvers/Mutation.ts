import { badUserInput } from '../errors.js';
import type { MutationResolvers } from '../resolvers-types.generated.js';
import { formatToEnum, issueToGraphQL } from './Sbom.js';

export const Mutation: MutationResolvers = {
  ingestSbom: async (_, { document, file, strict }, ctx) => {
    if ((document != null ? 1 : 0) + (file != null ? 1 : 0) !== 1) throw badUserInput(`ingestSbom needs exactly one of 'document' (the SBOM text) or 'file' (a multipart upload).`);
    const bytes = file ? new Uint8Array(await file.arrayBuffer()) : Buffer.from(document!, 'utf8');
    const outcome = await ctx.ingest({ bytes, strict: strict ?? undefined, channel: 'graphql', source: file?.name, requestId: ctx.requestId });
    if (outcome.status === 'rejected') {
      return { status: 'REJECTED', sbom: null, issues: outcome.issues.map(issueToGraphQL), format: outcome.format ? formatToEnum(outcome.format) : null, specVersion: outcome.specVersion ?? null };
    }
    return {
      status: outcome.status === 'accepted' ? 'ACCEPTED' : 'DUPLICATE',
      sbom: outcome.record,
      issues: outcome.status === 'accepted' ? outcome.issues.map(issueToGraphQL) : [],
      format: formatToEnum(outcome.record.format),
      specVersion: outcome.record.specVersion,
    };
  },
};
