/**
 * @module
 * The TCP/IP stack catalogue (DOMAIN.md "Identity": stack aliases come from the project's own catalogue): the
 * builtin entries of tcpip-stacks.json, each fact with its source, plus the entries vendors add. A stack is
 * recognised in any tier of any document by purl (without version), CPE product or name/alias.
 */
import { recordAudit } from '../store/access.repository.js';
import { readFileSync } from 'node:fs';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StackRow } from '../db/database.js';
import { parseCpe } from '../normalise/cpe.js';
import { purlIdentity } from '../normalise/purl-identity.js';
import { purlProduct } from '../store/component.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export type StackStatus = 'maintained' | 'eol' | 'unknown';
export type StackRelation = 'rebrand' | 'fork' | 'embeds';
export type StackIdentifierKind = 'purl' | 'cpe' | 'name';

/** One catalogue entry, as tcpip-stacks.json writes it. */
export interface StackEntry {
  id: string;
  name: string;
  vendor: string;
  status: StackStatus;
  statusNote?: string | null;
  aliases: string[];
  /** Purls without version: `pkg:type/namespace/name`. */
  purls: string[];
  /** CPE 2.3 prefixes `cpe:2.3:part:vendor:product`. */
  cpes: string[];
  derivedFrom?: string | null;
  relation?: StackRelation | null;
  disclosures: string[];
  notes?: string | null;
  /** For each kind of fact (aliases, purls, cpes, derivedFrom, status), the URLs that back it. */
  sources: Record<string, string[]>;
}

export interface StackIdentifier {
  kind: StackIdentifierKind;
  value: string;
}

export const BUILTIN_STACKS: readonly StackEntry[] = (
  JSON.parse(readFileSync(new URL('./tcpip-stacks.json', import.meta.url), 'utf8')) as { stacks: StackEntry[] }
).stacks;

/** How names are compared: case and surrounding white space do not matter. */
export function stackNameKey(name: string): string {
  return name.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '').toLowerCase();
}

/** {@link stackNameKey} of `c.name` in SQL (the two must agree; a test holds them together). */
export const STACK_NAME_KEY_SQL = sql.raw(`lower(btrim(c.name, E' \\t\\r\\n'))`);

/** The product part of a CPE 2.3 name (`a:treck:tcp\/ip`), as stored CPEs are compared. */
export function cpeProduct(cpe23: string): string | undefined {
  const fields = cpe23.split(':');
  return fields.length >= 5 && fields[0] === 'cpe' && fields[1] === '2.3' ? `${fields[2]}:${fields[3]}:${fields[4]}` : undefined;
}

/**
 * The identifiers a component is recognised by. Throws a {@link StackEntryError} naming the field and value when a
 * purl or CPE cannot be read, so a bad entry is refused rather than silently never matching.
 */
export function stackIdentifiers(entry: Pick<StackEntry, 'name' | 'aliases' | 'purls' | 'cpes'>): StackIdentifier[] {
  const out = new Map<string, StackIdentifier>();
  const add = (kind: StackIdentifierKind, value: string) => out.set(`${kind}\u0000${value}`, { kind, value });
  for (const [i, purl] of entry.purls.entries()) {
    const read = purlIdentity(purl);
    if (!read.ok) throw new StackEntryError(`purls[${i}]`, purl, read.reason);
    if (read.identity.version !== undefined) throw new StackEntryError(`purls[${i}]`, purl, 'a catalogue purl names the product, without a version');
    add('purl', purlProduct(read.identity.key));
  }
  for (const [i, prefix] of entry.cpes.entries()) {
    const fields = prefix.split(/(?<!\\):/).length;
    const read = parseCpe(fields < 13 ? prefix + ':*'.repeat(13 - fields) : prefix);
    if (!read.ok) throw new StackEntryError(`cpes[${i}]`, prefix, read.reason);
    if (read.vendor === '*' || read.product === '*') throw new StackEntryError(`cpes[${i}]`, prefix, 'a catalogue CPE names a vendor and a product');
    add('cpe', `${read.part}:${read.vendor}:${read.product}`);
  }
  for (const name of [entry.name, ...entry.aliases]) {
    const key = stackNameKey(name);
    if (key) add('name', key);
  }
  return [...out.values()];
}

export class StackEntryError extends Error {
  constructor(readonly field: string, readonly value: string, readonly rule: string) {
    super(`${field} '${value}' is not usable: ${rule}`);
    this.name = 'StackEntryError';
  }
}

/**
 * Writes the builtin entries (new ones inserted, changed ones updated, identifiers replaced) and recognises stacks
 * in every stored component when an identifier was added. Idempotent; run on every start after the migrations.
 */
