/**
 * @module
 * The HTTP surface: REST for pipelines (/v1/sboms, /v1/advisories) and hospitals (/v1/operators), GraphQL
 * (/graphql, GraphiQL in a browser), health, readiness and Prometheus metrics. No logic of its own: everything
 * below is called through `deps`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { isDatabaseReady } from './db/migrate.js';
import { createLoaders } from './graphql/context.js';
import { AccessError } from './access/access-error.js';
import { accessErrorResponse, authenticate } from './access/authenticate.js';
import { currentPrincipal, type Principal } from './access/principal.js';
import { rateLimit } from './access/rate-limit.js';

function principalKey(p: Principal | undefined): string | undefined {
  return p === undefined ? undefined : p.tokenId === null ? 'configured-admin' : `token:${p.tokenId}`;
}
import { createGraphQLHandler } from './graphql/yoga.js';
import type { Ingester } from './ingester.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import { advisoryRoutes } from './rest/advisories-routes.js';
import { graphqlBodyLimit } from './rest/body-limits.js';
import { inventoryRoutes } from './rest/inventory-routes.js';
import { patchStatusRoutes } from './rest/patch-status-routes.js';
import { scorecardRoutes } from './rest/scorecard-routes.js';
import { sbomRoutes } from './rest/sboms-routes.js';

export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  ingest: Ingester;
  /** The clock patch status counts days to (tests inject one); the system clock by default. */
  clock?: () => Date;
}

type Env = { Bindings: { incoming?: IncomingMessage }; Variables: { requestId: string; principal: Principal } };

export function createApp(deps: AppDeps) {
  const { db, config, logger, metrics } = deps;
  const app = new Hono<Env>();

  const yoga = createGraphQLHandler({
    graphiql: config.graphiql,
    limits: config.graphqlLimits,
    maxBodyBytes: Math.max(config.graphqlMaxBodyBytes, config.limits.maxBytes),
    context: (request) => ({ db, config, logger, metrics, ingest: deps.ingest, now: deps.clock ?? (() => new Date()), principal: currentPrincipal(), requestId: request.headers.get('x-request-id') ?? undefined, loaders: createLoaders(db) }),
  });

  app.use(async function requestLog(c, next) {
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    if (route !== '/healthz' && route !== '/metrics') {
      logger.info({ event: 'request', requestId, method: c.req.method, path: c.req.path, route, status: c.res.status, durationMs: Math.round(seconds * 1000) }, 'request');
    }
  });

  app.use(authenticate({ db, clock: deps.clock ?? (() => new Date()), logger, graphiql: config.graphiql, adminToken: config.adminToken }));
  // Per token (the configured admin secret counts as one); open paths carry no principal and are not limited.
  app.use(rateLimit({ ...config.rateLimit, key: (c) => principalKey(c.get('principal')) }));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (await isDatabaseReady(db)) return c.json({ status: 'ready' });
    logger.warn({ event: 'readyz' }, 'not ready: database unavailable or not migrated');
    return c.json({ status: 'not ready', reason: 'database unavailable or not migrated' }, 503);
  });
  app.get('/metrics', async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));

  app.route('/v1/sboms', sbomRoutes(deps));
  app.route('/v1/advisories', advisoryRoutes(deps));
  app.route('/v1/operators', inventoryRoutes(deps));
  app.route('/v1', patchStatusRoutes(deps));
  app.route('/v1', scorecardRoutes(deps));

  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', graphqlBodyLimit({ maxBytes: config.graphqlMaxBodyBytes, uploadMaxBytes: config.limits.maxBytes }), (c) => yoga.fetch(c.req.raw, {}));

  app.notFound((c) => c.json({ error: { status: 404, message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: { status: err.status, message: err.message } }, err.status);
    if (err instanceof AccessError) return accessErrorResponse(c, err);
    const requestId = c.get('requestId');
    logger.error({ event: 'error', requestId, err: { message: err.message, stack: err.stack } }, 'unhandled error');
    return c.json({ error: { status: 500, message: 'Internal Server Error', requestId } }, 500);
  });
  return app;
}
