/**
 * VEX documents for patch-status tests: CycloneDX 1.6 VEX written from a short description, so that each test says
 * who states what about which product version and when. The vulnerabilities are made up (CVE-2099-*).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';

export interface Claim {
  vulnerability: string;
  /** The product: a purl (with or without version). */
  purl: string;
  /** CycloneDX version entries: `{ version, status }` or `{ range: 'vers:generic/<2.1.3', status }`. */
  versions?: { version?: string; range?: string; status: 'affected' | 'unaffected' | 'unknown' }[];
  /** CycloneDX analysis state (exploitable, not_affected, in_triage, resolved, ...). */
  state?: string;
  justification?: string;
  /** When the analysis was made (analysis.lastUpdated). */
  at?: string;
}

/** A CycloneDX VEX document by `publisher` with one vulnerability entry per claim. */
export function vexDocument(publisher: string, claims: Claim[], timestamp = '2026-01-01T00:00:00Z'): Buffer {
  const components = claims.map((c, i) => ({ type: 'firmware', 'bom-ref': `product-${i}`, name: c.purl.split('/').pop()!.split('@')[0]!, purl: c.purl }));
  const vulnerabilities = claims.map((c, i) => {
    const v: Record<string, unknown> = { id: c.vulnerability, affects: [{ ref: `product-${i}`, ...(c.versions ? { versions: c.versions } : {}) }] };
    if (c.state) {
      v.analysis = { state: c.state, ...(c.justification ? { justification: c.justification } : {}), ...(c.at ? { lastUpdated: c.at } : {}) };
    }
    return v;
  });
  return Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: `urn:uuid:${randomUUID()}`,
      version: 1,
      metadata: { timestamp, supplier: { name: publisher } },
      components,
      vulnerabilities,
    }),
  );
}

/** Ingests a VEX document through the real path; returns its advisory id. */
export async function ingestVex(db: Kysely<Database>, publisher: string, claims: Claim[], timestamp?: string): Promise<number> {
  const outcome = await ingestAdvisory(db, vexDocument(publisher, claims, timestamp));
  if (outcome.status === 'rejected') throw new Error(`test VEX rejected: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  return outcome.record.id;
}
