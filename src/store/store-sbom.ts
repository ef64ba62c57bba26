/**
 * @module
 * Writes one normalised SBOM, whole or not at all: one transaction, batched statements, idempotent on the
 * sha256 of the original bytes (also when the same bytes arrive twice at once).
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, SbomRow } from '../db/database.js';
import type { NormalisedComponent, NormalisedEdge, NormalisedSbom } from '../model/normalised-sbom.js';
import type { SbomRecord } from '../model/sbom-record.js';
import type { DocumentReference, License } from '../model/sbom.js';
import type { SbomIssue } from '../model/sbom-issue.js';
import { forbidden } from '../access/access-error.js';
import { currentPrincipal, type Principal } from '../access/principal.js';
import { linkSbom } from '../chains/link-sbom.js';
import { mayWriteFor, recordAudit } from './access.repository.js';
import { bulkInsert, chunked, copyJsonField, copyRows, copyText, copyTextField, pgJson, pgText, type BulkColumn } from './bulk-insert.js';
import type { EncodedContent } from './compress-in-background.js';
import { upsertVendors } from './organisation.repository.js';
import { findSbomBySha256, sbomRowToRecord } from './sbom.repository.js';

/** Size of one stored chunk of the original bytes. */
const CONTENT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface StoreSbomInput {
  bytes: Uint8Array;
  /** The bytes as they are to be kept (`bytes` compressed), when compressed; else `bytes` are kept. */
  encoded?: EncodedContent;
  sha256: string;
  sbom: NormalisedSbom;
  strict: boolean;
  /** For the audit log. */
  requestId?: string;
}

export type StoreSbomResult = { created: true; record: SbomRecord } | { created: false; record: SbomRecord };

/**
 * Stores the document and returns its record; when the same bytes were stored before (or are being stored
 * by a concurrent upload that commits first), stores nothing and returns the existing record.
 */
export async function storeSbom(db: Kysely<Database>, input: StoreSbomInput): Promise<StoreSbomResult> {
  const { sbom } = input;
  const outcome = await db.transaction().execute(async (trx) => {
    const vendorIds = await upsertVendors(trx, sbom.vendors);
    const ownerId = sbom.supplierVendor ? (vendorIds.get(sbom.supplierVendor.key) ?? null) : null;
    const subject = sbom.subjectIndexes.length ? sbom.components[sbom.subjectIndexes[0]!] : undefined;
    const principal = currentPrincipal();
    // Checked here, in the transaction, so that the vendors this document names are known by id; a refusal rolls back
    // every row written so far (row-level security would refuse the rows anyway, with a less helpful message).
    if (principal && !(await mayWriteFor(trx, principal, ownerId))) throw notYourProduct(principal, sbom.supplierVendor?.name, subject);
    const inserted = await insertSbomRow(trx, sbomRow(input, sbom, subject, ownerId, {
      schemaValid: sbom.schemaValid,
      componentCount: sbom.components.length - sbom.subjectIndexes.length,
      relationshipCount: sbom.edges.length,
      issueCount: sbom.issues.length,
    }));
    if (!inserted) return { duplicate: true as const };
    const sbomId = inserted.id;
    const owner = { sbomId, ownerId };
    await insertContent(trx, owner, input);
    await insertIssues(trx, owner, sbom.issues);
    await insertDocumentReferences(trx, owner, sbom.documentReferences);
    const fields = ownerFields(owner);
    if (sbom.components.length) await copyText(trx, 'component', COMPONENT_COLUMNS, chunked(sbom.components, (rows, start, end) => componentLines(fields, rows, vendorIds, start, end)));
    if (sbom.components.some((c) => c.hashes.length)) await copyText(trx, 'component_hash', HASH_COLUMNS, chunked(sbom.components, (rows, start, end) => hashLines(fields, rows, start, end)));
    const edges = edgeRows(sbom.edges);
    if (edges.length) await copyText(trx, 'component_edge', EDGE_COLUMNS, chunked(edges, (rows, start, end) => edgeLines(fields, rows, start, end)));
    await linkSbom(trx, sbomId);
    await recordIngest(trx, input, sbom, subject, inserted);
    return { duplicate: false as const, record: sbomRowToRecord(inserted) };
  });
  return settleDuplicate(db, input.sha256, outcome);
}

/** The record of a transaction that created its sbom row, or, when the same bytes were stored first, theirs. */
export async function settleDuplicate(db: Kysely<Database>, sha256: string, outcome: { duplicate: true } | { duplicate: false; record: SbomRecord }): Promise<StoreSbomResult> {
  if (!outcome.duplicate) return { created: true, record: outcome.record };
  const existing = await findSbomBySha256(db, sha256);
  if (!existing) throw new Error(`sbom with sha256 '${sha256}' conflicted on insert but cannot be found`);
  return { created: false, record: existing };
}

