import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimit, TokenBuckets, type RateLimitOptions } from '../../src/access/rate-limit.js';
import { bearerToken, generateApiToken } from '../../src/access/api-token.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createIngester } from '../../src/ingester.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

/** Serves `app` on a free loopback port. */
type Env = { Bindings: HttpBindings };

async function listen(app: Hono<Env>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('rateLimit over HTTP', () => {
  let clock = 0;
  const servers: { close: () => Promise<void> }[] = [];
  /** A server whose every route is limited by `options`, keyed on the x-token header, on the test's clock. */
  const limited = async (options: Partial<RateLimitOptions> = {}) => {
    const app = new Hono<Env>();
    app.use(rateLimit({ limitPerMinute: 60, burst: 3, key: (c) => c.req.header('x-token'), now: () => clock, ...options }));
    app.get('/v1/things', (c) => c.json({ ok: true }));
    const server = await listen(app);
    servers.push(server);
    return (token?: string) => fetch(`${server.url}/v1/things`, { headers: token === undefined ? {} : { 'x-token': token } });
  };
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('lets a burst through, then answers 429 with Retry-After and the limit in words', async () => {
    clock = 0;
    const get = await limited();
    for (const remaining of ['2', '1', '0']) {
      const res = await get('a');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBe('60');
      expect(res.headers.get('ratelimit-remaining')).toBe(remaining);
    }
    const refused = await get('a');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('ratelimit-limit')).toBe('60');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await refused.json()).toEqual({ error: { status: 429, message: 'rate limit of 60 requests per minute exceeded for this token; retry after 1 s' } });
  });

  it('refills at the configured rate, and Retry-After counts down with the clock', async () => {
    clock = 0;
    const get = await limited({ limitPerMinute: 6, burst: 2 }); // one request every 10 s
    expect((await get('a')).status).toBe(200);
    expect((await get('a')).status).toBe(200);
    expect((await get('a')).headers.get('retry-after')).toBe('10');
    clock = 4_000;
    expect((await get('a')).headers.get('retry-after')).toBe('6');
    clock = 9_999;
    expect((await get('a')).headers.get('retry-after')).toBe('1');
    clock = 10_000;
    const refilled = await get('a');
    expect(refilled.status).toBe(200);
    expect(refilled.headers.get('ratelimit-remaining')).toBe('0');
    expect((await get('a')).status).toBe(429);
    // Idle for long: the bucket holds `burst` again, not more.
    clock = 3_600_000;
    expect((await get('a')).status).toBe(200);
    expect((await get('a')).status).toBe(200);
    expect((await get('a')).status).toBe(429);
  });

  it('keeps one bucket per key', async () => {
    clock = 0;
    const get = await limited({ burst: 1 });
    expect((await get('a')).status).toBe(200);
    expect((await get('a')).status).toBe(429);
    expect((await get('b')).status).toBe(200);
    expect((await get('b')).status).toBe(429);
    expect((await get('a')).status).toBe(429);
  });

  it('does not limit a request without a key, nor anything when the limit is 0', async () => {
    clock = 0;
    const get = await limited({ burst: 1 });
    for (let i = 0; i < 20; i++) {
      const res = await get();
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    const off = await limited({ limitPerMinute: 0 });
    for (let i = 0; i < 20; i++) expect((await off('a')).status).toBe(200);
  });
});

describe('TokenBuckets', () => {
  it('keeps memory bounded: idle buckets are dropped, and past maxKeys the least recently used', () => {
    let clock = 0;
    const buckets = new TokenBuckets({ limitPerMinute: 60, burst: 2, maxKeys: 100, now: () => clock });
    for (let i = 0; i < 10_000; i++) buckets.take(`key-${i}`);
    expect(buckets.size).toBeLessThanOrEqual(100);

    // A key in use keeps its (empty) bucket while newer keys come and go ...
    buckets.take('hot');
    buckets.take('hot');
    expect(buckets.take('hot').allowed).toBe(false);
    for (let i = 0; i < 98; i++) buckets.take(`new-${i}`);
    expect(buckets.take('hot').allowed).toBe(false);
    expect(buckets.size).toBeLessThanOrEqual(100);

    // ... and once every bucket has refilled (2 s at 1/s), the next new key sweeps them all away.
    clock = 60_000;
    buckets.take('late');
    expect(buckets.size).toBe(1);
  });

  it('refuses a limit or burst that cannot work', () => {
    expect(() => new TokenBuckets({ limitPerMinute: 0, burst: 1 })).toThrow(/limitPerMinute must be above 0/);
    expect(() => new TokenBuckets({ limitPerMinute: 10, burst: 0 })).toThrow(/burst must be at least 1/);
  });
});

describe.each(BACKENDS)('rateLimit in front of the app, keyed on the API token, on %s', (backend) => {
  let t: TestDb;
  let token: string;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    t = await createTestDb(backend);
    token = generateApiToken();
    const config = { ...loadConfig({}), logLevel: 'silent' as const, adminToken: token };
    const logger = createLogger(config.logLevel);
    const metrics = createMetrics();
    const app = createApp({ db: t.db, config, logger, metrics, ingest: createIngester({ db: t.db, config, metrics, logger }) });
    // As the lead wires it in app.ts, but keyed on the bearer token itself (this test needs no token ids).
    const front = new Hono<Env>();
    front.use(rateLimit({ limitPerMinute: 60, burst: 2, key: (c) => bearerToken(c.req.header('authorization')) }));
    front.all('*', (c) => app.fetch(c.req.raw, c.env));
    server = await listen(front);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('limits GraphQL requests per token and leaves the open routes alone', async () => {
    const gql = () =>
      fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    const first = await gql();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ data: { __typename: 'Query' } });
    expect([first.headers.get('ratelimit-limit'), first.headers.get('ratelimit-remaining')]).toEqual(['60', '1']);
    expect((await gql()).status).toBe(200);
    const refused = await gql();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
