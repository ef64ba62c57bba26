import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { CopyPayload } from '../db/copy-from.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Column of a bulk insert: its name, its PostgreSQL type, and how to read it off a row. */
export interface BulkColumn<T> {
  name: string;
  /**
   * PostgreSQL type of one value; `jsonb` values are JSON text, `int[]` values array literals (`{1,2}`) for COPY,
   * `text[]` values string arrays (bulkInsert only).
   */
  type: 'int' | 'bigint' | 'text' | 'boolean' | 'jsonb' | 'int[]' | 'text[]' | 'numeric' | 'timestamptz';
  value: (row: T) => unknown;
}

const ROWS_PER_STATEMENT = 10_000;

/**
 * Inserts rows with one `insert ... select from unnest($1::t[], ...)` per 10,000 rows: one parameter per
 * column, not per value. For small sets that need `on conflict do nothing`; big ones go through {@link copyRows}.
 */
export async function bulkInsert<T>(db: Db, table: keyof Database, columns: BulkColumn<T>[], rows: readonly T[], options: { onConflictDoNothing?: boolean } = {}): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const batch = rows.slice(start, start + ROWS_PER_STATEMENT);
    await sql`${insertFromUnnest(table, columns, batch)} ${options.onConflictDoNothing ? sql`on conflict do nothing` : sql``}`.execute(db);
  }
}

/**
 * Inserts rows as {@link bulkInsert} does; a row whose `conflict` columns match a stored row updates that row's
 * `update` columns instead, only when one of them changes (then `touch`, e.g. `updated_at`, is set to now()).
 *
 * @returns the `returning` columns of the rows inserted or changed; rows left as they were are not among them.
 */
export async function bulkUpsert<T, R>(
  db: Db,
  table: keyof Database,
  columns: BulkColumn<T>[],
  rows: readonly T[],
  options: { conflict: string[]; update: string[]; touch?: string; returning: string[] },
): Promise<R[]> {
  const ref = (c: string) => sql.ref(`${table}.${c}`);
  const excluded = (c: string) => sql.ref(`excluded.${c}`);
  const set = options.update.map((c) => sql`${sql.ref(c)} = ${excluded(c)}`);
  if (options.touch) set.push(sql`${sql.ref(options.touch)} = now()`);
  const out: R[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const batch = rows.slice(start, start + ROWS_PER_STATEMENT);
    const result = await sql<R>`${insertFromUnnest(table, columns, batch)}
      on conflict (${sql.join(options.conflict.map((c) => sql.ref(c)))}) do update set ${sql.join(set)}
      where (${sql.join(options.update.map(ref))}) is distinct from (${sql.join(options.update.map(excluded))})
      returning ${sql.join(options.returning.map(ref))}`.execute(db);
    out.push(...result.rows);
  }
  return out;
}

