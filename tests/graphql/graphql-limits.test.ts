import { readFileSync } from 'node:fs';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRAPHQL_LIMITS } from '../../src/graphql/graphql-limits.js';
import { createIngester } from '../../src/ingester.js';
import { BOARD, demoSbom, MODULE, MODULE_OLD, PUMP } from '../helpers/demo-sboms.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type GraphQLBody = { data?: any; errors?: { message: string; extensions?: { code?: string; limit?: number; found?: number } }[] };

const LIMIT_CODES = ['QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'TOO_MANY_DIRECTIVES', 'TOO_MANY_TOKENS', 'QUERY_TOO_COSTLY', 'INTROSPECTION_DISABLED'];

/** The GraphQL queries of the README's curl examples: those that show a limit at work, and the others. */
function readmeQueries(): { limited: string[]; others: string[] } {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('#### Abuse limits');
  const end = readme.indexOf('\n#### ', start + 1);
  const queries = (text: string) => [...text.matchAll(/-d '(\{"query":[\s\S]*?)'/g)].map((m) => (JSON.parse(m[1]!) as { query: string }).query);
  return { limited: queries(readme.slice(start, end)), others: queries(readme.slice(0, start) + readme.slice(end)) };
}

describe.each(BACKENDS)('GraphQL abuse limits over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  /** GraphiQL and introspection turned off. */
  let locked: TestServer;

  const post = async (on: TestServer, query: string, variables: Record<string, unknown> = {}, accept?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (accept) headers.accept = accept;
    const res = await on.fetch(`${on.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as GraphQLBody };
  };
  const gql = (query: string, variables?: Record<string, unknown>, accept?: string) => post(server, query, variables, accept);

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t);
    locked = await startTestServer(t, { graphiql: false, graphqlLimits: { ...DEFAULT_GRAPHQL_LIMITS, introspection: false } });
    // Stored directly, as the database owner: these tests are about the GraphQL endpoint, not uploads.
    const ingest = createIngester({ db: t.db, config: server.config });
    for (const f of [PUMP, BOARD, MODULE, MODULE_OLD]) expect((await ingest({ bytes: demoSbom(f), channel: 'cli', source: f })).status, f).toBe('accepted');
  });
  afterAll(async () => {
    await server?.close();
    await locked?.close();
    await t?.close();
  });

  it('lets every query of the README through the default limits, and answers the lwIP one', async () => {
    const { limited, others: queries } = readmeQueries();
    expect(queries.length).toBeGreaterThanOrEqual(10);
    // The README's own example of a limit at work is refused as it says.
    expect(limited).toHaveLength(1);
    const refused = await gql(limited[0]!);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    for (const query of queries) {
      const { status, body } = await gql(query);
      expect(status, query).toBe(200);
      expect(body.errors?.filter((e) => LIMIT_CODES.includes(e.extensions?.code ?? '')) ?? [], query).toEqual([]);
    }
    const { body } = await gql(queries[0]!);
    expect(body.data.components.edges.map((e: any) => e.node.version).sort()).toEqual(['2.1.2', '2.2.0']);
  });

  describe('refuses with 400 and an error naming the limit and the value found', () => {
    const expectRefusal = async (query: string, code: string, message: RegExp, variables?: Record<string, unknown>) => {
      for (const accept of [undefined, 'application/json', 'application/graphql-response+json']) {
        const { status, body } = await gql(query, variables, accept);
        expect(status, `Accept: ${accept ?? '(fetch default)'}`).toBe(400);
        expect(body.data).toBeUndefined();
        expect(body.errors).toHaveLength(1);
        expect(body.errors![0]!.message).toMatch(message);
        expect(body.errors![0]!.extensions?.code).toBe(code);
      }
    };

    it('a query deeper than 12 levels', async () => {
      // vendor > sboms > edges > node > supplier > sboms > edges > node > supplier > sboms > edges > node > id: 13
      const deep = '{ vendor(name: "Medisyn") { sboms { edges { node { supplier { sboms { edges { node { supplier { sboms { edges { node { id } } } } } } } } } } } } }';
      await expectRefusal(deep, 'QUERY_TOO_DEEP', /^query depth 13 exceeds the limit of 12$/);
      expect((await gql(deep)).body.errors![0]!.extensions).toMatchObject({ limit: 12, found: 13 });
      // A fragment adds no level of its own: the same query through a fragment is just as deep.
      const viaFragment = '{ vendor(name: "Medisyn") { sboms { edges { node { ...S } } } } } fragment S on Sbom { supplier { sboms { edges { node { supplier { sboms { edges { node { id } } } } } } } } }';
      await expectRefusal(viaFragment, 'QUERY_TOO_DEEP', /^query depth 13 exceeds the limit of 12$/);
      const twelve = '{ vendor(name: "Medisyn") { sboms { edges { node { supplier { sboms { edges { node { supplier { sboms { edges { cursor } } } } } } } } } } } }';
      expect((await gql(twelve)).status).toBe(200);
    });

    it('more than 20 aliases', async () => {
      const fields = (n: number) => Array.from({ length: n }, (_, i) => `s${i}: sboms(first: 1) { edges { cursor } }`).join(' ');
      await expectRefusal(`{ ${fields(21)} }`, 'TOO_MANY_ALIASES', /^query alias count 21 exceeds the limit of 20$/);
      const ok = await gql(`{ ${fields(20)} }`);
      expect(ok.status).toBe(200);
      expect(Object.keys(ok.body.data)).toHaveLength(20);
    });

    it('more than 1000 tokens, before the query is parsed', async () => {
      await expectRefusal(`{ ${'__typename '.repeat(999)} }`, 'TOO_MANY_TOKENS', /^query token count exceeds the limit of 1000$/);
      // Counting stops at the limit: a syntax error further on is not what the client hears about.
      await expectRefusal(`{ ${'__typename '.repeat(2000)} ) }`, 'TOO_MANY_TOKENS', /^query token count exceeds the limit of 1000$/);
      expect((await gql(`{ ${'__typename '.repeat(998)} }`)).status).toBe(200);
    });

    it('more than 50 directives', async () => {
      const fields = (n: number) => Array.from({ length: n }, () => '__typename @include(if: true)').join(' ');
      await expectRefusal(`{ ${fields(51)} }`, 'TOO_MANY_DIRECTIVES', /^query directive count 51 exceeds the limit of 50$/);
      expect((await gql(`{ ${fields(50)} }`)).status).toBe(200);
    });

    it('a query costlier than 50 000, page sizes given as literals, variables or defaults', async () => {
      const costly = /^query cost \d+ exceeds the limit of 50000 \(each field counts 1, times the page size of every list around it/;
      // sboms 1 + 500 × (edges 1 + node 1 + id 1 + components (1 + 500 × (edges 1 + node 1 + name 1))) = 752 001
      await expectRefusal('{ sboms(first: 500) { edges { node { id components(first: 500) { edges { node { name } } } } } } }', 'QUERY_TOO_COSTLY', costly);
      expect((await gql('{ sboms(first: 500) { edges { node { id components(first: 500) { edges { node { name } } } } } } }')).body.errors![0]!.extensions).toMatchObject({ limit: 50_000, found: 752_001 });
      const paged = 'query($n: Int) { sboms(first: $n) { edges { node { id components(first: $n) { edges { node { name } } } } } } }';
      await expectRefusal(paged, 'QUERY_TOO_COSTLY', costly, { n: 500 });
      await expectRefusal('query($n: Int = 500) { sboms(first: $n) { edges { node { id components(first: $n) { edges { node { name } } } } } } }', 'QUERY_TOO_COSTLY', costly);
      const small = await gql(paged, { n: 2 });
      expect(small.status).toBe(200);
      expect(small.body.data.sboms.edges).toHaveLength(2);
      // Argument defaults count too: 1 + 20 × (3 + 1 + 50 × 3) = 3 081 is fine ...
      expect((await gql('{ sboms { edges { node { components { edges { node { name } } } } } } }')).status).toBe(200);
      // ... and a page size out of range is the resolver's error, not a cost beyond reason.
      const huge = await gql('{ sboms(first: 100000) { edges { cursor } } }');
      expect(huge.body.errors![0]!.message).toMatch(/'first' argument value '100000' is outside the valid range/);
    });
  });

  it('serves introspection (GraphiQL needs it) unless it is turned off, and then says so', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    expect((await gql(introspection)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    // The whole schema, the way GraphiQL asks for it, is within every limit.
    const full = await gql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true }));
    expect(full.status).toBe(200);
    expect(full.body.data.__schema.types.length).toBeGreaterThan(50);
    for (const query of [introspection, '{ __type(name: "Sbom") { name fields { name } } }']) {
      const { status, body } = await post(locked, query);
      expect(status, query).toBe(400);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.message).toMatch(/^introspection is turned off on this server \(PATCHPATH_INTROSPECTION=false\); the query asks for "__(schema|type)"$/);
      expect(body.errors![0]!.extensions?.code).toBe('INTROSPECTION_DISABLED');
    }
    expect((await post(locked, '{ sboms(first: 1) { edges { node { __typename } } } }')).body.data.sboms.edges).toHaveLength(1);
    // Without introspection, errors do not hand out the schema's field names either.
    expect((await gql('{ sbomz { id } }')).body.errors![0]!.message).toMatch(/Did you mean "sbom/);
    const masked = (await post(locked, '{ sbomz { id } }')).body.errors![0]!.message;
    expect(masked).toMatch(/^Cannot query field "sbomz" on type "Query"/);
    expect(masked).not.toMatch(/Did you mean/);
  });

  it('serves no GraphiQL page when GraphiQL is turned off', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const on = await fetch(`${server.url}/graphql`, { headers: browser });
    expect(on.status).toBe(200);
    expect(on.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await on.text()).toMatch(/patchpath GraphQL/);
    for (const [headers, token] of [[browser, false], [browser, true], [{ accept: 'text/html' }, false], [{ accept: 'text/html' }, true]] as const) {
      const off = await (token ? locked.fetch : fetch)(`${locked.url}/graphql`, { headers });
      const text = await off.text();
      expect(off.headers.get('content-type') ?? '', `${headers.accept}, token: ${token}`).not.toMatch(/html/);
      expect(text).not.toMatch(/graphiql|<html/i);
    }
  });
});
