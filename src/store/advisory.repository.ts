import { sql, type Kysely, type Transaction } from 'kysely';
import type { AdvisoryRow, Database } from '../db/database.js';
import type { AdvisoryFormat } from '../model/advisory.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What patchpath keeps about one accepted advisory or VEX document (not its statements). */
export interface AdvisoryRecord {
  id: number;
  sha256: string;
  byteSize: number;
  format: AdvisoryFormat;
  specVersion?: string;
  documentId?: string;
  documentVersion?: string;
  title?: string;
  publisher?: { name: string; namespace?: string; category?: string };
  /** The publishing vendor, when the publisher is one. */
  organisationId?: number;
  published?: Date;
  modified?: Date;
  schemaValid: boolean;
  ingestedStrict: boolean;
  vulnerabilityCount: number;
  statementCount: number;
  issueCount: number;
  ingestedAt: Date;
}

export function advisoryRowToRecord(r: AdvisoryRow): AdvisoryRecord {
  return {
    id: r.id,
    sha256: r.sha256,
    byteSize: Number(r.byte_size),
    format: r.format as AdvisoryFormat,
    specVersion: r.spec_version ?? undefined,
    documentId: r.document_id ?? undefined,
    documentVersion: r.document_version ?? undefined,
    title: r.title ?? undefined,
    publisher: r.publisher_name ? { name: r.publisher_name, namespace: r.publisher_namespace ?? undefined, category: r.publisher_category ?? undefined } : undefined,
    organisationId: r.organisation_id ?? undefined,
    published: r.published_at ?? undefined,
    modified: r.modified_at ?? undefined,
    schemaValid: r.schema_valid,
    ingestedStrict: r.ingested_strict,
    vulnerabilityCount: r.vulnerability_count,
    statementCount: r.statement_count,
    issueCount: r.issue_count,
    ingestedAt: new Date(r.ingested_at),
  };
}

export async function findAdvisoryBySha256(db: Db, sha256: string): Promise<AdvisoryRecord | undefined> {
  const row = await db.selectFrom('advisory').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  return row && advisoryRowToRecord(row);
}

/** Loads many advisories at once (GraphQL DataLoader); the result follows the order of `ids`. */
export async function findAdvisoriesByIds(db: Db, ids: readonly number[]): Promise<(AdvisoryRecord | undefined)[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('advisory').selectAll().where(sql<boolean>`id = any(${[...ids]}::bigint[])`).execute();
  const byId = new Map(rows.map((r) => [r.id, advisoryRowToRecord(r)]));
  return ids.map((id) => byId.get(id));
}

/** The original bytes, as they were sent. */
export async function readAdvisoryContent(db: Db, id: number): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('advisory_content').select('data').where('advisory_id', '=', id).executeTakeFirst();
  return row?.data;
}

/** Advisories, newest first, keyset-paginated on id. */
export async function listAdvisories(db: Db, page: { first: number; after?: number }): Promise<AdvisoryRecord[]> {
  let q = db.selectFrom('advisory').selectAll().orderBy('id', 'desc').limit(page.first);
  if (page.after !== undefined) q = q.where('id', '<', page.after);
  return (await q.execute()).map(advisoryRowToRecord);
}

export async function listAdvisoryIssues(db: Db, id: number): Promise<{ code: string; severity: string; path: string; message: string }[]> {
  return db.selectFrom('advisory_issue').select(['code', 'severity', 'path', 'message']).where('advisory_id', '=', id).orderBy('seq').execute();
}
