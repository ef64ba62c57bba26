/**
 * @module
 * Abuse limits of the GraphQL endpoint, as yoga plugins: query depth, aliases, directives, tokens and cost, and
 * introspection that can be turned off. A query over a limit is refused before any resolver runs, with HTTP 400
 * and a GraphQL error that names the limit and the value found (`query depth 14 exceeds the limit of 12`,
 * `extensions: { code: 'QUERY_TOO_DEEP', limit: 12, found: 14 }`).
 *
 * Depth, aliases, directives and the masking of field suggestions are GraphQL Armor's rules
 * (`@escape.tech/graphql-armor-*`). Tokens, cost and introspection are checked here, for the reasons given at
 * each of them.
 */
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
// Only AST and lexer helpers from graphql itself, no class checks: yoga's schema and errors may come from another
// copy of the graphql module (its CommonJS build, where vitest loads the ES one for our code), and graphql's
// `isObjectType` throws on a type from another copy. Errors are made by yoga's `createGraphQLError` for the same reason.
import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  getOperationAST,
  type ASTNode,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { MAX_PAGE_SIZE } from './pagination.js';

export interface GraphQLLimits {
  /** Deepest nesting of fields (`{ a { b } }` is 2; fragments count as the fields they hold). */
  maxDepth: number;
  /** Most aliased fields in one operation (`__typename` aliases are free). */
  maxAliases: number;
  /** Most lexical tokens (names, punctuation, values; comments are free) in the query text. */
  maxTokens: number;
  /** Highest cost, see {@link queryCost}. */
  maxCost: number;
  /** Most directives (`@include`, `@skip`, …) in one operation. */
  maxDirectives: number;
  /** Whether `__schema` and `__type` may be queried. When off, field suggestions are hidden from errors too. */
  introspection: boolean;
}

/**
 * Measured on all 160 queries of the README, the CLI and the tests: the deepest is 8 levels (`components` with
 * their SBOM's subject, `affectedDevices` and `patchStatus` 7), none uses an alias or a directive, the longest has
 * 117 tokens (GraphiQL's introspection query 184), the costliest 6 218 (`vulnerability` with its statements, at
 * the default page sizes). Each limit leaves headroom above that and still refuses a query built to hurt: 13
 * levels of vendor > sboms > supplier > sboms, a field aliased 21 times, two nested pages of 500.
 */
export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = {
  maxDepth: 12,
  maxAliases: 20,
  maxTokens: 1_000,
  maxCost: 50_000,
  maxDirectives: 50,
  introspection: true,
};

export type GraphQLLimitCode = 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_DIRECTIVES' | 'TOO_MANY_TOKENS' | 'QUERY_TOO_COSTLY' | 'INTROSPECTION_DISABLED';

/**
 * A refused query. yoga answers validation errors with 200 to `Accept: application/json` clients (what the
 * GraphQL-over-HTTP spec asks for syntax and validation errors); `spec: false` keeps these refusals at 400.
 */
function limitError(message: string, code: GraphQLLimitCode, details: { limit?: number; found?: number } = {}, nodes?: readonly ASTNode[]) {
  return createGraphQLError(message, { nodes, extensions: { code, ...details, http: { status: 400, spec: false } } });
}

/**
 * Armor's rules say `Syntax Error: Query depth limit of 12 exceeded, found 14.`: not a syntax error, and no code.
 * They are told not to throw (`propagateOnRejection: false`), and this reports the refusal in our words instead.
 */
function reportAs(code: GraphQLLimitCode, what: string) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const match = /limit of (\d+) exceeded, found (\d+)/.exec(error.message);
    const refusal = match
      ? limitError(`${what} ${match[2]} exceeds the limit of ${match[1]}`, code, { limit: Number(match[1]), found: Number(match[2]) })
      : limitError(`${what}: ${error.message.replace(/^Syntax Error: /, '')}`, code);
    context?.reportError(refusal);
  };
}

/** The plugins enforcing `limits`, for `createYoga({ plugins })`. */
export function graphqlLimitPlugins(limits: GraphQLLimits): Plugin[] {
  const plugins: Plugin[] = [
    tokenLimitPlugin(limits.maxTokens),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, propagateOnRejection: false, onReject: [reportAs('QUERY_TOO_DEEP', 'query depth')] }),
    maxAliasesPlugin({ n: limits.maxAliases, propagateOnRejection: false, onReject: [reportAs('TOO_MANY_ALIASES', 'query alias count')] }),
    maxDirectivesPlugin({ n: limits.maxDirectives, propagateOnRejection: false, onReject: [reportAs('TOO_MANY_DIRECTIVES', 'query directive count')] }),
    costLimitPlugin(limits.maxCost),
  ];
  if (!limits.introspection) plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(noIntrospectionRule) }, blockFieldSuggestionsPlugin());
  return plugins;
}

/**
 * Counts tokens before the query is parsed, and stops at the first one over the limit.
 *
 * Not Armor's max-tokens: it throws from inside the parser, and yoga marks every parse error as a
 * GraphQL-over-HTTP spec error (`http.spec ||= true`), which is answered 200 to `Accept: application/json` and
 * `*\/*` (curl) clients. Checked on the request's parameters, the refusal keeps its 400, and it happens before
 * yoga's parse cache is consulted.
 */
