/**
 * The authorisation matrix: every GraphQL Query and Mutation field of schema.graphql and every REST route of the app,
 * called over real HTTP by every role, on its own tenant's data and on another's, each with the expected allow or
 * deny. The operations are read from the schema and the routes from the app, so a new field or route without an
 * entry below fails this test instead of slipping through untested. The expectations are written here from
 * DOMAIN.md's parties, independently of src/access/access-rules.ts.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/principal.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createIngester } from '../../src/ingester.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createApiToken, ensureOrganisation } from '../../src/store/access.repository.js';
import { ingestInventory } from '../../src/store/ingest-inventory.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';
import { SCHEMA_PATH } from '../../src/graphql/yoga.js';
import { demoSbom, PUMP } from '../helpers/demo-sboms.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { vexDocument } from '../helpers/vex-world.js';

const ROLES: Role[] = ['admin', 'vendor', 'operator', 'procurement'];
/** Whose data a call is about: the caller's own tenant, or another one. */
type Tenant = 'own' | 'other';

const VENDOR = 'Medisyn Medical GmbH'; // supplies the demo pump (PUMP)
const OTHER_VENDOR = 'Keystone Embedded Systems';
const HOSPITAL = 'Matrix General Hospital';
const OTHER_HOSPITAL = 'Other Clinic';

/** Who may, per DOMAIN.md: `tenant` rules apply to vendors' uploads and operators' inventories. */
type Expect = { roles: Role[]; tenant?: 'vendor' | 'operator' };
const EVERYONE: Expect = { roles: ['admin', 'vendor', 'operator', 'procurement'] };
const ADMIN: Expect = { roles: ['admin'] };
const INVENTORY: Expect = { roles: ['admin', 'operator'], tenant: 'operator' };
const PUBLISH: Expect = { roles: ['admin', 'vendor'], tenant: 'vendor' };

const inventoryCsv = 'asset_tag,vendor,model,firmware_version\nM-1,Medisyn Medical GmbH,ip3000-firmware,2.4.0\n';