/** What the sbom row records of a document: its header, and what is known of it once it is read. */
export type SbomHeader = Pick<NormalisedSbom, 'format' | 'specVersion' | 'serialNumber' | 'documentVersion' | 'name' | 'createdAt' | 'authors' | 'tools' | 'lifecycles'>;

/** The counts and the verdict the sbom row carries. */
export interface SbomTotals {
  schemaValid: boolean;
  componentCount: number;
  relationshipCount: number;
  issueCount: number;
}

type SbomRowValues = Insertable<Database['sbom']>;

/** The values of a document's sbom row. */
export function sbomRow(input: Pick<StoreSbomInput, 'bytes' | 'encoded' | 'sha256' | 'strict'>, sbom: SbomHeader, subject: NormalisedComponent | undefined, ownerId: number | null, totals: SbomTotals): SbomRowValues {
  return {
    organisation_id: ownerId,
    sha256: input.sha256,
    byte_size: input.bytes.byteLength,
    content_encoding: input.encoded?.encoding ?? 'identity',
    format: sbom.format,
    spec_version: sbom.specVersion,
    // Document text as the rows below store it: NUL and unpaired surrogates as U+FFFD (bulk-insert.ts).
    serial_number: pgText(sbom.serialNumber ?? null),
    document_version: sbom.documentVersion ?? null,
    name: pgText(sbom.name ?? null),
    document_created_text: pgText(sbom.createdAt ?? null),
    document_created_at: parseTimestamp(sbom.createdAt),
    authors: pgJson(sbom.authors),
    tools: pgJson(sbom.tools),
    lifecycles: (sbom.lifecycles ?? []).map((l) => pgText(l)),
    subject_name: pgText(subject?.name ?? null),
    subject_version: pgText(subject?.version ?? null),
    subject_purl: pgText(subject?.purlIdentity?.key ?? subject?.purl ?? null),
    ...totalsRow(totals),
    ingested_strict: input.strict,
  };
}

/** The columns of the sbom row that {@link SbomTotals} gives. */
export function totalsRow(totals: SbomTotals) {
  return {
    schema_valid: totals.schemaValid,
    component_count: totals.componentCount,
    relationship_count: totals.relationshipCount,
    issue_count: totals.issueCount,
  };
}

/**
 * Inserts the sbom row, or nothing when a row with the same sha256 exists. `on conflict do nothing` waits for a
 * concurrent insert of the same sha256 to commit or roll back, so exactly one of two simultaneous identical
 * uploads creates the row.
 */
export async function insertSbomRow(trx: Trx, values: SbomRowValues): Promise<SbomRow | undefined> {
  return trx.insertInto('sbom').values(values).onConflict((oc) => oc.constraint('sbom_sha256_key').doNothing()).returningAll().executeTakeFirst();
}

/** The audit entry of a stored upload. */
export async function recordIngest(trx: Trx, input: Pick<StoreSbomInput, 'sha256' | 'requestId'>, sbom: Pick<NormalisedSbom, 'format' | 'specVersion' | 'supplierVendor'>, subject: NormalisedComponent | undefined, row: SbomRow): Promise<void> {
  await recordAudit(trx, {
    action: 'sbom.ingest',
    targetType: 'sbom',
    targetId: row.id,
    requestId: input.requestId,
    detail: { sha256: input.sha256, format: sbom.format, specVersion: sbom.specVersion, subject: subject?.name ?? null, subjectVersion: subject?.version ?? null, supplier: sbom.supplierVendor?.name ?? null, components: row.component_count, schemaValid: row.schema_valid },
  });
}

/**
 * The refusal of a vendor's upload of a document about a product it does not supply (DOMAIN.md "Parties": a vendor
 * publishes its own products' SBOMs).
 */
export function notYourProduct(principal: Principal, supplier: string | undefined, subject: { name?: string; version?: string } | undefined) {
  const what = subject?.name ? `'${subject.name}${subject.version ? ` ${subject.version}` : ''}'` : 'its subject';
  if (principal.role !== 'vendor') return forbidden(`${principal.role} '${principal.organisationName}' may not upload SBOMs: uploads are for vendors (their own products) and admins`);
  return forbidden(
    supplier === undefined
      ? `the document names no supplier of ${what} (CycloneDX metadata.supplier or metadata.component.supplier, SPDX the described package's supplier); vendor '${principal.organisationName}' may upload only documents of products it supplies`
      : `the document's subject ${what} is supplied by '${supplier}', not by vendor '${principal.organisationName}'; a vendor may upload only documents of products it supplies, or of a supplier an admin has granted it`,
  );
}

