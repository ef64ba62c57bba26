/**
 * @module
 * Tokens made at start-up, so a newcomer is never locked out: the first admin token of an empty instance, and one
 * token per demo party for `npm start` (the README's examples send them). Each is printed once, as a shell line.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Role } from '../access/principal.js';
import { countActiveApiTokens, issueApiToken } from '../store/access.repository.js';
import { listVendorsWithSboms } from '../store/organisation.repository.js';
import { DEMO_OPERATOR } from './load-demo-inventory.js';

export const FIRST_ADMIN_ORGANISATION = 'patchpath admin';
export const DEMO_PROCUREMENT = 'St. Elsewhere Procurement';

export interface PrintedToken {
  /** The shell variable the README's examples read. */
  variable: string;
  role: Role;
  organisation: string;
  token: string;
}

const DAY_MS = 86_400_000;

async function issue(db: Kysely<Database>, variable: string, organisation: string, role: Role, name: string, now: Date, days: number): Promise<PrintedToken> {
  const made = await issueApiToken(db, { organisation, role, name, expiresAt: new Date(now.getTime() + days * DAY_MS) });
  return { variable, role, organisation: made.record.organisation.name, token: made.token };
}

/** An admin token when the instance has no usable token at all (and none is configured); undefined otherwise. */
export async function ensureFirstAdminToken(db: Kysely<Database>, options: { now: Date; days: number; configured: boolean }): Promise<PrintedToken | undefined> {
  if (options.configured || (await countActiveApiTokens(db, options.now)) > 0) return undefined;
  return issue(db, 'ADMIN_TOKEN', FIRST_ADMIN_ORGANISATION, 'admin', 'first admin token', options.now, options.days);
}

/**
 * One fresh token per demo party: admin, the demo hospital, its procurement team, and every vendor whose product a
 * demo SBOM describes (VENDOR_<NAME>_TOKEN). Made on every demo start, since tokens cannot be shown twice.
 */
export async function issueDemoTokens(db: Kysely<Database>, options: { now: Date; days: number }): Promise<PrintedToken[]> {
  const tokens = [
    await issue(db, 'ADMIN_TOKEN', FIRST_ADMIN_ORGANISATION, 'admin', 'demo', options.now, options.days),
    await issue(db, 'OPERATOR_TOKEN', DEMO_OPERATOR, 'operator', 'demo', options.now, options.days),
    await issue(db, 'PROCUREMENT_TOKEN', DEMO_PROCUREMENT, 'procurement', 'demo', options.now, options.days),
  ];
  const vendors = await listVendorsWithSboms(db);
  for (const v of vendors) {
    const variable = `VENDOR_${v.nameKey.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '')}_TOKEN`;
    tokens.push(await issue(db, variable, v.name, 'vendor', 'demo', options.now, options.days));
  }
  return tokens;
}

/** `export NAME=token  # role 'organisation'` lines, aligned, for pasting into a shell. */
export function formatTokenLines(tokens: PrintedToken[]): string {
  const width = Math.max(...tokens.map((t) => `export ${t.variable}=${t.token}`.length));
  return tokens.map((t) => `  ${`export ${t.variable}=${t.token}`.padEnd(width)}  # ${t.role} '${t.organisation}'`).join('\n');
}