/** `insert into table (columns) select ... from unnest($1::t[], ...)`: one parameter per column, not per value. */
function insertFromUnnest<T>(table: keyof Database, columns: BulkColumn<T>[], batch: readonly T[]) {
  // A text[] column travels as JSON text: unnest would flatten an array of arrays into its elements.
  const arrays = columns.map((c) =>
    c.type === 'text[]'
      ? sql`${batch.map((r) => pgJson(c.value(r)))}::text[]`
      : sql`${batch.map((r) => pgSafe(c.type, c.value(r)))}::${sql.raw(c.type === 'jsonb' ? 'text' : c.type)}[]`,
  );
  const selectList = columns.map((c, i) =>
    sql.raw(c.type === 'jsonb' ? `c${i}::jsonb` : c.type === 'text[]' ? `array(select jsonb_array_elements_text(c${i}::jsonb))` : `c${i}`),
  );
  const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
    select ${sql.join(selectList)} from unnest(${sql.join(arrays)}) as t(${aliases})`;
}

/**
 * Loads rows with COPY (text format), in the caller's transaction, on PostgreSQL and PGlite alike. The
 * COPY text is produced in chunks of 5,000 rows as the server takes it.
 */
export async function copyRows<T>(db: Db, table: keyof Database, columns: BulkColumn<T>[], rows: readonly T[]): Promise<void> {
  if (rows.length === 0) return;
  await copyText(db, table, columns.map((c) => c.name), chunked(rows, (r, start, end) => copyLines(columns, r, start, end)));
}

/**
 * Loads COPY text (lines as {@link copyLines} makes them) into `columns`, in the caller's transaction. The chunks are
 * read as the server takes them, so a generator can make each one just in time, and the next while the server
 * stores the last.
 */
export async function copyText(db: Db, table: keyof Database, columns: readonly string[], chunks: Iterable<string | Uint8Array>): Promise<void> {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  await db.executeQuery(CompiledQuery.raw(`copy "${table}" (${cols}) from stdin`, [new CopyPayload(chunks)]));
}

/** Rows per chunk of COPY text: a few megabytes. */
const ROWS_PER_CHUNK = 5_000;

/** COPY text of `rows` in chunks of {@link ROWS_PER_CHUNK} rows, each made as the server asks for it. */
export function* chunked<T>(rows: readonly T[], lines: (rows: readonly T[], start: number, end: number) => string): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) yield lines(rows, start, Math.min(rows.length, start + ROWS_PER_CHUNK));
}

/** Rows `start` to `end` (exclusive) in COPY's text format, one line each. */
function copyLines<T>(columns: BulkColumn<T>[], rows: readonly T[], start = 0, end = rows.length): string {
  let chunk = '';
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const v = col.value(row);
      line += (c ? '\t' : '') + (v === null || v === undefined ? '\\N' : typeof v === 'string' ? copyValue(col.type, v) : String(v));
    }
    chunk += `${line}\n`;
  }
  return chunk;
}

/**
 * A text value as a field of a COPY line, as {@link copyLines} writes it: `\N` for none. For formatters written
 * out by hand for the biggest tables (store-sbom.ts), where a closure call per value cost as much as the rest.
 */
export function copyTextField(v: string | null | undefined): string {
  return v === null || v === undefined ? '\\N' : copyValue('text', v);
}

/** JSON text (of a jsonb column) as a field of a COPY line, as {@link copyLines} writes it. */
export function copyJsonField(v: string): string {
  return copyValue('jsonb', v);
}

// One test per value on the hot path: most values need neither escaping nor repair.
const NEEDS_WORK = /[\\\t\n\r\0\uD800-\uDFFF]/;
function copyValue(type: BulkColumn<unknown>['type'], v: string): string {
  if (!NEEDS_WORK.test(v)) return v;
  return escapeCopy(pgSafe(type, v) as string);
}

// COPY text format: backslash, tab, newline and carriage return are the characters that must be escaped
// (PostgreSQL docs, COPY, "Text Format").
function escapeCopy(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

// PostgreSQL text cannot hold NUL, and jsonb refuses the escapes \u0000 and unpaired surrogates, all of
// which JSON documents may legally carry. They are replaced by U+FFFD rather than failing the upload.
const TEXT_UNSAFE = /[\0\uD800-\uDFFF]/;
const JSON_UNSAFE = /\\u0000|\\ud[89a-f]/i;
function pgSafe(type: BulkColumn<unknown>['type'], v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (type === 'jsonb') return JSON_UNSAFE.test(v) ? JSON.stringify(JSON.parse(v), (_, x) => (typeof x === 'string' ? safeText(x) : x)) : v;
  return TEXT_UNSAFE.test(v) ? safeText(v) : v;
}

function safeText(s: string): string {
  return s.replace(/\0/g, '\uFFFD').toWellFormed();
}

/**
 * A text value for a single-row insert, repaired as bulk rows are (NUL and unpaired surrogates to U+FFFD). Without
 * it a document whose serial number or subject name held `\u0000` was read, then refused by PostgreSQL (a 500).
 */
export function pgText(s: string): string;
export function pgText(s: string | null): string | null;
export function pgText(s: string | null): string | null {
  return s !== null && TEXT_UNSAFE.test(s) ? safeText(s) : s;
}

/** JSON text for a jsonb value, its strings repaired as {@link pgText} repairs text (jsonb refuses `\u0000` too). */
export function pgJson(value: unknown): string {
  return JSON.stringify(value, (_, x: unknown) => (typeof x === 'string' && TEXT_UNSAFE.test(x) ? safeText(x) : x));
}