/** One call per field: `own`/`other` pick the tenant (the operator named, the vendor whose document is sent). */
const GRAPHQL: Record<string, Expect & { call: (tenant: Tenant) => { query: string; variables?: Record<string, unknown> } }> = {
  'Query.me': { ...EVERYONE, call: () => ({ query: '{ me { role } }' }) },
  'Query.sbom': { ...EVERYONE, call: () => ({ query: '{ sbom(id: "1") { id } }' }) },
  'Query.sboms': { ...EVERYONE, call: () => ({ query: '{ sboms(first: 1) { edges { node { id } } } }' }) },
  'Query.component': { ...EVERYONE, call: () => ({ query: '{ component(id: "1:0") { name } }' }) },
  'Query.components': { ...EVERYONE, call: () => ({ query: '{ components(filter: { name: "lwip" }, first: 1) { edges { node { name } } } }' }) },
  'Query.vendor': { ...EVERYONE, call: () => ({ query: `{ vendor(name: "${VENDOR}") { name } }` }) },
  'Query.vendors': { ...EVERYONE, call: () => ({ query: '{ vendors(first: 1) { edges { node { name } } } }' }) },
  'Query.chains': { ...EVERYONE, call: () => ({ query: '{ chains(product: { sbomId: "1" }) { chains { depth } } }' }) },
  'Query.stackExposure': { ...EVERYONE, call: () => ({ query: '{ stackExposure(stack: "lwip") { products { depth } } }' }) },
  'Query.vendorNetwork': { ...EVERYONE, call: () => ({ query: `{ vendorNetwork(vendor: { name: "${VENDOR}" }) { suppliers { distance } } }` }) },
  'Query.openHops': { ...EVERYONE, call: () => ({ query: '{ openHops(first: 1) { components } }' }) },
  'Query.stacks': { ...EVERYONE, call: () => ({ query: '{ stacks { id } }' }) },
  'Query.stack': { ...EVERYONE, call: () => ({ query: '{ stack(id: "lwip") { name } }' }) },
  'Query.advisory': { ...EVERYONE, call: () => ({ query: '{ advisory(id: "1") { id } }' }) },
  'Query.advisories': { ...EVERYONE, call: () => ({ query: '{ advisories(first: 1) { edges { node { id } } } }' }) },
  'Query.vulnerability': { ...EVERYONE, call: () => ({ query: '{ vulnerability(id: "CVE-2099-0001") { id } }' }) },
  'Query.patchStatus': { ...EVERYONE, call: () => ({ query: '{ patchStatus(vulnerability: "CVE-2099-0001", product: { sbomId: "1" }) { action } }' }) },
  'Query.vendorPatchStatus': { ...EVERYONE, call: () => ({ query: `{ vendorPatchStatus(vendor: { name: "${VENDOR}" }, vulnerability: "CVE-2099-0001") { vendor { name } } }` }) },
  'Query.vulnerabilityTimeline': { ...EVERYONE, call: () => ({ query: '{ vulnerabilityTimeline(id: "CVE-2099-0001") { vulnerability { id } } }' }) },
  'Query.vexDocument': { ...EVERYONE, call: () => ({ query: '{ vexDocument(product: { sbomId: "1" }) }' }) },
  'Query.vendorScorecard': { ...EVERYONE, call: () => ({ query: `{ vendorScorecard(vendor: { name: "${VENDOR}" }) { verdict score } }` }) },
  'Query.vendorScorecards': { ...EVERYONE, call: () => ({ query: '{ vendorScorecards(first: 2) { total scorecards { rank scorecard { verdict } } } }' }) },
  'Query.compareVendors': { ...EVERYONE, call: () => ({ query: `{ compareVendors(vendors: [{ name: "${VENDOR}" }, { name: "${OTHER_VENDOR}" }]) { verdict } }` }) },
  'Query.vendorScorecardHistory': { ...EVERYONE, call: () => ({ query: `{ vendorScorecardHistory(vendor: { name: "${VENDOR}" }) { day score } }` }) },
  'Query.devices': { ...INVENTORY, call: (t) => ({ query: `{ devices(operator: "${t === 'own' ? HOSPITAL : OTHER_HOSPITAL}") { edges { node { assetTag } } } }` }) },
  'Query.affectedDevices': { ...INVENTORY, call: (t) => ({ query: `{ affectedDevices(operator: "${t === 'own' ? HOSPITAL : OTHER_HOSPITAL}", vulnerability: "CVE-2099-0001") { devices { action } } }` }) },
  'Query.apiTokens': { ...ADMIN, call: () => ({ query: '{ apiTokens { id role } }' }) },
  'Query.uploadGrants': { ...ADMIN, call: () => ({ query: '{ uploadGrants { id } }' }) },
  'Query.auditLog': { ...ADMIN, call: () => ({ query: '{ auditLog(first: 5) { action role } }' }) },
  'Mutation.ingestSbom': {
    ...PUBLISH,
    call: (t) => ({ query: 'mutation($d: String!) { ingestSbom(document: $d) { status } }', variables: { d: sbomOf(t === 'own' ? VENDOR : OTHER_VENDOR) } }),
  },
  'Mutation.ingestAdvisory': {
    ...PUBLISH,
    call: (t) => ({ query: 'mutation($d: String!) { ingestAdvisory(document: $d) { status } }', variables: { d: vexOf(t === 'own' ? VENDOR : OTHER_VENDOR) } }),
  },
  'Mutation.importInventory': {
    ...INVENTORY,
    call: (t) => ({ query: 'mutation($o: String!, $c: String!) { importInventory(operator: $o, csv: $c) { created } }', variables: { o: t === 'own' ? HOSPITAL : OTHER_HOSPITAL, c: inventoryCsv } }),
  },
  'Mutation.addStack': {
    ...ADMIN,
    call: () => ({
      query: 'mutation($i: StackInput!) { addStack(input: $i) { id } }',
      variables: { i: { id: `matrix-${randomUUID().slice(0, 8)}`, name: 'Matrix IP', stackVendor: 'Matrix Networks', vendor: { name: VENDOR }, purls: [`pkg:generic/matrix/ip-${randomUUID().slice(0, 8)}`], sources: [{ fact: 'purls', urls: ['https://example.org/matrix'] }] } },
    }),
  },
  'Mutation.createApiToken': { ...ADMIN, call: () => ({ query: `mutation { createApiToken(organisation: "${VENDOR}", role: VENDOR) { apiToken { id } } }` }) },
  'Mutation.revokeApiToken': { ...ADMIN, call: () => ({ query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }', variables: { id: String(spareTokenId) } }) },
  'Mutation.grantUpload': { ...ADMIN, call: () => ({ query: `mutation { grantUpload(grantee: "${OTHER_VENDOR}", supplier: "${VENDOR}") { id } }` }) },
  'Mutation.revokeUploadGrant': { ...ADMIN, call: () => ({ query: `mutation { revokeUploadGrant(grantee: "${OTHER_VENDOR}", supplier: "${VENDOR}") }` }) },
  'Mutation.recordScorecardHistory': { ...ADMIN, call: () => ({ query: `mutation { recordScorecardHistory { day vendors } }` }) },
};

interface RestCall {
  method: 'GET' | 'POST' | 'OPTIONS';
  path: (tenant: Tenant) => string;
  body?: (tenant: Tenant) => string;
  contentType?: string;
}
const REST: Record<string, Expect & RestCall> = {
  'POST /v1/sboms': { ...PUBLISH, method: 'POST', path: () => '/v1/sboms', body: (t) => sbomOf(t === 'own' ? VENDOR : OTHER_VENDOR) },
  'GET /v1/sboms': { ...EVERYONE, method: 'GET', path: () => '/v1/sboms' },
  'GET /v1/sboms/:id': { ...EVERYONE, method: 'GET', path: () => '/v1/sboms/1' },
  'GET /v1/sboms/:id/raw': { ...EVERYONE, method: 'GET', path: () => '/v1/sboms/1/raw' },
  'GET /v1/sboms/:id/vex': { ...EVERYONE, method: 'GET', path: () => '/v1/sboms/1/vex' },
  'POST /v1/advisories': { ...PUBLISH, method: 'POST', path: () => '/v1/advisories', body: (t) => vexOf(t === 'own' ? VENDOR : OTHER_VENDOR) },
  'GET /v1/advisories': { ...EVERYONE, method: 'GET', path: () => '/v1/advisories' },
  'GET /v1/advisories/:id': { ...EVERYONE, method: 'GET', path: () => '/v1/advisories/1' },
  'GET /v1/advisories/:id/raw': { ...EVERYONE, method: 'GET', path: () => '/v1/advisories/1/raw' },
  'POST /v1/operators/:operator/inventory': { ...INVENTORY, method: 'POST', path: (t) => `/v1/operators/${encodeURIComponent(t === 'own' ? HOSPITAL : OTHER_HOSPITAL)}/inventory`, body: () => inventoryCsv },
  'GET /v1/operators/:operator/devices': { ...INVENTORY, method: 'GET', path: (t) => `/v1/operators/${encodeURIComponent(t === 'own' ? HOSPITAL : OTHER_HOSPITAL)}/devices` },
  'GET /v1/operators/:operator/affected-devices': {
    ...INVENTORY,
    method: 'GET',
    path: (t) => `/v1/operators/${encodeURIComponent(t === 'own' ? HOSPITAL : OTHER_HOSPITAL)}/affected-devices?vulnerability=CVE-2099-0001`,
  },
  'GET /v1/vendors/:vendor/patch-status': { ...EVERYONE, method: 'GET', path: () => `/v1/vendors/${encodeURIComponent(VENDOR)}/patch-status?vulnerability=CVE-2099-0001` },
  'GET /v1/vulnerabilities/:id/timeline': { ...EVERYONE, method: 'GET', path: () => '/v1/vulnerabilities/CVE-2099-0001/timeline' },
  'GET /v1/scorecards': { ...EVERYONE, method: 'GET', path: () => '/v1/scorecards?format=csv' },
  'GET /v1/vendors/:vendor/scorecard': { ...EVERYONE, method: 'GET', path: () => `/v1/vendors/${encodeURIComponent(VENDOR)}/scorecard` },
  'GET /v1/vendors/:vendor/scorecard/history': { ...EVERYONE, method: 'GET', path: () => `/v1/vendors/${encodeURIComponent(VENDOR)}/scorecard/history` },
  'GET /metrics': { ...ADMIN, method: 'GET', path: () => '/metrics' },
  'GET /healthz': { roles: [...ROLES], method: 'GET', path: () => '/healthz' },
  'GET /readyz': { roles: [...ROLES], method: 'GET', path: () => '/readyz' },
  'GET /graphql': { ...EVERYONE, method: 'GET', path: () => '/graphql?query=%7Bme%7Brole%7D%7D' },
  'POST /graphql': { ...EVERYONE, method: 'POST', path: () => '/graphql', body: () => JSON.stringify({ query: '{ me { role } }' }), contentType: 'application/json' },
  // CORS preflight of GraphQL; yoga answers it.
  'OPTIONS /graphql': { ...EVERYONE, method: 'OPTIONS', path: () => '/graphql' },
};
/** Open without a token: health checks for load balancers, and CORS preflights (which carry no credentials). */
const OPEN = new Set(['GET /healthz', 'GET /readyz', 'OPTIONS /graphql']);

let spareTokenId = 0;

function sbomOf(supplier: string): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: { timestamp: '2026-11-01T00:00:00Z', supplier: { name: supplier }, component: { type: 'firmware', name: `matrix-${randomUUID().slice(0, 8)}`, version: '1.0' } },
    components: [],
  });
}

