import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAdvisory } from '../../src/advisories/parse-advisory.js';
import { findVulnerability, listStatementsOfVulnerability } from '../../src/store/vulnerability.repository.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';
import { readAdvisoryContent } from '../../src/store/advisory.repository.js';
import { CSAF } from '../helpers/advisory-docs.js';
import { CORPUS_AVAILABLE, CORPUS_DIR, CORPUS_SKIP_REASON, readCorpusFile } from '../helpers/corpus.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

const CSAF_FILES = CORPUS_AVAILABLE ? readdirSync(join(CORPUS_DIR, 'csaf')).filter((f) => f.endsWith('.json')).sort() : [];

const OPENVEX = (statements: object[]) =>
  JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://northwind.example/vex/2026-001',
    author: 'Northwind Wireless Inc.',
    timestamp: '2026-03-01T00:00:00Z',
    version: 1,
    statements,
  });

const rowCount = async (t: TestDb, table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);
const TABLES = ['advisory', 'advisory_content', 'advisory_issue', 'advisory_vulnerability', 'vex_statement', 'vulnerability_alias'];

describe.each(BACKENDS)('advisory ingest on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it.skipIf(!CORPUS_AVAILABLE)(`stores every CISA CSAF advisory of the corpus whole, and the same bytes again as a duplicate${CORPUS_AVAILABLE ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, async () => {
    expect(CSAF_FILES.length).toBeGreaterThan(90);
    for (const file of CSAF_FILES) {
      const bytes = readCorpusFile(`csaf/${file}`);
      const parsed = await parseAdvisory(bytes);
      expect(parsed.ok, file).toBe(true);
      if (!parsed.ok) continue;
      const outcome = await ingestAdvisory(t.db, bytes);
      expect(outcome.status, file).toBe('accepted');
      if (outcome.status !== 'accepted') continue;
      expect([outcome.record.format, outcome.record.vulnerabilityCount, outcome.record.statementCount], file).toEqual(['csaf', parsed.advisory.vulnerabilities.length, parsed.advisory.statements.length]);
      const stored = await sql<{ n: number }>`select count(*) as n from vex_statement where advisory_id = ${outcome.record.id}`.execute(t.db);
      expect(Number(stored.rows[0]!.n), file).toBe(parsed.advisory.statements.length);
      // Kept verbatim: the same bytes come back.
      expect(Buffer.from((await readAdvisoryContent(t.db, outcome.record.id))!).equals(bytes), file).toBe(true);
      const again = await ingestAdvisory(t.db, bytes);
      expect([again.status, again.status === 'rejected' ? undefined : again.record.id], file).toEqual(['duplicate', outcome.record.id]);
    }
  });

  it('keeps the document\'s own status and justification beside the normalised ones, and finds a vulnerability by any alias', async () => {
    const outcome = await ingestAdvisory(
      t.db,
      Buffer.from(
        OPENVEX([
          {
            vulnerability: { name: 'CVE-2099-0001', aliases: ['GHSA-aaaa-bbbb-cccc'] },
            products: [{ '@id': 'pkg:generic/northwind-wireless/nw-wm200-firmware@4.2.1' }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
            impact_statement: 'the DNS resolver is compiled out',
          },
        ]),
      ),
    );
    expect(outcome.status).toBe('accepted');
    const v = (await findVulnerability(t.db, 'GHSA-aaaa-bbbb-cccc'))!;
    expect(v.id).toBe('CVE-2099-0001');
    const [s] = await listStatementsOfVulnerability(t.db, [v.id], 10);
    expect(s).toMatchObject({
      status: 'not_affected',
      statusOriginal: 'not_affected',
      justification: 'code_not_reachable',
      justificationOriginal: 'vulnerable_code_not_in_execute_path',
      impactStatement: 'the DNS resolver is compiled out',
      purl: 'pkg:generic/northwind-wireless/nw-wm200-firmware@4.2.1',
    });
    const purlKey = await sql<{ purl_product: string }>`select purl_product from vex_statement where vulnerability_id = 'CVE-2099-0001'`.execute(t.db);
    expect(purlKey.rows[0]!.purl_product).toBe('pkg:generic/northwind-wireless/nw-wm200-firmware');
  });

  it('stores nothing for a rejected document, and rejects a schema violation only in strict mode', async () => {
    const before = await Promise.all(TABLES.map((table) => rowCount(t, table)));
    for (const bad of ['', '{"not":"an advisory"}', '{"@context":"https://openvex.dev/ns/v0.2.0","statements":[', '[1,2,3]']) {
      const outcome = await ingestAdvisory(t.db, Buffer.from(bad));
      expect(outcome.status, bad).toBe('rejected');
      if (outcome.status === 'rejected') expect(outcome.issues.length, bad).toBeGreaterThan(0);
    }
    // A property the OpenVEX schema does not allow breaks the schema, but the statement can still be read.
    const invalid = Buffer.from(OPENVEX([{ vulnerability: { name: 'CVE-2099-0002' }, products: [{ '@id': 'pkg:generic/acme/x@1' }], status: 'affected', action_statement: 'update', extra_field: true }]));
    const strict = await ingestAdvisory(t.db, invalid, { strict: true });
    expect(strict).toMatchObject({ status: 'rejected', issues: [{ code: 'SCHEMA_VIOLATION', path: '/statements/0/extra_field' }] });
    expect(await Promise.all(TABLES.map((table) => rowCount(t, table)))).toEqual(before);
    const lenient = await ingestAdvisory(t.db, invalid);
    expect(lenient).toMatchObject({ status: 'accepted', record: { schemaValid: false, issueCount: 1 } });
  });

  it('gives one vulnerability the same highest score whichever of its ids it is looked up by', async () => {
    const vex = (vulnerability: object) =>
      Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, serialNumber: `urn:uuid:${crypto.randomUUID()}`, vulnerabilities: [vulnerability] }));
    const cvss = (score: number) => [{ source: { name: 'PSIRT' }, score, method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }];
    expect((await ingestAdvisory(t.db, vex({ id: 'GHSA-7777-aaaa-bbbb', ratings: cvss(9.8) }))).status).toBe('accepted');
    expect((await ingestAdvisory(t.db, vex({ id: 'CVE-2099-7777', references: [{ id: 'GHSA-7777-aaaa-bbbb', source: { name: 'GitHub' } }], ratings: cvss(5.3) }))).status).toBe('accepted');
    const byCve = (await findVulnerability(t.db, 'CVE-2099-7777'))!;
    const byGhsa = (await findVulnerability(t.db, 'GHSA-7777-aaaa-bbbb'))!;
    expect([byCve.id, byCve.cvssMax, byGhsa.id, byGhsa.cvssMax]).toEqual(['CVE-2099-7777', 9.8, 'CVE-2099-7777', 9.8]);
  });

  it('stores a CVSS score outside 0 to 10 as no score, with a warning naming the value and its place, beside the valid ones', async () => {
    // Found by the upload-routes property (seed -211617034): a CycloneDX rating of 2^64 was read, then refused by the
    // numeric(3, 1) column, a 500; CSAF's baseScore went the same way.
    const before = await rowCount(t, 'advisory');
    const vex = Buffer.from(JSON.stringify({
      bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, serialNumber: `urn:uuid:${crypto.randomUUID()}`,
      vulnerabilities: [{ id: 'CVE-2099-8888', ratings: [
        { score: 18446744073709551616, method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        { score: 7.5, method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
      ] }],
    }));
    const cdx = await ingestAdvisory(t.db, vex);
    expect(cdx).toMatchObject({ status: 'accepted', record: { schemaValid: true } });
    expect(cdx.status === 'accepted' && cdx.issues).toEqual([
      { code: 'INVALID_SCORE', severity: 'warning', path: '/vulnerabilities/0/ratings/0/score', message: expect.stringContaining('CVSS base score 18446744073709552000 at /vulnerabilities/0/ratings/0/score is not a number from 0 to 10') },
    ]);
    expect((await findVulnerability(t.db, 'CVE-2099-8888'))!.cvssMax).toBe(7.5);

    const csaf = structuredClone(CSAF) as typeof CSAF & { document: { tracking: { id: string } } };
    csaf.document.tracking.id = 'PATCHPATH-TEST-SCORE-1';
    csaf.vulnerabilities[0]!.scores[0]!.cvss_v3.baseScore = 11;
    const outcome = await ingestAdvisory(t.db, Buffer.from(JSON.stringify(csaf)));
    expect(outcome.status).toBe('accepted');
    expect(outcome.status === 'accepted' && outcome.issues.filter((i) => i.code === 'INVALID_SCORE')).toEqual([
      expect.objectContaining({ path: '/vulnerabilities/0/scores/0/cvss_v3/baseScore', message: expect.stringContaining('CVSS base score 11 at') }),
    ]);
    expect(await rowCount(t, 'advisory')).toBe(before + 2);
  });

  it('applies the nesting limit it is given', async () => {
    let deep = '"x"';
    for (let i = 0; i < 30; i++) deep = `{"a":${deep}}`;
    const osv = `{"schema_version":"1.6.0","id":"OSV-2099-1","modified":"2026-01-01T00:00:00Z","database_specific":${deep}}`;
    const outcome = await ingestAdvisory(t.db, Buffer.from(osv), { limits: { maxBytes: 1 << 20, maxDepth: 16 } });
    expect(outcome).toMatchObject({ status: 'rejected', issues: [{ code: 'LIMIT_EXCEEDED', message: 'JSON nesting goes deeper than the limit of 16 levels' }] });
  });

  it('creates one record for the same bytes uploaded twice at once', async () => {
    const bytes = Buffer.from(OPENVEX([{ vulnerability: { name: 'CVE-2099-0003' }, products: [{ '@id': 'pkg:generic/acme/y@1' }], status: 'fixed' }]));
    const [a, b] = await Promise.all([ingestAdvisory(t.db, bytes), ingestAdvisory(t.db, bytes)]);
    expect([a.status, b.status].sort()).toEqual(['accepted', 'duplicate']);
    const n = await sql<{ n: number }>`select count(*) as n from vex_statement where vulnerability_id = 'CVE-2099-0003'`.execute(t.db);
    expect(Number(n.rows[0]!.n)).toBe(1);
  });
});
