/**
 * @module
 * Who is calling: the {@link Principal} an API token stands for, and the request-wide context that carries it to
 * every database query (src/db/principal-dialect.ts) without passing it through every function.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The parties of DOMAIN.md "Parties". */
export const ROLES = ['admin', 'vendor', 'operator', 'procurement'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface Principal {
  /** The API token; null for a principal made in process (the CLI acting as admin). */
  tokenId: number | null;
  organisationId: number;
  organisationName: string;
  role: Role;
}

const current = new AsyncLocalStorage<Principal>();

/**
 * Runs `fn` as `principal`: every query it makes, directly or through anything it awaits, runs under the
 * principal's row-level security. Outside any such call queries run as the connecting user (start-up, CLI).
 */
export function runAs<T>(principal: Principal, fn: () => T): T {
  return current.run(principal, fn);
}

/** The principal of the running request, if any. */
export function currentPrincipal(): Principal | undefined {
  return current.getStore();
}
