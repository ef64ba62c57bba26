/**
 * @module
 * Tokens, upload grants and the audit log (migrations/202611300900_create_access.sql). Reads and writes run as
 * whoever the caller is (src/db/principal-dialect.ts): an admin's request sees every token, another party's only its
 * own; start-up and the CLI run as the connecting user.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { apiTokenPrefix, generateApiToken, hashApiToken } from '../access/api-token.js';
import { currentPrincipal, type Principal, type Role } from '../access/principal.js';
import type { Organisation } from '../model/sbom-record.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { pgJson } from './bulk-insert.js';
import { findOrganisationByKey } from './organisation.repository.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ApiTokenRecord {
  id: number;
  organisation: Organisation;
  role: Role;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** An organisation name or role that cannot make a token: names the value and the rule. */
export class AccessInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessInputError';
  }
}

/** The organisation kind each role acts for: a vendor token speaks for a vendor, and so on. */
const KIND_OF_ROLE: Record<Role, Organisation['kind']> = { admin: 'admin', vendor: 'vendor', operator: 'operator', procurement: 'procurement' };

/**
 * The organisation of that name, created with the kind `role` acts for when there is none yet.
 *
 * @throws AccessInputError when the name is unusable or names an organisation of another kind.
 */
export async function ensureOrganisation(db: Db, name: string, role: Role): Promise<Organisation> {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  const key = trimmed.length > 0 && trimmed.length <= 200 && !/[\u0000-\u001f\u007f]/.test(trimmed) && trimmed.isWellFormed() ? normaliseVendorName(trimmed) : undefined;
  if (!key) throw new AccessInputError(`organisation name '${name.slice(0, 100)}' is not usable: it must hold letters or digits, no control characters, and be at most 200 characters long`);
  const kind = KIND_OF_ROLE[role];
  let found = await findOrganisationByKey(db, key);
  if (!found) {
    await db.insertInto('organisation').values({ kind, name: trimmed, name_key: key }).onConflict((oc) => oc.column('name_key').doNothing()).execute();
    found = (await findOrganisationByKey(db, key))!;
  }
  if (found.kind !== kind) {
    throw new AccessInputError(`'${trimmed}' is ${an(found.kind)} ${found.kind} organisation ('${found.name}'); ${an(role)} ${role} token must belong to ${an(kind)} ${kind} organisation`);
  }
  return found;
}

const an = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

export interface CreatedApiToken {
  /** The token itself: shown once, never stored. */
  token: string;
  record: ApiTokenRecord;
}

