/**
 * @module
 * Resolvers of parties, tokens, grants and the audit log (schema.graphql: me, apiTokens, uploadGrants, auditLog and
 * the admin mutations). Who may call each is decided before they run (src/access/access-rules.ts); the rows they see
 * are decided again by row-level security.
 */
import { isRole, type Role as RoleModel } from '../../access/principal.js';
import {
  AccessInputError,
  grantUpload,
  issueApiToken,
  listApiTokens,
  listAudit,
  listUploadGrants,
  recordAudit,
  revokeApiToken,
  revokeUploadGrant,
} from '../../store/access.repository.js';
import { findOrganisationByKey } from '../../store/organisation.repository.js';
import { normaliseVendorName } from '../../normalise/normalise-vendor-name.js';
import type { Organisation as OrganisationModel } from '../../model/sbom-record.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput } from '../errors.js';
import { parseNumericId } from '../ids.js';
import type { ApiTokenResolvers, AuditEntryResolvers, CreatedApiTokenResolvers, MeResolvers, MutationResolvers, OrganisationResolvers, QueryResolvers, Role, UploadGrantResolvers } from '../resolvers-types.generated.js';

const MAX_EXPIRY_DAYS = 3650;

const roleToEnum = (r: string): Role => r.toUpperCase() as Role;
const roleFromEnum = (r: Role): RoleModel => r.toLowerCase() as RoleModel;

async function organisationNamed(ctx: GraphQLContext, argument: string, name: string): Promise<OrganisationModel> {
  const key = normaliseVendorName(name);
  const found = key ? await findOrganisationByKey(ctx.db, key) : undefined;
  if (!found) throw badUserInput(`'${argument}' value '${name.slice(0, 100)}' names no organisation known to patchpath.`);
  return found;
}

function principalOf(ctx: GraphQLContext) {
  if (!ctx.principal) throw badUserInput('this operation needs an authenticated caller');
  return ctx.principal;
}

export const accessQueries: Pick<QueryResolvers, 'me' | 'apiTokens' | 'uploadGrants' | 'auditLog'> = {
  me: (_, __, ctx) => principalOf(ctx),

  apiTokens: async (_, { organisation, includeRevoked }, ctx) => {
    const org = organisation == null ? undefined : await organisationNamed(ctx, 'organisation', organisation);
    return listApiTokens(ctx.db, { organisationId: org?.id, includeRevoked: includeRevoked ?? false });
  },

  uploadGrants: async (_, { grantee }, ctx) => {
    const org = grantee == null ? undefined : await organisationNamed(ctx, 'grantee', grantee);
    return listUploadGrants(ctx.db, { granteeId: org?.id });
  },

  auditLog: async (_, { first, before, action, organisation }, ctx) => {
    const n = first ?? 50;
    if (!Number.isInteger(n) || n < 1 || n > 500) throw badUserInput(`'first' argument value ${n} must be between 1 and 500.`);
    const org = organisation == null ? undefined : await organisationNamed(ctx, 'organisation', organisation);
    return listAudit(ctx.db, { first: n, before: before == null ? undefined : parseNumericId('before', before), action: action ?? undefined, organisationId: org?.id });
  },
};

