import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Ingester } from '../ingester.js';
import type { SbomFormat } from '../model/sbom.js';
import { sbomIssue } from '../model/sbom-issue.js';
import { findSbomById, listSbomIssues, listSboms, readSbomContent } from '../store/sbom.repository.js';
import { readUpload } from './read-body.js';
import { sbomRecordToJson } from './sbom-json.js';
import { clientError, parseBooleanParam, parseIdParam, parsePositiveIntParam } from './params.js';

/** Media types of the original documents, for GET /v1/sboms/:id/raw. */
const MEDIA_TYPES: Record<SbomFormat, { type: string; ext: string }> = {
  'cyclonedx-json': { type: 'application/vnd.cyclonedx+json', ext: 'cdx.json' },
  'cyclonedx-xml': { type: 'application/vnd.cyclonedx+xml', ext: 'cdx.xml' },
  'spdx-json': { type: 'application/spdx+json', ext: 'spdx.json' },
  'spdx-tag-value': { type: 'text/spdx; charset=utf-8', ext: 'spdx' },
  'spdx-rdf': { type: 'application/rdf+xml', ext: 'spdx.rdf.xml' },
  'spdx3-jsonld': { type: 'application/ld+json', ext: 'spdx3.json' },
};

export interface SbomRoutesDeps {
  db: Kysely<Database>;
  config: Config;
  ingest: Ingester;
}

type Env = { Bindings: { incoming?: IncomingMessage }; Variables: { requestId: string } };

/** REST for pipelines: upload raw documents, read records and the original bytes back. */
export function sbomRoutes(deps: SbomRoutesDeps) {
  const app = new Hono<Env>();

  app.post('/', async (c) => {
    const strict = parseBooleanParam(c.req.query('strict'), 'strict');
    const upload = await readUpload(c, deps.config);
    if ('tooLarge' in upload) {
      c.header('Connection', 'close');
      return c.json({ issues: [sbomIssue('LIMIT_EXCEEDED', '', upload.tooLarge)] }, 413);
    }
    const outcome = await deps.ingest({ bytes: upload.bytes, sha256: upload.sha256, strict, channel: 'rest', requestId: c.get('requestId'), source: c.req.header('x-file-name') });
    if (outcome.status === 'rejected') return c.json({ format: outcome.format ?? null, specVersion: outcome.specVersion ?? null, issues: outcome.issues }, 422);
    if (outcome.status === 'duplicate') return c.json({ ...sbomRecordToJson(outcome.record), duplicate: true }, 200);
    c.header('Location', `/v1/sboms/${outcome.record.id}`);
    return c.json(sbomRecordToJson(outcome.record, outcome.issues), 201);
  });

  app.get('/', async (c) => {
    const first = parsePositiveIntParam(c.req.query('first'), 'first', 20, 500);
    const after = c.req.query('after') === undefined ? undefined : parseIdParam(c.req.query('after')!, 'after');
    const rows = await listSboms(deps.db, {}, { first: first + 1, after });
    const page = rows.slice(0, first);
    return c.json({ sboms: page.map((r) => sbomRecordToJson(r)), next: rows.length > first ? `/v1/sboms?first=${first}&after=${page.at(-1)!.id}` : null });
  });

  app.get('/:id', async (c) => {
    const id = parseIdParam(c.req.param('id'), 'id');
    const record = await findSbomById(deps.db, id);
    if (!record) return clientError(c, 404, `sbom with id '${id}' not found`);
    return c.json(sbomRecordToJson(record, await listSbomIssues(deps.db, id)));
  });

  app.get('/:id/raw', async (c) => {
    const id = parseIdParam(c.req.param('id'), 'id');
    const record = await findSbomById(deps.db, id);
    if (!record) return clientError(c, 404, `sbom with id '${id}' not found`);
    const media = MEDIA_TYPES[record.format];
    const body = Readable.toWeb(readSbomContent(deps.db, record)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': media.type,
        'content-length': String(record.byteSize),
        'content-disposition': `attachment; filename="sbom-${id}.${media.ext}"`,
        etag: `"${record.sha256}"`,
        'repr-digest': `sha-256=:${Buffer.from(record.sha256, 'hex').toString('base64')}:`,
      },
    });
  });

  return app;
}
