import { describe, expect, it } from 'vitest';
import { crowdedElement, doubleHyphenInComment, getCycloneDxXmlValidator, MAX_ATTRIBUTES } from '../../../src/ingest/cyclonedx/cyclonedx-xml-validator.js';
import { parseSbom } from '../../../src/ingest/parse-sbom.js';

const xml = (body: string, version = '1.4') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/${version}" version="1">\n${body}\n</bom>\n`;

describe('getCycloneDxXmlValidator', () => {
  it('returns the same validator for the same spec version', () => {
    expect(getCycloneDxXmlValidator('1.4')).toBe(getCycloneDxXmlValidator('1.4'));
  });

  it('throws for a spec version that has no XSD here', () => {
    expect(() => getCycloneDxXmlValidator('2.0')).toThrow(/no CycloneDX XSD for spec version '2.0'/);
  });

  it('accepts a valid BOM for every supported version', async () => {
    for (const v of ['1.2', '1.3', '1.4', '1.5', '1.6']) {
      const text = xml('<components><component type="library"><name>a</name><version>1.0</version></component></components>', v);
      expect(await getCycloneDxXmlValidator(v)(text)).toEqual({ wellFormed: true, valid: true, issues: [] });
    }
  });

  it("gives each XSD violation a line and libxml2's message without the namespace", async () => {
    const text = xml('<components>\n<component type="foo"><name>a</name><version>1.0</version></component>\n</components>');
    const result = await getCycloneDxXmlValidator('1.4')(text);
    expect(result.wellFormed).toBe(true);
    expect(result.valid).toBe(false);
    expect(result.issues).toEqual([
      {
        code: 'SCHEMA_VIOLATION',
        severity: 'error',
        path: 'line 4',
        message: expect.stringMatching(/^Element 'component', attribute 'type': \[facet 'enumeration'\] The value 'foo' is not an element of the set \{'application'/),
      },
    ]);
  });

  it('reports a bom-ref used twice through the XSD uniqueness constraint', async () => {
    const text = xml(
      '<components>\n<component type="library" bom-ref="x"><name>a</name><version>1</version></component>\n<component type="library" bom-ref="x"><name>b</name><version>1</version></component>\n</components>',
    );
    const result = await getCycloneDxXmlValidator('1.4')(text);
    expect(result.valid).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ path: 'line 5', message: expect.stringContaining("Duplicate key-sequence ['x']") })]);
  });

  it('says the text is not well-formed, with a line and column, instead of throwing', async () => {
    const result = await getCycloneDxXmlValidator('1.4')(xml('<components>\n<component type="library"><name>a</name>').slice(0, -8));
    expect(result.wellFormed).toBe(false);
    expect(result.valid).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'SYNTAX_ERROR', path: expect.stringMatching(/^line \d+, column \d+$/) })]);
  });

  it('does not expand entities or read external files', async () => {
    const text = `<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components><component type="library"><name>&xxe;</name><version>1</version></component></components></bom>`;
    const result = await getCycloneDxXmlValidator('1.4')(text);
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it("refuses a comment holding '--' before libxml2 reads it, with its line and column: libxml2 kept the comment once per '--' (a 600 KB upload took gigabytes)", async () => {
    // Found by the XML mutation property at FC_RUNS_FACTOR=60: the test process ran out of its 4 GB heap in libxmljs2.
    const text = xml(`<!--${'a--'.repeat(200_000)}-->\n<components/>`);
    const result = await getCycloneDxXmlValidator('1.4')(text);
    expect(result).toEqual({ wellFormed: false, valid: false, issues: [{ code: 'SYNTAX_ERROR', severity: 'error', path: 'line 3, column 6', message: "XML is not well-formed: a comment holds '--' at line 3, column 6, which XML 1.0 (section 2.5) does not allow inside a comment" }] });
    const parsed = await parseSbom(Buffer.from(text));
    expect(parsed).toMatchObject({ ok: false, format: 'cyclonedx-xml', issues: [{ code: 'SYNTAX_ERROR', path: 'line 3, column 6' }] });
  });
});

describe('doubleHyphenInComment', () => {
  it.each([
    ['no comment', '<a>x -- y</a>', undefined],
    ['a comment without --', '<a><!-- a - b --></a>', undefined],
    ['an empty comment', '<a><!----></a>', undefined],
    ['-- inside a comment', '<a><!-- a -- b --></a>', 10],
    ["a comment ending in '-'", '<a><!-- a ---></a>', 10],
    ['-- in the second comment', '<!-- a --><a/><!-- b--c -->', 20],
    ['an unclosed comment holding --', '<a><!-- a -- b', 10],
    ['<!-- inside CDATA opens no comment', '<a><![CDATA[ <!-- a -- b --> ]]></a>', undefined],
    ['<!-- inside a processing instruction opens no comment', '<?pi <!-- a -- b --> ?><a/>', undefined],
    ['a comment after CDATA', '<a><![CDATA[ x ]]><!-- a -- --></a>', 25],
    ['--> inside CDATA does not end a comment', '<a><!-- <![CDATA[ --></a>', undefined],
  ])('%s', (_what, text, offset) => {
    expect(doubleHyphenInComment(text)).toBe(offset);
  });
});

describe('crowdedElement', () => {
  const attributes = (n: number, name = (i: number) => `a${i}`) => Array.from({ length: n }, (_, i) => `${name(i)}="${i}"`).join(' ');

  it('finds an element with more attributes than the limit, with where it starts and how many it has', () => {
    const text = `<bom>\n  <x ${attributes(MAX_ATTRIBUTES + 1)}/>\n</bom>`;
    expect(crowdedElement(text)).toEqual({ offset: 8, attributes: MAX_ATTRIBUTES + 1 });
  });

  it('passes an element with as many attributes as the limit, long text with = in it, and = inside quoted values', () => {
    expect(crowdedElement(`<bom><x ${attributes(MAX_ATTRIBUTES)}/></bom>`)).toBeUndefined();
    expect(crowdedElement(`<bom><description>${'a=b '.repeat(500)}</description></bom>`)).toBeUndefined();
    expect(crowdedElement(`<bom><x a="${'k=v&amp;'.repeat(200)}" b='${'='.repeat(400)}'/></bom>`)).toBeUndefined();
    expect(crowdedElement(`<bom><!-- ${'a=b '.repeat(500)} --><?pi ${'a=b '.repeat(500)}?></bom>`)).toBeUndefined();
  });

  it('counts past a > inside a quoted value, where the tag goes on', () => {
    expect(crowdedElement(`<bom><x a=">" ${attributes(MAX_ATTRIBUTES)}/></bom>`)).toEqual({ offset: 5, attributes: MAX_ATTRIBUTES + 1 });
  });

  it('refuses, through parseSbom, an element of 20,000 namespaced attributes before libxml2 compares them pairwise (64,000 took 36 s)', async () => {
    // Found by hand after the XML mutation property's finding above: libxml2's check of repeated attributes is quadratic.
    const text = xml(`<components><component type="library" ${attributes(20_000, (i) => `p${i}:a`)}><name>a</name><version>1</version></component></components>`);
    expect(await parseSbom(Buffer.from(text))).toMatchObject({
      ok: false,
      format: 'cyclonedx-xml',
      issues: [{ code: 'LIMIT_EXCEEDED', path: 'line 3, column 13', message: `the element at line 3, column 13 has 20001 attributes, above the limit of ${MAX_ATTRIBUTES} (a CycloneDX element has a handful)` }],
    });
  });
});
