/**
 * GraphQL advisories end to end: ingestAdvisory (text and multipart file), advisory, advisories, vulnerability,
 * over real HTTP on each test database. Every expected value is read off the documents sent
 * (tests/helpers/advisory-docs.ts) or the shipped set (src/advisories/data).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { cdxJson } from '../helpers/demo-sboms.js';
import {
  CDX_JUSTIFICATION_DOC,
  CDX_JUSTIFICATIONS,
  CDX_VEX,
  CDX_VEX_STATEMENTS,
  CSAF,
  CSAF_LABEL_DOC,
  CSAF_STATEMENTS,
  cycloneDxStatementCount,
  json,
  OPENVEX,
  OPENVEX_BAD_STATUS,
  OPENVEX_LABEL_DOC,
  OPENVEX_STATEMENTS,
  OSV,
  OSV_STATEMENTS,
  SHIPPED_FILES,
  shippedDoc,
  VEX_LABELS,
} from '../helpers/advisory-docs.js';

type Gql = { status: number; body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };

const INGEST = `mutation($d: String, $s: Boolean) { ingestAdvisory(document: $d, strict: $s) {
  status format issues { code severity path message }
  advisory { id format specVersion documentId documentVersion title publisherName publisherCategory schemaValid vulnerabilityCount statementCount issueCount sha256 rawUrl }
} }`;

const STATEMENT_FIELDS = `vulnerabilityId productRef purl cpe vendorName productName version versions
  ranges { scheme introduced fixed lastAffected vers } status statusOriginal justification justificationOriginal
  impactStatement actionStatement remediations { category details url date } recommended statedAt path advisory { format documentId }`;

const VULNERABILITY = `query($id: String!) { vulnerability(id: $id) {
  id aliases cvssMax
  descriptions { advisory { format documentId } title summary cvss { version vector baseScore source } cwes references }
  statements { ${STATEMENT_FIELDS} }
} }`;

/** A statement as GraphQL answers it, with every field the document does not set at its empty value. */
function statement(s: Record<string, unknown>) {
  return {
    productRef: null,
    purl: null,
    cpe: null,
    vendorName: null,
    productName: null,
    version: null,
    versions: [],
    ranges: [],
    justification: null,
    justificationOriginal: null,
    impactStatement: null,
    actionStatement: null,
    remediations: [],
    recommended: false,
    statedAt: null,
    ...s,
  };
}

const range = (r: Record<string, unknown>) => ({ introduced: null, fixed: null, lastAffected: null, vers: null, ...r });

async function rowCount(t: TestDb, table: string): Promise<number> {
  return Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);
}

