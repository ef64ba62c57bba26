/**
 * @module
 * Every Query and Mutation field checked against src/access/access-rules.ts before its resolver runs, and access
 * refusals from deeper down (an upload of another vendor's product) turned into GraphQL errors with code FORBIDDEN
 * instead of being masked as unexpected ones.
 */
import { createGraphQLError } from 'graphql-yoga';
import { AccessError } from '../access/access-error.js';
import { authoriseRole, GRAPHQL_ACCESS } from '../access/access-rules.js';
import type { GraphQLContext } from './context.js';

type Resolver = (parent: unknown, args: unknown, ctx: GraphQLContext, info: unknown) => unknown;

export function forbiddenError(e: AccessError) {
  return createGraphQLError(e.message, { extensions: { code: e.code } });
}

/** The root type's resolvers, each wrapped by its field's rule; a field without a rule is refused to everyone. */
export function guardRootFields<T extends object>(typeName: 'Query' | 'Mutation', resolvers: T): T {
  const guarded: Record<string, Resolver> = {};
  for (const [field, resolve] of Object.entries(resolvers) as [string, Resolver][]) {
    const roles = GRAPHQL_ACCESS[`${typeName}.${field}`] ?? [];
    const what = `${typeName === 'Query' ? 'query' : 'call'} ${typeName}.${field}`;
    guarded[field] = async (parent, args, ctx, info) => {
      try {
        if (ctx.principal) authoriseRole(ctx.principal, roles, what);
        return await resolve(parent, args, ctx, info);
      } catch (e) {
        if (e instanceof AccessError) throw forbiddenError(e);
        throw e;
      }
    };
  }
  return guarded as T;
}
