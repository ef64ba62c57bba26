/**
 * @module
 * Writes one normalised SBOM, whole or not at all: one transaction, batched statements, idempotent on the
 * sha256 of the original bytes (also when the same bytes arrive twice at once).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { NormalisedComponent, NormalisedEdge, NormalisedSbom } from '../model/normalised-sbom.js';
import type { SbomRecord } from '../model/sbom-record.js';
import type { DocumentReference } from '../model/sbom.js';
import type { SbomIssue } from '../model/sbom-issue.js';
import { forbidden } from '../access/access-error.js';
import { currentPrincipal, type Principal } from '../access/principal.js';
import { linkSbom } from '../chains/link-sbom.js';
import { mayWriteFor, recordAudit } from './access.repository.js';
import { bulkInsert, copyRows, pgJson, pgText, type BulkColumn } from './bulk-insert.js';
import { upsertVendors } from './organisation.repository.js';
import { findSbomBySha256, sbomRowToRecord } from './sbom.repository.js';

/** Size of one stored chunk of the original bytes. */
const CONTENT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface StoreSbomInput {
  bytes: Uint8Array;
  /** The bytes as they are to be kept (gzip of `bytes`), when compressed; else `bytes` are kept. */
  gzipped?: Uint8Array;
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
    const created = parseTimestamp(sbom.createdAt);
    // `on conflict do nothing` waits for a concurrent insert of the same sha256 to commit or roll back, so
    // exactly one of two simultaneous identical uploads creates the row.
    const inserted = await trx
      .insertInto('sbom')
      .values({
        organisation_id: ownerId,
        sha256: input.sha256,
        byte_size: input.bytes.byteLength,
        content_encoding: input.gzipped ? 'gzip' : 'identity',
        format: sbom.format,
        spec_version: sbom.specVersion,
        // Document text as the rows below store it: NUL and unpaired surrogates as U+FFFD (bulk-insert.ts).
        serial_number: pgText(sbom.serialNumber ?? null),
        document_version: sbom.documentVersion ?? null,
        name: pgText(sbom.name ?? null),
        document_created_text: pgText(sbom.createdAt ?? null),
        document_created_at: created,
        authors: pgJson(sbom.authors),
        tools: pgJson(sbom.tools),
        lifecycles: (sbom.lifecycles ?? []).map((l) => pgText(l)),
        subject_name: pgText(subject?.name ?? null),
        subject_version: pgText(subject?.version ?? null),
        subject_purl: pgText(subject?.purlIdentity?.key ?? subject?.purl ?? null),
        schema_valid: sbom.schemaValid,
        ingested_strict: input.strict,
        component_count: sbom.components.length - sbom.subjectIndexes.length,
        relationship_count: sbom.edges.length,
        issue_count: sbom.issues.length,
      })
      .onConflict((oc) => oc.constraint('sbom_sha256_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) return { duplicate: true as const };
    const sbomId = inserted.id;
    const owner = { sbomId, ownerId };
    await insertContent(trx, owner, input.gzipped ?? input.bytes);
    await insertIssues(trx, owner, sbom.issues);
    await insertDocumentReferences(trx, owner, sbom.documentReferences);
    await insertComponents(trx, owner, sbom.components, vendorIds);
    await insertHashes(trx, owner, sbom.components);
    await insertEdges(trx, owner, sbom.edges);
    await linkSbom(trx, sbomId);
    await recordAudit(trx, { action: 'sbom.ingest', targetType: 'sbom', targetId: sbomId, requestId: input.requestId, detail: { sha256: input.sha256, format: sbom.format, specVersion: sbom.specVersion, subject: subject?.name ?? null, subjectVersion: subject?.version ?? null, supplier: sbom.supplierVendor?.name ?? null, components: inserted.component_count, schemaValid: sbom.schemaValid } });
    return { duplicate: false as const, record: sbomRowToRecord(inserted) };
  });
  if (!outcome.duplicate) return { created: true, record: outcome.record };
  const existing = await findSbomBySha256(db, input.sha256);
  if (!existing) throw new Error(`sbom with sha256 '${input.sha256}' conflicted on insert but cannot be found`);
  return { created: false, record: existing };
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

function parseTimestamp(text: string | undefined): Date | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999 ? null : d;
}

type Trx = Transaction<Database>;

/** The document every row belongs to, and its owner: each table's first two columns. */
interface Owner {
  sbomId: number;
  ownerId: number | null;
}

function ownerColumns<T>(owner: Owner): BulkColumn<T>[] {
  return [
    { name: 'sbom_id', type: 'bigint', value: () => owner.sbomId },
    { name: 'organisation_id', type: 'bigint', value: () => owner.ownerId },
  ];
}

