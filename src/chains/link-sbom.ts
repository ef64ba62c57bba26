/**
 * @module
 * Stitching (DOMAIN.md "Vendor chain"): when a document is stored, find every component elsewhere that it
 * describes and every component in it that another document describes, whichever arrived first, and record
 * each as a component_link row with the rule that matched. Runs inside the upload's
 * transaction, from what is already stored (the same code rebuilds the links of documents stored before this
 * existed), so a chain query only walks the links.
 *
 * Rules, strongest first (DOMAIN.md "Identity"): BOM_LINK (CycloneDX BOM-Link, SPDX external document
 * reference), PURL (qualifiers ignored), CPE, SUPPLIER_NAME_VERSION (normalised supplier + name + version),
 * HASH. The first four also match other versions of the same product (same purl, CPE product or supplier and
 * name, another version): such links are kept for queries that ask for the latest version, and never followed
 * by default.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { STACK_NAME_KEY_SQL } from './stack-catalogue.js';
import { versionSortKey } from './version-order.js';

type Trx = Transaction<Database>;

/**
 * Serialises stitching across concurrent uploads (and instances on one server): two related documents stored at
 * once each see the other's committed rows, so neither link is missed. Held to the end of the transaction.
 */
const STITCH_LOCK = 7_231_900;

/** The CPE product (`part:vendor:product`) of a stored CPE 2.3 column, in SQL. */
const cpeProductOf = (column: string): RawBuilder<string> => sql.raw(`split_part(${column}, ':', 3) || ':' || split_part(${column}, ':', 4) || ':' || split_part(${column}, ':', 5)`);

/**
 * Records the subject of document `sbomId`, the links into and out of it, which link each touched component
 * follows, and the catalogue stacks among its components.
 */
export async function linkSbom(trx: Trx, sbomId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${STITCH_LOCK})`.execute(trx);
  const subject = await recordSubject(trx, sbomId);
  await linkOutgoing(trx, sbomId, subject?.idx);
  if (subject) await linkIncoming(trx, sbomId, subject);
  await chooseLinks(trx, sbomId);
  await recogniseStacksIn(trx, sbomId);
  await trx.updateTable('sbom').set({ stitched: true }).where('id', '=', sbomId).execute();
}

/**
 * Stitches the documents stored before stitching existed (or by an older version): each in a transaction of
 * its own, oldest first. Run on every start after the migrations; a no-op once every document is stitched.
 */
export async function stitchUnstitched(db: Kysely<Database>, onProgress?: (done: number, total: number) => void): Promise<number> {
  const ids = (await db.selectFrom('sbom').select('id').where('stitched', '=', false).orderBy('id').execute()).map((r) => r.id);
  for (const [i, id] of ids.entries()) {
    await db.transaction().execute((trx) => linkSbom(trx, id));
    onProgress?.(i + 1, ids.length);
  }
  return ids.length;
}

interface Subject {
  idx: number;
  documentUri: string | null;
  elementUri: string | null;
  purlKey: string | null;
  purlProduct: string | null;
  cpe: string | null;
  cpeProduct: string | null;
  supplierId: number | null;
  nameKey: string;
  version: string | null;
  hashes: string[];
}

async function recordSubject(trx: Trx, sbomId: number): Promise<Subject | undefined> {
  const row = await trx
    .selectFrom('sbom as s')
    .innerJoin('component as c', (j) => j.onRef('c.sbom_id', '=', 's.id').on('c.is_subject', '=', true))
    .select([
      's.organisation_id',
      's.format',
      's.serial_number',
      's.document_version',
      's.document_created_at',
      's.ingested_at',
      'c.idx',
      'c.bom_ref',
      'c.purl_key',
      'c.purl_version',
      'c.cpe',
      'c.supplier_id',
      'c.name',
      'c.version',
    ])
    .where('s.id', '=', sbomId)
    .orderBy('c.idx')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const documentUri = documentUriOf(row.format, row.serial_number, row.document_version);
  const elementUri = row.format === 'spdx3-jsonld' ? row.bom_ref : documentUri ? `${documentUri}#${row.bom_ref}` : null;
  const version = row.version ?? row.purl_version;
  const hashes = (await trx.selectFrom('component_hash').select('value').where('sbom_id', '=', sbomId).where('idx', '=', row.idx).execute()).map((h) => h.value);
  const subject: Subject = {
    idx: row.idx,
    documentUri,
    elementUri,
    purlKey: row.purl_key,
    purlProduct: row.purl_key ? row.purl_key.split('@')[0]! : null,
    cpe: row.cpe,
    cpeProduct: row.cpe ? row.cpe.split(':').slice(2, 5).join(':') : null,
    supplierId: row.supplier_id ?? row.organisation_id,
    nameKey: row.name.toLowerCase(),
    version,
    hashes: [...new Set(hashes)],
  };
  await trx
    .insertInto('sbom_subject')
    .values({
      sbom_id: sbomId,
      organisation_id: row.organisation_id,
      idx: row.idx,
      document_uri: subject.documentUri,
      element_uri: subject.elementUri,
      purl_key: subject.purlKey,
      purl_product: subject.purlProduct,
      cpe: subject.cpe,
      cpe_product: subject.cpeProduct,
      supplier_id: subject.supplierId,
      name_key: subject.nameKey,
      version,
      version_sort: version === null ? null : versionSortKey(version),
      created_at: row.document_created_at ?? row.ingested_at,
    })
    .onConflict((oc) => oc.column('sbom_id').doNothing())
    .execute();
  if (subject.hashes.length) {
    await trx.insertInto('sbom_subject_hash').values(subject.hashes.map((value) => ({ sbom_id: sbomId, value }))).onConflict((oc) => oc.doNothing()).execute();
  }
  return subject;
}

