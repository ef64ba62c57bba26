/**
 * @module
 * CPE names (NISTIR 7695, "CPE Naming Specification Version 2.3"): CPE 2.3 formatted strings are checked, and
 * CPE 2.2 URIs converted to them, so that one product has one CPE spelling for identity matching. Both go
 * through a well-formed name (WFN) the way the specification's own algorithms do: unbind, check, bind.
 */

export type CpePart = 'a' | 'o' | 'h' | '*' | '-';

/**
 * On success, the canonical CPE 2.3 formatted string and its first attributes, each as written in that
 * string (`*` = ANY, `-` = NA, special characters still quoted: `c\+\+`). On failure, `message` names the CPE
 * and the rule; `reason` is the rule alone, for callers that name the CPE themselves.
 */
export type CpeResult =
  | { ok: true; cpe23: string; part: CpePart; vendor: string; product: string; version: string }
  | { ok: false; message: string; reason: string };

/** The eleven WFN attributes in binding order (NISTIR 7695 §5.2). */
const ATTRIBUTES = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language', 'sw_edition', 'target_sw', 'target_hw', 'other'] as const;
const LANGUAGE = 6;
const EDITION = 5;

const ANY: unique symbol = Symbol('ANY');
const NA: unique symbol = Symbol('NA');
/** A WFN attribute value: the logical ANY or NA, or a string in WFN quoting (`\` before each special character). */
type WfnValue = string | typeof ANY | typeof NA;

/** The percent-encodings the URI binding defines for quoted characters (NISTIR 7695 §6.1.2, Table 6-1). */
const PERCENT_DECODED: ReadonlyMap<string, string> = new Map(
  [...'!"#$%&\'()*+,/:;<=>?@[\\]^`{|}~'].map((c) => [`%${c.charCodeAt(0).toString(16).padStart(2, '0')}`, c]),
);

/** RFC 5646 language tag as far as the formatted-string grammar's LANGTAG goes: `en`, `en-us`, `es-419`. */
const LANGTAG = /^[a-z]{2,3}(?:-(?:[a-z]{2}|[0-9]{3}))?$/;

class CpeSyntaxError extends Error {}

/**
 * Parses a CPE 2.3 formatted string (`cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*`) or a CPE 2.2 URI
 * (`cpe:/a:vendor:product:1.0`, converted to 2.3). Values are lower-cased: the URI binding lower-cases on
 * unbinding (NISTIR 7695 §6.1.3) and the NVD dictionary writes names in lower case, so one spelling per product
 * is what identity matching needs. Never throws. A formatted string that is canonical already takes a shortcut
 * with the same result ({@link canonicalCpe}).
 *
 * @example
 * parseCpe('cpe:/a:Treck:TCP%2fIP:6.0.1.66');
 * // { ok: true, cpe23: 'cpe:2.3:a:treck:tcp\\/ip:6.0.1.66:*:*:*:*:*:*:*', part: 'a', vendor: 'treck',
 * //   product: 'tcp\\/ip', version: '6.0.1.66' }
 * parseCpe('cpe:2.3:a:acme:widget');
 * // { ok: false, message: "CPE 'cpe:2.3:a:acme:widget' is not valid: it has 5 colon-separated fields; ..." }
 */
export function parseCpe(s: string): CpeResult {
  return canonicalCpe(s) ?? parseCpeBySpec(s);
}

/**
 * {@link parseCpe} without the shortcut for canonical names: every CPE goes through the specification's
 * algorithms. Exported so that tests can hold the shortcut to it.
 */