async function insertContent(trx: Trx, owner: Owner, bytes: Uint8Array): Promise<void> {
  for (let seq = 0, offset = 0; offset < bytes.byteLength || seq === 0; seq++, offset += CONTENT_CHUNK_BYTES) {
    const data = bytes.subarray(offset, Math.min(bytes.byteLength, offset + CONTENT_CHUNK_BYTES));
    await trx.insertInto('sbom_content').values({ sbom_id: owner.sbomId, organisation_id: owner.ownerId, seq, data }).execute();
  }
}

async function insertIssues(trx: Trx, owner: Owner, issues: SbomIssue[]): Promise<void> {
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

async function insertDocumentReferences(trx: Trx, owner: Owner, refs: DocumentReference[]): Promise<void> {
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

const json = (v: unknown[]): string => (v.length ? JSON.stringify(v) : '[]');

async function insertComponents(trx: Trx, owner: Owner, components: NormalisedComponent[], vendorIds: Map<string, number>): Promise<void> {
  await copyRows<NormalisedComponent>(trx, 'component', [
    ...ownerColumns<NormalisedComponent>(owner),
    { name: 'idx', type: 'int', value: (c) => c.index },
    { name: 'parent_idx', type: 'int', value: (c) => c.parentIndex ?? null },
    { name: 'bom_ref', type: 'text', value: (c) => c.ref },
    { name: 'is_subject', type: 'boolean', value: (c) => c.isSubject },
    { name: 'type', type: 'text', value: (c) => c.type ?? null },
    { name: 'group_name', type: 'text', value: (c) => c.group ?? null },
    { name: 'name', type: 'text', value: (c) => c.name },
    { name: 'version', type: 'text', value: (c) => c.version ?? null },
    { name: 'description', type: 'text', value: (c) => c.description ?? null },
    { name: 'purl', type: 'text', value: (c) => c.purl ?? null },
    { name: 'purl_type', type: 'text', value: (c) => c.purlIdentity?.type ?? null },
    { name: 'purl_namespace', type: 'text', value: (c) => c.purlIdentity?.namespace ?? null },
    { name: 'purl_name', type: 'text', value: (c) => c.purlIdentity?.name ?? null },
    { name: 'purl_version', type: 'text', value: (c) => c.purlIdentity?.version ?? null },
    { name: 'purl_key', type: 'text', value: (c) => c.purlIdentity?.key ?? null },
    { name: 'cpe', type: 'text', value: (c) => c.cpe ?? null },
    { name: 'supplier_id', type: 'bigint', value: (c) => (c.supplierVendor ? (vendorIds.get(c.supplierVendor.key) ?? null) : null) },
    { name: 'supplier_name', type: 'text', value: (c) => c.supplier?.name ?? c.supplierVendor?.name ?? null },
    { name: 'manufacturer_name', type: 'text', value: (c) => c.manufacturer?.name ?? null },
    { name: 'author', type: 'text', value: (c) => c.author ?? null },
    { name: 'license_expression', type: 'text', value: (c) => c.licenseExpression ?? null },
    { name: 'licenses', type: 'jsonb', value: (c) => json(c.licenses) },
    { name: 'external_references', type: 'jsonb', value: (c) => json(c.externalReferences) },
    { name: 'copyright', type: 'text', value: (c) => c.copyright ?? null },
    { name: 'scope', type: 'text', value: (c) => c.scope ?? null },
  ], components);
}

async function insertHashes(trx: Trx, owner: Owner, components: NormalisedComponent[]): Promise<void> {
  const rows = components.flatMap((c) => c.hashes.map((h) => ({ idx: c.index, alg: h.alg, value: h.value })));
  await copyRows(trx, 'component_hash', [
    ...ownerColumns(owner),
    { name: 'idx', type: 'int', value: (r) => r.idx },
    { name: 'alg', type: 'text', value: (r) => r.alg },
    { name: 'value', type: 'text', value: (r) => r.value },
  ], rows);
}

async function insertEdges(trx: Trx, owner: Owner, edges: NormalisedEdge[]): Promise<void> {
  // Group the targets of each (from, kind); edges arrive grouped by source from the normaliser, so this is one pass.
  const groups = new Map<string, { from: number; type: string; originalType: string; to: number[] }>();
  for (const e of edges) {
    const key = `${e.fromIndex}\u0000${e.type}\u0000${e.originalType}`;
    const g = groups.get(key);
    if (g) g.to.push(e.toIndex);
    else groups.set(key, { from: e.fromIndex, type: e.type, originalType: e.originalType, to: [e.toIndex] });
  }
  await copyRows(trx, 'component_edge', [
    ...ownerColumns(owner),
    { name: 'from_idx', type: 'int', value: (g) => g.from },
    { name: 'type', type: 'text', value: (g) => g.type },
    { name: 'original_type', type: 'text', value: (g) => g.originalType },
    { name: 'to_idx', type: 'int[]', value: (g) => `{${g.to.join(',')}}` },
  ], [...groups.values()]);
}
