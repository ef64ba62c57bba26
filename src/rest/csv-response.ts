/**
 * @module
 * The answer of a REST list route as CSV (`?format=csv` or `Accept: text/csv`) or as JSON (the CSV's rows as
 * objects, the header's names as keys), and the client errors of its arguments.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { parse as parseCsv } from 'csv-parse/sync';
import { PatchQueryError } from '../patch-status/patch-query.js';
import { OperatorError } from '../store/organisation.repository.js';
import { clientError } from './params.js';

export function formatOf(c: Context): 'csv' | 'json' {
  const format = c.req.query('format') ?? (/\btext\/csv\b/i.test(c.req.header('accept') ?? '') ? 'csv' : 'json');
  if (format !== 'csv' && format !== 'json') throw new HTTPException(400, { message: `query parameter 'format' value '${format.slice(0, 100)}' must be 'csv' or 'json'` });
  return format;
}

/** CSV as a download, or the same rows as JSON objects (the header's names as keys). */
export function respond(c: Context, format: 'csv' | 'json', csv: string, file: string, extra: Record<string, unknown> = {}) {
  if (format === 'csv') return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"` });
  const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
  return c.json({ ...extra, rows });
}

/** Runs `f`, turning bad arguments into 400 and unknown names into 404. */
export async function answer(c: Context, f: () => Promise<Response>): Promise<Response> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PatchQueryError) return clientError(c, 400, e.message);
    if (e instanceof OperatorError) return clientError(c, e.status, e.message);
    throw e;
  }
}

