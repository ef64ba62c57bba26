import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCpe, invalidCpeMessage, parseCpe, parseCpeBySpec } from '../../src/normalise/cpe.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON } from '../helpers/corpus.js';
import { corpusValues } from './corpus-values.js';

function cpe23Of(s: string): string {
  const r = parseCpe(s);
  if (!r.ok) throw new Error(r.message);
  return r.cpe23;
}

function reasonOf(s: string): string {
  const r = parseCpe(s);
  if (r.ok) throw new Error(`'${s}' parsed as ${r.cpe23}`);
  return r.reason;
}

describe('parseCpe', () => {
  describe('CPE 2.3 formatted strings', () => {
    it('returns the string and its part, vendor, product and version', () => {
      expect(parseCpe('cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*')).toEqual({
        ok: true,
        cpe23: 'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*',
        part: 'a',
        vendor: 'microsoft',
        product: 'internet_explorer',
        version: '8.0.6001',
      });
    });

    it('lower-cases values', () => {
      expect(cpe23Of('CPE:2.3:O:Treck:TCP_IP:6.0.1.66:*:*:*:*:*:*:*')).toBe('cpe:2.3:o:treck:tcp_ip:6.0.1.66:*:*:*:*:*:*:*');
    });

    it('keeps quoted special characters, including colons, and unquotes . - _', () => {
      expect(parseCpe('cpe:2.3:a:foo\\:bar:c\\+\\+:1\\.0\\-rc\\_1:*:*:*:*:*:*:*')).toMatchObject({
        ok: true,
        cpe23: 'cpe:2.3:a:foo\\:bar:c\\+\\+:1.0-rc_1:*:*:*:*:*:*:*',
        vendor: 'foo\\:bar',
        product: 'c\\+\\+',
        version: '1.0-rc_1',
      });
    });

    it('quotes unquoted punctuation, as unbinding does', () => {
      expect(cpe23Of('cpe:2.3:a:azure:azure-sdk-for-go:v57.0.0+incompatible:*:*:*:*:*:*:*')).toBe(
        'cpe:2.3:a:azure:azure-sdk-for-go:v57.0.0\\+incompatible:*:*:*:*:*:*:*',
      );
    });

    it('accepts wildcards at the beginning or end of a value and language tags', () => {
      expect(cpe23Of('cpe:2.3:a:foo:bar:*1.2?:*:en-us:*:*:*:*:*')).toBe('cpe:2.3:a:foo:bar:*1.2?:*:en-us:*:*:*:*:*');
      expect(cpe23Of('cpe:2.3:h:??foo??:bar:-:*:*:*:*:*:*:*')).toBe('cpe:2.3:h:??foo??:bar:-:*:*:*:*:*:*:*');
    });

    it.each([
      ['cpe:2.3:a:acme:widget', "it has 5 colon-separated fields; a CPE 2.3 formatted string has 13 ('cpe', '2.3' and 11 attributes; NISTIR 7695 §6.2)"],
      ['cpe:2.3:a:acme:widget:1:*:*:*:*:*:*:*:*', "it has 14 colon-separated fields; a CPE 2.3 formatted string has 13 ('cpe', '2.3' and 11 attributes; NISTIR 7695 §6.2)"],
      ['cpe:2.3:x:acme:widget:1:*:*:*:*:*:*:*', "the part 'x' is not a, o, h, * or - (NISTIR 7695 §6.2)"],
      ['cpe:2.3:a:acme::1:*:*:*:*:*:*:*', "the product is empty; use '*' for any value or '-' for not applicable (NISTIR 7695 §6.2)"],
      ['cpe:2.3:a:acme:widget:1*2:*:*:*:*:*:*:*', "the version '1*2' has an unquoted '*' inside it; wildcards may only begin or end a value (NISTIR 7695 §5.3.2)"],
      ['cpe:2.3:a:acme:wid?get:1:*:*:*:*:*:*:*', "the product 'wid?get' has an unquoted '?' inside it; wildcards may only begin or end a value (NISTIR 7695 §5.3.2)"],
      ['cpe:2.3:a:acme:widget:1 0:*:*:*:*:*:*:*', "the version '1 0' contains a space; only printable ASCII characters other than space are allowed (NISTIR 7695 §5.3.2)"],
      ['cpe:2.3:a:acme:widgét:1:*:*:*:*:*:*:*', "the product 'widgét' contains 'é'; only printable ASCII characters other than space are allowed (NISTIR 7695 §5.3.2)"],
      ['cpe:2.3:a:acme:widget:1:*:*:*:*:*:*:x\\', "the other 'x\\' ends with a lone backslash (NISTIR 7695 §6.2.3)"],
      ['cpe:2.3:a:acme:wid\\get:1:*:*:*:*:*:*:*', "the product 'wid\\get' quotes 'g'; only special characters are quoted (NISTIR 7695 §5.3.2)"],
      ['cpe:2.3:a:acme:widget:\\-:*:*:*:*:*:*:*', 'the version is a quoted hyphen alone, which cannot be told apart from NA in a binding (NISTIR 7695 §6.2.2)'],
      ['cpe:2.3:a:acme:widget:1:*:*:english:*:*:*:*', "the language 'english' is not a language tag such as 'en' or 'en-us' (RFC 5646, the LANGTAG of NISTIR 7695 §6.2)"],
    ])('rejects %s', (cpe, reason) => {
      expect(parseCpe(cpe)).toEqual({ ok: false, reason, message: `CPE '${cpe}' is not valid: ${reason}` });
    });
  });

  describe('CPE 2.2 URIs', () => {
    it('converts a URI to a formatted string, with ANY for the attributes it leaves out', () => {
      expect(parseCpe('cpe:/a:example:myapplication:1.0.0')).toEqual({
        ok: true,
        cpe23: 'cpe:2.3:a:example:myapplication:1.0.0:*:*:*:*:*:*:*',
        part: 'a',
        vendor: 'example',
        product: 'myapplication',
        version: '1.0.0',
      });
      expect(cpe23Of('cpe:/o:microsoft:windows_xp::sp2:pro')).toBe('cpe:2.3:o:microsoft:windows_xp:*:sp2:pro:*:*:*:*:*');
      expect(cpe23Of('cpe:/h')).toBe('cpe:2.3:h:*:*:*:*:*:*:*:*:*:*');
      expect(cpe23Of('cpe:/a:foo:bar:1.0:::en-us')).toBe('cpe:2.3:a:foo:bar:1.0:*:*:en-us:*:*:*:*');
    });

    it('decodes percent-encodings to quoted characters and %01 / %02 to wildcards', () => {
      expect(cpe23Of('cpe:/a:Treck:TCP%2fIP:6.0.1.66')).toBe('cpe:2.3:a:treck:tcp\\/ip:6.0.1.66:*:*:*:*:*:*:*');
      expect(cpe23Of('cpe:/a:%01%01foo%01:bar:1.%02')).toBe('cpe:2.3:a:??foo?:bar:1.*:*:*:*:*:*:*:*');
      expect(cpe23Of('cpe:/a:foo:bar:1.0~beta')).toBe('cpe:2.3:a:foo:bar:1.0\\~beta:*:*:*:*:*:*:*');
    });

    it('unpacks a packed edition into the extended attributes', () => {
      expect(cpe23Of('cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~')).toBe(
        'cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*',
      );
    });

    it.each([
      ['cpe:/a:foo bar', "it contains a space; a CPE 2.2 URI holds only letters, digits, '.', '_', '-', '~', '%' and ':' (NISTIR 7695 §6.1)"],
      ['cpe:/a:a:b:c:d:e:f:g', "it has 8 components after 'cpe:/'; a CPE 2.2 URI has at most 7, part to language (NISTIR 7695 §6.1)"],
      ['cpe:/x:acme', "the part 'x' is not a, o or h (NISTIR 7695 §6.1)"],
      ['cpe:/a:foo%20bar', "the vendor 'foo%20bar' contains '%20', which is not one of the percent-encodings of NISTIR 7695 §6.1.2 (Table 6-1)"],
      ['cpe:/a:fo%01o', "the vendor 'fo?o' has an unquoted '?' inside it; wildcards may only begin or end a value (NISTIR 7695 §5.3.2)"],
      ['cpe:/a:foo:bar:1:-:~a~b', "the packed edition '~a~b' holds 2 '~'-separated values; it must hold exactly 5 (NISTIR 7695 §6.1.3)"],
      ['cpe:/a:foo:bar:1:::english', "the language 'english' is not a language tag such as 'en' or 'en-us' (RFC 5646, the LANGTAG of NISTIR 7695 §6.2)"],
    ])('rejects %s', (cpe, reason) => {
      expect(reasonOf(cpe)).toBe(reason);
    });
  });

  it('rejects a string that is neither binding', () => {
    expect(reasonOf('cpe:2.2:a:foo:bar')).toBe("it starts with neither 'cpe:2.3:' (CPE 2.3 formatted string) nor 'cpe:/' (CPE 2.2 URI)");
    expect(reasonOf('')).toBe("it starts with neither 'cpe:2.3:' (CPE 2.3 formatted string) nor 'cpe:/' (CPE 2.2 URI)");
  });

  it('never throws, and its output parses to itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `cpe:2.3:${s}`), fc.string().map((s) => `cpe:/${s}`)), (s) => {
        const r = parseCpe(s);
        return !r.ok || cpe23Of(r.cpe23) === r.cpe23;
      }),
    );
  });
});

