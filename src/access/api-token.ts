/**
 * @module
 * API tokens as text: made from 256 random bits, kept only as a SHA-256, recognised by their `pp_` prefix so a
 * leaked one is easy to find in logs and by secret scanners.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'pp_';
/** `pp_` and 43 base64url characters (32 bytes). */
const TOKEN_SHAPE = /^pp_[A-Za-z0-9_-]{43}$/;

export function generateApiToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function isApiTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The first characters, kept to tell tokens apart in lists; too short to guess the rest from. */
export function apiTokenPrefix(token: string): string {
  return token.slice(0, PREFIX.length + 6);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when the header is absent or not Bearer. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m?.[1];
}