/** What a BOM-Link or an SPDX external document reference names this document by. */
function documentUriOf(format: string, serial: string | null, version: number | null): string | null {
  if (!serial) return null;
  if (format.startsWith('cyclonedx')) {
    // BOM-Link: urn:cdx:<serialNumber without urn:uuid:>/<version> (CycloneDX "BOM-Link"); version defaults to 1.
    const uuid = serial.replace(/^urn:uuid:/i, '');
    return `urn:cdx:${uuid.toLowerCase()}/${version ?? 1}`;
  }
  return serial;
}

/**
 * Below this many components, each component looks its matches up through the indexes (a handful of probes);
 * above it, one hash join against all subjects is cheaper than a probe per component. The planner cannot tell the
 * two apart: its estimate of "components of one document" is an average over documents of very different sizes.
 */
const PROBE_LIMIT = 2_000;

/** Components of document `sbomId` that other stored documents describe. */
async function linkOutgoing(trx: Trx, sbomId: number, subjectIdx: number | undefined): Promise<void> {
  const size = await trx.selectFrom('sbom').select(['component_count', 'organisation_id']).where('id', '=', sbomId).executeTakeFirstOrThrow();
  const probe = size.component_count < PROBE_LIMIT;
  // `offset 0` keeps a lateral subquery from being flattened into a join: it then runs once per component, on the index.
  const subjects = (alias: string, table: string, on: RawBuilder<unknown>) =>
    probe ? sql`cross join lateral (select * from ${sql.raw(table)} ${sql.raw(alias)} where ${on} offset 0) ${sql.raw(alias)}` : sql`join ${sql.raw(table)} ${sql.raw(alias)} on ${on}`;
  await sql`
    insert into component_link (sbom_id, idx, organisation_id, target_sbom_id, rule, rule_rank, same_version)
    select distinct on (m.idx, m.target) ${sbomId}, m.idx, ${size.organisation_id}, m.target, m.rule, m.rank, m.same
    from (
      select c.idx, s.sbom_id as target, 'BOM_LINK' as rule, 1 as rank, true as same
        from sbom_document_reference r
        join component c on c.sbom_id = r.sbom_id and c.bom_ref = r.ref_id
        join sbom_subject s on s.element_uri = r.target or s.document_uri = split_part(r.target, '#', 1)
        where r.sbom_id = ${sbomId}
      union all
      select c.idx, s.sbom_id, 'PURL', 2, s.purl_key = c.purl_key
        from component c ${subjects('s', 'sbom_subject', sql`s.purl_product = split_part(c.purl_key, '@', 1)`)}
        where c.sbom_id = ${sbomId} and c.purl_key is not null and not c.is_subject
      union all
      select c.idx, s.sbom_id, 'CPE', 3, s.cpe = c.cpe
        from component c ${subjects('s', 'sbom_subject', sql`s.cpe_product = ${cpeProductOf('c.cpe')}`)}
        where c.sbom_id = ${sbomId} and c.cpe is not null and not c.is_subject
      union all
      select c.idx, s.sbom_id, 'SUPPLIER_NAME_VERSION', 4, s.version is not distinct from coalesce(c.version, c.purl_version)
        from component c ${subjects('s', 'sbom_subject', sql`s.supplier_id = c.supplier_id and s.name_key = lower(c.name)`)}
        where c.sbom_id = ${sbomId} and c.supplier_id is not null and not c.is_subject
      union all
      select h.idx, sh.sbom_id, 'HASH', 5, true
        from component_hash h ${subjects('sh', 'sbom_subject_hash', sql`sh.value = h.value`)}
        where h.sbom_id = ${sbomId} and h.idx <> ${subjectIdx ?? -1}
    ) m
    where m.target <> ${sbomId}
    order by m.idx, m.target, m.same desc, m.rank
    on conflict do nothing`.execute(trx);
}

