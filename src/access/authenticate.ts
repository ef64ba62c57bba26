/**
 * @module
 * The door of the HTTP surface: every request but /healthz, /readyz, the GraphiQL page and CORS preflights must carry
 * `Authorization: Bearer <token>`. A valid token's {@link Principal} is checked against the route's rule
 * (access-rules.ts) and then carried, for everything the request does, to every database query (principal.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { lookUpApiToken, touchApiToken } from '../store/access.repository.js';
import { AccessError, unauthenticated } from './access-error.js';
import { authoriseRole, restRuleFor } from './access-rules.js';
import { bearerToken } from './api-token.js';
import { runAs, type Principal } from './principal.js';

const OPEN_PATHS = new Set(['/healthz', '/readyz']);
/** last_used_at is written at most this often per token: a write per request would cost more than the request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface AuthenticateOptions {
  db: Kysely<Database>;
  clock: () => Date;
  logger?: Logger;
  /** Whether GET /graphql from a browser serves GraphiQL (its page needs no token; its requests do). */
  graphiql: boolean;
  /** PATCHPATH_ADMIN_TOKEN: an admin token that is configured, not stored. */
  adminToken?: string;
}

/** The principal of PATCHPATH_ADMIN_TOKEN: admin, of no stored organisation (its audit entries carry organisation 0). */
export const CONFIGURED_ADMIN: Principal = Object.freeze({ tokenId: null, organisationId: 0, organisationName: 'PATCHPATH_ADMIN_TOKEN', role: 'admin' });

export type AuthEnv = { Variables: { principal: Principal } };

export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AuthEnv> {
  const touched = new Map<number, number>();
  return async function authenticateRequest(c, next) {
    // A CORS preflight carries no credentials by design; it reveals nothing and the real request still needs a token.
    if (OPEN_PATHS.has(c.req.path) || isGraphiQLPage(c, options.graphiql) || c.req.method === 'OPTIONS') return next();
    const principal = await principalOf(c, options, touched);
    if (c.req.path !== '/graphql') {
      const rule = restRuleFor(c.req.method, c.req.path);
      // No rule: no such route either; let the router answer 404 (still only to an authenticated caller).
      if (rule) authoriseRole(principal, rule.roles, `${c.req.method} ${rule.path}`);
    }
    c.set('principal', principal);
    return runAs(principal, () => next());
  };
}

async function principalOf(c: Context, options: AuthenticateOptions, touched: Map<number, number>): Promise<Principal> {
  const header = c.req.header('authorization');
  const token = bearerToken(header);
  if (token === undefined) {
    throw unauthenticated(
      header === undefined
        ? 'no API token: send the header "Authorization: Bearer <token>" (an admin makes tokens with `patchpath token create --org NAME --role ROLE` or the createApiToken mutation)'
        : 'the Authorization header is not "Bearer <token>"',
    );
  }
  if (options.adminToken !== undefined && sameSecret(token, options.adminToken)) return CONFIGURED_ADMIN;
  const now = options.clock();
  const found = await lookUpApiToken(options.db, token, now);
  if (!found.ok) {
    throw unauthenticated(
      found.reason === 'unknown' ? 'the API token is not known (mistyped, or from another patchpath instance?)'
      : found.reason === 'revoked' ? `the API token was revoked on ${found.at!.toISOString()}`
      : `the API token expired on ${found.at!.toISOString()}; ask an admin for a new one`,
    );
  }
  const id = found.principal.tokenId!;
  const last = touched.get(id) ?? found.lastUsedAt?.getTime() ?? 0;
  if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
    touched.set(id, now.getTime());
    if (touched.size > 10_000) touched.clear();
    // Outside the request's principal (the token row is the admin's), and not awaited: a lost touch costs nothing.
    touchApiToken(options.db, id, now).catch((e: Error) => options.logger?.warn({ event: 'token-touch', err: e.message }, 'could not record token use'));
  }
  return found.principal;
}

/** Compared in constant time (of the hashes), so response timing tells nothing about the configured secret. */
function sameSecret(given: string, secret: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(secret).digest());
}

function isGraphiQLPage(c: Context, graphiql: boolean): boolean {
  return graphiql && c.req.method === 'GET' && c.req.path === '/graphql' && (c.req.header('accept') ?? '').includes('text/html');
}

/** The JSON body and headers of a refusal: 401 says how to authenticate (RFC 6750), 403 why not. */
export function accessErrorResponse(c: Context, err: AccessError): Response {
  if (err.status === 401) c.header('WWW-Authenticate', 'Bearer realm="patchpath"');
  return c.json({ error: { status: err.status, code: err.code, message: err.message } }, err.status);
}
