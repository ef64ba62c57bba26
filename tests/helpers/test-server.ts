/** A real HTTP server over a test database, on a free loopback port, for end-to-end tests. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createIngester } from '../../src/ingester.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { TestDb } from './test-db.js';

export interface TestServer {
  url: string;
  config: Config;
  close(): Promise<void>;
}

export async function startTestServer(t: TestDb, overrides: Partial<Config> = {}): Promise<TestServer> {
  const config: Config = { ...loadConfig({}), logLevel: 'silent', ...overrides };
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
