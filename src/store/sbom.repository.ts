import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SbomRow } from '../db/database.js';
import type { SbomRecord } from '../model/sbom-record.js';
import type { SbomFormat } from '../model/sbom.js';
import type { SbomIssue } from '../model/sbom-issue.js';

type Db = Kysely<Database> | Transaction<Database>;

export function sbomRowToRecord(row: SbomRow): SbomRecord {
  return {
    id: row.id,
    sha256: row.sha256,
    byteSize: row.byte_size,
    contentEncoding: row.content_encoding,
    format: row.format as SbomFormat,
    specVersion: row.spec_version,
    serialNumber: row.serial_number ?? undefined,
    documentVersion: row.document_version ?? undefined,
    name: row.name ?? undefined,
    createdText: row.document_created_text ?? undefined,
    createdAt: row.document_created_at ?? undefined,
    authors: row.authors as SbomRecord['authors'],
    tools: row.tools as SbomRecord['tools'],
    lifecycles: row.lifecycles,
    subject: row.subject_name || row.subject_purl ? { name: row.subject_name ?? undefined, version: row.subject_version ?? undefined, purl: row.subject_purl ?? undefined } : undefined,
    organisationId: row.organisation_id ?? undefined,
    schemaValid: row.schema_valid,
    ingestedStrict: row.ingested_strict,
    componentCount: row.component_count,
    relationshipCount: row.relationship_count,
    issueCount: row.issue_count,
    ingestedAt: row.ingested_at,
  };
}

export async function findSbomById(db: Db, id: number): Promise<SbomRecord | undefined> {
  const row = await db.selectFrom('sbom').selectAll().where('id', '=', id).executeTakeFirst();
  return row && sbomRowToRecord(row);
}

export async function findSbomBySha256(db: Db, sha256: string): Promise<SbomRecord | undefined> {
  const row = await db.selectFrom('sbom').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  return row && sbomRowToRecord(row);
}

/** Loads many records at once (GraphQL DataLoader); the result follows the order of `ids`. */
export async function findSbomsByIds(db: Db, ids: readonly number[]): Promise<(SbomRecord | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('sbom').selectAll().where(sql<boolean>`id = any(${[...ids]}::bigint[])`).execute();
  const byId = new Map(rows.map((r) => [r.id, sbomRowToRecord(r)]));
  return ids.map((id) => byId.get(id));
}

export interface SbomFilter {
  organisationId?: number;
  format?: SbomFormat;
  schemaValid?: boolean;
  /** Subject purl (identity key) or name contains. */
  subject?: string;
}

/** Newest first, keyset-paginated on id: `after` is the last id of the previous page. */
export async function listSboms(db: Db, filter: SbomFilter, page: { first: number; after?: number }): Promise<SbomRecord[]> {
  let q = db.selectFrom('sbom').selectAll().orderBy('id', 'desc').limit(page.first);
  if (page.after !== undefined) q = q.where('id', '<', page.after);
  if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
  if (filter.format) q = q.where('format', '=', filter.format);
  if (filter.schemaValid !== undefined) q = q.where('schema_valid', '=', filter.schemaValid);
  if (filter.subject) {
    const s = filter.subject;
    q = q.where((eb) => eb.or([eb('subject_purl', '=', s), eb(sql`lower(subject_name)`, 'like', `%${escapeLike(s.toLowerCase())}%`)]));
  }
  return (await q.execute()).map(sbomRowToRecord);
}

export async function countSboms(db: Db): Promise<number> {
  const row = await db.selectFrom('sbom').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listSbomIssues(db: Db, sbomId: number, limit = 10_000): Promise<SbomIssue[]> {
  const rows = await db.selectFrom('sbom_issue').select(['code', 'severity', 'path', 'message']).where('sbom_id', '=', sbomId).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ code: r.code as SbomIssue['code'], severity: r.severity as SbomIssue['severity'], path: r.path, message: r.message }));
}

/** The stored content chunks, in order (still encoded as `content_encoding` says). */
export async function* readSbomContentChunks(db: Db, sbomId: number): AsyncGenerator<Uint8Array> {
  const { n } = await db.selectFrom('sbom_content').select((eb) => eb.fn.countAll<number>().as('n')).where('sbom_id', '=', sbomId).executeTakeFirstOrThrow();
  // One chunk per query, so a 256 MB document is streamed rather than held whole.
  for (let seq = 0; seq < Number(n); seq++) {
    const row = await db.selectFrom('sbom_content').select('data').where('sbom_id', '=', sbomId).where('seq', '=', seq).executeTakeFirst();
    if (row) yield row.data;
  }
}

/** The original bytes as they were uploaded, decoded from storage. */
export function readSbomContent(db: Db, record: Pick<SbomRecord, 'id' | 'contentEncoding'>): Readable {
  const chunks = Readable.from(readSbomContentChunks(db, record.id), { objectMode: false });
  switch (record.contentEncoding) {
    case 'br':
      return chunks.pipe(createBrotliDecompress());
    case 'gzip':
      return chunks.pipe(createGunzip());
    case 'identity':
      return chunks;
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