/** Components of other documents that document `sbomId` describes (they may have arrived long before it). */
async function linkIncoming(trx: Trx, sbomId: number, s: Subject): Promise<void> {
  const branches = [];
  if (s.elementUri || s.documentUri) {
    branches.push(sql`
      select c.sbom_id, c.idx, c.organisation_id, 'BOM_LINK' as rule, 1 as rank, true as same
        from sbom_document_reference r join component c on c.sbom_id = r.sbom_id and c.bom_ref = r.ref_id
        where r.target = ${s.elementUri} or split_part(r.target, '#', 1) = ${s.documentUri}`);
  }
  if (s.purlProduct) {
    branches.push(sql`
      select c.sbom_id, c.idx, c.organisation_id, 'PURL' as rule, 2 as rank, c.purl_key = ${s.purlKey} as same
        from component c where split_part(c.purl_key, '@', 1) = ${s.purlProduct} and c.purl_key is not null and not c.is_subject`);
  }
  if (s.cpeProduct) {
    // The CPE index answers a range: every CPE of this product, whatever its version.
    const prefix = `cpe:2.3:${s.cpeProduct}:`;
    branches.push(sql`
      select c.sbom_id, c.idx, c.organisation_id, 'CPE' as rule, 3 as rank, c.cpe = ${s.cpe} as same
        from component c where c.cpe >= ${prefix} and c.cpe < ${`${prefix.slice(0, -1)};`} and not c.is_subject`);
  }
  if (s.supplierId !== null) {
    branches.push(sql`
      select c.sbom_id, c.idx, c.organisation_id, 'SUPPLIER_NAME_VERSION' as rule, 4 as rank, coalesce(c.version, c.purl_version) is not distinct from ${s.version} as same
        from component c where c.supplier_id = ${s.supplierId} and lower(c.name) = ${s.nameKey} and not c.is_subject`);
  }
  if (s.hashes.length) {
    branches.push(sql`
      select h.sbom_id, h.idx, h.organisation_id, 'HASH' as rule, 5 as rank, true as same
        from component_hash h join component c on c.sbom_id = h.sbom_id and c.idx = h.idx and not c.is_subject
        where h.value = any(${s.hashes}::text[])`);
  }
  if (!branches.length) return;
  await sql`
    insert into component_link (sbom_id, idx, organisation_id, target_sbom_id, rule, rule_rank, same_version)
    select distinct on (m.sbom_id, m.idx) m.sbom_id, m.idx, m.organisation_id, ${sbomId}, m.rule, m.rank, m.same
    from (${sql.join(branches, sql` union all `)}) m
    where m.sbom_id <> ${sbomId}
    order by m.sbom_id, m.idx, m.same desc, m.rank
    on conflict do nothing`.execute(trx);
}

/**
 * For every component with a link into or out of `sbomId`, marks the link a walk follows:
 * - pinned (the default): the version the component names, by the strongest rule, the newest document of it;
 * - latest: the highest version of the product (src/chains/version-order.ts) that is not older than the version
 *   the component names, then the strongest rule, then the newest document; none when only older ones exist.
 */