/** Formatted-string-shaped CPEs from the characters that decide whether a value is canonical. */
const cpeValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('*', '-') },
  { weight: 12, arbitrary: fc.string({ unit: fc.constantFrom(...'abz09._-'), minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abz09._-A*?\\+:~ é', '\\-', '\\.'), maxLength: 8 }) },
);
const cpeLike = fc
  .record({
    prefix: fc.constantFrom('cpe:2.3:', 'cpe:2.3:', 'cpe:2.3:', 'CPE:2.3:', ' cpe:2.3:'),
    part: fc.constantFrom('a', 'o', 'h', '*', '-', 'A', 'x'),
    values: fc.oneof({ weight: 8, arbitrary: fc.array(cpeValue, { minLength: 9, maxLength: 9 }) }, { weight: 1, arbitrary: fc.array(cpeValue, { maxLength: 11 }) }),
    language: fc.constantFrom('*', '-', 'en', 'en-us', 'EN', 'english'),
  })
  .map(({ prefix, part, values, language }) => `${prefix}${[part, ...values.slice(0, 5), language, ...values.slice(5)].join(':')}`);

describe('canonicalCpe', () => {
  it('gives what the specification algorithms give, whenever it gives anything', () => {
    let taken = 0;
    fc.assert(
      fc.property(cpeLike, (cpe) => {
        const fast = canonicalCpe(cpe);
        if (fast !== undefined) {
          taken++;
          expect(fast).toStrictEqual(parseCpeBySpec(cpe));
        }
        expect(parseCpe(cpe)).toStrictEqual(parseCpeBySpec(cpe));
      }),
      { numRuns: 20_000 },
    );
    expect(taken).toBeGreaterThan(1000);
  });

  it('leaves names that are not canonical to the specification algorithms', () => {
    for (const cpe of ['CPE:2.3:a:foo:bar:1:*:*:*:*:*:*:*', 'cpe:2.3:a:Foo:bar:1:*:*:*:*:*:*:*', 'cpe:2.3:a:foo:bar:1\\.0:*:*:*:*:*:*:*', 'cpe:2.3:a:foo:bar:1:*:*:en:*:*:*:*', 'cpe:/a:foo:bar:1']) {
      expect(canonicalCpe(cpe)).toBeUndefined();
    }
  });
});

describe.skipIf(!CORPUS_AVAILABLE)(`parseCpe on the corpus CPEs${CORPUS_AVAILABLE ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, () => {
  it('parses every corpus CPE to a formatted string that parses to itself', () => {
    const { cpes } = corpusValues();
    expect(cpes.size).toBeGreaterThan(1000);
    const failures = [...cpes].filter((cpe) => {
      const r = parseCpe(cpe);
      return !r.ok || cpe23Of(r.cpe23) !== r.cpe23;
    });
    expect(failures).toEqual([]);
  });

  it('gives every corpus CPE what the specification algorithms give', () => {
    for (const cpe of corpusValues().cpes) expect(parseCpe(cpe), cpe).toStrictEqual(parseCpeBySpec(cpe));
  });
});

describe('invalidCpeMessage', () => {
  it('names the CPE, where it was found and the rule', () => {
    expect(invalidCpeMessage('cpe:/x', "the part 'x' is not a, o or h", "component 'a'")).toBe("CPE 'cpe:/x' of component 'a' is not valid: the part 'x' is not a, o or h");
  });
});