export async function seedBuiltinStacks(db: Kysely<Database>): Promise<{ added: number }> {
  return db.transaction().execute(async (trx) => {
    // Several instances starting at once on one server seed one at a time.
    await sql`select pg_advisory_xact_lock(${STACK_SEED_LOCK})`.execute(trx);
    const fingerprint = async () =>
      (await sql<{ f: string | null }>`select string_agg(stack_id || ':' || kind || ':' || value, ',' order by stack_id, kind, value) as f from stack_identifier`.execute(trx)).rows[0]?.f ?? '';
    const before = await fingerprint();
    const count = await trx.selectFrom('stack').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    for (const entry of BUILTIN_STACKS) await writeStack(trx, entry, { builtin: true, organisationId: null });
    if ((await fingerprint()) !== before) await recogniseStacksEverywhere(trx);
    const after = await trx.selectFrom('stack').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return { added: Number(after.n) - Number(count.n) };
  });
}

const STACK_SEED_LOCK = 7_231_901;

/** Inserts or updates one entry and its identifiers; returns its id. */
export async function writeStack(trx: Transaction<Database>, entry: StackEntry, owner: { builtin: boolean; organisationId: number | null }): Promise<number> {
  const identifiers = stackIdentifiers(entry);
  const values = {
    slug: entry.id,
    name: entry.name,
    vendor_name: entry.vendor,
    status: entry.status,
    status_note: entry.statusNote ?? null,
    aliases: entry.aliases,
    purls: entry.purls,
    cpes: entry.cpes,
    derived_from: entry.derivedFrom ?? null,
    relation: entry.relation ?? null,
    disclosures: JSON.stringify(entry.disclosures),
    notes: entry.notes ?? null,
    sources: JSON.stringify(entry.sources),
    builtin: owner.builtin,
    organisation_id: owner.organisationId,
  };
  const row = await trx
    .insertInto('stack')
    .values(values)
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('stack_identifier').where('stack_id', '=', row.id).execute();
  await trx
    .insertInto('stack_identifier')
    .values(identifiers.map((i) => ({ stack_id: row.id, kind: i.kind, value: i.value })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return row.id;
}

/**
 * Recognises catalogue stacks in every stored component (after the catalogue changed): three equality joins, one
 * per kind of identifier, each able to use an index or a hash join.
 */
export async function recogniseStacksEverywhere(trx: Transaction<Database>, stackId?: number): Promise<void> {
  const only = stackId === undefined ? sql`` : sql`and si.stack_id = ${stackId}`;
  await sql`
    insert into component_stack (sbom_id, idx, stack_id, organisation_id, matched_by)
    select c.sbom_id, c.idx, si.stack_id, c.organisation_id, 'purl' from component c
      join stack_identifier si on si.kind = 'purl' and si.value = split_part(c.purl_key, '@', 1) ${only}
      where c.purl_key is not null
    on conflict do nothing`.execute(trx);
  await sql`
    insert into component_stack (sbom_id, idx, stack_id, organisation_id, matched_by)
    select c.sbom_id, c.idx, si.stack_id, c.organisation_id, 'cpe' from component c
      join stack_identifier si on si.kind = 'cpe' and si.value = split_part(c.cpe, ':', 3) || ':' || split_part(c.cpe, ':', 4) || ':' || split_part(c.cpe, ':', 5) ${only}
      where c.cpe is not null
    on conflict do nothing`.execute(trx);
  await sql`
    insert into component_stack (sbom_id, idx, stack_id, organisation_id, matched_by)
    select c.sbom_id, c.idx, si.stack_id, c.organisation_id, 'name' from component c
      join stack_identifier si on si.kind = 'name' and si.value = ${STACK_NAME_KEY_SQL} ${only}
    on conflict do nothing`.execute(trx);
}

/** A catalogue entry as stored. */
export interface StackRecord {
  id: number;
  slug: string;
  name: string;
  vendorName: string;
  status: StackStatus;
  statusNote?: string;
  aliases: string[];
  purls: string[];
  cpes: string[];
  derivedFrom?: string;
  relation?: StackRelation;
  disclosures: string[];
  notes?: string;
  sources: Record<string, string[]>;
  builtin: boolean;
  organisationId?: number;
}

function stackRowToRecord(r: StackRow): StackRecord {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    vendorName: r.vendor_name,
    status: r.status as StackStatus,
    statusNote: r.status_note ?? undefined,
    aliases: r.aliases,
    purls: r.purls,
    cpes: r.cpes,
    derivedFrom: r.derived_from ?? undefined,
    relation: (r.relation as StackRelation | null) ?? undefined,
    disclosures: r.disclosures,
    notes: r.notes ?? undefined,
    sources: r.sources,
    builtin: r.builtin,
    organisationId: r.organisation_id ?? undefined,
  };
}

/** Catalogue entries by name; `search` (case-insensitive) matches id, name, vendor and aliases. */
export async function listStacks(db: Db, search?: string): Promise<StackRecord[]> {
  let q = db.selectFrom('stack').selectAll().orderBy(sql`lower(name)`).orderBy('id');
  if (search) {
    const like = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`(slug like ${like} or lower(name) like ${like} or lower(vendor_name) like ${like}
      or exists (select 1 from unnest(aliases) a where lower(a) like ${like}))`);
  }
  return (await q.execute()).map(stackRowToRecord);
}

