/**
 * @module
 * The vendor's question (DOMAIN.md "Answers"): which of my products are affected, which of my suppliers am I
 * waiting on, and which customers are waiting on me? For each vulnerability asked about:
 * - my products: every version of every product I supply that carries it, with its verdict and chains;
 * - suppliers I wait on: in the chains of my products, the hop below mine where the fix is stuck (or the stack
 *   vendor, when nobody has a fix), since when;
 * - customers waiting on me: products that list one of mine directly (one link up) whose chain is stuck at my hop.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { VulnerabilityRecord } from '../store/vulnerability.repository.js';
import { firmwareVerdict, type FirmwareVerdict } from './device-exposure.js';
import { patchPropagation, type PatchChain, type PatchHop } from './patch-propagation.js';

type Db = Kysely<Database>;

export interface VendorProduct {
  sbomId: number;
  verdict: FirmwareVerdict;
}

/** One hop that holds a chain up, seen from the vendor asking. */
export interface Wait {
  vulnerability: VulnerabilityRecord;
  /** The product at the top of the chain (mine for a supplier wait, the customer's for a customer wait). */
  rootSbomId: number;
  chain: PatchChain;
  /** The hop the fix waits at. */
  waitingAt: PatchHop;
  /** The hop that waits: mine (supplier wait) or the customer's (customer wait). */
  waiting: PatchHop;
  since?: Date;
  days?: number;
}

export interface VendorPatchStatus {
  products: VendorProduct[];
  waitingOnSuppliers: Wait[];
  customersWaiting: Wait[];
}

/** Every product version (SBOM id) a vendor supplies: the subject's supplier, else the document's publisher. */
export async function productsOfVendor(db: Db, vendorId: number): Promise<number[]> {
  const rows = await sql<{ sbom_id: number }>`
    select s.sbom_id from sbom_subject s join sbom on sbom.id = s.sbom_id
    where coalesce(s.supplier_id, sbom.organisation_id) = ${vendorId} order by s.sbom_id`.execute(db);
  return rows.rows.map((r) => Number(r.sbom_id));
}

export async function vendorPatchStatus(db: Db, q: { vendorId: number; vulnerabilities: VulnerabilityRecord[]; now: Date; maxDepth?: number }): Promise<VendorPatchStatus> {
  const mine = await productsOfVendor(db, q.vendorId);
  const mineSet = new Set(mine);
  const customers = await directCustomers(db, mine);
  const out: VendorPatchStatus = { products: [], waitingOnSuppliers: [], customersWaiting: [] };
  const depth = q.maxDepth === undefined ? {} : { maxDepth: q.maxDepth };
  for (const vulnerability of q.vulnerabilities) {
    const status = await patchPropagation(db, { vulnerability, rootSbomIds: [...mine, ...customers], now: q.now, ...depth });
    for (const sbomId of mine) {
      const verdict = firmwareVerdict(vulnerability, status.get(sbomId)!);
      if (verdict && verdict.status !== 'DEPLOYED') out.products.push({ sbomId, verdict });
      for (const chain of verdict?.chains ?? []) {
        const top = chain.hops.at(-1)!;
        if (chain.stuck && chain.stuck.hop < chain.hops.length - 1) {
          out.waitingOnSuppliers.push(wait(vulnerability, sbomId, chain, chain.hops[chain.stuck.hop]!, top));
        } else if (chain.status === 'NO_FIX') {
          out.waitingOnSuppliers.push(wait(vulnerability, sbomId, chain, chain.hops[0]!, top));
        }
      }
    }
    for (const sbomId of customers) {
      if (mineSet.has(sbomId)) continue;
      for (const chain of status.get(sbomId)?.chains ?? []) {
        const stuckAt = chain.stuck ? chain.hops[chain.stuck.hop]! : undefined;
        if (stuckAt?.sbomId !== undefined && mineSet.has(stuckAt.sbomId)) {
          out.customersWaiting.push(wait(vulnerability, sbomId, chain, stuckAt, chain.hops[chain.stuck!.hop + 1]!));
        }
      }
    }
  }
  const longest = (a: Wait, b: Wait) => (b.days ?? -1) - (a.days ?? -1) || a.rootSbomId - b.rootSbomId;
  out.waitingOnSuppliers.sort(longest);
  out.customersWaiting.sort(longest);
  return out;
}

function wait(vulnerability: VulnerabilityRecord, rootSbomId: number, chain: PatchChain, waitingAt: PatchHop, waiting: PatchHop): Wait {
  const w: Wait = { vulnerability, rootSbomId, chain, waitingAt, waiting };
  if (chain.stuck?.since) w.since = chain.stuck.since;
  if (chain.stuck?.days !== undefined) w.days = chain.stuck.days;
  return w;
}

/** Product versions of others that list one of `sbomIds` directly (the pinned link, one document up). */
async function directCustomers(db: Db, sbomIds: number[]): Promise<number[]> {
  if (!sbomIds.length) return [];
  const rows = await sql<{ sbom_id: number }>`
    select distinct l.sbom_id from component_link l where l.pinned and l.target_sbom_id = any(${sbomIds}::bigint[]) order by 1`.execute(db);
  return rows.rows.map((r) => Number(r.sbom_id));
}
