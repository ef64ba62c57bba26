/**
 * @module
 * Opens what a process needs (database, migrations, logger, metrics, the ingester) from a Config, and
 * closes it again. Shared by `serve`, `ingest` and `migrate`.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { createDb, type DbHandle } from './db/create-db.js';
import type { Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { prepareChains } from './chains/prepare-chains.js';
import { createIngester, type Ingester } from './ingester.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';

export interface Runtime {
  config: Config;
  db: Kysely<Database>;
  dbHandle: DbHandle;
  logger: Logger;
  metrics: Metrics;
  ingest: Ingester;
  /** Migrations applied by this start. */
  applied: string[];
  close(): Promise<void>;
}

export async function openRuntime(config: Config, options: { logger?: Logger } = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const dbHandle = await createDb({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, poolSize: config.dbPoolSize });
  try {
    const applied = await migrateToLatest(dbHandle.db);
    await prepareChains(dbHandle.db);
    const metrics = createMetrics();
    const ingest = createIngester({ db: dbHandle.db, config, metrics, logger });
    return { config, db: dbHandle.db, dbHandle, logger, metrics, ingest, applied, close: () => dbHandle.close() };
  } catch (e) {
    await dbHandle.close();
    throw e;
  }
}