export function parseCpeBySpec(s: string): CpeResult {
  const input = s.trim();
  try {
    let wfn: WfnValue[];
    if (/^cpe:2\.3:/i.test(input)) wfn = unbindFormattedString(input.slice('cpe:2.3:'.length));
    else if (/^cpe:\//i.test(input)) wfn = unbindUri(input.slice('cpe:/'.length));
    else throw new CpeSyntaxError("it starts with neither 'cpe:2.3:' (CPE 2.3 formatted string) nor 'cpe:/' (CPE 2.2 URI)");
    const bound = wfn.map(bindForFormattedString);
    return { ok: true, cpe23: `cpe:2.3:${bound.join(':')}`, part: bound[0] as CpePart, vendor: bound[1]!, product: bound[2]!, version: bound[3]! };
  } catch (e) {
    if (!(e instanceof CpeSyntaxError)) throw e;
    return { ok: false, message: invalidCpeMessage(s, e.message), reason: e.message };
  }
}

/**
 * A CPE 2.3 formatted string that is canonical already, as NVD and SBOM generators write them: part `a`, `o` or
 * `h`; every other attribute `*`, `-` or a run of lower-case letters, digits, `.`, `_` and `-`; language `*` or `-`.
 */
const CANONICAL_CPE23 = /^cpe:2\.3:[aoh](?::(?:\*|[a-z0-9._-]+)){5}:[*-](?::(?:\*|[a-z0-9._-]+)){4}$/;

/**
 * The result of {@link parseCpe} for a formatted string that {@link CANONICAL_CPE23} admits, without unbinding and
 * binding it; `undefined` for any other string, which parseCpe then reads by the specification. Why it is the
 * same: with no backslash, the fields are the colon-separated pieces; unbinding quotes `.` and `-` and keeps
 * letters, digits and `_` (§6.2.3), the value is lower case already and holds no wildcard, so no rule of §5.3.2
 * applies (a lone `-` is NA, not a quoted hyphen); binding unquotes `.`, `-` and `_` again (§6.2.2). So every
 * attribute binds to the text it was read from and the name is its own canonical form.
 * tests/normalise/cpe.test.ts holds this to {@link parseCpeBySpec} on generated and corpus CPEs.
 *
 * @example
 * canonicalCpe('cpe:2.3:a:treck:tcp_ip:6.0.1.66:*:*:*:*:*:*:*');
 * // { ok: true, cpe23: 'cpe:2.3:a:treck:tcp_ip:6.0.1.66:*:*:*:*:*:*:*', part: 'a', vendor: 'treck', product: 'tcp_ip', version: '6.0.1.66' }
 */
export function canonicalCpe(s: string): CpeResult | undefined {
  const input = s.trim();
  if (!CANONICAL_CPE23.test(input)) return undefined;
  const [, , part, vendor, product, version] = input.split(':', 6) as [string, string, CpePart, string, string, string];
  return { ok: true, cpe23: input, part, vendor, product, version };
}

/**
 * The message for an invalid CPE, optionally saying where it was found.
 *
 * @example
 * invalidCpeMessage('cpe:/x', "the part 'x' is not a, o or h", "component 'x'");
 * // "CPE 'cpe:/x' of component 'x' is not valid: the part 'x' is not a, o or h"
 */
export function invalidCpeMessage(cpe: string, reason: string, where?: string): string {
  return `CPE '${cpe}'${where ? ` of ${where}` : ''} is not valid: ${reason}`;
}

/** Unbinding a formatted string to a WFN (NISTIR 7695 §6.2.3). `body` is what follows `cpe:2.3:`. */
function unbindFormattedString(body: string): WfnValue[] {
  // §6.2: the eleven attribute values are separated by colons that are not quoted with a backslash.
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === ':') {
      fields.push(body.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(body.slice(start));
  if (fields.length !== ATTRIBUTES.length) {
    throw new CpeSyntaxError(`it has ${fields.length + 2} colon-separated fields; a CPE 2.3 formatted string has 13 ('cpe', '2.3' and 11 attributes; NISTIR 7695 §6.2)`);
  }
  return fields.map((field, i) => {
    const attribute = ATTRIBUTES[i]!;
    if (i === 0 && !/^[aoh*-]$/i.test(field)) throw new CpeSyntaxError(`the part '${field}' is not a, o, h, * or - (NISTIR 7695 §6.2)`);
    if (field === '') throw new CpeSyntaxError(`the ${attribute} is empty; use '*' for any value or '-' for not applicable (NISTIR 7695 §6.2)`);
    if (field === '*') return ANY;
    if (field === '-') return NA;
    return checkValue(addQuoting(field, attribute), attribute, i);
  });
}

/**
 * `add_quoting` of §6.2.3: quoted characters are copied, unquoted punctuation other than the wildcards gets
 * quoted. Characters outside printable ASCII, and spaces, have no place in a WFN (§5.3.2).
 */
function addQuoting(field: string, attribute: string): string {
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i]!;
    const code = field.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) throw new CpeSyntaxError(`the ${attribute} '${field}' contains ${describeChar(c)}; only printable ASCII characters other than space are allowed (NISTIR 7695 §5.3.2)`);
    if (c === '\\') {
      const next = field[i + 1];
      if (next === undefined) throw new CpeSyntaxError(`the ${attribute} '${field}' ends with a lone backslash (NISTIR 7695 §6.2.3)`);
      const nextCode = field.charCodeAt(i + 1);
      if (nextCode <= 0x20 || nextCode >= 0x7f) throw new CpeSyntaxError(`the ${attribute} '${field}' contains ${describeChar(next)}; only printable ASCII characters other than space are allowed (NISTIR 7695 §5.3.2)`);
      if (/[A-Za-z0-9]/.test(next)) throw new CpeSyntaxError(`the ${attribute} '${field}' quotes '${next}'; only special characters are quoted (NISTIR 7695 §5.3.2)`);
      out += `\\${next}`;
      i++;
    } else if (/[A-Za-z0-9_*?]/.test(c)) out += c;
    else out += `\\${c}`;
  }
  return out;
}