type Trx = Transaction<Database>;

function parseTimestamp(text: string | undefined): Date | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999 ? null : d;
}

/** The document every row belongs to, and its owner: each table's first two columns. */
export interface Owner {
  sbomId: number;
  ownerId: number | null;
}

function ownerColumns<T>(owner: Owner): BulkColumn<T>[] {
  return [
    { name: 'sbom_id', type: 'bigint', value: () => owner.sbomId },
    { name: 'organisation_id', type: 'bigint', value: () => owner.ownerId },
  ];
}

/** The original bytes as they are kept: encoded when the input says so (see {@link sbomRow}'s content_encoding). */
export async function insertContent(trx: Trx, owner: Owner, input: Pick<StoreSbomInput, 'bytes' | 'encoded'>): Promise<void> {
  const bytes = input.encoded ? await input.encoded.bytes : input.bytes;
  for (let seq = 0, offset = 0; offset < bytes.byteLength || seq === 0; seq++, offset += CONTENT_CHUNK_BYTES) {
    const data = bytes.subarray(offset, Math.min(bytes.byteLength, offset + CONTENT_CHUNK_BYTES));
    await trx.insertInto('sbom_content').values({ sbom_id: owner.sbomId, organisation_id: owner.ownerId, seq, data }).execute();
  }
}

export async function insertIssues(trx: Trx, owner: Owner, issues: SbomIssue[]): Promise<void> {
  const rows = issues.map((issue, seq) => ({ ...issue, seq }));
  await copyRows(trx, 'sbom_issue', [
    ...ownerColumns(owner),
    { name: 'seq', type: 'int', value: (i) => i.seq },
    { name: 'code', type: 'text', value: (i) => i.code },
    { name: 'severity', type: 'text', value: (i) => i.severity },
    { name: 'path', type: 'text', value: (i) => i.path },
    { name: 'message', type: 'text', value: (i) => i.message },
  ], rows);
}

export async function insertDocumentReferences(trx: Trx, owner: Owner, refs: DocumentReference[]): Promise<void> {
  const rows = refs.map((r, seq) => ({ ...r, seq }));
  await bulkInsert(trx, 'sbom_document_reference', [
    ...ownerColumns(owner),
    { name: 'seq', type: 'int', value: (r) => r.seq },
    { name: 'ref_id', type: 'text', value: (r) => r.id },
    { name: 'target', type: 'text', value: (r) => r.target },
    { name: 'checksum_alg', type: 'text', value: (r) => r.checksum?.alg ?? null },
    { name: 'checksum_value', type: 'text', value: (r) => r.checksum?.value ?? null },
  ], rows);
}

const json = (v: readonly unknown[]): string => (v.length ? JSON.stringify(v) : '[]');

/** Texts of single-expression licence lists, by expression: a document repeats a few dozen licences. */
const licenceTexts = new Map<string, string>();
const LICENCE_TEXTS = 4096;

/**
 * The licences column of a COPY line. Most components state one licence expression, and its JSON text is the same
 * for every component that states it: made once (a tenth of the time formatting the component rows took), not per
 * row. The text equals `JSON.stringify(licences)`: a licence has no fields but expression, name and kind.
 */
function licencesField(licences: readonly License[]): string {
  const only = licences.length === 1 ? licences[0]! : undefined;
  if (only?.expression === undefined || only.name !== undefined || only.kind !== undefined) return copyJsonField(json(licences));
  let text = licenceTexts.get(only.expression);
  if (text === undefined) {
    if (licenceTexts.size >= LICENCE_TEXTS) licenceTexts.clear();
    text = copyJsonField(`[{"expression":${JSON.stringify(only.expression)}}]`);
    licenceTexts.set(only.expression, text);
  }
  return text;
}

// The three big tables' COPY lines are written out by hand, one template per row: through BulkColumn closures (a call
// per value) formatting took about a third of a second per 100k components, as long as mapping them.

/** A number or boolean field: `\N` for none. */
const field = (v: number | boolean | null | undefined): string => (v === null || v === undefined ? '\\N' : String(v));

/** The first two fields of every row of a document, `sbom_id` and `organisation_id`, with their separators. */
export function ownerFields(owner: Owner): string {
  return `${field(owner.sbomId)}\t${field(owner.ownerId)}\t`;
}

