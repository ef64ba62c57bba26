/**
 * @module
 * Writes one parsed advisory or VEX document, whole or not at all: one transaction, idempotent on the sha256 of
 * the original bytes (also when the same bytes arrive twice at once), product identities stored the way
 * components' are so that matching is equality.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { AdvisoryProduct, ParsedAdvisory } from '../model/advisory.js';
import type { VendorRef } from '../model/normalised-sbom.js';
import { parseCpe } from '../normalise/cpe.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { purlIdentity } from '../normalise/purl-identity.js';
import { cpeProduct } from '../chains/stack-catalogue.js';
import { bulkInsert, pgText } from './bulk-insert.js';
import { purlProduct } from './component.repository.js';
import { upsertVendors } from './organisation.repository.js';
import { advisoryRowToRecord, findAdvisoryBySha256, type AdvisoryRecord } from './advisory.repository.js';
import { forbidden } from '../access/access-error.js';
import { currentPrincipal, type Principal } from '../access/principal.js';
import { mayWriteFor, recordAudit } from './access.repository.js';

export interface StoreAdvisoryInput {
  bytes: Uint8Array;
  sha256: string;
  advisory: ParsedAdvisory;
  strict: boolean;
  /** For the audit log. */
  requestId?: string;
}

export type StoreAdvisoryResult = { created: boolean; record: AdvisoryRecord };

/** The identities of a statement's product (or of an inventory's device), canonical as components' are. */
export interface ProductIdentity {
  purl?: string;
  purlKey?: string;
  purlProduct?: string;
  cpe?: string;
  cpeProduct?: string;
  vendor?: VendorRef;
  nameKey?: string;
  /** The version the purl or CPE names (a product named `pkg:generic/acme/fw@1.3.0` is that version only). */
  version?: string;
}

export function productIdentity(p: AdvisoryProduct): ProductIdentity {
  const out: ProductIdentity = {};
  if (p.purl) {
    out.purl = p.purl;
    const read = purlIdentity(p.purl);
    if (read.ok) {
      out.purlKey = read.identity.key;
      out.purlProduct = purlProduct(read.identity.key);
      if (read.identity.version) out.version = read.identity.version;
    }
  }
  if (p.cpe) {
    const read = parseCpe(p.cpe);
    if (read.ok) {
      out.cpe = read.cpe23;
      out.cpeProduct = cpeProduct(read.cpe23);
      const cpeVersion = read.cpe23.split(':')[5];
      if (out.version === undefined && cpeVersion && cpeVersion !== '*' && cpeVersion !== '-') out.version = cpeVersion.replace(/\\(.)/g, '$1');
    } else out.cpe = p.cpe;
  }
  const key = p.vendor ? normaliseVendorName(p.vendor) : undefined;
  if (p.vendor && key) out.vendor = { name: p.vendor, key };
  if (p.name) out.nameKey = p.name.toLowerCase();
  return out;
}

function parseDate(text: string | undefined): Date | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999 ? null : d;
}