function vexOf(publisher: string): string {
  return vexDocument(publisher, [{ vulnerability: 'CVE-2099-0001', purl: `pkg:generic/matrix/p-${randomUUID().slice(0, 8)}@1.0`, state: 'not_affected', justification: 'code_not_present' }]).toString();
}

/** Whether `role` acting on `tenant` may, as this test expects. */
function allowed(e: Expect, role: Role, tenant: Tenant): boolean {
  if (!e.roles.includes(role)) return false;
  if (tenant === 'other' && e.tenant === 'vendor' && role === 'vendor') return false;
  if (tenant === 'other' && e.tenant === 'operator' && role === 'operator') return false;
  return true;
}

const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
const rootFields = (['Query', 'Mutation'] as const).flatMap((t) => Object.keys((schema.getType(t) as GraphQLObjectType).getFields()).map((f) => `${t}.${f}`));

describe('every operation has an entry in the matrix', () => {
  it('covers every Query and Mutation field of schema.graphql', () => {
    const untested = rootFields.filter((f) => !(f in GRAPHQL));
    expect(untested, 'fields without an authorisation expectation').toEqual([]);
  });

  it('covers every REST route of the app', () => {
    const config = { ...loadConfig({}), logLevel: 'silent' as const };
    const app = createApp({ db: undefined as never, config, logger: createLogger('silent'), metrics: createMetrics(), ingest: (async () => undefined) as never });
    const routes = [...new Set(app.routes.filter((r) => r.method !== 'ALL' && !r.path.includes('*')).map((r) => `${r.method} ${r.path}`))];
    const untested = routes.filter((r) => !(r in REST));
    expect(untested, 'routes without an authorisation expectation').toEqual([]);
    expect(routes.length).toBeGreaterThan(10);
  });
});

