/**
 * @module
 * `patchpath token create|revoke`: the command line owns the database, so it acts as the instance's operator would
 * (no principal); each change is audited as `system`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Role } from '../access/principal.js';
import { issueApiToken, recordAudit, revokeApiToken, type ApiTokenRecord, type CreatedApiToken } from '../store/access.repository.js';

export function createTokenFromCli(db: Kysely<Database>, input: { organisation: string; role: Role; name: string; days: number; now: Date }): Promise<CreatedApiToken> {
  return issueApiToken(db, { organisation: input.organisation, role: input.role, name: input.name, expiresAt: new Date(input.now.getTime() + input.days * 86_400_000), via: 'cli' });
}

export async function revokeTokenFromCli(db: Kysely<Database>, id: number, now: Date): Promise<ApiTokenRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    const revoked = await revokeApiToken(trx, id, now);
    if (revoked) await recordAudit(trx, { action: 'token.revoke', targetType: 'api_token', targetId: id, detail: { organisation: revoked.organisation.name, role: revoked.role, prefix: revoked.prefix, via: 'cli' } });
    return revoked;
  });
}
