import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ISSUES } from '../../../src/ingest/ajv-issue.js';
import { getCycloneDxJsonStepValidator, getCycloneDxJsonValidator, isHashContent } from '../../../src/ingest/cyclonedx/cyclonedx-json-validator.js';
import { runSteps } from '../../../src/ingest/cyclonedx/parse-cyclonedx-json.js';
import { CORPUS_AVAILABLE, corpusCases, readCorpusFile } from '../../helpers/corpus.js';

function bom(extra: Record<string, unknown> = {}, specVersion = '1.6') {
  return { bomFormat: 'CycloneDX', specVersion, version: 1, ...extra };
}

function library(name: string, extra: Record<string, unknown> = {}) {
  return { type: 'library', name, version: '1.0.0', ...extra };
}

describe('getCycloneDxJsonValidator', () => {
  it('returns the same compiled validator for the same spec version', () => {
    expect(getCycloneDxJsonValidator('1.6')).toBe(getCycloneDxJsonValidator('1.6'));
  });

  it('throws for a spec version that has no schema', () => {
    expect(() => getCycloneDxJsonValidator('1.1')).toThrow(/no CycloneDX JSON schema for spec version '1.1'/);
  });

  it('accepts a minimal valid BOM for every supported version', () => {
    for (const v of ['1.2', '1.3', '1.4', '1.5', '1.6']) {
      expect(getCycloneDxJsonValidator(v)(bom({ components: [library('a')] }, v))).toEqual({ valid: true, issues: [] });
    }
  });

  it('names the value and the allowed values of a broken enum', () => {
    const { valid, issues } = getCycloneDxJsonValidator('1.6')(bom({ components: [library('a', { type: 'foo' })] }));
    expect(valid).toBe(false);
    expect(issues).toContainEqual({
      code: 'SCHEMA_VIOLATION',
      severity: 'error',
      path: '/components/0/type',
      message: expect.stringMatching(/^'\/components\/0\/type' 'foo' is not one of 'application', 'framework', 'library', .* \(CycloneDX 1\.6 JSON schema\)$/),
    });
  });

  it('names the value and the format it breaks', () => {
    const { issues } = getCycloneDxJsonValidator('1.6')(bom({ metadata: { timestamp: 'yesterday' } }));
    expect(issues).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/metadata/timestamp', message: "'/metadata/timestamp' 'yesterday' does not match format 'date-time' (CycloneDX 1.6 JSON schema)" },
    ]);
  });

  it('reports every problem, not only the first', () => {
    const { issues } = getCycloneDxJsonValidator('1.6')(bom({ components: [library('a', { type: 'foo' }), { type: 'library' }] }));
    expect(issues.map((i) => i.path)).toEqual(['/components/0/type', '/components/1']);
    expect(issues[1]!.message).toBe("'/components/1' (an object) has no required property 'name' (CycloneDX 1.6 JSON schema)");
  });

  it("maps ajv's empty instance path to '/'", () => {
    const { issues } = getCycloneDxJsonValidator('1.6')({ specVersion: '1.6' });
    expect(issues).toContainEqual(expect.objectContaining({ path: '/', message: "the document (an object) has no required property 'bomFormat' (CycloneDX 1.6 JSON schema)" }));
  });

  it('checks SPDX licence ids against the full list', () => {
    const validate = getCycloneDxJsonValidator('1.6');
    expect(validate(bom({ components: [library('a', { licenses: [{ license: { id: 'MIT' } }] })] })).valid).toBe(true);
    const { valid, issues } = validate(bom({ components: [library('a', { licenses: [{ license: { id: 'Apache-2' } }] })] }));
    expect(valid).toBe(false);
    expect(issues).toContainEqual(expect.objectContaining({ path: '/components/0/licenses/0/license/id', message: expect.stringContaining("'Apache-2' is not one of '0BSD'") }));
  });

  it('reports a bom-ref used twice, nested components and metadata.component included, as DUPLICATE_REF', () => {
    const doc = bom({
      metadata: { component: { type: 'device', name: 'd', 'bom-ref': 'dev' } },
      components: [library('a', { 'bom-ref': 'a', components: [library('b', { 'bom-ref': 'dev' })] }), library('c', { 'bom-ref': 'a' })],
    });
    const { valid, issues } = getCycloneDxJsonValidator('1.6')(doc);
    expect(valid).toBe(false);
    expect(issues).toEqual([
      {
        code: 'DUPLICATE_REF',
        severity: 'error',
        path: '/components/0/components/0/bom-ref',
        message: "bom-ref 'dev' at /components/0/components/0 is already used by /metadata/component; bom-refs must be unique within a BOM",
      },
      {
        code: 'DUPLICATE_REF',
        severity: 'error',
        path: '/components/1/bom-ref',
        message: "bom-ref 'a' at /components/1 is already used by /components/0; bom-refs must be unique within a BOM",
      },
    ]);
  });

  it('still rejects identical items where the schema says uniqueItems, without comparing every pair', () => {
    const doc = bom({ components: [library('a', { 'bom-ref': 'a' }), library('b', { 'bom-ref': 'b' })], dependencies: [{ ref: 'a', dependsOn: ['b', 'b'] }] });
    const { valid, issues } = getCycloneDxJsonValidator('1.6')(doc);
    expect(valid).toBe(false);
    expect(issues).toEqual([expect.objectContaining({ path: '/dependencies/0/dependsOn', message: expect.stringContaining('must NOT have duplicate items (items 0 and 1 are identical)') })]);
  });

  it('reports the first repeat of a short list and the item it repeats, as for a long one', () => {
    const validate = getCycloneDxJsonValidator('1.6');
    const withDependsOn = (dependsOn: string[]) =>
      validate(bom({ components: ['a', 'b', 'c'].map((r) => library(r, { 'bom-ref': r })), dependencies: [{ ref: 'a', dependsOn }] })).issues;
    const short = ['b', 'c', 'c', 'b'];
    const long = [...Array.from({ length: 20 }, (_, i) => `x${i}`), ...short];
    expect(withDependsOn(short)).toEqual([expect.objectContaining({ path: '/dependencies/0/dependsOn', message: expect.stringContaining('(items 1 and 2 are identical)') })]);
    expect(withDependsOn(long)).toEqual([expect.objectContaining({ path: '/dependencies/0/dependsOn', message: expect.stringContaining('(items 21 and 22 are identical)') })]);
  });

  it('tells identical objects from objects that only share their first string', () => {
    const validate = getCycloneDxJsonValidator('1.6');
    const withDependencies = (second: Record<string, unknown>) =>
      bom({ components: [library('a', { 'bom-ref': 'a' }), library('b', { 'bom-ref': 'b' })], dependencies: [{ ref: 'a', dependsOn: ['b'] }, second] });
    expect(validate(withDependencies({ ref: 'a', dependsOn: [] })).valid).toBe(true);
    expect(validate(withDependencies({ ref: 'a', dependsOn: ['b'] })).issues).toEqual([
      expect.objectContaining({ path: '/dependencies', message: expect.stringContaining('(items 0 and 1 are identical)') }),
    ]);
  });

  it('checks iri-reference: RFC 3986 forbids a colon in the first segment of a relative reference', () => {
    const validate = getCycloneDxJsonValidator('1.4');
    const withUrl = (url: string) => bom({ components: [library('a', { externalReferences: [{ type: 'vcs', url }] })] }, '1.4');
    for (const ok of ['https://github.com/org/repo', '', '../relative/path', 'https://例え.jp/パス', 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#a']) {
      expect(validate(withUrl(ok)), ok).toEqual({ valid: true, issues: [] });
    }
    const { valid, issues } = validate(withUrl('git@github.com:indutny/asn1.js'));
    expect(valid).toBe(false);
    expect(issues[0]!.message).toBe("'/components/0/externalReferences/0/url' 'git@github.com:indutny/asn1.js' does not match format 'iri-reference' (CycloneDX 1.4 JSON schema)");
  });

  it('checks hash contents as the schema pattern does', () => {
    const validate = getCycloneDxJsonValidator('1.6');
    const withHash = (content: string) => validate(bom({ components: [library('a', { hashes: [{ alg: 'SHA-256', content }] })] }));
    expect(withHash('AB'.repeat(32))).toEqual({ valid: true, issues: [] });
    expect(withHash('ab'.repeat(33)).issues).toEqual([
      expect.objectContaining({ path: '/components/0/hashes/0/content', message: expect.stringContaining('does not match pattern') }),
    ]);
  });

  it(`lists at most ${MAX_REPORTED_ISSUES} schema violations and counts the rest`, () => {
    const components = Array.from({ length: 1500 }, (_, i) => library(`c${i}`, { type: 'foo' }));
    const { valid, issues } = getCycloneDxJsonValidator('1.6')(bom({ components }));
    expect(valid).toBe(false);
    expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(issues.at(-1)).toEqual({ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/', message: '500 more schema violations not listed (1500 in all)' });
  });

  it('validates 20 000 components with dependencies in linear time (the library validator takes about a minute)', () => {
    const components = Array.from({ length: 20_000 }, (_, i) =>
      library(`c${i}`, { 'bom-ref': `c${i}`, purl: `pkg:npm/c${i}@1.0.0`, hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }], licenses: [{ license: { id: 'MIT' } }] }),
    );
    const dependencies = components.map((_, i) => ({ ref: `c${i}`, dependsOn: i ? [`c${i - 1}`] : [] }));
    const started = performance.now();
    expect(getCycloneDxJsonValidator('1.6')(bom({ components, dependencies })).valid).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('getCycloneDxJsonStepValidator', () => {
  const inSteps = (doc: unknown, specVersion = '1.6') => runSteps(getCycloneDxJsonStepValidator(specVersion)(doc, 2));

  it('gives what one call gives, issue for issue, for problems in the document, its components and its dependencies', () => {
    for (const v of ['1.2', '1.3', '1.4', '1.5', '1.6']) {
      const doc = bom({
        version: 'x',
        extra: 1,
        metadata: { timestamp: 'yesterday' },
        components: [library('a', { 'bom-ref': 'a' }), library('b', { type: 'foo', hashes: [{ alg: 'x', content: 'y' }] }), 'not a component', library('c', { components: [library('d', { name: 5 })] }), library('e', { 'bom-ref': 'a' })],
        services: 5,
        // a broken entry, a repeated target, and whole entries repeated (the list's own uniqueness rule)
        dependencies: [{ ref: 'a', dependsOn: ['b', 'b'] }, { ref: 5 }, { ref: 'a', dependsOn: ['b', 'b'] }, 'x', { ref: 'a', dependsOn: ['b', 'b'] }],
        compositions: 'bad',
      }, v);
      const whole = getCycloneDxJsonValidator(v)(doc);
      expect(whole.issues.length).toBeGreaterThan(8);
      expect(inSteps(doc, v)).toEqual(whole);
    }
  });

  it('gives what one call gives for lists that are not lists, and for a valid document', () => {
    for (const doc of [bom({ components: { a: 1 }, dependencies: 'none' }), bom({ components: [library('a')], dependencies: [] }), 'not a document', null]) {
      expect(inSteps(doc)).toEqual(getCycloneDxJsonValidator('1.6')(doc));
    }
  });

  it.skipIf(!CORPUS_AVAILABLE)('gives what one call gives for every CycloneDX JSON document of the corpus', () => {
    const differ: string[] = [];
    for (const c of corpusCases().filter((c) => c.format === 'cyclonedx-json' && ['1.2', '1.3', '1.4', '1.5', '1.6'].includes(c.specVersion))) {
      let doc: unknown;
      try {
        doc = JSON.parse(readCorpusFile(c.path).toString('utf8'));
      } catch {
        continue; // not JSON: never validated
      }
      if (JSON.stringify(inSteps(doc, c.specVersion)) !== JSON.stringify(getCycloneDxJsonValidator(c.specVersion)(doc))) differ.push(c.path);
    }
    expect(differ).toEqual([]);
  });
});

describe('isHashContent', () => {
  const pattern = /^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$/u;

  it('accepts exactly the strings the schema pattern accepts', () => {
    const hexLike = fc.oneof(
      fc.constantFrom(32, 40, 64, 96, 128, 31, 33, 63, 65, 0).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n })),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFgG \u0010\u0019é😀'), minLength: 30, maxLength: 130 }),
      // a valid content with one character replaced
      fc
        .tuple(fc.constantFrom(32, 40, 64, 96, 128), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([n, at, c]) => `${'0'.repeat(at % n)}${c}${'0'.repeat(n - 1 - (at % n))}`),
    );
    fc.assert(fc.property(fc.oneof(hexLike, fc.string()), (s) => isHashContent(s) === pattern.test(s)), { numRuns: 5000 });
  });
});