export const accessMutations: Pick<MutationResolvers, 'createApiToken' | 'revokeApiToken' | 'grantUpload' | 'revokeUploadGrant'> = {
  createApiToken: async (_, { organisation, role, name, expiresInDays }, ctx) => {
    const days = expiresInDays ?? 90;
    if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS) throw badUserInput(`'expiresInDays' value ${days} must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}.`);
    if (name != null && name.length > 200) throw badUserInput(`'name' is ${name.length} characters long; at most 200 are kept.`);
    const roleModel = roleFromEnum(role);
    if (!isRole(roleModel)) throw badUserInput(`'role' value '${role}' is not a role.`);
    const principal = principalOf(ctx);
    try {
      return await issueApiToken(ctx.db, { organisation, role: roleModel, name: name ?? '', expiresAt: new Date(ctx.now().getTime() + days * 86_400_000), createdBy: principal.tokenId, requestId: ctx.requestId });
    } catch (e) {
      if (e instanceof AccessInputError) throw badUserInput(`'organisation': ${e.message}.`);
      throw e;
    }
  },

  revokeApiToken: async (_, { id }, ctx) => {
    const tokenId = parseNumericId('id', id);
    return ctx.db.transaction().execute(async (trx) => {
      const revoked = await revokeApiToken(trx, tokenId, ctx.now());
      if (!revoked) throw badUserInput(`'id' value '${id}' names no API token.`);
      await recordAudit(trx, { action: 'token.revoke', targetType: 'api_token', targetId: tokenId, requestId: ctx.requestId, detail: { organisation: revoked.organisation.name, role: revoked.role, prefix: revoked.prefix } });
      return revoked;
    });
  },

  grantUpload: async (_, { grantee, supplier }, ctx) => {
    const a = await organisationNamed(ctx, 'grantee', grantee);
    const b = await organisationNamed(ctx, 'supplier', supplier);
    if (a.kind !== 'vendor') throw badUserInput(`'grantee' value '${grantee}' is a ${a.kind} organisation; only vendors upload documents.`);
    if (b.kind !== 'vendor') throw badUserInput(`'supplier' value '${supplier}' is a ${b.kind} organisation; only vendors supply products.`);
    if (a.id === b.id) throw badUserInput(`'grantee' and 'supplier' are both '${a.name}': a vendor may always upload its own products' documents.`);
    return ctx.db.transaction().execute(async (trx) => {
      const grant = await grantUpload(trx, a, b, principalOf(ctx).tokenId);
      await recordAudit(trx, { action: 'grant.create', targetType: 'upload_grant', targetId: grant.id, requestId: ctx.requestId, detail: { grantee: a.name, supplier: b.name } });
      return grant;
    });
  },

  revokeUploadGrant: async (_, { grantee, supplier }, ctx) => {
    const a = await organisationNamed(ctx, 'grantee', grantee);
    const b = await organisationNamed(ctx, 'supplier', supplier);
    return ctx.db.transaction().execute(async (trx) => {
      const removed = await revokeUploadGrant(trx, a.id, b.id);
      if (removed) await recordAudit(trx, { action: 'grant.revoke', targetType: 'upload_grant', requestId: ctx.requestId, detail: { grantee: a.name, supplier: b.name } });
      return removed;
    });
  },
};

export const Organisation: OrganisationResolvers = {
  id: (o) => String(o.id),
  kind: (o) => roleToEnum(o.kind),
};

export const Me: MeResolvers = {
  role: (p) => roleToEnum(p.role),
  organisation: async (p, _, ctx) => (await ctx.loaders.organisation.load(p.organisationId)) ?? { id: p.organisationId, kind: 'vendor', name: p.organisationName, nameKey: '' },
  tokenId: (p) => (p.tokenId === null ? null : String(p.tokenId)),
};

export const ApiToken: ApiTokenResolvers = {
  id: (t) => String(t.id),
  role: (t) => roleToEnum(t.role),
};

export const CreatedApiToken: CreatedApiTokenResolvers = {
  apiToken: (c) => c.record,
};

export const UploadGrant: UploadGrantResolvers = {
  id: (g) => String(g.id),
};

export const AuditEntry: AuditEntryResolvers = {
  id: (e) => String(e.id),
  role: (e) => e.role.toUpperCase(),
  organisation: async (e, _, ctx) => (e.organisationId === null ? null : ((await ctx.loaders.organisation.load(e.organisationId)) ?? null)),
  tokenId: (e) => (e.tokenId === null ? null : String(e.tokenId)),
  detail: (e) => JSON.stringify(e.detail),
};

