/**
 * Row-level security in the database itself (migrations/202611300900_create_access.sql), on both backends: queries
 * run as a request's principal (src/db/principal-dialect.ts) cannot see or write another tenant's rows even when the
 * code asks for them without any filter, which is what protects the tenants from a bug in a resolver.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runAs, type Principal } from '../../src/access/principal.js';
import { createApiToken, ensureOrganisation, listAudit, lookUpApiToken, recordAudit, revokeApiToken } from '../../src/store/access.repository.js';
import { ingestInventory } from '../../src/store/ingest-inventory.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { AccessError } from '../../src/access/access-error.js';
import { demoSbom, PUMP } from '../helpers/demo-sboms.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';

const CSV = 'asset_tag,vendor,model,firmware_version\nA-1,Medisyn Medical GmbH,ip3000-firmware,2.4.0\nA-2,Medisyn Medical GmbH,ip3000-firmware,2.4.0\n';

describe.each(BACKENDS)('row-level security on %s', (backend) => {
  const t = useTestDb(backend);

  async function party(name: string, role: Principal['role']): Promise<Principal> {
    const org = await ensureOrganisation(t().db, name, role);
    return { tokenId: null, organisationId: org.id, organisationName: org.name, role };
  }

  async function twoHospitals() {
    await ingestInventory(t().db, Buffer.from(CSV), { operator: 'Hospital A', format: 'csv' });
    await ingestInventory(t().db, Buffer.from(CSV.replaceAll('A-', 'B-')), { operator: 'Hospital B', format: 'csv' });
    return { a: await party('Hospital A', 'operator'), b: await party('Hospital B', 'operator') };
  }

  const allDevices = () => sql<{ asset_tag: string }>`select asset_tag from device order by asset_tag`.execute(t().db).then((r) => r.rows.map((d) => d.asset_tag));

  it('shows an operator only its own devices, even to a query without any filter', async () => {
    const { a, b } = await twoHospitals();
    expect(await allDevices()).toEqual(['A-1', 'A-2', 'B-1', 'B-2']); // the owner (start-up, CLI) sees all
    expect(await runAs(a, allDevices)).toEqual(['A-1', 'A-2']);
    expect(await runAs(b, allDevices)).toEqual(['B-1', 'B-2']);
    // A write aimed at the other hospital's rows touches none of them.
    const deleted = await runAs(a, () => sql`delete from device where asset_tag like 'B-%'`.execute(t().db));
    expect(Number(deleted.numAffectedRows)).toBe(0);
    expect(await allDevices()).toHaveLength(4);
  });

  it('shows procurement and vendors no inventory at all, and admins every one', async () => {
    await twoHospitals();
    expect(await runAs(await party('Buyers', 'procurement'), allDevices)).toEqual([]);
    expect(await runAs(await party('Medisyn Medical GmbH', 'vendor'), allDevices)).toEqual([]);
    expect(await runAs(await party('Admins', 'admin'), allDevices)).toHaveLength(4);
  });

  it('lets every party read published SBOMs', async () => {
    await ingestSbom(t().db, demoSbom(PUMP));
    const count = () => sql<{ n: number }>`select count(*)::int as n from sbom`.execute(t().db).then((r) => r.rows[0]!.n);
    for (const p of [await party('Hospital A', 'operator'), await party('Buyers', 'procurement'), await party('Other Vendor', 'vendor')]) expect(await runAs(p, count)).toBe(1);
  });

  it("refuses, in the database, an sbom row owned by another vendor, whatever the code above asks", async () => {
    const medisyn = await party('Medisyn Medical GmbH', 'vendor');
    const other = await party('Other Vendor', 'vendor');
    const insert = () =>
      sql`insert into sbom (organisation_id, sha256, byte_size, format, spec_version, schema_valid, component_count, relationship_count, issue_count, authors, tools)
          values (${medisyn.organisationId}, ${'f'.repeat(64)}, 1, 'cyclonedx-json', '1.6', true, 0, 0, 0, '[]', '[]')`.execute(t().db);
    await expect(runAs(other, insert)).rejects.toThrow(/row-level security/);
    await runAs(medisyn, insert);
    expect(Number((await sql<{ n: number }>`select count(*) as n from sbom`.execute(t().db)).rows[0]!.n)).toBe(1);
  });

  it("refuses a vendor's upload of another vendor's product with a clear error, and stores nothing", async () => {
    const other = await party('Other Vendor', 'vendor');
    const error = await runAs(other, () => ingestSbom(t().db, demoSbom(PUMP))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessError);
    expect((error as AccessError).status).toBe(403);
    expect((error as AccessError).message).toMatch(/subject 'ip3000-firmware 2\.4\.0' is supplied by 'Medisyn Medical GmbH', not by vendor 'Other Vendor'/);
    expect(Number((await sql<{ n: number }>`select (select count(*) from sbom) + (select count(*) from component) as n`.execute(t().db)).rows[0]!.n)).toBe(0);
    // The rightful vendor may; afterwards the same bytes are still not the other vendor's to claim as a duplicate.
    const medisyn = await party('Medisyn Medical GmbH', 'vendor');
    expect((await runAs(medisyn, () => ingestSbom(t().db, demoSbom(PUMP)))).status).toBe('accepted');
    await expect(runAs(other, () => ingestSbom(t().db, demoSbom(PUMP)))).rejects.toBeInstanceOf(AccessError);
  });

  it('keeps the audit log append-only, readable by admins only, and writes one entry per write', async () => {
    const medisyn = await party('Medisyn Medical GmbH', 'vendor');
    await runAs(medisyn, () => ingestSbom(t().db, demoSbom(PUMP)));
    const admin = await party('Admins', 'admin');
    const entries = await runAs(admin, () => listAudit(t().db, { action: 'sbom.ingest', organisationId: medisyn.organisationId, first: 10 }));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ role: 'vendor', organisationId: medisyn.organisationId, targetType: 'sbom', detail: { supplier: 'Medisyn Medical GmbH', subject: 'ip3000-firmware' } });
    expect(await runAs(medisyn, () => listAudit(t().db, { first: 10 }))).toEqual([]);
    // Not even the owner changes history: the trigger refuses updates and deletes.
    await expect(sql`update audit_log set action = 'nothing'`.execute(t().db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t().db)).rejects.toThrow(/append-only/);
    // A caller cannot write an entry in another party's name.
    await expect(runAs(medisyn, () => recordAudit(t().db, { action: 'forged' }, admin))).rejects.toThrow(/row-level security/);
  });

  it('accepts a token until it is revoked or expires, and keeps only its hash', async () => {
    const org = await ensureOrganisation(t().db, 'Medisyn Medical GmbH', 'vendor');
    const now = new Date('2026-11-29T00:00:00Z');
    const made = await createApiToken(t().db, { organisation: org, role: 'vendor', expiresAt: new Date('2026-12-29T00:00:00Z') });
    expect(made.token).toMatch(/^pp_[A-Za-z0-9_-]{43}$/);
    const stored = await sql<{ token_hash: string; token_prefix: string }>`select token_hash, token_prefix from api_token`.execute(t().db);
    expect(stored.rows[0]!.token_hash).not.toContain(made.token.slice(3));
    expect(made.token.startsWith(stored.rows[0]!.token_prefix)).toBe(true);
    expect(await lookUpApiToken(t().db, made.token, now)).toMatchObject({ ok: true, principal: { role: 'vendor', organisationId: org.id } });
    expect(await lookUpApiToken(t().db, `${made.token.slice(0, -1)}x`, now)).toEqual({ ok: false, reason: 'unknown' });
    expect(await lookUpApiToken(t().db, made.token, new Date('2026-12-30T00:00:00Z'))).toMatchObject({ ok: false, reason: 'expired' });
    await revokeApiToken(t().db, made.record.id, now);
    expect(await lookUpApiToken(t().db, made.token, now)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('refuses a token for an organisation of another kind', async () => {
    await ensureOrganisation(t().db, 'Hospital A', 'operator');
    await expect(ensureOrganisation(t().db, 'Hospital A', 'vendor')).rejects.toThrow("'Hospital A' is an operator organisation ('Hospital A'); a vendor token must belong to a vendor organisation");
  });
});
