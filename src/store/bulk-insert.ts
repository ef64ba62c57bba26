import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';

/** Column of a bulk insert: its name, its PostgreSQL array type, and how to read it off a row. */
export interface BulkColumn<T> {
  name: string;
  /** PostgreSQL type of one value: `int`, `text`, `bigint`, `boolean`; `jsonb` is sent as text and cast per row. */
  type: 'int' | 'bigint' | 'text' | 'boolean' | 'jsonb';
  value: (row: T) => unknown;
}

const ROWS_PER_STATEMENT = 10_000;

/**
 * Inserts many rows with one `insert ... select from unnest($1::t[], $2::t[], ...)` per 10,000 rows: one
 * parameter per column instead of one per value, so a 500k-component SBOM takes 50 statements, not 500k.
 * The same SQL runs on PostgreSQL and PGlite.
 */
export async function bulkInsert<T>(
  db: Kysely<Database> | Transaction<Database>,
  table: keyof Database,
  columns: BulkColumn<T>[],
  rows: readonly T[],
  options: { onConflictDoNothing?: boolean } = {},
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const batch = rows.slice(start, start + ROWS_PER_STATEMENT);
    const arrays = columns.map((c) => sql`${batch.map(c.value)}::${sql.raw(c.type === 'jsonb' ? 'text' : c.type)}[]`);
    const selectList = columns.map((c, i) => (c.type === 'jsonb' ? sql.raw(`c${i}::jsonb`) : sql.raw(`c${i}`)));
    const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
      select ${sql.join(selectList)} from unnest(${sql.join(arrays)}) as t(${aliases})
      ${options.onConflictDoNothing ? sql`on conflict do nothing` : sql``}`.execute(db);
  }
}
