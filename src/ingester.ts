/**
 * @module
 * The one ingest used by REST, GraphQL, the CLI and the demo loader: {@link ingestSbom} plus the structured
 * log line and the metrics every upload gets, whichever door it came through.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/database.js';
import type { Config } from './config.js';
import type { IngestOutcome } from './model/sbom-record.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import { ingestSbom } from './store/ingest-sbom.js';
import { AccessError } from './access/access-error.js';
import { recordAudit } from './store/access.repository.js';

export type IngestChannel = 'rest' | 'graphql' | 'cli' | 'demo';

export interface IngestRequest {
  bytes: Uint8Array;
  /** The sha256 (hex) of `bytes`, when the caller took it as they arrived (src/rest/read-body.ts). */
  sha256?: string;
  /** Per-request strict mode; the server-wide setting applies when it is not given. */
  strict?: boolean;
  channel: IngestChannel;
  /** File name or request id, for the log line. */
  source?: string;
  requestId?: string;
}

export type Ingester = (request: IngestRequest) => Promise<IngestOutcome>;

export function createIngester(deps: { db: Kysely<Database>; config: Config; metrics?: Metrics; logger?: Logger }): Ingester {
  return async function ingest(request) {
    const strict = request.strict ?? deps.config.strict;
    const started = performance.now();
    let outcome: Awaited<ReturnType<typeof ingestSbom>>;
    try {
      outcome = await ingestSbom(deps.db, request.bytes, { sha256: request.sha256, strict, limits: deps.config.limits, requestId: request.requestId });
    } catch (e) {
      if (e instanceof AccessError) {
        deps.metrics?.rejections.inc({ reason: e.code });
        deps.logger?.warn({ event: 'ingest', channel: request.channel, requestId: request.requestId, source: request.source, status: 'forbidden', message: e.message }, 'ingest forbidden');
        // A refused attempt is worth an admin's eye: recorded on its own, since the upload's transaction rolled back.
        await recordAudit(deps.db, { action: 'sbom.ingest.denied', requestId: request.requestId, detail: { reason: e.message, bytes: request.bytes.byteLength, source: request.source ?? null } });
      }
      throw e;
    }
    const seconds = (performance.now() - started) / 1000;
    const format = outcome.status === 'rejected' ? (outcome.format ?? 'unknown') : outcome.record.format;
    deps.metrics?.ingests.inc({ status: outcome.status, format, channel: request.channel });
    deps.metrics?.ingestDuration.observe({ status: outcome.status, format }, seconds);
    if (outcome.status === 'rejected') deps.metrics?.rejections.inc({ reason: outcome.issues[0]?.code ?? 'UNKNOWN' });
    if (outcome.status === 'accepted') deps.metrics?.ingestComponents.inc({ format }, outcome.record.componentCount);
    deps.logger?.info(
      {
        event: 'ingest',
        channel: request.channel,
        requestId: request.requestId,
        source: request.source,
        status: outcome.status,
        sbomId: outcome.status === 'rejected' ? undefined : outcome.record.id,
        format,
        specVersion: outcome.status === 'rejected' ? outcome.specVersion : outcome.record.specVersion,
        bytes: request.bytes.byteLength,
        components: outcome.status === 'rejected' ? undefined : outcome.record.componentCount,
        issues: outcome.status === 'duplicate' ? undefined : outcome.issues.length,
        firstIssue: outcome.status === 'rejected' ? outcome.issues[0]?.message : undefined,
        strict,
        durationMs: Math.round(seconds * 1000),
        timings: 'timings' in outcome ? outcome.timings : undefined,
      },
      `ingest ${outcome.status}`,
    );
    return outcome;
  };
}