/** Unbinding a CPE 2.2 URI to a WFN (NISTIR 7695 §6.1.3). `body` is what follows `cpe:/`. */
function unbindUri(body: string): WfnValue[] {
  // §6.1 (the CPE 2.2 URI grammar): letters, digits, '.', '_', '-', '~' and percent-encodings only.
  const bad = /[^A-Za-z0-9._~%:-]/u.exec(body);
  if (bad) throw new CpeSyntaxError(`it contains ${describeChar(bad[0])}; a CPE 2.2 URI holds only letters, digits, '.', '_', '-', '~', '%' and ':' (NISTIR 7695 §6.1)`);
  const components = body.split(':');
  if (components.length > 7) {
    throw new CpeSyntaxError(`it has ${components.length} components after 'cpe:/'; a CPE 2.2 URI has at most 7, part to language (NISTIR 7695 §6.1)`);
  }
  // Components left out at the end are ANY, as are empty ones (§6.1.3).
  const [part = '', vendor = '', product = '', version = '', update = '', edition = '', language = ''] = components;
  if (!/^[aoh-]?$/i.test(part)) throw new CpeSyntaxError(`the part '${part}' is not a, o or h (NISTIR 7695 §6.1)`);
  const wfn: WfnValue[] = [part === '' ? ANY : part === '-' ? NA : part.toLowerCase()];
  for (const [i, component] of [vendor, product, version, update].entries()) wfn.push(decode(component, ATTRIBUTES[i + 1]!, i + 1));
  if (edition.startsWith('~')) {
    // §6.1.3: a sixth component that starts with '~' packs edition, sw_edition, target_sw, target_hw and other.
    const packed = edition.split('~');
    if (packed.length !== 6) {
      throw new CpeSyntaxError(`the packed edition '${edition}' holds ${packed.length - 1} '~'-separated values; it must hold exactly 5 (NISTIR 7695 §6.1.3)`);
    }
    const [, ed = '', swEdition = '', targetSw = '', targetHw = '', other = ''] = packed;
    wfn.push(decode(ed, 'edition', EDITION), decode(language, 'language', LANGUAGE));
    wfn.push(decode(swEdition, 'sw_edition', 7), decode(targetSw, 'target_sw', 8), decode(targetHw, 'target_hw', 9), decode(other, 'other', 10));
  } else {
    wfn.push(decode(edition, 'edition', EDITION), decode(language, 'language', LANGUAGE), ANY, ANY, ANY, ANY);
  }
  return wfn;
}

/** `decode` of §6.1.3: '.', '-' and '~' become quoted, %01 and %02 the wildcards '?' and '*', Table 6-1 forms quoted characters. */
function decode(component: string, attribute: string, index: number): WfnValue {
  if (component === '') return ANY;
  if (component === '-') return NA;
  const s = component.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '.' || c === '-' || c === '~') out += `\\${c}`;
    else if (c !== '%') out += c;
    else {
      const form = s.slice(i, i + 3);
      if (form === '%01') out += '?';
      else if (form === '%02') out += '*';
      else {
        const decoded = PERCENT_DECODED.get(form);
        if (decoded === undefined) throw new CpeSyntaxError(`the ${attribute} '${component}' contains '${form}', which is not one of the percent-encodings of NISTIR 7695 §6.1.2 (Table 6-1)`);
        out += `\\${decoded}`;
      }
      i += 2;
    }
  }
  return checkValue(out, attribute, index);
}

/**
 * The attribute-value rules of a WFN (NISTIR 7695 §5.3.2): an unquoted '*' may only begin or end a value, and
 * unquoted '?' only in a run at the beginning or end. A value that is only a quoted hyphen is refused: it
 * binds to '-' (§6.2.2), which reads back as NA. The language must be a language tag.
 */
function checkValue(wfn: string, attribute: string, index: number): WfnValue {
  const value = wfn.toLowerCase();
  if (value === '\\-') throw new CpeSyntaxError(`the ${attribute} is a quoted hyphen alone, which cannot be told apart from NA in a binding (NISTIR 7695 §6.2.2)`);
  const units: string[] = [];
  for (let i = 0; i < value.length; i += value[i] === '\\' ? 2 : 1) units.push(value[i] === '\\' ? value.slice(i, i + 2) : value[i]!);
  let start = 0;
  let end = units.length;
  if (units[0] === '*') start = 1;
  else while (start < end && units[start] === '?') start++;
  if (end > start && units[end - 1] === '*') end--;
  else while (end > start && units[end - 1] === '?') end--;
  for (let k = start; k < end; k++) {
    if (units[k] === '*' || units[k] === '?') {
      throw new CpeSyntaxError(`the ${attribute} '${value}' has an unquoted '${units[k]}' inside it; wildcards may only begin or end a value (NISTIR 7695 §5.3.2)`);
    }
  }
  if (index === LANGUAGE && !LANGTAG.test(value.replace(/\\(.)/g, '$1'))) {
    throw new CpeSyntaxError(`the language '${value.replace(/\\(.)/g, '$1')}' is not a language tag such as 'en' or 'en-us' (RFC 5646, the LANGTAG of NISTIR 7695 §6.2)`);
  }
  return value;
}

/** Binding a WFN value into a formatted string (NISTIR 7695 §6.2.2): `process_quoted_chars` unquotes '.', '-' and '_'. */
function bindForFormattedString(value: WfnValue): string {
  if (value === ANY) return '*';
  if (value === NA) return '-';
  return value.replace(/\\([.\-_])/g, '$1');
}

function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  const code = c.codePointAt(0)!;
  return code < 0x20 || code === 0x7f ? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
}
