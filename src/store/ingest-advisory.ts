/**
 * @module
 * One advisory or VEX upload, end to end: bytes -> parse (src/advisories/) -> store, shared by REST, GraphQL and
 * the CLI. Never throws for bad input (that is `status: 'rejected'` with every problem); throws AccessError (403) when
 * the request's principal may not publish it, and otherwise only on operational failure; then nothing was stored.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseAdvisory } from '../advisories/parse-advisory.js';
import type { Database } from '../db/database.js';
import type { AdvisoryFormat } from '../model/advisory.js';
import type { SbomIssue } from '../model/sbom-issue.js';
import { findAdvisoryBySha256, type AdvisoryRecord } from './advisory.repository.js';
import { notYourAdvisory, storeAdvisory } from './store-advisory.js';
import { AccessError } from '../access/access-error.js';
import { currentPrincipal } from '../access/principal.js';
import { mayWriteFor, recordAudit } from './access.repository.js';

export type AdvisoryIngestOutcome =
  | { status: 'accepted'; record: AdvisoryRecord; issues: SbomIssue[] }
  | { status: 'duplicate'; record: AdvisoryRecord }
  | { status: 'rejected'; format?: AdvisoryFormat; issues: SbomIssue[] };

export interface AdvisoryIngestOptions {
  strict?: boolean;
  limits?: { maxBytes: number; maxDepth: number };
  requestId?: string;
  /** The sha256 (hex) of the bytes, when the caller has it already (taken as an upload arrived); else it is taken here. */
  sha256?: string;
}

export async function ingestAdvisory(db: Kysely<Database>, bytes: Uint8Array, options: AdvisoryIngestOptions = {}): Promise<AdvisoryIngestOutcome> {
  try {
    return await ingestAdvisoryAs(db, bytes, options);
  } catch (e) {
    // A refused attempt is worth an admin's eye: recorded on its own, since the upload's transaction rolled back.
    if (e instanceof AccessError) await recordAudit(db, { action: 'advisory.ingest.denied', requestId: options.requestId, detail: { reason: e.message, bytes: bytes.byteLength } });
    throw e;
  }
}

async function ingestAdvisoryAs(db: Kysely<Database>, bytes: Uint8Array, options: AdvisoryIngestOptions): Promise<AdvisoryIngestOutcome> {
  const strict = options.strict ?? false;
  const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const existing = await findAdvisoryBySha256(db, sha256);
  // Same bytes again: the first record, unparsed; a strict caller still gets the rejection of a document stored with problems.
  if (existing && (!strict || existing.schemaValid)) {
    const principal = currentPrincipal();
    if (principal && !(await mayWriteFor(db, principal, existing.organisationId ?? null))) throw notYourAdvisory(principal, existing.publisher?.name, existing.publisher?.category);
    return { status: 'duplicate', record: existing };
  }
  const parsed = await parseAdvisory(bytes, { strict, maxBytes: options.limits?.maxBytes, maxDepth: options.limits?.maxDepth });
  if (!parsed.ok) return { status: 'rejected', format: parsed.format, issues: parsed.issues };
  const stored = await storeAdvisory(db, { bytes, sha256, advisory: parsed.advisory, strict, requestId: options.requestId });
  return stored.created ? { status: 'accepted', record: stored.record, issues: parsed.advisory.issues } : { status: 'duplicate', record: stored.record };
}