export async function storeAdvisory(db: Kysely<Database>, input: StoreAdvisoryInput): Promise<StoreAdvisoryResult> {
  const { advisory } = input;
  const identities = advisory.statements.map((s) => productIdentity(s.product));
  const publisherKey = advisory.publisher?.name ? normaliseVendorName(advisory.publisher.name) : undefined;
  const publisherIsVendor = advisory.publisher?.category === undefined || advisory.publisher.category === 'vendor';
  const vendors: VendorRef[] = identities.flatMap((i) => (i.vendor ? [i.vendor] : []));
  if (publisherKey && publisherIsVendor) vendors.push({ name: advisory.publisher!.name, key: publisherKey });

  const outcome = await db.transaction().execute(async (trx) => {
    const vendorIds = await upsertVendors(trx, vendors);
    const ownerId = publisherKey && publisherIsVendor ? (vendorIds.get(publisherKey) ?? null) : null;
    await authorisePublisher(trx, ownerId, advisory, identities, vendorIds);
    const inserted = await trx
      .insertInto('advisory')
      .values({
        organisation_id: ownerId,
        sha256: input.sha256,
        byte_size: input.bytes.byteLength,
        format: advisory.format,
        spec_version: advisory.specVersion ?? null,
        // Document text as the rows below store it: NUL and unpaired surrogates as U+FFFD (bulk-insert.ts).
        document_id: pgText(advisory.documentId ?? null),
        document_version: pgText(advisory.documentVersion ?? null),
        title: pgText(advisory.title ?? null),
        publisher_name: pgText(advisory.publisher?.name ?? null),
        publisher_namespace: pgText(advisory.publisher?.namespace ?? null),
        publisher_category: pgText(advisory.publisher?.category ?? null),
        published_text: pgText(advisory.published ?? null),
        published_at: parseDate(advisory.published),
        modified_text: pgText(advisory.modified ?? null),
        modified_at: parseDate(advisory.modified),
        schema_valid: advisory.schemaValid,
        ingested_strict: input.strict,
        vulnerability_count: advisory.vulnerabilities.length,
        statement_count: advisory.statements.length,
        issue_count: advisory.issues.length,
      })
      .onConflict((oc) => oc.constraint('advisory_sha256_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) return undefined;
    const advisoryId = inserted.id;
    await trx.insertInto('advisory_content').values({ advisory_id: advisoryId, organisation_id: ownerId, data: input.bytes }).execute();
    await insertRows(trx, advisoryId, ownerId, advisory, identities, vendorIds);
    await recordAudit(trx, { action: 'advisory.ingest', targetType: 'advisory', targetId: advisoryId, requestId: input.requestId, detail: { sha256: input.sha256, format: advisory.format, documentId: advisory.documentId ?? null, publisher: advisory.publisher?.name ?? null, statements: advisory.statements.length } });
    return advisoryRowToRecord(inserted);
  });
  if (outcome) return { created: true, record: outcome };
  const existing = await findAdvisoryBySha256(db, input.sha256);
  if (!existing) throw new Error(`advisory with sha256 '${input.sha256}' conflicted on insert but cannot be found`);
  return { created: false, record: existing };
}

type Trx = Transaction<Database>;

/**
 * A vendor publishes VEX as itself, about its own products (DOMAIN.md "Parties"): the document's publisher must be
 * the vendor (or a supplier an admin granted it), and no statement may name a product of another vendor. Coordinator
 * and database advisories (CISA, OSV: no vendor publisher) are loaded by admins.
 *
 * @throws AccessError (403).
 */
async function authorisePublisher(trx: Trx, ownerId: number | null, advisory: ParsedAdvisory, identities: ProductIdentity[], vendorIds: Map<string, number>): Promise<void> {
  const principal = currentPrincipal();
  if (!principal || principal.role === 'admin') return;
  if (!(await mayWriteFor(trx, principal, ownerId))) throw notYourAdvisory(principal, advisory.publisher?.name, advisory.publisher?.category);
  for (const identity of identities) {
    const vendorId = identity.vendor ? vendorIds.get(identity.vendor.key) : undefined;
    if (vendorId !== undefined && !(await mayWriteFor(trx, principal, vendorId))) {
      throw forbidden(`the document states the status of a product of '${identity.vendor!.name}'; vendor '${principal.organisationName}' may publish statements only about products it supplies`);
    }
  }
}

export function notYourAdvisory(principal: Principal, publisher: string | undefined, category: string | undefined) {
  if (principal.role !== 'vendor') return forbidden(`${principal.role} '${principal.organisationName}' may not upload advisories: uploads are for vendors (their own products) and admins`);
  return forbidden(
    publisher === undefined ? `the document names no publisher; vendor '${principal.organisationName}' may upload only VEX it publishes itself`
    : category !== undefined && category !== 'vendor' ? `the document's publisher '${publisher}' is a ${category}, not a vendor; advisories of coordinators and databases are loaded by admins`
    : `the document is published by '${publisher}', not by vendor '${principal.organisationName}'; a vendor may upload only VEX it publishes itself, or of a supplier an admin has granted it`,
  );
}

async function insertRows(trx: Trx, advisoryId: number, ownerId: number | null, advisory: ParsedAdvisory, identities: ProductIdentity[], vendorIds: Map<string, number>): Promise<void> {
  const owner = [
    { name: 'advisory_id', type: 'bigint' as const, value: () => advisoryId },
    { name: 'organisation_id', type: 'bigint' as const, value: () => ownerId },
  ];
  await bulkInsert(trx, 'advisory_issue', [
    ...owner,
    { name: 'seq', type: 'int', value: (r: { seq: number }) => r.seq },
    { name: 'code', type: 'text', value: (r: { code: string }) => r.code },
    { name: 'severity', type: 'text', value: (r: { severity: string }) => r.severity },
    { name: 'path', type: 'text', value: (r: { path: string }) => r.path },
    { name: 'message', type: 'text', value: (r: { message: string }) => r.message },
  ], advisory.issues.map((issue, seq) => ({ ...issue, seq })));

  const vulnerabilities = advisory.vulnerabilities.map((v, seq) => ({ ...v, seq }));
  await bulkInsert(trx, 'advisory_vulnerability', [
    ...owner,
    { name: 'seq', type: 'int', value: (v) => v.seq },
    { name: 'vulnerability_id', type: 'text', value: (v) => v.id },
    { name: 'aliases', type: 'text[]', value: (v) => v.aliases },
    { name: 'title', type: 'text', value: (v) => v.title ?? null },
    { name: 'summary', type: 'text', value: (v) => v.summary ?? null },
    { name: 'published_text', type: 'text', value: (v) => v.published ?? null },
    { name: 'modified_text', type: 'text', value: (v) => v.modified ?? null },
    { name: 'cvss', type: 'jsonb', value: (v) => JSON.stringify(v.cvss) },
    { name: 'cvss_max', type: 'numeric', value: (v) => maxScore(v.cvss.map((c) => c.baseScore)) },
    { name: 'cwes', type: 'text[]', value: (v) => v.cwes },
    { name: 'reference_urls', type: 'text[]', value: (v) => v.references },
  ], vulnerabilities);

  const aliases = new Map<string, { alias: string; vulnerability_id: string }>();
  for (const v of advisory.vulnerabilities) {
    for (const alias of [v.id, ...v.aliases]) aliases.set(`${alias}\u0000${v.id}`, { alias: pgText(alias), vulnerability_id: pgText(v.id) });
  }
  if (aliases.size) await trx.insertInto('vulnerability_alias').values([...aliases.values()]).onConflict((oc) => oc.doNothing()).execute();

  const statements = advisory.statements.map((s, seq) => ({ s, id: identities[seq]!, seq }));
  await bulkInsert(trx, 'vex_statement', [
    ...owner,
    { name: 'seq', type: 'int', value: (r) => r.seq },
    { name: 'vulnerability_id', type: 'text', value: (r) => r.s.vulnerabilityId },
    { name: 'product_ref', type: 'text', value: (r) => r.s.product.ref ?? null },
    { name: 'purl', type: 'text', value: (r) => r.id.purl ?? null },
    { name: 'purl_key', type: 'text', value: (r) => r.id.purlKey ?? null },
    { name: 'purl_product', type: 'text', value: (r) => r.id.purlProduct ?? null },
    { name: 'cpe', type: 'text', value: (r) => r.id.cpe ?? null },
    { name: 'cpe_product', type: 'text', value: (r) => r.id.cpeProduct ?? null },
    { name: 'vendor_name', type: 'text', value: (r) => r.s.product.vendor ?? null },
    { name: 'vendor_id', type: 'bigint', value: (r) => (r.id.vendor ? (vendorIds.get(r.id.vendor.key) ?? null) : null) },
    { name: 'product_name', type: 'text', value: (r) => r.s.product.name ?? null },
    { name: 'name_key', type: 'text', value: (r) => r.id.nameKey ?? null },
    { name: 'version', type: 'text', value: (r) => r.s.product.version ?? r.id.version ?? null },
    { name: 'versions', type: 'text[]', value: (r) => r.s.versions ?? [] },
    { name: 'ranges', type: 'jsonb', value: (r) => JSON.stringify(r.s.ranges ?? []) },
    { name: 'status', type: 'text', value: (r) => r.s.status },
    { name: 'status_original', type: 'text', value: (r) => r.s.statusOriginal },
    { name: 'justification', type: 'text', value: (r) => r.s.justification ?? null },
    { name: 'justification_original', type: 'text', value: (r) => r.s.justificationOriginal ?? null },
    { name: 'impact_statement', type: 'text', value: (r) => r.s.impactStatement ?? null },
    { name: 'action_statement', type: 'text', value: (r) => r.s.actionStatement ?? null },
    { name: 'remediations', type: 'jsonb', value: (r) => JSON.stringify(r.s.remediations ?? []) },
    { name: 'recommended', type: 'boolean', value: (r) => r.s.recommended ?? false },
    { name: 'stated_text', type: 'text', value: (r) => r.s.timestamp ?? null },
    { name: 'stated_at', type: 'timestamptz', value: (r) => parseDate(r.s.timestamp)?.toISOString() ?? null },
    { name: 'path', type: 'text', value: (r) => r.s.path },
  ], statements);
}

function maxScore(scores: (number | undefined)[]): number | null {
  const known = scores.filter((s): s is number => typeof s === 'number' && Number.isFinite(s));
  return known.length ? Math.max(...known) : null;
}