async function chooseLinks(trx: Trx, sbomId: number): Promise<void> {
  const changed = await sql<{ sbom_id: number; idx: number; target_sbom_id: number; pinned: boolean; latest: boolean }>`
    with affected as (
      select distinct sbom_id, idx from component_link where sbom_id = ${sbomId} or target_sbom_id = ${sbomId}
    ), candidates as (
      -- Another version of the product is a candidate for "latest" only when it is not older than the one named. A
      -- document whose subject has no version (or none that sorts) cannot be shown not to be older: not a candidate.
      -- (Without the coalesce that comparison was null, which ranked first and made \`latest\` null: a 500.)
      select l.sbom_id, l.idx, l.target_sbom_id, l.same_version, l.rule_rank, s.version_sort, s.created_at,
        l.pinned as was_pinned, l.latest as was_latest,
        l.same_version or c.version_floor is null or coalesce(s.version_sort >= c.version_floor, false) as eligible
      from affected a
      -- one probe per touched component (the planner would rather scan every link)
      cross join lateral (select * from component_link l where l.sbom_id = a.sbom_id and l.idx = a.idx offset 0) l
      join sbom_subject s on s.sbom_id = l.target_sbom_id
      cross join lateral (
        select version_sort_key(coalesce(x.version, x.purl_version)) as version_floor from component x where x.sbom_id = l.sbom_id and x.idx = l.idx
      ) c
    ), ranked as (
      select sbom_id, idx, target_sbom_id, was_pinned, was_latest,
        same_version and row_number() over (partition by sbom_id, idx
          order by same_version desc, rule_rank, created_at desc nulls last, target_sbom_id desc) = 1 as pinned,
        eligible and row_number() over (partition by sbom_id, idx
          order by eligible desc, version_sort desc nulls last, rule_rank, created_at desc nulls last, target_sbom_id desc) = 1 as latest
      from candidates
    )
    select sbom_id, idx, target_sbom_id, pinned, latest from ranked where (pinned, latest) is distinct from (was_pinned, was_latest)`.execute(trx);
  if (!changed.rows.length) return;
  // Written by key from the few rows that changed (an update joined to the ranking would scan every link).
  const rows = changed.rows;
  await sql`
    update component_link l set pinned = u.pinned, latest = u.latest
    from unnest(${rows.map((r) => r.sbom_id)}::bigint[], ${rows.map((r) => r.idx)}::int[], ${rows.map((r) => r.target_sbom_id)}::bigint[],
                ${rows.map((r) => r.pinned)}::boolean[], ${rows.map((r) => r.latest)}::boolean[]) as u(sbom_id, idx, target_sbom_id, pinned, latest)
    where l.sbom_id = u.sbom_id and l.idx = u.idx and l.target_sbom_id = u.target_sbom_id`.execute(trx);
}

/**
 * Catalogue stacks among the components of `sbomId`: one equality join per kind of identifier, so a large document
 * is matched by hashing the (small) catalogue rather than by probing it three times per component.
 */
async function recogniseStacksIn(trx: Trx, sbomId: number): Promise<void> {
  await sql`
    insert into component_stack (sbom_id, idx, stack_id, organisation_id, matched_by)
    select distinct on (m.idx, m.stack_id) ${sbomId}, m.idx, m.stack_id, m.organisation_id, m.kind
    from (
      select c.idx, si.stack_id, c.organisation_id, 1 as strength, si.kind from component c
        join stack_identifier si on si.kind = 'purl' and si.value = split_part(c.purl_key, '@', 1)
        where c.sbom_id = ${sbomId} and c.purl_key is not null
      union all
      select c.idx, si.stack_id, c.organisation_id, 2, si.kind from component c
        join stack_identifier si on si.kind = 'cpe' and si.value = ${cpeProductOf('c.cpe')}
        where c.sbom_id = ${sbomId} and c.cpe is not null
      union all
      select c.idx, si.stack_id, c.organisation_id, 3, si.kind from component c
        join stack_identifier si on si.kind = 'name' and si.value = ${STACK_NAME_KEY_SQL}
        where c.sbom_id = ${sbomId}
    ) m
    order by m.idx, m.stack_id, m.strength
    on conflict do nothing`.execute(trx);
}
