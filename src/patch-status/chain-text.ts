/**
 * @module
 * A chain of patch status as a line of text, top down, each hop with its vendor and state, for CSV exports and the
 * details of a drafted VEX document.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { findOrganisationsByIds } from '../store/organisation.repository.js';
import type { PatchChain, PatchHop } from './patch-propagation.js';

/** Vendor id -> name. */
export type Names = Map<number, string>;


/** The names of the vendors of every hop in `chains`, in one query. */
export async function hopVendorNames(db: Kysely<Database>, chains: PatchChain[]): Promise<Names> {
  const ids = new Set<number>();
  for (const c of chains) for (const h of c.hops) if (h.vendorId !== undefined) ids.add(h.vendorId);
  const orgs = await findOrganisationsByIds(db, [...ids]);
  return new Map(orgs.filter((o) => o !== undefined).map((o) => [o!.id, o!.name]));
}

export function hopText(h: PatchHop, names: Names): string {
  const vendor = h.vendorId === undefined ? undefined : names.get(h.vendorId);
  return `${vendor ? `${vendor} ` : ''}${h.name}${h.version ? ` ${h.version}` : ''}`;
}

/** `ip3000-firmware 2.4.0 [FIX_AVAILABLE] > mb7-firmware 1.3.0 [INTEGRATED] > Treck TCP/IP 6.0.1.41 [INTEGRATED]` */
export function chainText(c: PatchChain, names: Names): string {
  return [...c.hops].reverse().map((h) => `${hopText(h, names)} [${h.decision.state}]`).join(' > ');
}

