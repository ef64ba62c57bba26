/**
 * @module
 * The TCP/IP stack catalogue (DOMAIN.md "Identity": stack aliases come from the project's own catalogue): the
 * builtin entries of tcpip-stacks.json, each fact with its source, plus the entries vendors add. A stack is
 * recognised in any tier of any document by purl (without version), CPE product or name/alias.
 */
import { readFileSync } from 'node:fs';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { NormalisedComponent } from '../model/normalised-sbom.js';
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

/** How names are compared: case, surrounding and repeated white space do not matter. */
export function stackNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

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
    const before = await trx.selectFrom('stack_identifier').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    for (const entry of BUILTIN_STACKS) await writeStack(trx, entry, { builtin: true, organisationId: null });
    const after = await trx.selectFrom('stack_identifier').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    if (Number(after.n) !== Number(before.n)) await recogniseStacksEverywhere(trx);
    return { added: Number(after.n) - Number(before.n) };
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

/** The identifiers of every catalogue entry, for recognising stacks in a document being stored. */
export async function loadStackIdentifiers(db: Db): Promise<Map<string, { stackId: number; kind: StackIdentifierKind }[]>> {
  const rows = await db.selectFrom('stack_identifier').select(['stack_id', 'kind', 'value']).execute();
  const byKey = new Map<string, { stackId: number; kind: StackIdentifierKind }[]>();
  for (const r of rows) {
    const key = `${r.kind}\u0000${r.value}`;
    const list = byKey.get(key) ?? [];
    list.push({ stackId: r.stack_id, kind: r.kind as StackIdentifierKind });
    byKey.set(key, list);
  }
  return byKey;
}

/** The stacks one component is recognised as, strongest identifier first (purl, then CPE, then name). */
export function recogniseStacks(
  c: Pick<NormalisedComponent, 'purlIdentity' | 'cpe' | 'name'>,
  identifiers: Map<string, { stackId: number; kind: StackIdentifierKind }[]>,
): { stackId: number; matchedBy: StackIdentifierKind }[] {
  const found = new Map<number, StackIdentifierKind>();
  const look = (kind: StackIdentifierKind, value: string | undefined) => {
    if (value === undefined) return;
    for (const hit of identifiers.get(`${kind}\u0000${value}`) ?? []) if (!found.has(hit.stackId)) found.set(hit.stackId, kind);
  };
  look('purl', c.purlIdentity ? purlProduct(c.purlIdentity.key) : undefined);
  look('cpe', c.cpe ? cpeProduct(c.cpe) : undefined);
  look('name', c.name ? stackNameKey(c.name) : undefined);
  return [...found].map(([stackId, matchedBy]) => ({ stackId, matchedBy }));
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
      join stack_identifier si on si.kind = 'name' and si.value = lower(regexp_replace(btrim(c.name), '\\s+', ' ', 'g')) ${only}
    on conflict do nothing`.execute(trx);
}
