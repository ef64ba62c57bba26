import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAdvisory } from '../../src/advisories/parse-advisory.js';
import type { AdvisoryParseResult } from '../../src/model/advisory.js';

type Json = Record<string, unknown>;

const osv = (extra: Json = {}): Json => ({
  id: 'GHSA-abcd-efgh-ijkl',
  modified: '2024-05-02T08:00:00Z',
  aliases: ['CVE-2024-12345'],
  affected: [{ package: { ecosystem: 'npm', name: 'dnsfoo' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.0' }] }] }],
  ...extra,
});

const csaf = (document: Json = {}, extra: Json = {}): Json => ({
  document: {
    category: 'csaf_security_advisory',
    csaf_version: '2.0',
    publisher: { category: 'coordinator', name: 'CISA', namespace: 'https://www.cisa.gov/' },
    title: 'Treck TCP/IP',
    tracking: {
      current_release_date: '2020-06-16T00:00:00.000Z',
      id: 'ICSA-20-168-01',
      initial_release_date: '2020-06-16T00:00:00.000Z',
      revision_history: [{ date: '2020-06-16T00:00:00.000Z', number: '1', summary: 'Initial' }],
      status: 'final',
      version: '1',
    },
    ...document,
  },
  product_tree: { full_product_names: [{ name: 'Treck TCP/IP 6.0.1.66', product_id: 'P1' }] },
  vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { known_affected: ['P1'] } }],
  ...extra,
});

const openvex = (statement: Json = {}): Json => ({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://acme.example/vex/1',
  author: 'Acme',
  timestamp: '2024-03-01T10:00:00Z',
  version: 1,
  statements: [{ vulnerability: { name: 'CVE-2020-11901' }, products: [{ '@id': 'pkg:generic/acme/pump@2.1' }], status: 'fixed', ...statement }],
});

const cyclonedx = (analysis: Json = { state: 'not_affected', justification: 'code_not_present' }): Json => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  components: [{ 'bom-ref': 'stack', type: 'library', name: 'tcpip', version: '6.0.1.66' }],
  vulnerabilities: [{ id: 'CVE-2020-11901', analysis, affects: [{ ref: 'stack' }] }],
});

const bytes = (doc: unknown) => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));
const issuesOf = (r: AdvisoryParseResult) => (r.ok ? r.advisory.issues : r.issues);

