import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** A JSON client error: `{ error: { status, message } }`. */
export function clientError(c: Context, status: 400 | 404 | 405 | 413 | 415 | 422, message: string) {
  return c.json({ error: { status, message } }, status);
}

function badRequest(message: string): never {
  throw new HTTPException(400, { message });
}

export function parseBooleanParam(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1' || value === '') return true;
  if (value === 'false' || value === '0') return false;
  return badRequest(`query parameter '${name}' value '${value.slice(0, 100)}' must be 'true' or 'false'`);
}

export function parseIdParam(value: string, name: string): number {
  const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) badRequest(`${name} '${value.slice(0, 100)}' is not a valid id (a positive integer)`);
  return n;
}

export function parsePositiveIntParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) badRequest(`query parameter '${name}' value '${value.slice(0, 100)}' is outside the valid range of 1 to ${max}`);
  return n;
}