/** Creates a token for `organisation` with `role`, valid until `expiresAt`. `token` may be given (a configured bootstrap token). */
export async function createApiToken(
  db: Db,
  input: { organisation: Organisation; role: Role; name?: string; expiresAt: Date; createdBy?: number | null; token?: string },
): Promise<CreatedApiToken> {
  const token = input.token ?? generateApiToken();
  const row = await db
    .insertInto('api_token')
    .values({
      organisation_id: input.organisation.id,
      role: input.role,
      name: input.name ?? '',
      token_hash: hashApiToken(token),
      token_prefix: apiTokenPrefix(token),
      expires_at: input.expiresAt,
      created_by: input.createdBy ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, record: { id: row.id, organisation: input.organisation, role: input.role, name: row.name, prefix: row.token_prefix, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: null, lastUsedAt: null } };
}

/**
 * Issues a token the one way every door does (GraphQL, the command line, start-up): the organisation found or created
 * with the kind `role` acts for, the token, and its audit entry, in one transaction.
 *
 * @throws AccessInputError when the organisation name is unusable or names an organisation of another kind.
 */
export async function issueApiToken(
  db: Kysely<Database>,
  input: { organisation: string; role: Role; name: string; expiresAt: Date; createdBy?: number | null; requestId?: string; via?: string },
): Promise<CreatedApiToken> {
  return db.transaction().execute(async (trx) => {
    const org = await ensureOrganisation(trx, input.organisation, input.role);
    const made = await createApiToken(trx, { organisation: org, role: input.role, name: input.name, expiresAt: input.expiresAt, createdBy: input.createdBy });
    const detail = { organisation: org.name, role: input.role, name: input.name, prefix: made.record.prefix, expiresAt: made.record.expiresAt.toISOString(), ...(input.via ? { via: input.via } : {}) };
    await recordAudit(trx, { action: 'token.create', targetType: 'api_token', targetId: made.record.id, requestId: input.requestId, detail });
    return made;
  });
}

/** What a presented token stands for, or why it stands for nothing. */
export type TokenLookup = { ok: true; principal: Principal; lastUsedAt: Date | null } | { ok: false; reason: 'unknown' | 'revoked' | 'expired'; at?: Date };

export async function lookUpApiToken(db: Db, token: string, now: Date): Promise<TokenLookup> {
  const row = await db
    .selectFrom('api_token as t')
    .innerJoin('organisation as o', 'o.id', 't.organisation_id')
    .select(['t.id', 't.role', 't.expires_at', 't.revoked_at', 't.last_used_at', 't.organisation_id', 'o.name as organisation_name'])
    .where('t.token_hash', '=', hashApiToken(token))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked', at: row.revoked_at };
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired', at: row.expires_at };
  return { ok: true, principal: { tokenId: row.id, organisationId: row.organisation_id, organisationName: row.organisation_name, role: row.role as Role }, lastUsedAt: row.last_used_at };
}

export async function touchApiToken(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** @returns the revoked token, or undefined when there is no such token (or the caller may not see it). */
export async function revokeApiToken(db: Db, id: number, at: Date): Promise<ApiTokenRecord | undefined> {
  await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  return (await listApiTokens(db, { ids: [id] }))[0];
}

export async function listApiTokens(db: Db, filter: { ids?: number[]; organisationId?: number; includeRevoked?: boolean } = {}): Promise<ApiTokenRecord[]> {
  let q = db
    .selectFrom('api_token as t')
    .innerJoin('organisation as o', 'o.id', 't.organisation_id')
    .select(['t.id', 't.role', 't.name', 't.token_prefix', 't.created_at', 't.expires_at', 't.revoked_at', 't.last_used_at', 'o.id as org_id', 'o.kind', 'o.name as org_name', 'o.name_key'])
    .orderBy('t.id');
  if (filter.ids) q = q.where(sql<boolean>`t.id = any(${filter.ids}::bigint[])`);
  if (filter.organisationId !== undefined) q = q.where('t.organisation_id', '=', filter.organisationId);
  if (!filter.ids && !filter.includeRevoked) q = q.where('t.revoked_at', 'is', null);
  return (await q.execute()).map((r) => ({
    id: r.id,
    organisation: { id: r.org_id, kind: r.kind, name: r.org_name, nameKey: r.name_key },
    role: r.role as Role,
    name: r.name,
    prefix: r.token_prefix,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  }));
}

export async function countActiveApiTokens(db: Db, now: Date): Promise<number> {
  const r = await db.selectFrom('api_token').select((eb) => eb.fn.countAll<number>().as('n')).where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Whether a token with exactly this value exists (a configured bootstrap token is created once). */
export async function apiTokenExists(db: Db, token: string): Promise<boolean> {
  return (await db.selectFrom('api_token').select('id').where('token_hash', '=', hashApiToken(token)).executeTakeFirst()) !== undefined;
}

export interface UploadGrant {
  id: number;
  grantee: Organisation;
  supplier: Organisation;
  grantedAt: Date;
}

/** Lets vendor `grantee` upload documents whose subject supplier is `supplier`; granting twice changes nothing. */
export async function grantUpload(db: Db, grantee: Organisation, supplier: Organisation, grantedBy: number | null): Promise<UploadGrant> {
  await db.insertInto('upload_grant').values({ grantee_id: grantee.id, supplier_id: supplier.id, granted_by: grantedBy }).onConflict((oc) => oc.constraint('upload_grant_key').doNothing()).execute();
  return (await listUploadGrants(db, { granteeId: grantee.id, supplierId: supplier.id }))[0]!;
}

export async function revokeUploadGrant(db: Db, granteeId: number, supplierId: number): Promise<boolean> {
  const r = await db.deleteFrom('upload_grant').where('grantee_id', '=', granteeId).where('supplier_id', '=', supplierId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function listUploadGrants(db: Db, filter: { granteeId?: number; supplierId?: number } = {}): Promise<UploadGrant[]> {
  let q = db
    .selectFrom('upload_grant as g')
    .innerJoin('organisation as a', 'a.id', 'g.grantee_id')
    .innerJoin('organisation as b', 'b.id', 'g.supplier_id')
    .select(['g.id', 'g.granted_at', 'a.id as a_id', 'a.kind as a_kind', 'a.name as a_name', 'a.name_key as a_key', 'b.id as b_id', 'b.kind as b_kind', 'b.name as b_name', 'b.name_key as b_key'])
    .orderBy('g.id');
  if (filter.granteeId !== undefined) q = q.where('g.grantee_id', '=', filter.granteeId);
  if (filter.supplierId !== undefined) q = q.where('g.supplier_id', '=', filter.supplierId);
  return (await q.execute()).map((r) => ({
    id: r.id,
    grantee: { id: r.a_id, kind: r.a_kind, name: r.a_name, nameKey: r.a_key },
    supplier: { id: r.b_id, kind: r.b_kind, name: r.b_name, nameKey: r.b_key },
    grantedAt: r.granted_at,
  }));
}

/** Whether `principal` may write documents owned by organisation `ownerId` (the rule of patchpath_may_write_for). */
export async function mayWriteFor(db: Db, principal: Principal, ownerId: number | null): Promise<boolean> {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'vendor' || ownerId === null) return false;
  if (ownerId === principal.organisationId) return true;
  return (await listUploadGrants(db, { granteeId: principal.organisationId, supplierId: ownerId })).length > 0;
}

export interface AuditEntry {
  id: number;
  at: Date;
  tokenId: number | null;
  organisationId: number | null;
  role: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown>;
  requestId: string | null;
}

/**
 * Appends one entry, as the running request's principal (or as `system` outside a request), in the caller's
 * transaction so that the entry exists exactly when the write does.
 */
export async function recordAudit(db: Db, entry: { action: string; targetType?: string; targetId?: string | number; detail?: Record<string, unknown>; requestId?: string }, principal: Principal | undefined = currentPrincipal()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      token_id: principal?.tokenId ?? null,
      organisation_id: principal?.organisationId ?? null,
      role: principal?.role ?? 'system',
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId === undefined ? null : String(entry.targetId),
      // The detail quotes document text (a subject name), which may hold NUL or unpaired surrogates; jsonb refuses both.
      detail: pgJson(entry.detail ?? {}),
      request_id: entry.requestId ?? null,
    })
    .execute();
}

/** Newest first, keyset-paginated on id. */
export async function listAudit(db: Db, filter: { action?: string; organisationId?: number; before?: number; first: number }): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.first);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
  if (filter.before !== undefined) q = q.where('id', '<', filter.before);
  return (await q.execute()).map((r) => ({
    id: r.id,
    at: r.at,
    tokenId: r.token_id,
    organisationId: r.organisation_id,
    role: r.role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    detail: r.detail as Record<string, unknown>,
    requestId: r.request_id,
  }));
}
