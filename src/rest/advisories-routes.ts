/**
 * @module
 * REST for advisories and VEX: `POST /v1/advisories` with the raw document (OSV, CSAF 2.0, CycloneDX VEX/VDR,
 * OpenVEX) -> 201 new, 200 duplicate (the first record), 422 with every problem, 413 above the limit; and the
 * records and original bytes back.
 */
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { AdvisoryFormat } from '../model/advisory.js';
import { sbomIssue } from '../model/sbom-issue.js';
import { findAdvisoriesByIds, listAdvisories, listAdvisoryIssues, readAdvisoryContent, type AdvisoryRecord } from '../store/advisory.repository.js';
import { ingestAdvisory } from '../store/ingest-advisory.js';
import { clientError, parseBooleanParam, parseIdParam, parsePositiveIntParam } from './params.js';
import { readUpload } from './read-body.js';

const MEDIA_TYPES: Record<AdvisoryFormat, string> = {
  osv: 'application/json',
  csaf: 'application/json',
  'cyclonedx-vex': 'application/vnd.cyclonedx+json',
  openvex: 'application/json',
};

type Env = { Bindings: { incoming?: IncomingMessage }; Variables: { requestId: string } };

export function advisoryRecordToJson(r: AdvisoryRecord, issues?: unknown[]) {
  return {
    id: r.id,
    format: r.format,
    specVersion: r.specVersion ?? null,
    documentId: r.documentId ?? null,
    documentVersion: r.documentVersion ?? null,
    title: r.title ?? null,
    publisher: r.publisher ?? null,
    vendorId: r.organisationId ?? null,
    published: r.published ?? null,
    modified: r.modified ?? null,
    schemaValid: r.schemaValid,
    vulnerabilities: r.vulnerabilityCount,
    statements: r.statementCount,
    issueCount: r.issueCount,
    sha256: r.sha256,
    byteSize: r.byteSize,
    ingestedAt: r.ingestedAt,
    ...(issues ? { issues } : {}),
    links: { self: `/v1/advisories/${r.id}`, raw: `/v1/advisories/${r.id}/raw` },
  };
}

export function advisoryRoutes(deps: { db: Kysely<Database>; config: Config }) {
  const app = new Hono<Env>();

  app.post('/', async (c) => {
    const strict = parseBooleanParam(c.req.query('strict'), 'strict') ?? deps.config.strict;
    const upload = await readUpload(c, deps.config);
    if ('tooLarge' in upload) {
      c.header('Connection', 'close');
      return c.json({ issues: [sbomIssue('LIMIT_EXCEEDED', '', upload.tooLarge)] }, 413);
    }
    const outcome = await ingestAdvisory(deps.db, upload.bytes, { sha256: upload.sha256, strict, limits: deps.config.limits, requestId: c.get('requestId') });
    if (outcome.status === 'rejected') return c.json({ format: outcome.format ?? null, issues: outcome.issues }, 422);
    if (outcome.status === 'duplicate') return c.json({ ...advisoryRecordToJson(outcome.record), duplicate: true }, 200);
    c.header('Location', `/v1/advisories/${outcome.record.id}`);
    return c.json(advisoryRecordToJson(outcome.record, outcome.issues), 201);
  });

  app.get('/', async (c) => {
    const first = parsePositiveIntParam(c.req.query('first'), 'first', 20, 500);
    const after = c.req.query('after') === undefined ? undefined : parseIdParam(c.req.query('after')!, 'after');
    const rows = await listAdvisories(deps.db, { first: first + 1, after });
    const page = rows.slice(0, first);
    return c.json({ advisories: page.map((r) => advisoryRecordToJson(r)), next: rows.length > first ? `/v1/advisories?first=${first}&after=${page.at(-1)!.id}` : null });
  });

  app.get('/:id', async (c) => {
    const id = parseIdParam(c.req.param('id'), 'id');
    const [record] = await findAdvisoriesByIds(deps.db, [id]);
    if (!record) return clientError(c, 404, `advisory with id '${id}' not found`);
    return c.json(advisoryRecordToJson(record, await listAdvisoryIssues(deps.db, id)));
  });

  app.get('/:id/raw', async (c) => {
    const id = parseIdParam(c.req.param('id'), 'id');
    const [record] = await findAdvisoriesByIds(deps.db, [id]);
    const bytes = record && (await readAdvisoryContent(deps.db, id));
    if (!record || !bytes) return clientError(c, 404, `advisory with id '${id}' not found`);
    return new Response(bytes as unknown as BodyInit, {
      status: 200,
      headers: {
        'content-type': MEDIA_TYPES[record.format],
        'content-length': String(record.byteSize),
        'content-disposition': `attachment; filename="advisory-${id}.json"`,
        etag: `"${record.sha256}"`,
        'repr-digest': `sha-256=:${Buffer.from(record.sha256, 'hex').toString('base64')}:`,
      },
    });
  });

  return app;
}
