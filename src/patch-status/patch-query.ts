/**
 * @module
 * The arguments every patch-status answer takes, read once for GraphQL and REST alike: which vulnerabilities (one
 * by any id, or every one filed against a catalogue stack) and the clock (`asOf`, default now). A bad value is a
 * {@link PatchQueryError} naming the argument, the value and the rule; each surface turns it into its client error.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { findStack } from '../chains/stack-catalogue.js';
import { findVulnerability, type VulnerabilityRecord } from '../store/vulnerability.repository.js';
import { vulnerabilitiesOfStacks } from './vulnerabilities-below.js';

export class PatchQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchQueryError';
  }
}

export async function readVulnerability(db: Kysely<Database>, argument: string, id: string): Promise<VulnerabilityRecord> {
  const found = await findVulnerability(db, id.trim());
  if (!found) throw new PatchQueryError(`'${argument}' value '${id.slice(0, 200)}' names no vulnerability patchpath holds an advisory for (load advisories first: patchpath advisories load)`);
  return found;
}

/** Exactly one of a vulnerability id or a stack: that vulnerability, or every vulnerability filed against the stack. */
export async function readVulnerabilities(db: Kysely<Database>, args: { vulnerability?: string | null; stack?: string | null }): Promise<VulnerabilityRecord[]> {
  if ((args.vulnerability ? 1 : 0) + (args.stack ? 1 : 0) !== 1) throw new PatchQueryError(`give exactly one of 'vulnerability' (a CVE or any id) and 'stack' (a catalogue id, name or alias)`);
  if (args.vulnerability) return [await readVulnerability(db, 'vulnerability', args.vulnerability)];
  const stack = await findStack(db, args.stack!);
  if (!stack) throw new PatchQueryError(`'stack' value '${args.stack!.slice(0, 200)}' names no stack of the catalogue (an id such as 'lwip', a name or an alias)`);
  const out = new Map<string, VulnerabilityRecord>();
  for (const id of await vulnerabilitiesOfStacks(db, [stack.id])) {
    const v = await findVulnerability(db, id);
    if (v) out.set(v.id, v);
  }
  return [...out.values()];
}

/** The clock of a question: `asOf` (a date-time, or a date read as midnight UTC), else `now`. */
export function readAsOf(asOf: Date | string | null | undefined, now: () => Date, name = 'asOf'): Date {
  if (asOf === null || asOf === undefined || asOf === '') return now();
  const date = asOf instanceof Date ? asOf : new Date(asOf);
  if (Number.isNaN(date.getTime())) throw new PatchQueryError(`'${name}' value '${String(asOf).slice(0, 100)}' is not a date-time (RFC 3339, e.g. 2025-06-01T00:00:00Z, or a date)`);
  return date;
}
