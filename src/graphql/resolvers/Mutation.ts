import { addStack, StackEntryError, type StackRelation, type StackStatus } from '../../chains/stack-catalogue.js';
import { readVendor } from '../chain-arguments.js';
import { badUserInput } from '../errors.js';
import { ingestAdvisory } from '../../store/ingest-advisory.js';
import { advisoryFormatToEnum } from './Advisories.js';
import type { MutationResolvers } from '../resolvers-types.generated.js';
import { formatToEnum, issueToGraphQL } from './Sbom.js';
import { importInventory } from './Inventory.js';

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

  ingestAdvisory: async (_, { document, file, strict }, ctx) => {
    if ((document != null ? 1 : 0) + (file != null ? 1 : 0) !== 1) throw badUserInput(`ingestAdvisory needs exactly one of 'document' (the text) or 'file' (a multipart upload).`);
    const bytes = file ? new Uint8Array(await file.arrayBuffer()) : Buffer.from(document!, 'utf8');
    const outcome = await ingestAdvisory(ctx.db, bytes, { strict: strict ?? ctx.config.strict, limits: ctx.config.limits, requestId: ctx.requestId });
    if (outcome.status === 'rejected') {
      return { status: 'REJECTED', advisory: null, issues: outcome.issues.map(issueToGraphQL), format: outcome.format ? advisoryFormatToEnum(outcome.format) : null };
    }
    return {
      status: outcome.status === 'accepted' ? 'ACCEPTED' : 'DUPLICATE',
      advisory: outcome.record,
      issues: outcome.status === 'accepted' ? outcome.issues.map(issueToGraphQL) : [],
      format: advisoryFormatToEnum(outcome.record.format),
    };
  },

  importInventory,

  addStack: async (_, { input }, ctx) => {
    const vendor = await readVendor(ctx.db, 'input.vendor', input.vendor);
    const sources: Record<string, string[]> = {};
    for (const s of input.sources) sources[s.fact] = [...(sources[s.fact] ?? []), ...s.urls];
    try {
      return await addStack(
        ctx.db,
        {
          id: input.id,
          name: input.name,
          vendor: input.stackVendor,
          status: (input.status ?? 'UNKNOWN').toLowerCase() as StackStatus,
          aliases: input.aliases ?? [],
          purls: input.purls ?? [],
          cpes: input.cpes ?? [],
          derivedFrom: input.derivedFrom ?? null,
          relation: input.relation ? (input.relation.toLowerCase() as StackRelation) : null,
          disclosures: [],
          notes: input.notes ?? null,
          sources,
        },
        vendor.id,
      );
    } catch (e) {
      if (e instanceof StackEntryError) throw badUserInput(`'input.${e.field}' value '${e.value.slice(0, 200)}' is refused: ${e.rule}.`);
      throw e;
    }
  },
};
