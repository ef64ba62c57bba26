import { badUserInput } from './errors.js';

export const MAX_PAGE_SIZE = 500;

/** Checks `first` (1..500). */
export function pageSize(first: number | null | undefined, fallback: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw badUserInput(`'first' argument value '${n}' is outside the valid range of '1' to '${MAX_PAGE_SIZE}'.`);
  return n;
}

/** Opaque cursors: base64url of a small JSON value. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | null | undefined, isValid: (v: unknown) => v is T): T | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) throw badUserInput(`'after' argument value '${cursor.slice(0, 100)}' is not a cursor returned by this field.`);
  return value;
}

/**
 * Builds a connection from one page fetched with `first + 1` rows: the extra row only tells whether a next
 * page exists (no count query).
 */
export function connection<T>(rows: T[], first: number, cursorOf: (row: T) => unknown) {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