describe('parseAdvisory', () => {
  describe('tells the format from the content and dispatches to its mapper', () => {
    it.each([
      ['osv', osv(), 'CVE-2024-12345'],
      ['csaf', csaf(), 'CVE-2020-11901'],
      ['openvex', openvex(), 'CVE-2020-11901'],
      ['cyclonedx-vex', cyclonedx(), 'CVE-2020-11901'],
    ])('reads %s', async (format, doc, id) => {
      const r = await parseAdvisory(bytes(doc));
      expect(r).toMatchObject({ ok: true, advisory: { format, schemaValid: true, issues: [], vulnerabilities: [expect.objectContaining({ id })] } });
    });
  });

  describe('refuses what it cannot read as an advisory, locating each problem', () => {
    it('refuses an empty document', async () => {
      for (const text of ['', '  \n\t ']) {
        expect(await parseAdvisory(bytes(text))).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'EMPTY_DOCUMENT', severity: 'error', path: '' })] });
      }
    });

    it('refuses text that is not JSON, with the line and column of the error', async () => {
      const r = await parseAdvisory(bytes('{\n  "id": "GHSA-1",\n  oops\n}'));
      expect(r).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'SYNTAX_ERROR', path: 'line 3, column 3', message: expect.stringMatching(/^JSON syntax error/) })] });
      expect(issuesOf(await parseAdvisory(bytes('hello world')))).toEqual([expect.objectContaining({ code: 'SYNTAX_ERROR', path: 'line 1, column 1' })]);
    });

    it('refuses a truncated document, saying it ends early', async () => {
      const text = JSON.stringify(csaf(), null, 2);
      const r = await parseAdvisory(bytes(text.slice(0, text.length / 2)));
      expect(issuesOf(r)).toEqual([expect.objectContaining({ code: 'SYNTAX_ERROR', path: expect.stringMatching(/^line \d+, column \d+$/), message: expect.stringMatching(/^JSON ends early \(truncated document\?\)/) })]);
    });

    it('refuses JSON that is no advisory, saying what it is', async () => {
      expect(issuesOf(await parseAdvisory(bytes({ hello: 'world' })))).toEqual([
        { code: 'NOT_AN_ADVISORY', severity: 'error', path: '', message: expect.stringMatching(/^document is JSON but not an advisory: the JSON object has none of document\.csaf_version/) },
      ]);
      expect(issuesOf(await parseAdvisory(bytes([osv()])))[0]!.message).toMatch(/top-level JSON value is an array/);
      expect(issuesOf(await parseAdvisory(bytes({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] })))[0]).toMatchObject({ code: 'NOT_AN_ADVISORY', message: expect.stringMatching(/CycloneDX BOM without a 'vulnerabilities' array: an SBOM/) });
      expect(issuesOf(await parseAdvisory(bytes({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT' })))[0]!.message).toMatch(/SPDX document: an SBOM/);
    });

    it('refuses JSON nested beyond the limit with the line and column where the limit is passed', async () => {
      const r = await parseAdvisory(bytes(`{\n  "id": ${'['.repeat(70)}${']'.repeat(70)}\n}`));
      expect(r).toEqual({ ok: false, issues: [{ code: 'LIMIT_EXCEEDED', severity: 'error', path: 'line 2, column 72', message: 'JSON nesting goes deeper than the limit of 64 levels' }] });
      expect(issuesOf(await parseAdvisory(bytes(osv()), { maxDepth: 3 }))[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', message: 'JSON nesting goes deeper than the limit of 3 levels' });
    });

    it('refuses a document above the size limit', async () => {
      expect(issuesOf(await parseAdvisory(bytes(osv()), { maxBytes: 100 }))).toEqual([expect.objectContaining({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/above the limit of 100 bytes$/) })]);
    });

    it('refuses bytes that are not UTF-8, and XML', async () => {
      expect(issuesOf(await parseAdvisory(Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])))[0]).toMatchObject({ code: 'INVALID_ENCODING', path: 'byte 7' });
      expect(issuesOf(await parseAdvisory(bytes('<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>')))[0]).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    });

    it('names an unsupported spec version and the supported ones', async () => {
      expect(await parseAdvisory(bytes(csaf({ csaf_version: '2.1' })))).toEqual({
        ok: false,
        format: 'csaf',
        specVersion: '2.1',
        issues: [{ code: 'UNSUPPORTED_SPEC_VERSION', severity: 'error', path: '/document/csaf_version', message: "csaf spec version '2.1' is not supported; supported: 2.0" }],
      });
      const cdx = { ...cyclonedx(), specVersion: '1.3' };
      expect(issuesOf(await parseAdvisory(bytes(cdx)))[0]).toMatchObject({ code: 'UNSUPPORTED_SPEC_VERSION', path: '/specVersion' });
      expect(issuesOf(await parseAdvisory(bytes({ ...openvex(), '@context': 'https://openvex.dev/ns/v1' })))[0]).toMatchObject({ code: 'UNSUPPORTED_SPEC_VERSION', path: '/@context' });
      expect(issuesOf(await parseAdvisory(bytes(osv({ schema_version: '2.0.0' }))))[0]).toMatchObject({ code: 'UNSUPPORTED_SPEC_VERSION', path: '/schema_version' });
    });
  });

  describe('lenient by default, strict on request', () => {
    const broken: [string, Json, string, number][] = [
      ['osv', osv({ severity: [{ type: 'CVSS_V9', score: 'x' }] }), '/severity/0/type', 2],
      ['csaf', csaf({ publisher: { category: 'coordinator', name: 'CISA' } }), '/document/publisher', 1],
      ['openvex', openvex({ status: 'affected' }), '/statements/0', 1],
      ['cyclonedx-vex', cyclonedx({ state: 'not_affected', justification: 'because' }), '/vulnerabilities/0/analysis/justification', 1],
    ];

    it.each(broken)('reads a %s document that breaks its schema, with the violation located and schemaValid false', async (format, doc, path, statements) => {
      const r = await parseAdvisory(bytes(doc));
      expect(r).toMatchObject({ ok: true, advisory: { format, schemaValid: false } });
      expect(issuesOf(r)).toContainEqual(expect.objectContaining({ code: 'SCHEMA_VIOLATION', severity: 'error', path, message: expect.stringMatching(/JSON schema\)$/) }));
      expect(r.ok && r.advisory.statements.length).toBe(statements);
    });

    it.each(broken)('rejects a %s document that breaks its schema when strict, with the errors only', async (format, doc, path) => {
      const r = await parseAdvisory(bytes(doc), { strict: true });
      expect(r).toMatchObject({ ok: false, format });
      expect(issuesOf(r)).toContainEqual(expect.objectContaining({ code: 'SCHEMA_VIOLATION', path }));
      expect(issuesOf(r).every((i) => i.severity === 'error')).toBe(true);
    });

    it('accepts a schema-valid document when strict, warnings and all', async () => {
      const doc = csaf({}, { vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { known_affected: ['P1', 'P9'] } }] });
      const r = await parseAdvisory(bytes(doc), { strict: true });
      expect(r).toMatchObject({ ok: true, advisory: { schemaValid: true, issues: [expect.objectContaining({ code: 'DANGLING_REF', severity: 'warning' })] } });
    });

    it('reads a JSON document followed by junk, recording the junk and marking it schema-invalid', async () => {
      const r = await parseAdvisory(bytes(`${JSON.stringify(osv())}\nContact us | Privacy`));
      expect(r).toMatchObject({ ok: true, advisory: { schemaValid: false, issues: [expect.objectContaining({ code: 'SYNTAX_ERROR', path: 'line 2, column 1' })] } });
      expect((await parseAdvisory(bytes(`${JSON.stringify(osv())}\nContact us`), { strict: true })).ok).toBe(false);
    });
  });

  it('lists at most 1000 mapping warnings of one code and counts the rest', async () => {
    const ids = Array.from({ length: 1005 }, (_, i) => `MISSING-${i}`);
    const r = await parseAdvisory(bytes(csaf({}, { vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { known_affected: ids } }] })));
    expect(r.ok && r.advisory.statements).toHaveLength(1005);
    expect(issuesOf(r)).toHaveLength(1001);
    expect(issuesOf(r)[1000]).toMatchObject({ code: 'DANGLING_REF', severity: 'warning', message: '5 more DANGLING_REF issues not listed (1005 in all)' });
  });

  it('never throws, whatever JSON it is given in whatever format shape', async () => {
    const shapes = [
      (x: unknown) => x,
      (x: unknown) => ({ document: { csaf_version: '2.0', tracking: x }, product_tree: x, vulnerabilities: x }),
      (x: unknown) => ({ document: { csaf_version: '2.0' }, product_tree: { branches: [x], relationships: [x], product_groups: [x] }, vulnerabilities: [x, { cve: 'CVE-2020-1', product_status: x, flags: [x], threats: [x], remediations: [x], scores: [x] }] }),
      (x: unknown) => ({ id: 'X-1', modified: x, affected: [x, { package: x, ranges: [x, { type: 'GIT', events: [x] }], versions: x }], severity: [x] }),
      (x: unknown) => ({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [x, { vulnerability: x, products: [x], status: x, justification: x }] }),
      (x: unknown) => ({ '@context': 'https://openvex.dev/ns', statements: x }),
      (x: unknown) => ({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [x], vulnerabilities: [x, { id: 'CVE-2020-1', analysis: x, affects: [x, { ref: 'a', versions: [x] }], ratings: [x] }] }),
    ];
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 0, max: shapes.length - 1 }), async (value, shape) => {
        const r = await parseAdvisory(bytes(shapes[shape]!(value)));
        expect(typeof r.ok).toBe('boolean');
        expect(() => JSON.stringify(r)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
