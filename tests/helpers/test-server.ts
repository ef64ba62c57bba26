/** A real HTTP server over a test database, on a free loopback port, for end-to-end tests. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.js';
import { generateApiToken } from '../../src/access/api-token.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createIngester } from '../../src/ingester.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { TestDb } from './test-db.js';

export interface TestServer {
  url: string;
  config: Config;
  /** The server's configured admin token (PATCHPATH_ADMIN_TOKEN). */
  token: string;
  /** fetch with `Authorization: Bearer <token>` (the admin's unless another token is given). */
  fetch(input: string | URL, init?: RequestInit, token?: string): Promise<Response>;
  close(): Promise<void>;
}

/** `init` with the Authorization header of `token` added (kept when the caller set one). */
export function withToken(init: RequestInit | undefined, token: string): RequestInit {
  const headers = new Headers(init?.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

export async function startTestServer(t: TestDb, overrides: Partial<Config> = {}): Promise<TestServer> {
  const token = generateApiToken();
  const config: Config = { ...loadConfig({}), logLevel: 'silent', adminToken: token, ...overrides };
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const ingest = createIngester({ db: t.db, config, metrics, logger });
  const app = createApp({ db: t.db, config, logger, metrics, ingest });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    token: config.adminToken ?? token,
    fetch: (input, init, as) => fetch(input, withToken(init, as ?? config.adminToken ?? token)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
