import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('works with nothing set: embedded database under ./data, port 4000, lenient ingest', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, host: '127.0.0.1', databaseUrl: undefined, strict: false, graphiql: true });
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.limits.maxBytes).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(c.graphqlLimits).toEqual({ maxDepth: 12, maxAliases: 20, maxTokens: 1000, maxCost: 50_000, maxDirectives: 50, introspection: true });
    expect(c.graphqlMaxBodyBytes).toBe(16 * 1024 * 1024);
    expect(c.rateLimit).toEqual({ limitPerMinute: 600, burst: 120 });
  });

  it('reads every setting from the environment', () => {
    const c = loadConfig({
      PORT: '8080', DATABASE_URL: 'postgres://u@db/x', PATCHPATH_STRICT: 'true', PATCHPATH_MAX_UPLOAD_BYTES: '1000',
      PATCHPATH_MAX_DEPTH: '10', PATCHPATH_MAX_COMPONENTS: '5', PATCHPATH_GRAPHIQL: 'false', PATCHPATH_DATA_DIR: '/var/lib/pp',
    });
    expect(c).toMatchObject({ port: 8080, databaseUrl: 'postgres://u@db/x', strict: true, graphiql: false, dataDir: '/var/lib/pp', limits: { maxBytes: 1000, maxDepth: 10, maxComponents: 5 } });
  });

  it('reads the abuse limits of the HTTP and GraphQL surface', () => {
    const c = loadConfig({
      PATCHPATH_GRAPHQL_MAX_DEPTH: '8', PATCHPATH_GRAPHQL_MAX_ALIASES: '0', PATCHPATH_GRAPHQL_MAX_TOKENS: '300', PATCHPATH_GRAPHQL_MAX_COST: '900',
      PATCHPATH_INTROSPECTION: 'false', PATCHPATH_GRAPHQL_MAX_BODY_BYTES: '65536', PATCHPATH_RATE_LIMIT: '0', PATCHPATH_RATE_BURST: '5',
    });
    expect(c).toMatchObject({
      graphqlLimits: { maxDepth: 8, maxAliases: 0, maxTokens: 300, maxCost: 900, introspection: false },
      graphqlMaxBodyBytes: 65536,
      rateLimit: { limitPerMinute: 0, burst: 5 },
    });
    expect(() => loadConfig({ PATCHPATH_GRAPHQL_MAX_DEPTH: '0', PATCHPATH_RATE_LIMIT: '-1', PATCHPATH_RATE_BURST: '0' })).toThrow(
      /PATCHPATH_GRAPHQL_MAX_DEPTH="0"[\s\S]*PATCHPATH_RATE_LIMIT="-1"[\s\S]*PATCHPATH_RATE_BURST="0"/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 4000 });
  });

  it('names every bad variable, its value and the rule', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', PATCHPATH_STRICT: 'maybe', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT="eighty"/);
    expect(message).toMatch(/PATCHPATH_STRICT="maybe"/);
    expect(message).toMatch(/DATABASE_URL="mysql:\/\/x": must start with postgres:\/\//);
  });
});