function tokenLimitPlugin(maxTokens: number): Plugin {
  return {
    onParams({ params, setResult }) {
      if (typeof params.query !== 'string' || !hasMoreTokensThan(params.query, maxTokens)) return;
      setResult({ errors: [limitError(`query token count exceeds the limit of ${maxTokens}`, 'TOO_MANY_TOKENS', { limit: maxTokens })] });
    },
  };
}

/** Whether `query` has more than `max` tokens. A lexical error stops the count: the parser will report it. */
export function hasMoreTokensThan(query: string, max: number): boolean {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; ) if (++count > max) return true;
  } catch {
    return false;
  }
  return false;
}

/**
 * Refuses operations whose {@link queryCost} is above `maxCost`.
 *
 * Not Armor's cost-limit: it runs as a validation rule, where variables are unknown, so `first: $n` counts as a
 * page of 1 and argument defaults (`first: Int = 100`) are not counted at all: the one thing that makes a query
 * here expensive would go unseen for every client that pages with variables. yoga also caches validation per
 * document, so no validation rule can depend on variables. The cost is therefore computed just before execution,
 * on the operation that runs and the variables it runs with.
 */
function costLimitPlugin(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = queryCost(args.schema, args.document, args.operationName, args.variableValues ?? {});
      if (cost <= maxCost) return;
      const message = `query cost ${Math.round(cost)} exceeds the limit of ${maxCost} (each field counts 1, times the page size of every list around it: ask for smaller pages or fewer nested lists)`;
      setResultAndStopExecution({ errors: [limitError(message, 'QUERY_TOO_COSTLY', { limit: maxCost, found: Math.round(cost) })] });
    },
  };
}

/**
 * The cost of an operation: an estimate of how many fields its answer can hold. Each field counts 1; the fields
 * below a field that takes a page size (`first`, or `last`) count as many times as that page can hold, read from
 * the literal, the variable, the variable's default or the argument's default in the schema, at most
 * {@link MAX_PAGE_SIZE}. `__typename` and introspection are free. `{ sboms(first: 10) { edges { node { id } } } }`
 * costs 1 + 10 × (1 + (1 + 1)) = 31.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables: Readonly<Record<string, unknown>> = {}): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const variableDefaults = new Map(operation.variableDefinitions?.map((v) => [v.variable.name.value, v.defaultValue]) ?? []);
  const fragmentCosts = new Map<string, number>();

  const intValue = (node: ValueNode | undefined): number | undefined => {
    if (node?.kind === Kind.INT) return Number(node.value);
    if (node?.kind !== Kind.VARIABLE) return undefined;
    if (!(node.name.value in variables)) return intValue(variableDefaults.get(node.name.value));
    const value = variables[node.name.value];
    return typeof value === 'number' ? value : undefined;
  };
  const pageSize = (field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number => {
    const argument = definition?.args.find((a) => a.name === 'first' || a.name === 'last');
    if (!argument) return 1;
    const given = field.arguments?.find((a) => a.name.value === argument.name);
    const size = intValue(given?.value) ?? argument.defaultValue;
    return typeof size === 'number' && size > 1 ? Math.min(size, MAX_PAGE_SIZE) : 1;
  };
  const selectionCost = (set: SelectionSetNode, type: GraphQLNamedType | null | undefined): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const definition = type && 'getFields' in type ? (type.getFields()[selection.name.value] as GraphQLField<unknown, unknown> | undefined) : undefined;
        cost += 1;
        if (selection.selectionSet) cost += pageSize(selection, definition) * selectionCost(selection.selectionSet, definition && namedType(definition.type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += selectionCost(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type);
      } else {
        cost += fragmentCost(selection.name.value);
      }
    }
    return cost;
  };
  // A fragment costs the same wherever it is spread: computed once (no exponential walk of fragment bombs); a
  // fragment cycle counts 0 and is refused by validation anyway.
  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    fragmentCosts.set(name, 0);
    const fragment = fragments.get(name);
    const cost = fragment ? selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)) : 0;
    fragmentCosts.set(name, cost);
    return cost;
  };
  return selectionCost(operation.selectionSet, root);
}

/** `[Sbom!]!` -> `Sbom`. */
function namedType(type: GraphQLType): GraphQLNamedType {
  let t: GraphQLType = type;
  while ('ofType' in t) t = t.ofType;
  return t;
}

/**
 * Refuses `__schema` and `__type` when introspection is turned off. graphql's `NoSchemaIntrospectionCustomRule`
 * does the same, but reports every field of an introspection type (two errors for `{ __schema { types { name } } }`)
 * and is answered 200 to `Accept: application/json` clients; this reports each entry point once, with a code, and 400.
 */
function noIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return;
      context.reportError(limitError(`introspection is turned off on this server (PATCHPATH_INTROSPECTION=false); the query asks for "${node.name.value}"`, 'INTROSPECTION_DISABLED', {}, [node]));
    },
  };
}
