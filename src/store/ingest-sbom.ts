/**
 * @module
 * One upload, end to end: bytes -> parse (ingest/) -> normalise (normalise/) -> store, shared by REST,
 * GraphQL, the CLI and the demo loader so they cannot drift apart.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { runsInProcess } from '../db/create-db.js';
import type { Database } from '../db/database.js';
import { stageSbom } from '../ingest/parse-sbom.js';
import type { IngestLimits } from '../ingest/ingest-limits.js';
import type { IngestOutcome } from '../model/sbom-record.js';
import { normaliseSbom } from '../normalise/normalise-sbom.js';
import { compressInBackground } from './compress-in-background.js';
import { findSbomBySha256 } from './sbom.repository.js';
import { notYourProduct, storeSbom } from './store-sbom.js';
import { streamSbom } from './stream-sbom.js';
import { currentPrincipal } from '../access/principal.js';
import { mayWriteFor } from './access.repository.js';
import { findOrganisationsByIds } from './organisation.repository.js';

export interface IngestOptions {
  strict?: boolean;
  limits?: Partial<IngestLimits>;
  /** For the audit log. */
  requestId?: string;
  /** The sha256 (hex) of the bytes, when the caller has it already (taken as an upload arrived); else it is taken here. */
  sha256?: string;
}

/**
 * Time spent in each step, for logs and metrics. A CycloneDX JSON document is mapped and normalised while it is
 * stored (store/stream-sbom.ts): `parseMs` is then the time to its parsed JSON, and the rest counts as `storeMs`.
 */
export interface IngestTimings {
  parseMs: number;
  normaliseMs: number;
  storeMs: number;
}

/**
 * Ingests one document. Never throws for bad input (that is `status: 'rejected'` with every problem); throws
 * AccessError (403) when the running request's principal may not publish this document (src/access/), and otherwise
 * only on operational failure (database down); in both cases nothing was stored.
 */
export async function ingestSbom(db: Kysely<Database>, bytes: Uint8Array, options: IngestOptions = {}): Promise<IngestOutcome & { timings?: IngestTimings }> {
  const strict = options.strict ?? false;
  const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const existing = await findSbomBySha256(db, sha256);
  // Same bytes again: return the first record without parsing. In strict mode a document stored with schema
  // problems is parsed again so the strict caller gets its rejection and the problems.
  if (existing && (!strict || existing.schemaValid)) {
    // The same bytes as another vendor's document are still that vendor's: a duplicate is answered only to whoever
    // could have stored it.
    const principal = currentPrincipal();
    if (principal && !(await mayWriteFor(db, principal, existing.organisationId ?? null))) {
      const owner = existing.organisationId === undefined ? undefined : (await findOrganisationsByIds(db, [existing.organisationId]))[0]?.name;
      throw notYourProduct(principal, owner, existing.subject);
    }
    return { status: 'duplicate', record: existing };
  }

  // Compress the original on the thread pool while this thread parses: it is ready, and four to ten times smaller
  // to write, by the time the transaction writes it.
  const encoded = compressInBackground(bytes);
  const t0 = performance.now();
  let staged: ReturnType<typeof stageSbom> | undefined = stageSbom(bytes, { strict, limits: options.limits });
  // Streamed on a real server, whose work then overlaps this process's; the embedded database works on this thread
  // (streaming there only kept the document alive through its writes, which made its garbage collections dearer).
  if (staged.kind === 'cyclonedx-json' && !runsInProcess(db)) {
    const t1 = performance.now();
    const streamed = await streamSbom(db, staged, { bytes, encoded, sha256, strict, requestId: options.requestId });
    if (streamed) {
      const timings = { parseMs: t1 - t0, normaliseMs: 0, storeMs: performance.now() - t1 };
      return streamed.created ? { status: 'accepted', record: streamed.record, issues: streamed.issues, timings } : { status: 'duplicate', record: streamed.record, timings };
    }
    // Handed back (a document to refuse, an uploader to refuse): read and stored in one go below, which answers it.
  }
  const parsing = staged.kind === 'cyclonedx-json' ? staged.parse() : staged.result;
  // Nothing here refers to the parsed document from now on, so that the garbage collector can free it (several times
  // the size of the upload) as soon as it is mapped, rather than keep it through normalising and storing.
  staged = undefined;
  const parsed = await parsing;
  const t1 = performance.now();
  if (!parsed.ok) return { status: 'rejected', format: parsed.format, specVersion: parsed.specVersion, issues: parsed.issues, timings: { parseMs: t1 - t0, normaliseMs: 0, storeMs: 0 } };
  const sbom = normaliseSbom(parsed.sbom);
  const t2 = performance.now();
  const stored = await storeSbom(db, { bytes, encoded, sha256, sbom, strict, requestId: options.requestId });
  const timings = { parseMs: t1 - t0, normaliseMs: t2 - t1, storeMs: performance.now() - t2 };
  return stored.created ? { status: 'accepted', record: stored.record, issues: sbom.issues, timings } : { status: 'duplicate', record: stored.record, timings };
}