/** The component table's columns, in the order {@link componentLines} writes them. */
export const COMPONENT_COLUMNS = [
  'sbom_id', 'organisation_id', 'idx', 'parent_idx', 'bom_ref', 'is_subject', 'type', 'group_name', 'name', 'version', 'description',
  'purl', 'purl_type', 'purl_namespace', 'purl_name', 'purl_version', 'purl_key', 'cpe', 'supplier_id', 'supplier_name', 'manufacturer_name',
  'author', 'license_expression', 'licenses', 'external_references', 'copyright', 'scope',
] as const;

/** COPY lines of `components[start..end)`, `owner` from {@link ownerFields}, `vendorIds` resolving each component's vendor. */
export function componentLines(owner: string, components: readonly NormalisedComponent[], vendorIds: ReadonlyMap<string, number>, start = 0, end = components.length): string {
  const t = copyTextField;
  let lines = '';
  for (let i = start; i < end; i++) {
    const c = components[i]!;
    const p = c.purlIdentity;
    const vendor = c.supplierVendor;
    const supplierId = vendor ? vendorIds.get(vendor.key) : undefined;
    lines += `${owner}${field(c.index)}\t${field(c.parentIndex)}\t${t(c.ref)}\t${field(c.isSubject)}\t${t(c.type)}\t${t(c.group)}\t${t(c.name)}\t${t(c.version)}\t${t(c.description)}\t${t(c.purl)}\t${t(p?.type)}\t${t(p?.namespace)}\t${t(p?.name)}\t${t(p?.version)}\t${t(p?.key)}\t${t(c.cpe)}\t${field(supplierId)}\t${t(c.supplier?.name ?? vendor?.name)}\t${t(c.manufacturer?.name)}\t${t(c.author)}\t${t(c.licenseExpression)}\t${licencesField(c.licenses)}\t${copyJsonField(json(c.externalReferences))}\t${t(c.copyright)}\t${t(c.scope)}\n`;
  }
  return lines;
}

/** The component_hash table's columns, in the order {@link hashLines} writes them. */
export const HASH_COLUMNS = ['sbom_id', 'organisation_id', 'idx', 'alg', 'value'] as const;

/** COPY lines of the hashes of `components[start..end)`: one row per hash, in order. */
export function hashLines(owner: string, components: readonly NormalisedComponent[], start = 0, end = components.length): string {
  let lines = '';
  for (let i = start; i < end; i++) {
    const c = components[i]!;
    for (const h of c.hashes) lines += `${owner}${field(c.index)}\t${copyTextField(h.alg)}\t${copyTextField(h.value)}\n`;
  }
  return lines;
}

/** One edge row: every target of one component for one edge kind (`to_idx` is an array). */
export interface EdgeRow {
  from: number;
  type: string;
  originalType: string;
  to: number[];
}

/**
 * The edges grouped into rows, each row where its first edge is. Groups are keyed by number, source position and
 * edge kind (type and original word, numbered as they come): a text key per edge cost more than the rest of the
 * upload's formatting. Edges come in runs of one source and kind, so the last row is tried first.
 */
export function edgeRows(edges: readonly NormalisedEdge[]): EdgeRow[] {
  const kinds = new Map<string, Map<string, number>>();
  let kindCount = 0;
  const rows = new Map<number, EdgeRow>();
  let last: EdgeRow | undefined;
  for (const e of edges) {
    if (last !== undefined && last.from === e.fromIndex && last.type === e.type && last.originalType === e.originalType) {
      last.to.push(e.toIndex);
      continue;
    }
    let byWord = kinds.get(e.type);
    if (byWord === undefined) kinds.set(e.type, (byWord = new Map()));
    let kind = byWord.get(e.originalType);
    if (kind === undefined) byWord.set(e.originalType, (kind = kindCount++));
    // Positions are below 2^31 and kinds below 2^21 in any document this reads: the key stays an exact integer.
    const key = kind * 0x80000000 + e.fromIndex;
    last = rows.get(key);
    if (last) last.to.push(e.toIndex);
    else rows.set(key, (last = { from: e.fromIndex, type: e.type, originalType: e.originalType, to: [e.toIndex] }));
  }
  return [...rows.values()];
}

/** The component_edge table's columns, in the order {@link edgeLines} writes them. */
export const EDGE_COLUMNS = ['sbom_id', 'organisation_id', 'from_idx', 'type', 'original_type', 'to_idx'] as const;

/** COPY lines of `rows[start..end)`. */
export function edgeLines(owner: string, rows: readonly EdgeRow[], start = 0, end = rows.length): string {
  let lines = '';
  for (let i = start; i < end; i++) {
    const g = rows[i]!;
    lines += `${owner}${field(g.from)}\t${copyTextField(g.type)}\t${copyTextField(g.originalType)}\t{${g.to.join(',')}}\n`;
  }
  return lines;
}
