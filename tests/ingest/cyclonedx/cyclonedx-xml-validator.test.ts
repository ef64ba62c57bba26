import { describe, expect, it } from 'vitest';
import { getCycloneDxXmlValidator } from '../../../src/ingest/cyclonedx/cyclonedx-xml-validator.js';

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
});