/** One entry by catalogue id, or by a name or alias any component could carry (`Kasago`, `lwip`). */
export async function findStack(db: Db, idOrName: string): Promise<StackRecord | undefined> {
  const bySlug = await db.selectFrom('stack').selectAll().where('slug', '=', idOrName.toLowerCase()).executeTakeFirst();
  if (bySlug) return stackRowToRecord(bySlug);
  const byName = await db
    .selectFrom('stack')
    .selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('stack_identifier').select('stack_id').where('kind', '=', 'name').where('value', '=', stackNameKey(idOrName)))
    .orderBy('id')
    .executeTakeFirst();
  return byName && stackRowToRecord(byName);
}

/** Loads many entries at once (GraphQL DataLoader); the result follows the order of `ids`. */
export async function findStacksByIds(db: Db, ids: readonly number[]): Promise<(StackRecord | undefined)[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('stack').selectAll().where(sql<boolean>`id = any(${[...ids]}::bigint[])`).execute();
  const byId = new Map(rows.map((r) => [r.id, stackRowToRecord(r)]));
  return ids.map((id) => byId.get(id));
}

/** The entries derived from `slug` (rebrands, forks, embeddings), and theirs, transitively. */
export async function findDerivedStacks(db: Db, slug: string): Promise<StackRecord[]> {
  const rows = await sql<StackRow>`
    with recursive d(slug) as (
      select slug from stack where derived_from = ${slug}
      union
      select s.slug from stack s join d on s.derived_from = d.slug
    )
    select stack.* from stack join d using (slug) order by stack.name`.execute(db);
  return rows.rows.map(stackRowToRecord);
}

/**
 * Adds a vendor's entry: checks it (readable purls and CPEs, a new id, an existing derivedFrom, a source for
 * every fact kind it states), stores it and recognises it in every stored component, in one transaction.
 * Throws {@link StackEntryError} naming the field, the value and the rule.
 */
export async function addStack(db: Kysely<Database>, entry: StackEntry, organisationId: number): Promise<StackRecord> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(entry.id)) throw new StackEntryError('id', entry.id, 'an id is 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit');
  if (!entry.name.trim()) throw new StackEntryError('name', entry.name, 'a stack needs a name');
  if (!entry.vendor.trim()) throw new StackEntryError('stackVendor', entry.vendor, "a stack needs its vendor's name");
  stackIdentifiers(entry); // refuses unreadable purls and CPEs before anything is written
  const urls = Object.values(entry.sources).flat();
  if (!urls.length) throw new StackEntryError('sources', '[]', 'every catalogue fact needs a source: give at least one URL');
  for (const [fact, list] of Object.entries(entry.sources)) {
    if (!SOURCE_FACTS.has(fact)) throw new StackEntryError('sources.fact', fact, `a source backs one of ${[...SOURCE_FACTS].join(', ')}`);
    for (const url of list) if (!/^https?:\/\/\S+$/.test(url)) throw new StackEntryError(`sources[${fact}]`, url, 'a source is an http(s) URL');
  }
  const stated = [
    ['aliases', entry.aliases.length > 0],
    ['purls', entry.purls.length > 0],
    ['cpes', entry.cpes.length > 0],
    ['derivedFrom', Boolean(entry.derivedFrom)],
    ['status', entry.status !== 'unknown'],
  ] as const;
  const unsourced = stated.filter(([fact, given]) => given && !entry.sources[fact]?.length).map(([fact]) => fact);
  if (unsourced.length) throw new StackEntryError('sources', Object.keys(entry.sources).join(', '), `every fact stated needs a source URL; none given for ${unsourced.join(', ')}`);
  return db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('stack').select('id').where('slug', '=', entry.id).executeTakeFirst()) {
      throw new StackEntryError('id', entry.id, 'the catalogue already has a stack with this id');
    }
    if (entry.derivedFrom && !(await trx.selectFrom('stack').select('id').where('slug', '=', entry.derivedFrom).executeTakeFirst())) {
      throw new StackEntryError('derivedFrom', entry.derivedFrom, 'names no stack of the catalogue');
    }
    const id = await writeStack(trx, entry, { builtin: false, organisationId });
    await recogniseStacksEverywhere(trx, id);
    const row = await trx.selectFrom('stack').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await recordAudit(trx, { action: 'stack.add', targetType: 'stack', targetId: entry.id, detail: { name: entry.name, vendor: entry.vendor ?? null } });
    return stackRowToRecord(row);
  });
}

const SOURCE_FACTS = new Set(['aliases', 'purls', 'cpes', 'derivedFrom', 'status', 'name', 'vendor']);
