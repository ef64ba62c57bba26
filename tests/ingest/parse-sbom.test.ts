import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonNestingDepth, parseSbom } from '../../src/ingest/parse-sbom.js';

const cdx = (extra: object = {}) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', version: '1' }], ...extra });
const issuesOf = (r: Awaited<ReturnType<typeof parseSbom>>) => (r.ok ? r.sbom.issues : r.issues);

describe('parseSbom', () => {
  it('reads UTF-8 with a byte-order mark and UTF-16 with one', async () => {
    const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cdx())]);
    expect((await parseSbom(bom8)).ok).toBe(true);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cdx(), 'utf16le')]);
    expect((await parseSbom(utf16)).ok).toBe(true);
  });

  it('refuses bytes that are not UTF-8, naming the offset of the first bad byte', async () => {
    const r = await parseSbom(Buffer.concat([Buffer.from('{"bomFormat":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
    expect(r.ok).toBe(false);
    expect(issuesOf(r)[0]).toMatchObject({ code: 'INVALID_ENCODING', path: 'byte 14', message: expect.stringMatching(/0xc3 at offset 14/) });
  });

  it('applies the size, depth and component limits it is given', async () => {
    expect(issuesOf(await parseSbom(Buffer.from(cdx()), { limits: { maxBytes: 10 } }))[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/above the limit of 10 bytes/) });
    const deep = await parseSbom(Buffer.from(cdx({ metadata: { properties: [{ name: 'x', value: 'y' }] } })), { limits: { maxDepth: 3 } });
    expect(issuesOf(deep)[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', path: expect.stringMatching(/^line 1, column \d+$/) });
    const many = await parseSbom(Buffer.from(cdx({ components: [1, 2, 3].map((i) => ({ type: 'library', name: `c${i}` })) })), { limits: { maxComponents: 2 } });
    expect(issuesOf(many)[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', message: 'document has 3 components, above the limit of 2' });
  });

  it('refuses deep XML before parsing it', async () => {
    const xml = `<bom xmlns="http://cyclonedx.org/schema/bom/1.6">${'<a>'.repeat(100)}${'</a>'.repeat(100)}</bom>`;
    expect(issuesOf(await parseSbom(Buffer.from(xml)))[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/XML element nesting/) });
  });

  it('refuses any DOCTYPE or entity declaration, reporting each with its line', async () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>';
    const r = await parseSbom(Buffer.from(xml));
    expect(issuesOf(r).map((i) => [i.code, i.path])).toEqual([
      ['FORBIDDEN_XML_CONSTRUCT', 'line 2, column 1'],
      ['FORBIDDEN_XML_CONSTRUCT', 'line 3, column 1'],
    ]);
  });

  it('names the unsupported spec version and the supported ones', async () => {
    const r = await parseSbom(Buffer.from(cdx({ specVersion: '1.1' })));
    expect(r).toMatchObject({ ok: false, format: 'cyclonedx-json', specVersion: '1.1' });
    expect(issuesOf(r)[0]).toMatchObject({ code: 'UNSUPPORTED_SPEC_VERSION', path: '/specVersion', message: "cyclonedx-json spec version '1.1' is not supported; supported: 1.2, 1.3, 1.4, 1.5, 1.6" });
  });

  it('reads a JSON document followed by junk, recording the junk and marking it schema-invalid', async () => {
    const r = await parseSbom(Buffer.from(`${cdx()}\nContact Us | Privacy Policy`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sbom.schemaValid).toBe(false);
    expect(r.sbom.issues[0]).toMatchObject({ code: 'SYNTAX_ERROR', path: 'line 2, column 1' });
    expect((await parseSbom(Buffer.from(`${cdx()}\nContact Us`), { strict: true })).ok).toBe(false);
  });

  it('in strict mode rejects with the errors only, not the warnings', async () => {
    const doc = cdx({ components: [{ type: 'library', name: 'a', unknownField: 1, licenses: [{ license: { name: 'custom' } }] }] });
    const r = await parseSbom(Buffer.from(doc), { strict: true });
    expect(r.ok).toBe(false);
    expect(issuesOf(r).every((i) => i.severity === 'error')).toBe(true);
  });

  it('rejects JSON nested beyond the limit with the line and column where the limit is passed', async () => {
    const text = `{\n  "a": ${'['.repeat(70)}${']'.repeat(70)}\n}`;
    expect(await parseSbom(Buffer.from(text))).toEqual({
      ok: false,
      issues: [{ code: 'LIMIT_EXCEEDED', severity: 'error', path: 'line 2, column 71', message: 'JSON nesting goes deeper than the limit of 64 levels' }],
    });
  });

  it('reports the nesting limit before a syntax error further on', async () => {
    const r = await parseSbom(Buffer.from(`${'['.repeat(10)}"unterminated`), { limits: { maxDepth: 4 } });
    expect(issuesOf(r)).toEqual([expect.objectContaining({ code: 'LIMIT_EXCEEDED', path: 'line 1, column 5' })]);
  });

  it('counts no bracket inside a string against the nesting limit', async () => {
    const r = await parseSbom(Buffer.from(cdx({ components: [{ type: 'library', name: `${'['.repeat(100)}"${'{'.repeat(100)}` }] })));
    expect(r.ok).toBe(true);
  });
});

/** Nesting depth read one character at a time, escapes included: what jsonNestingDepth must agree with. */
function nestingDepthByCharacter(text: string, max: number): { exceededAt?: number } {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > max) return { exceededAt: i };
    } else if (c === '}' || c === ']') depth--;
  }
  return {};
}

describe('jsonNestingDepth', () => {
  it('finds the same first place beyond the limit as reading one character at a time', () => {
    const jsonish = fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', 'a', ' ', '\\"', '\\\\'), maxLength: 60 });
    fc.assert(
      fc.property(jsonish, fc.integer({ min: 0, max: 6 }), (text, max) => {
        expect(jsonNestingDepth(text, max)).toEqual(nestingDepthByCharacter(text, max));
      }),
      { numRuns: 20_000 },
    );
  });

  it('skips brackets inside strings, after escaped quotes and after runs of backslashes', () => {
    expect(jsonNestingDepth('{"a":"[[[[\\"[[[["}', 2)).toEqual({});
    expect(jsonNestingDepth('{"a":"\\\\"}', 1)).toEqual({});
    expect(jsonNestingDepth('{"a":"\\\\\\"[["}', 1)).toEqual({});
    expect(jsonNestingDepth('{"a":"\\\\",[[', 2)).toEqual({ exceededAt: 11 });
  });
});