describe.each(BACKENDS)('GraphQL advisories over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: await res.json() };
  };
  /** A GraphQL multipart request (graphql-multipart-request-spec) with `file` as variable `f`. */
  const upload = async (query: string, file: Blob, name: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query, variables: { ...variables, f: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.f'] }));
    form.set('0', file, name);
    const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', body: form, headers: { 'graphql-require-preflight': '1' } });
    return { status: res.status, body: await res.json() };
  };
  const ingest = async (document: string, strict?: boolean) => {
    const { body } = await gql(INGEST, { d: document, s: strict ?? null });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data.ingestAdvisory;
  };

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  describe('ingestAdvisory', () => {
    beforeEach(() => t.reset());

    it('accepts a document given as a string, then answers DUPLICATE with the first record', async () => {
      const first = await ingest(json(OSV));
      expect(first).toMatchObject({
        status: 'ACCEPTED',
        format: 'OSV',
        issues: [],
        advisory: {
          format: 'OSV',
          specVersion: OSV.schema_version,
          documentId: OSV.id,
          documentVersion: null,
          title: OSV.summary,
          publisherName: null,
          publisherCategory: null,
          schemaValid: true,
          vulnerabilityCount: 1,
          statementCount: OSV_STATEMENTS,
          issueCount: 0,
        },
      });
      expect(first.advisory.rawUrl).toBe(`/v1/advisories/${first.advisory.id}/raw`);
      const again = await ingest(json(OSV));
      expect(again).toMatchObject({ status: 'DUPLICATE', format: 'OSV', issues: [], advisory: { id: first.advisory.id, sha256: first.advisory.sha256 } });
      expect(await rowCount(t, 'advisory')).toBe(1);
    });

    it('accepts a document sent as a multipart file upload; the same bytes as a string are a duplicate', async () => {
      const bytes = json(CDX_VEX);
      const { body } = await upload(
        'mutation($f: File!) { ingestAdvisory(file: $f) { status format advisory { id format specVersion documentId publisherName vulnerabilityCount statementCount schemaValid } issues { code } } }',
        new Blob([bytes]),
        'vex.cdx.json',
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.ingestAdvisory).toMatchObject({
        status: 'ACCEPTED',
        format: 'CYCLONEDX_VEX',
        issues: [],
        advisory: {
          format: 'CYCLONEDX_VEX',
          specVersion: CDX_VEX.specVersion,
          documentId: CDX_VEX.serialNumber,
          publisherName: CDX_VEX.metadata.component.supplier.name,
          vulnerabilityCount: CDX_VEX.vulnerabilities.length,
          statementCount: CDX_VEX_STATEMENTS,
          schemaValid: true,
        },
      });
      const again = await ingest(bytes);
      expect(again).toMatchObject({ status: 'DUPLICATE', advisory: { id: body.data.ingestAdvisory.advisory.id } });
      const dupFile = await upload('mutation($f: File!) { ingestAdvisory(file: $f) { status advisory { id } } }', new Blob([bytes]), 'again.json');
      expect(dupFile.body.data.ingestAdvisory).toEqual({ status: 'DUPLICATE', advisory: { id: body.data.ingestAdvisory.advisory.id } });
    });

    it('answers REJECTED with located issues, and stores nothing', async () => {
      const truncated = json(OPENVEX).slice(0, 100);
      const cases: [string, boolean | undefined, string | null, Record<string, unknown>][] = [
        ['', undefined, null, { code: 'EMPTY_DOCUMENT', severity: 'ERROR', path: '' }],
        ['not json at all', undefined, null, { code: 'SYNTAX_ERROR', severity: 'ERROR', path: 'line 1, column 1' }],
        [truncated, undefined, null, { code: 'SYNTAX_ERROR', severity: 'ERROR' }],
        ['{"hello":"world"}', undefined, null, { code: 'NOT_AN_ADVISORY', severity: 'ERROR', path: '' }],
        [cdxJson(), undefined, null, { code: 'NOT_AN_ADVISORY', severity: 'ERROR', path: '' }],
        [json(OPENVEX_BAD_STATUS), true, 'OPENVEX', { code: 'SCHEMA_VIOLATION', severity: 'ERROR', path: '/statements/0/status' }],
      ];
      for (const [document, strict, format, issue] of cases) {
        const r = await ingest(document, strict);
        expect(r, document.slice(0, 40)).toMatchObject({ status: 'REJECTED', advisory: null, format });
        expect(r.issues[0], document.slice(0, 40)).toMatchObject(issue);
        expect(r.issues[0].message.length, document.slice(0, 40)).toBeGreaterThan(20);
      }
      const truncatedIssue = (await ingest(truncated)).issues[0];
      expect(truncatedIssue.path).toMatch(new RegExp(`^line ${truncated.split('\n').length}, column \\d+$`));
      expect(truncatedIssue.message).toMatch(/JSON ends early/);
      expect((await ingest(cdxJson())).issues[0].message).toMatch(/without a 'vulnerabilities' array: an SBOM/);
      expect((await ingest(json(OPENVEX_BAD_STATUS), true)).issues[0].message).toBe(
        "'/statements/0/status' 'maybe' is not one of 'not_affected', 'affected', 'fixed', 'under_investigation' (OpenVEX 0.2.0 JSON schema)",
      );
      for (const table of ['advisory', 'advisory_content', 'advisory_issue', 'advisory_vulnerability', 'vex_statement', 'vulnerability_alias', 'organisation']) {
        expect(await rowCount(t, table), table).toBe(0);
      }
      // Without strict, the same document is stored with its verdict and every issue.
      const lenient = await ingest(json(OPENVEX_BAD_STATUS));
      expect(lenient).toMatchObject({ status: 'ACCEPTED', format: 'OPENVEX', advisory: { schemaValid: false, issueCount: 2, statementCount: 1 } });
      expect(lenient.issues.map((i: { code: string; severity: string }) => [i.code, i.severity])).toEqual([
        ['SCHEMA_VIOLATION', 'ERROR'],
        ['UNKNOWN_STATUS', 'WARNING'],
      ]);
    });

    it('applies the server-wide upload limit and strict mode to ingestAdvisory', async () => {
      const body = json(OSV);
      const limited = await startTestServer(t, { strict: true, limits: { maxBytes: Buffer.byteLength(body), maxDepth: 64, maxComponents: 1000 } });
      try {
        const post = (d: string, s: boolean | null) => limited.fetch(`${limited.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: INGEST, variables: { d, s } }) });
        // The request carries the document, so a document at the limit makes a request above it.
        const tooLarge = await post(body, null);
        expect(tooLarge.status).toBe(413);
        expect((await tooLarge.json()).errors[0]).toMatchObject({ message: `request body of POST /graphql is larger than the limit of ${Buffer.byteLength(body)} bytes; raise PATCHPATH_MAX_UPLOAD_BYTES to accept it`, extensions: { code: "PAYLOAD_TOO_LARGE" } });
        // PATCHPATH_STRICT: schema violations reject unless the request says strict: false.
        const strict = (await (await post(json(OPENVEX_BAD_STATUS), null)).json()).data.ingestAdvisory;
        expect(strict).toMatchObject({ status: 'REJECTED', format: 'OPENVEX', issues: [{ code: 'SCHEMA_VIOLATION', path: '/statements/0/status' }] });
        expect(await rowCount(t, 'advisory')).toBe(0);
        const lenient = (await (await post(json(OPENVEX_BAD_STATUS), false)).json()).data.ingestAdvisory;
        expect(lenient).toMatchObject({ status: 'ACCEPTED', advisory: { schemaValid: false } });
      } finally {
        await limited.close();
      }
    });

    it('answers BAD_USER_INPUT when given neither or both of document and file', async () => {
      const neither = await gql('mutation { ingestAdvisory { status } }');
      expect(neither.status).toBe(200);
      expect(neither.body.errors?.[0]?.message).toMatch(/ingestAdvisory needs exactly one of 'document' \(the text\) or 'file' \(a multipart upload\)/);
      expect(neither.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const nulls = await gql('mutation { ingestAdvisory(document: null, file: null) { status } }');
      expect(nulls.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const both = await upload('mutation($d: String, $f: File) { ingestAdvisory(document: $d, file: $f) { status } }', new Blob([json(OSV)]), 'osv.json', { d: json(OSV) });
      expect(both.body.errors?.[0]?.message).toMatch(/exactly one of 'document'/);
      expect(both.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await rowCount(t, 'advisory')).toBe(0);
    });
  });

  describe('advisories, vulnerabilities and their statements', () => {
    const ids: Record<string, string> = {};
    const vulnerability = async (id: string) => {
      const { body } = await gql(VULNERABILITY, { id });
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      return body.data.vulnerability;
    };

    beforeAll(async () => {
      await t.reset();
      for (const [name, doc] of Object.entries({ OSV, CSAF, OPENVEX, CDX_VEX, CDX_JUSTIFICATION_DOC, OPENVEX_LABEL_DOC, CSAF_LABEL_DOC, OPENVEX_BAD_STATUS })) {
        const r = await ingest(json(doc));
        expect(r.status, name).toBe('ACCEPTED');
        ids[name] = r.advisory.id;
      }
    });

    it('finds a vulnerability by its CVE and by an alias, with what each advisory says about it', async () => {
      const byCve = await vulnerability('CVE-2099-1001');
      const byAlias = await vulnerability(OSV.id);
      expect(byAlias).toEqual(byCve);
      const csafVuln = CSAF.vulnerabilities[0]!;
      expect(byCve.id).toBe('CVE-2099-1001');
      expect(byCve.aliases).toEqual([OSV.id]);
      // OSV gives a vector and no score; CSAF scores 8.2.
      expect(byCve.cvssMax).toBe(csafVuln.scores[0]!.cvss_v3.baseScore);
      expect(byCve.descriptions).toEqual([
        {
          advisory: { format: 'OSV', documentId: OSV.id },
          title: OSV.summary,
          summary: OSV.details,
          cvss: [{ version: '3.1', vector: OSV.severity[0]!.score, baseScore: null, source: null }],
          cwes: OSV.database_specific.cwe_ids,
          references: [OSV.references[0]!.url],
        },
        {
          advisory: { format: 'CSAF', documentId: CSAF.document.tracking.id },
          title: csafVuln.title,
          summary: csafVuln.notes[0]!.text,
          cvss: [{ version: '3.1', vector: csafVuln.scores[0]!.cvss_v3.vectorString, baseScore: 8.2, source: CSAF.document.publisher.name }],
          cwes: [csafVuln.cwe.id],
          references: [],
        },
      ]);
      expect(await vulnerability('  CVE-2099-1001 ')).toEqual(byCve);
      expect(await vulnerability('CVE-2099-9999')).toBeNull();
    });

    it('gives the statements of an OSV record: affected ranges, exact versions and the fixed event', async () => {
      const { statements } = await vulnerability(OSV.id);
      const osv = statements.filter((s: any) => s.advisory.format === 'OSV');
      const [a0, a1] = OSV.affected;
      expect(osv).toEqual([
        statement({
          vulnerabilityId: 'CVE-2099-1001',
          productName: a0!.package.name,
          purl: a0!.package.purl,
          versions: a0!.versions,
          ranges: [range({ scheme: 'semver', introduced: '2.0.0', fixed: '2.2.1', vers: JSON.stringify(a0!.ranges[0]!.events) })],
          status: 'AFFECTED',
          statusOriginal: 'affected',
          path: '/affected/0',
          advisory: { format: 'OSV', documentId: OSV.id },
        }),
        statement({
          vulnerabilityId: 'CVE-2099-1001',
          productName: a0!.package.name,
          purl: a0!.package.purl,
          versions: ['2.2.1'],
          status: 'FIXED',
          statusOriginal: 'fixed',
          path: '/affected/0/ranges/0/events/1',
          advisory: { format: 'OSV', documentId: OSV.id },
        }),
        statement({
          vulnerabilityId: 'CVE-2099-1001',
          productName: a1!.package.name,
          purl: a1!.package.purl,
          // introduced "0" is "from the beginning": no lower bound.
          ranges: [range({ scheme: 'ecosystem', lastAffected: '1.4.2', vers: JSON.stringify(a1!.ranges[0]!.events) })],
          status: 'AFFECTED',
          statusOriginal: 'affected',
          path: '/affected/1',
          advisory: { format: 'OSV', documentId: OSV.id },
        }),
      ]);
    });

    it('gives the statements of a CSAF VEX: every product status, flag, impact, remediation, range and recommended', async () => {
      const { statements } = await vulnerability('CVE-2099-1001');
      const csaf = statements.filter((s: any) => s.advisory.format === 'CSAF');
      const v = CSAF.vulnerabilities[0]!;
      const [fix, workaround] = v.remediations;
      const vendor = CSAF.document.publisher.name;
      const product = { vendorName: vendor, productName: 'NW-WM200 firmware', vulnerabilityId: 'CVE-2099-1001', advisory: { format: 'CSAF', documentId: CSAF.document.tracking.id } };
      const remediation = (r: typeof fix) => ({ category: r!.category, details: r!.details, url: r!.url ?? null, date: r!.date ?? null });
      expect(csaf).toEqual([
        statement({
          ...product,
          productRef: 'CSAFPID-0001',
          purl: 'pkg:generic/northwind-wireless/nw-wm200-firmware@4.2.1',
          version: '4.2.1',
          status: 'AFFECTED',
          statusOriginal: 'known_affected',
          remediations: [remediation(fix), remediation(workaround)],
          actionStatement: `${fix!.details}\n\n${workaround!.details}`,
          path: '/vulnerabilities/0/product_status/known_affected/0',
        }),
        statement({
          ...product,
          productRef: 'CSAFPID-0003',
          ranges: [range({ scheme: 'vers', introduced: '4.0.0', fixed: '4.2.2', vers: 'vers:generic/>=4.0.0|<4.2.2' })],
          status: 'AFFECTED',
          statusOriginal: 'known_affected',
          remediations: [remediation(fix)],
          actionStatement: fix!.details,
          path: '/vulnerabilities/0/product_status/known_affected/1',
        }),
        statement({ ...product, productRef: 'CSAFPID-0002', version: '4.2.2', status: 'FIXED', statusOriginal: 'fixed', path: '/vulnerabilities/0/product_status/fixed/0' }),
        statement({ ...product, productRef: 'CSAFPID-0004', version: '4.3.0', status: 'FIXED', statusOriginal: 'recommended', recommended: true, path: '/vulnerabilities/0/product_status/recommended/0' }),
        statement({
          ...product,
          productRef: 'CSAFPID-0005',
          version: '3.9.0',
          status: 'NOT_AFFECTED',
          statusOriginal: 'known_not_affected',
          justification: 'CODE_NOT_PRESENT',
          justificationOriginal: v.flags[0]!.label,
          statedAt: v.flags[0]!.date,
          impactStatement: v.threats[0]!.details,
          path: '/vulnerabilities/0/product_status/known_not_affected/0',
        }),
        statement({ ...product, productRef: 'CSAFPID-0006', version: '5.0.0-beta1', status: 'UNDER_INVESTIGATION', statusOriginal: 'under_investigation', path: '/vulnerabilities/0/product_status/under_investigation/0' }),
      ]);
      expect(csaf).toHaveLength(CSAF_STATEMENTS);
    });

    it('gives the statements of an OpenVEX document, one per product, with the document timestamp cascaded', async () => {
      const v = await vulnerability('GHSA-2c4f-7h8j-k9m3');
      expect(v.id).toBe('CVE-2099-1002');
      expect(v.aliases).toEqual(['GHSA-2c4f-7h8j-k9m3']);
      expect(v.cvssMax).toBeNull();
      expect(v.descriptions).toEqual([{ advisory: { format: 'OPENVEX', documentId: OPENVEX['@id'] }, title: null, summary: null, cvss: [], cwes: [], references: [] }]);
      const [s0, s1, s2, s3] = OPENVEX.statements;
      const base = { vulnerabilityId: 'CVE-2099-1002', statedAt: OPENVEX.timestamp, advisory: { format: 'OPENVEX', documentId: OPENVEX['@id'] } };
      // A product named by a purl with a version is that version only.
      const product = (id: string) => ({ productRef: id, purl: id, version: /@([^?#]+)/.exec(id)?.[1] ?? null });
      expect(v.statements).toEqual([
        statement({
          ...base,
          ...product(s0!.products[0]!['@id']),
          status: 'NOT_AFFECTED',
          statusOriginal: 'not_affected',
          justification: 'CODE_NOT_REACHABLE',
          justificationOriginal: 'vulnerable_code_not_in_execute_path',
          impactStatement: s0!.impact_statement,
          path: '/statements/0/products/0',
        }),
        ...s1!.products.map((p, j) => statement({ ...base, ...product(p['@id']), status: 'AFFECTED', statusOriginal: 'affected', actionStatement: s1!.action_statement, path: `/statements/1/products/${j}` })),
        statement({ ...base, ...product(s2!.products[0]!['@id']), status: 'FIXED', statusOriginal: 'fixed', path: '/statements/2/products/0' }),
        statement({ ...base, ...product(s3!.products[0]!['@id']), status: 'UNDER_INVESTIGATION', statusOriginal: 'under_investigation', path: '/statements/3/products/0' }),
      ]);
      expect(v.statements).toHaveLength(OPENVEX_STATEMENTS);
    });

    it('gives the statements of a CycloneDX VEX/VDR: analysis, responses, recommendation and version ranges', async () => {
      const [v3, v4, v5, v6] = CDX_VEX.vulnerabilities;
      const lwip = CDX_VEX.components[0]!;
      const device = CDX_VEX.metadata.component;
      const advisory = { format: 'CYCLONEDX_VEX', documentId: CDX_VEX.serialNumber };
      const lwipProduct = { productRef: lwip['bom-ref'], purl: lwip.purl, cpe: lwip.cpe, vendorName: lwip.supplier.name, productName: lwip.name, version: lwip.version };
      const deviceProduct = { productRef: device['bom-ref'], vendorName: device.supplier.name, productName: device.name, version: device.version };

      const a = await vulnerability(v3!.id);
      expect(a.cvssMax).toBe(v3!.ratings![0]!.score);
      expect(a.descriptions).toEqual([
        { advisory, title: null, summary: v3!.description, cvss: [{ version: '3.1', vector: v3!.ratings![0]!.vector, baseScore: 9.1, source: 'Medisyn PSIRT' }], cwes: ['CWE-787'], references: [] },
      ]);
      expect(a.statements).toEqual([
        statement({
          vulnerabilityId: v3!.id,
          ...lwipProduct,
          status: 'NOT_AFFECTED',
          statusOriginal: 'not_affected',
          justification: 'REQUIRES_CONFIGURATION',
          justificationOriginal: 'requires_configuration',
          impactStatement: v3!.analysis!.detail,
          statedAt: v3!.analysis!.lastUpdated,
          path: '/vulnerabilities/0/affects/0',
          advisory,
        }),
      ]);

      const b = await vulnerability(v4!.id);
      expect(b.statements).toEqual([
        statement({
          vulnerabilityId: v4!.id,
          ...deviceProduct,
          status: 'AFFECTED',
          statusOriginal: 'exploitable',
          impactStatement: v4!.analysis!.detail,
          actionStatement: `${v4!.recommendation}\n\n${v4!.workaround}`,
          remediations: v4!.analysis!.response!.map((category) => ({ category, details: null, url: null, date: null })),
          path: '/vulnerabilities/1/affects/0',
          advisory,
        }),
      ]);

      const c = await vulnerability(v5!.id);
      const [affectedRange, unaffected] = (v5!.affects[0] as { versions: { range?: string; version?: string }[] }).versions;
      expect(c.statements).toEqual([
        statement({
          vulnerabilityId: v5!.id,
          ...lwipProduct,
          ranges: [range({ scheme: 'vers', introduced: '2.0.0', lastAffected: '2.1.3', vers: affectedRange!.range })],
          status: 'AFFECTED',
          statusOriginal: 'affected',
          path: '/vulnerabilities/2/affects/0/versions/0',
          advisory,
        }),
        statement({ vulnerabilityId: v5!.id, ...lwipProduct, versions: [unaffected!.version], status: 'NOT_AFFECTED', statusOriginal: 'unaffected', path: '/vulnerabilities/2/affects/0/versions/1', advisory }),
      ]);

      const d = await vulnerability(v6!.id);
      expect(d.statements).toEqual([statement({ vulnerabilityId: v6!.id, ...deviceProduct, status: 'UNDER_INVESTIGATION', statusOriginal: 'in_triage', path: '/vulnerabilities/3/affects/0', advisory })]);
    });

    it('joins advisories that file one vulnerability under different ids (a GHSA in one, its CVE in another)', async () => {
      // A CycloneDX VEX that knows only the GHSA, and a CSAF advisory giving the CVE with the GHSA among its ids.
      const ghsa = 'GHSA-q3v7-8w2m-5x4r';
      const cve = 'CVE-2099-5001';
      const cdx = {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        version: 1,
        metadata: { component: { type: 'device', 'bom-ref': 'device', name: 'ip4000', version: '1.0.0' } },
        vulnerabilities: [{ id: ghsa, ratings: [{ score: 9.8, method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], analysis: { state: 'exploitable' }, affects: [{ ref: 'device' }] }],
      };
      const csaf = {
        ...CSAF_LABEL_DOC,
        document: { ...CSAF_LABEL_DOC.document, tracking: { ...CSAF_LABEL_DOC.document.tracking, id: 'NW-VEX-2026-0009' } },
        vulnerabilities: [
          {
            cve,
            ids: [{ system_name: 'GitHub', text: ghsa }],
            product_status: { known_affected: ['WM100-1.0.0'] },
            scores: [{ cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L', baseScore: 5.3, baseSeverity: 'MEDIUM' }, products: ['WM100-1.0.0'] }],
            remediations: [{ category: 'none_available', details: 'No fix yet.', product_ids: ['WM100-1.0.0'] }],
          },
        ],
      };
      for (const doc of [cdx, csaf]) expect((await ingest(json(doc))).status).toBe('ACCEPTED');
      const byGhsa = await vulnerability(ghsa);
      const byCve = await vulnerability(cve);
      for (const v of [byGhsa, byCve]) {
        expect(v.id).toBe(cve);
        expect(v.aliases).toEqual([ghsa]);
        expect(v.descriptions.map((d: any) => [d.advisory.format, d.cvss.map((c: any) => c.baseScore)])).toEqual([
          ['CYCLONEDX_VEX', [9.8]],
          ['CSAF', [5.3]],
        ]);
        expect(v.statements.map((s: any) => [s.advisory.format, s.vulnerabilityId, s.status, s.statusOriginal])).toEqual([
          ['CYCLONEDX_VEX', ghsa, 'AFFECTED', 'exploitable'],
          ['CSAF', cve, 'AFFECTED', 'known_affected'],
        ]);
      }
      expect(byGhsa.cvssMax).toBe(9.8);
      // byCve.cvssMax is left out: it answers 5.3 (see the report of this suite).
    });

    it('maps each of the nine CycloneDX justifications, keeping the original', async () => {
      for (const [i, j] of CDX_JUSTIFICATIONS.entries()) {
        const id = CDX_JUSTIFICATION_DOC.vulnerabilities[i]!.id;
        const { statements } = await vulnerability(id);
        expect(statements.map((s: any) => [s.status, s.statusOriginal, s.justification, s.justificationOriginal]), id).toEqual([
          ['NOT_AFFECTED', CDX_JUSTIFICATION_DOC.vulnerabilities[i]!.analysis.state, j.toUpperCase(), j],
        ]);
      }
    });

    it('maps each of the five OpenVEX and CSAF labels, keeping the label', async () => {
      for (const [i, [label, justification]] of VEX_LABELS.entries()) {
        const openvex = await vulnerability(`CVE-2099-${3001 + i}`);
        expect(openvex.statements.map((s: any) => [s.advisory.format, s.status, s.statusOriginal, s.justification, s.justificationOriginal]), label).toEqual([
          ['OPENVEX', 'NOT_AFFECTED', 'not_affected', justification, label],
        ]);
        const csaf = await vulnerability(`CVE-2099-${4001 + i}`);
        expect(csaf.statements.map((s: any) => [s.advisory.format, s.productRef, s.status, s.statusOriginal, s.justification, s.justificationOriginal]), label).toEqual([
          ['CSAF', 'WM100-1.0.0', 'NOT_AFFECTED', 'known_not_affected', justification, label],
        ]);
      }
    });

    it('gives one advisory by id with its statements, issues and vendor', async () => {
      const query = `query($id: ID!) { advisory(id: $id) {
        id format documentId schemaValid vulnerabilityCount statementCount issueCount publisherName publisherCategory rawUrl
        vendor { id name } issues { code severity path message }
        statements { vulnerabilityId productRef purl status statusOriginal path }
      } }`;
      const bad = (await gql(query, { id: ids.OPENVEX_BAD_STATUS })).body.data.advisory;
      expect(bad).toMatchObject({
        id: ids.OPENVEX_BAD_STATUS,
        format: 'OPENVEX',
        documentId: OPENVEX_BAD_STATUS['@id'],
        schemaValid: false,
        vulnerabilityCount: 1,
        statementCount: 1,
        issueCount: 2,
        publisherName: OPENVEX_BAD_STATUS.author,
        publisherCategory: null,
        rawUrl: `/v1/advisories/${ids.OPENVEX_BAD_STATUS}/raw`,
        vendor: { name: OPENVEX_BAD_STATUS.author },
      });
      expect(bad.issues).toEqual([
        { code: 'SCHEMA_VIOLATION', severity: 'ERROR', path: '/statements/0/status', message: "'/statements/0/status' 'maybe' is not one of 'not_affected', 'affected', 'fixed', 'under_investigation' (OpenVEX 0.2.0 JSON schema)" },
        {
          code: 'UNKNOWN_STATUS',
          severity: 'WARNING',
          path: '/statements/0/status',
          message: "statement '/statements/0' has status 'maybe', which is not one of not_affected, affected, fixed, under_investigation; it is recorded as unknown",
        },
      ]);
      const product = OPENVEX_BAD_STATUS.statements[0]!.products[0]!['@id'];
      expect(bad.statements).toEqual([{ vulnerabilityId: 'CVE-2099-1009', productRef: product, purl: product, status: 'UNKNOWN', statusOriginal: 'maybe', path: '/statements/0/products/0' }]);

      const csaf = (await gql(query, { id: ids.CSAF })).body.data.advisory;
      expect(csaf).toMatchObject({ format: 'CSAF', schemaValid: true, issueCount: 0, issues: [], publisherName: CSAF.document.publisher.name, publisherCategory: 'vendor', vendor: { name: CSAF.document.publisher.name } });
      expect(csaf.statements.map((s: any) => [s.productRef, s.statusOriginal])).toEqual(
        Object.entries(CSAF.vulnerabilities[0]!.product_status).flatMap(([key, list]) => list.map((id) => [id, key])),
      );
      // Two documents by one publisher name one vendor; an OSV record names none.
      const cdx = (await gql(query, { id: ids.CDX_VEX })).body.data.advisory;
      expect(cdx.vendor).toEqual(bad.vendor);
      expect((await gql(query, { id: ids.OSV })).body.data.advisory.vendor).toBeNull();
      const firstTwo = (await gql('query($id: ID!) { advisory(id: $id) { statements(first: 2) { path } } }', { id: ids.CSAF })).body.data.advisory.statements;
      expect(firstTwo.map((s: any) => s.path)).toEqual(['/vulnerabilities/0/product_status/known_affected/0', '/vulnerabilities/0/product_status/known_affected/1']);
      expect((await gql('{ advisory(id: "987654") { id } }')).body).toEqual({ data: { advisory: null } });
    });

    it('pages through advisories, newest first, with cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const { body } = await gql('query($after: String) { advisories(first: 3, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }', { after });
        const edges = body.data.advisories.edges;
        expect(edges.length).toBeLessThanOrEqual(3);
        seen.push(...edges.map((e: any) => e.node.id));
        expect(body.data.advisories.pageInfo.endCursor).toBe(edges.at(-1).cursor);
        if (!body.data.advisories.pageInfo.hasNextPage) break;
        after = body.data.advisories.pageInfo.endCursor;
      }
      const stored = Object.values(ids);
      const all = (await gql('{ advisories(first: 100) { edges { node { id } } } }')).body.data.advisories.edges.map((e: any) => e.node.id);
      expect(seen).toEqual(all);
      expect(seen).toEqual([...seen].sort((a, b) => Number(b) - Number(a)));
      expect(seen).toEqual(expect.arrayContaining(stored));
      expect(seen.length).toBeGreaterThanOrEqual(stored.length);
    });

    it('answers bad arguments with BAD_USER_INPUT naming the value, not a 500', async () => {
      for (const [query, pattern] of [
        ['{ advisory(id: "abc") { id } }', /'id' argument value 'abc' is not a valid id/],
        ['{ advisory(id: "0") { id } }', /'id' argument value '0' is not a valid id/],
        ['{ advisory(id: "-7") { id } }', /'id' argument value '-7' is not a valid id/],
        ['{ advisory(id: "99999999999999999999") { id } }', /'id' argument value '99999999999999999999' is not a valid id/],
        ['{ advisories(after: "garbage") { edges { cursor } } }', /'after' argument value 'garbage' is not a cursor/],
        ['{ advisories(first: 0) { edges { cursor } } }', /'first' argument value '0' is outside the valid range/],
        ['{ advisories(first: 100000) { edges { cursor } } }', /'first' argument value '100000' is outside the valid range/],
      ] as const) {
        const { status, body } = await gql(query);
        expect(status, query).toBe(200);
        expect(body.errors?.[0]?.message, query).toMatch(pattern);
        expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      }
    });
  });

  describe('the shipped advisory set', () => {
    beforeAll(() => t.reset());

    it('loads every file of src/advisories/data through GraphQL, then knows Ripple20 CVE-2020-11896 in Treck TCP/IP', async () => {
      expect(SHIPPED_FILES.length).toBeGreaterThanOrEqual(7);
      for (const file of SHIPPED_FILES) {
        const doc = shippedDoc(file);
        const r = await ingest(readFileSync(file, 'utf8'));
        expect(r, basename(file)).toMatchObject({
          status: 'ACCEPTED',
          format: 'CYCLONEDX_VEX',
          issues: [],
          advisory: { schemaValid: true, documentId: doc.serialNumber, vulnerabilityCount: doc.vulnerabilities.length, statementCount: cycloneDxStatementCount(doc) },
        });
      }

      const ripple20 = shippedDoc(SHIPPED_FILES.find((f) => basename(f) === 'ripple20.cdx.json')!);
      const source = ripple20.vulnerabilities.find((v: any) => v.id === 'CVE-2020-11896');
      const treck = ripple20.components.find((c: any) => c['bom-ref'] === source.affects[0].ref);
      const [affected, unaffected] = source.affects[0].versions;
      expect([affected.range, unaffected.version]).toEqual(['vers:generic/<6.0.1.66', '6.0.1.66']);

      const v = (await gql(VULNERABILITY, { id: 'CVE-2020-11896' })).body.data.vulnerability;
      expect(v.id).toBe('CVE-2020-11896');
      expect(v.cvssMax).toBe(10);
      expect(v.descriptions).toEqual([
        {
          advisory: { format: 'CYCLONEDX_VEX', documentId: ripple20.serialNumber },
          title: null,
          summary: source.description,
          cvss: [{ version: '3.1', vector: source.ratings[0].vector, baseScore: 10, source: source.ratings[0].source.name }],
          cwes: source.cwes.map((c: number) => `CWE-${c}`),
          references: source.advisories.map((a: any) => a.url),
        },
      ]);
      const product = { productRef: 'stack:treck', purl: treck.purl, cpe: treck.cpe, vendorName: 'Treck Inc.', productName: 'Treck TCP/IP', version: null };
      const advisory = { format: 'CYCLONEDX_VEX', documentId: ripple20.serialNumber };
      const at = `/vulnerabilities/${ripple20.vulnerabilities.indexOf(source)}/affects/0/versions`;
      // Dated by the CISA advisory that first covered it (src/advisories/data/SOURCES.md "Dates").
      const statedAt = source.analysis.firstIssued;
      expect(v.statements).toEqual([
        statement({
          vulnerabilityId: 'CVE-2020-11896',
          ...product,
          ranges: [range({ scheme: 'vers', fixed: '6.0.1.66', vers: 'vers:generic/<6.0.1.66' })],
          status: 'AFFECTED',
          statusOriginal: 'affected',
          actionStatement: source.recommendation,
          statedAt,
          path: `${at}/0`,
          advisory,
        }),
        statement({ vulnerabilityId: 'CVE-2020-11896', ...product, versions: ['6.0.1.66'], status: 'NOT_AFFECTED', statusOriginal: 'unaffected', actionStatement: source.recommendation, statedAt, path: `${at}/1`, advisory }),
      ]);
    });
  });
});
