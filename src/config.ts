/**
 * @module
 * Server configuration, from the environment, checked once at start: a bad value stops the process with a
 * message that names the variable, the value and the rule.
 */
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './ingest/ingest-limits.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const positiveInt = z.coerce.number().int().positive();

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
  PATCHPATH_DB_POOL_SIZE: positiveInt.default(10),
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
  dbPoolSize: number;
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
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`);
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
    dbPoolSize: e.PATCHPATH_DB_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
  };
}