describe.each(BACKENDS)('authorisation matrix over HTTP on %s', (backend) => {
  const db = useTestDb(backend);
  let server: TestServer;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    server = await startTestServer(db());
    return () => server.close();
  });

  /** Fresh tenants per test: the test database is emptied before each. */
  async function seed(): Promise<void> {
    const t = db();
    await ingestSbom(t.db, demoSbom(PUMP));
    await ingestInventory(t.db, Buffer.from(inventoryCsv), { operator: HOSPITAL, format: 'csv' });
    await ingestInventory(t.db, Buffer.from(inventoryCsv.replace('M-1', 'O-1')), { operator: OTHER_HOSPITAL, format: 'csv' });
    await ensureOrganisation(t.db, OTHER_VENDOR, 'vendor');
    // Advisory 1, about CVE-2099-0001, so that the vulnerability answers have something to answer.
    await ingestAdvisory(t.db, Buffer.from(vexOf(VENDOR)));
    const orgs: Record<Role, string> = { admin: 'Matrix Admins', vendor: VENDOR, operator: HOSPITAL, procurement: 'Matrix Procurement' };
    const expiresAt = new Date(Date.now() + 86_400_000);
    for (const role of ROLES) {
      const org = await ensureOrganisation(t.db, orgs[role], role);
      tokens[role] = (await createApiToken(t.db, { organisation: org, role, expiresAt })).token;
    }
    spareTokenId = (await createApiToken(t.db, { organisation: await ensureOrganisation(t.db, 'Matrix Admins', 'admin'), role: 'admin', expiresAt })).record.id;
  }

  /** Rows of every table a write could touch, to see that a refusal changed nothing. */
  async function counts(): Promise<string> {
    const tables = ['sbom', 'component', 'advisory', 'vex_statement', 'device', 'organisation', 'api_token', 'upload_grant', 'stack'];
    const r = await sql<{ n: string }>`select concat_ws(',', ${sql.join(tables.map((t) => sql`(select count(*) from ${sql.table(t)})`))}) as n`.execute(db().db);
    return r.rows[0]!.n;
  }

  it('refuses every operation and route without a token, except health, readiness and CORS preflights', async () => {
    await seed();
    for (const field of rootFields) {
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(GRAPHQL[field]!.call('own')) });
      expect(res.status, field).toBe(401);
    }
    for (const [route, e] of Object.entries(REST)) {
      const res = await fetch(`${server.url}${e.path('own')}`, { method: e.method, body: e.body?.('own') });
      expect(res.status, route).toBe(OPEN.has(route) ? (e.method === 'OPTIONS' ? 204 : 200) : 401);
    }
  });

  it.each(ROLES)('allows and denies every GraphQL operation as expected for %s, on its own and on another tenant', { timeout: 60_000 }, async (role) => {
    await seed();
    const problems: string[] = [];
    for (const field of rootFields) {
      for (const tenant of ['own', 'other'] as const) {
        const e = GRAPHQL[field]!;
        const before = field.startsWith('Mutation.') ? await counts() : '';
        const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(e.call(tenant)) }, tokens[role]);
        const body = (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
        const where = `${role} ${tenant} ${field}: ${res.status} ${JSON.stringify(body.errors ?? null).slice(0, 300)}`;
        if (allowed(e, role, tenant)) {
          if (res.status !== 200 || body.errors?.length) problems.push(`should allow: ${where}`);
        } else {
          if (body.errors?.[0]?.extensions?.code !== 'FORBIDDEN' || (body.data?.[field.split('.')[1]!] ?? null) !== null) problems.push(`should deny: ${where}`);
          else if (before && (await counts()) !== before) problems.push(`refused write changed rows: ${where}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(ROLES)('allows and denies every REST route as expected for %s, on its own and on another tenant', { timeout: 60_000 }, async (role) => {
    await seed();
    const problems: string[] = [];
    for (const [route, e] of Object.entries(REST)) {
      for (const tenant of ['own', 'other'] as const) {
        const before = e.method === 'POST' ? await counts() : '';
        const res = await server.fetch(`${server.url}${e.path(tenant)}`, { method: e.method, body: e.body?.(tenant), headers: e.contentType ? { 'content-type': e.contentType } : {} }, tokens[role]);
        const text = await res.text();
        const where = `${role} ${tenant} ${route}: ${res.status} ${text.slice(0, 300)}`;
        if (allowed(e, role, tenant)) {
          if (res.status >= 300) problems.push(`should allow: ${where}`);
        } else if (res.status !== 403 || JSON.parse(text).error?.code !== 'FORBIDDEN') problems.push(`should deny: ${where}`);
        else if (before && (await counts()) !== before) problems.push(`refused write changed rows: ${where}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
