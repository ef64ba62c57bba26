import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * Plain .sql files, applied in name order (`YYYYMMDDHHMM_verb_noun.sql`). Up-only: an applied file is never
 * edited or renamed; a change is a new file.
 */
class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(`${this.dir}/${file}`, 'utf8');
      migrations[file.replace(/\.sql$/, '')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
    }
    return migrations;
  }
}

export class MigrationError extends Error {
  constructor(readonly migration: string | undefined, options: { cause: unknown }) {
    super(`migration ${migration ? `'${migration}' ` : ''}failed: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
    this.name = 'MigrationError';
  }
}

/**
 * Applies every pending migration, all in one transaction (PostgreSQL has transactional DDL), under Kysely's
 * migration lock so several instances starting at once on one server do not race.
 *
 * @returns the names applied now (empty when the database was up to date).
 * @throws MigrationError naming the failing file.
 */
export async function migrateToLatest(db: Kysely<any>, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new SqlFileMigrationProvider(dir) });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) throw new MigrationError(results?.find((r) => r.status === 'Error')?.migrationName, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether the database answers and holds the migrated schema (for /readyz). Never throws. */
export async function isDatabaseReady(db: Kysely<any>): Promise<boolean> {
  try {
    await sql`select 1 from sbom limit 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
