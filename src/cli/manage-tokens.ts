/**
 * @module
 * `patchpath token create|revoke`: the command line owns the database, so it acts as the instance's operator would
 * (no principal); each change is audited as `system`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Role } from '../access/principal.js';
import { createApiToken, ensureOrganisation, recordAudit, revokeApiToken, type ApiTokenRecord, type CreatedApiToken } from '../store/access.repository.js';

export async function createTokenFromCli(db: Kysely<Database>, input: { organisation: string; role: Role; name: string; days: number; now: Date }): Promise<CreatedApiToken> {
  return db.transaction().execute(async (trx) => {
    const org = await ensureOrganisation(trx, input.organisation, input.role);
    const made = await createApiToken(trx, { organisation: org, role: input.role, name: input.name, expiresAt: new Date(input.now.getTime() + input.days * 86_400_000) });
    await recordAudit(trx, { action: 'token.create', targetType: 'api_token', targetId: made.record.id, detail: { organisation: org.name, role: input.role, name: input.name, prefix: made.record.prefix, expiresAt: made.record.expiresAt.toISOString(), via: 'cli' } });
    return made;
  });
}

export async function revokeTokenFromCli(db: Kysely<Database>, id: number, now: Date): Promise<ApiTokenRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    const revoked = await revokeApiToken(trx, id, now);
    if (revoked) await recordAudit(trx, { action: 'token.revoke', targetType: 'api_token', targetId: id, detail: { organisation: revoked.organisation.name, role: revoked.role, prefix: revoked.prefix, via: 'cli' } });
    return revoked;
  });
}
