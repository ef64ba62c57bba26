/**
 * @module
 * Server configuration, from the environment, checked once at start: a bad value stops the process with a
 * message that names the variable, the value and the rule.
 */
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './ingest/ingest-limits.js';
import { DEFAULT_GRAPHQL_LIMITS, type GraphQLLimits } from './graphql/graphql-limits.js';
import { DEFAULT_GRAPHQL_MAX_BODY_BYTES } from './rest/body-limits.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  PATCHPATH_DATA_DIR: z.string().min(1).default('./data'),
  PATCHPATH_STRICT: bool.default(false),
  PATCHPATH_MAX_UPLOAD_BYTES: positiveInt.default(DEFAULT_INGEST_LIMITS.maxBytes),
  PATCHPATH_MAX_DEPTH: positiveInt.default(DEFAULT_INGEST_LIMITS.maxDepth),
  PATCHPATH_MAX_COMPONENTS: positiveInt.default(DEFAULT_INGEST_LIMITS.maxComponents),
  /** Bodies above this are written to a temporary file while they arrive, not collected in memory. */
  PATCHPATH_SPOOL_THRESHOLD_BYTES: positiveInt.default(16 * 1024 * 1024),
  PATCHPATH_SPOOL_DIR: z.string().min(1).default(tmpdir()),
  PATCHPATH_GRAPHIQL: bool.default(true),
  PATCHPATH_INTROSPECTION: bool.default(DEFAULT_GRAPHQL_LIMITS.introspection),
  PATCHPATH_GRAPHQL_MAX_DEPTH: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxDepth),
  PATCHPATH_GRAPHQL_MAX_ALIASES: nonNegativeInt.default(DEFAULT_GRAPHQL_LIMITS.maxAliases),
  PATCHPATH_GRAPHQL_MAX_TOKENS: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxTokens),
  PATCHPATH_GRAPHQL_MAX_COST: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxCost),
  /** A GraphQL request that is not a multipart upload (uploads keep PATCHPATH_MAX_UPLOAD_BYTES). */
  PATCHPATH_GRAPHQL_MAX_BODY_BYTES: positiveInt.default(DEFAULT_GRAPHQL_MAX_BODY_BYTES),
  /** Requests per minute per API token, 0 = no limit. */
  PATCHPATH_RATE_LIMIT: nonNegativeInt.default(600),
  PATCHPATH_RATE_BURST: positiveInt.default(120),
  /**
   * A secret that acts as an admin token without being stored (a deployment's root credential, from its secret store);
   * at least 32 characters.
   */
  PATCHPATH_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  /** Days the tokens made at start-up (first admin, demo parties) stay valid. */
  PATCHPATH_TOKEN_DAYS: positiveInt.max(3650).default(90),
  PATCHPATH_DB_POOL_SIZE: positiveInt.default(10),
  /** Whether `serve` records every vendor's scorecard once a day (src/scorecards/scorecard-history.ts). */
  PATCHPATH_SCORECARD_HISTORY: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  /** Server-wide strict mode: every upload rejects schema violations. */
  strict: boolean;
  limits: IngestLimits;
  spoolThresholdBytes: number;
  spoolDir: string;
  graphiql: boolean;
  /** GraphQL depth, alias, token, cost and directive limits, and whether introspection is on. */
  graphqlLimits: GraphQLLimits;
  /** Largest GraphQL request body that is not a multipart upload. */
  graphqlMaxBodyBytes: number;
  /** Per API token, per instance (src/access/rate-limit.ts); `limitPerMinute` 0 turns it off. */
  rateLimit: { limitPerMinute: number; burst: number };
  /** PATCHPATH_ADMIN_TOKEN: accepted as an admin token, never stored. */
  adminToken?: string;
  tokenDays: number;
  dbPoolSize: number;
  /** `serve` records the day's scorecards (one instance of several does it). */
  scorecardHistory: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** @throws ConfigError naming each bad variable, its value and the rule. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    // A secret is named, never echoed: error output ends up in logs.
    const shown = (name: string) => (name.endsWith('_TOKEN') ? `(hidden, ${env[name]?.length ?? 0} characters)` : JSON.stringify(env[name]));
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}=${shown(String(i.path[0]))}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.PATCHPATH_DATA_DIR),
    strict: e.PATCHPATH_STRICT,
    limits: { maxBytes: e.PATCHPATH_MAX_UPLOAD_BYTES, maxDepth: e.PATCHPATH_MAX_DEPTH, maxComponents: e.PATCHPATH_MAX_COMPONENTS },
    spoolThresholdBytes: e.PATCHPATH_SPOOL_THRESHOLD_BYTES,
    spoolDir: e.PATCHPATH_SPOOL_DIR,
    graphiql: e.PATCHPATH_GRAPHIQL,
    graphqlLimits: {
      ...DEFAULT_GRAPHQL_LIMITS,
      maxDepth: e.PATCHPATH_GRAPHQL_MAX_DEPTH,
      maxAliases: e.PATCHPATH_GRAPHQL_MAX_ALIASES,
      maxTokens: e.PATCHPATH_GRAPHQL_MAX_TOKENS,
      maxCost: e.PATCHPATH_GRAPHQL_MAX_COST,
      introspection: e.PATCHPATH_INTROSPECTION,
    },
    graphqlMaxBodyBytes: e.PATCHPATH_GRAPHQL_MAX_BODY_BYTES,
    rateLimit: { limitPerMinute: e.PATCHPATH_RATE_LIMIT, burst: e.PATCHPATH_RATE_BURST },
    adminToken: e.PATCHPATH_ADMIN_TOKEN,
    tokenDays: e.PATCHPATH_TOKEN_DAYS,
    dbPoolSize: e.PATCHPATH_DB_POOL_SIZE,
    scorecardHistory: e.PATCHPATH_SCORECARD_HISTORY,
    logLevel: e.LOG_LEVEL,
  };
}
