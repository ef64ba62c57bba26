/**
 * @module
 * The two refusals of access control: 401 (no usable token: the caller must authenticate) and 403 (the token is
 * valid but its party may not do this). Both name what was asked, who asked and the rule, and change nothing.
 */
import type { Principal } from './principal.js';

export class AccessError extends Error {
  constructor(readonly status: 401 | 403, message: string) {
    super(message);
    this.name = 'AccessError';
  }

  get code(): 'UNAUTHENTICATED' | 'FORBIDDEN' {
    return this.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  }
}

export function forbidden(message: string): AccessError {
  return new AccessError(403, message);
}

export function unauthenticated(message: string): AccessError {
  return new AccessError(401, message);
}

/** "vendor 'Acme' (token pp_AbCdEf)", for messages. */
export function describePrincipal(p: Principal): string {
  return `${p.role} '${p.organisationName}'`;
}
