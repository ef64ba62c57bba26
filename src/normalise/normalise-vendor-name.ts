/**
 * @module
 * Vendor names as keys: the same organisation written "ACME Inc.", "Acme, Inc" or "ACME INCORPORATED" in
 * different SBOMs must land on one vendor (DOMAIN.md "Identity": case, punctuation and legal suffixes).
 */

/** The values SPDX uses for "no supplier stated" (SPDX 2.3 §7.5 PackageSupplier). */
const NO_VALUE = /^(?:NOASSERTION|NONE)$/i;

/**
 * Legal-form suffixes, written as companies write them. They go through the same tokenising as names, so
 * "L.L.C." becomes `l l c` and "GmbH & Co. KG" becomes `gmbh and co kg`, which is what a name ends with
 * after the same treatment. Deliberately absent: descriptive words such as Holdings, Group, Technologies,
 * Systems, which tell vendors apart ("Foo Holdings" is not "Foo").
 */
const LEGAL_SUFFIXES = [
  // English-speaking
  'Inc', 'Incorporated', 'Corp', 'Corporation', 'Co', 'Company', '& Co', 'Ltd', 'Limited', 'LLC', 'L.L.C.', 'LLP',
  'L.L.P.', 'LP', 'L.P.', 'PLC', 'P.L.C.', 'Pty', 'Pte', 'Sdn Bhd', 'Bhd',
  // German-speaking
  'GmbH', 'gGmbH', 'mbH', 'AG', 'KG', 'KGaA', 'GmbH & Co. KG', 'AG & Co. KG', 'e.K.',
  // Romance languages
  'SA', 'S.A.', 'SAS', 'S.A.S.', 'SARL', 'S.à r.l.', 'SpA', 'S.p.A.', 'Srl', 'S.r.l.', 'SL', 'S.L.', 'Ltda',
  'SA de CV', 'S.A. de C.V.',
  // Benelux, Nordics, Baltics
  'BV', 'B.V.', 'NV', 'N.V.', 'AB', 'Oy', 'Oyj', 'AS', 'A/S', 'ASA', 'ApS', 'OÜ',
  // Central Europe
  'Kft', 'Zrt', 'Nyrt', 'sp. z o.o.', 's.r.o.', 'a.s.', 'd.o.o.',
  // Europe-wide and Asia
  'SE', 'KK', 'K.K.',
];

/**
 * Letters that carry no combining mark in Unicode decomposition but are still "a letter with a diacritic",
 * and final sigma, which case folding maps to σ but toLowerCase produces depending on the letters around it.
 */
const EXTRA_FOLDS: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h', ς: 'σ' };
const EXTRA_FOLD_RE = new RegExp(`[${Object.keys(EXTRA_FOLDS).join('')}]`, 'g');

/** Suffix token lists by their last token, longest first, so "co ltd" is tried before "ltd". */
const SUFFIXES_BY_LAST_TOKEN: Map<string, string[][]> = (() => {
  const byLast = new Map<string, string[][]>();
  for (const written of LEGAL_SUFFIXES) {
    const tokens = tokenise(written);
    const last = tokens[tokens.length - 1]!;
    const list = byLast.get(last) ?? [];
    if (!list.some((t) => t.join(' ') === tokens.join(' '))) list.push(tokens);
    byLast.set(last, list);
  }
  for (const list of byLast.values()) list.sort((a, b) => b.length - a.length);
  return byLast;
})();

/**
 * The vendor key of an organisation name: NFKC, case-folded, diacritics folded, `&` read as `and`,
 * punctuation turned to spaces, and trailing legal-form suffixes (Inc, GmbH, Co. Ltd., S.p.A., ...) removed
 * again and again. A name that is nothing but legal forms is kept whole, so "Inc." alone stays `inc`.
 * An SPDX `Organization: ` / `Person: ` prefix and a trailing `(email)` or `<email>` are dropped first.
 *
 * @returns the key, or `undefined` when the name says nothing: empty, `NOASSERTION`, `NONE`, punctuation only.
 *
 * @example
 * normaliseVendorName('ACME, Inc.');                  // 'acme'
 * normaliseVendorName('Organization: Siemens AG (psirt@siemens.com)'); // 'siemens'
 * normaliseVendorName('Foo Holdings Co., Ltd.');      // 'foo holdings'
 * normaliseVendorName('NOASSERTION');                 // undefined
 */
export function normaliseVendorName(name: string): string | undefined {
  const display = vendorDisplayName(name);
  if (display === undefined) return undefined;
  const tokens = tokenise(display);
  if (tokens.length === 0) return undefined;
  const stripped = stripLegalSuffixes(tokens);
  // A name made only of legal forms ("Inc.", "Co., Ltd.") is kept whole rather than reduced to nothing.
  return (stripped.length > 0 ? stripped : tokens).join(' ');
}

/**
 * The name as a person would write it: trimmed, without the SPDX `Organization: ` / `Person: ` prefix or a
 * trailing contact (`(jane@example.com)`, `<jane@example.com>`, `()`). `undefined` when no name remains or
 * the name is `NOASSERTION` / `NONE`.
 *
 * @example
 * vendorDisplayName('Organization: ExampleCodeInspect (contact@example.com)'); // 'ExampleCodeInspect'
 */
export function vendorDisplayName(name: string): string | undefined {
  let s = name.trim();
  // SPDX 2.3 §7.5: "Person: person name (email)" / "Organization: company name (email)"; the email and even
  // the space after the colon are optional, and real documents also write "Name <email>".
  s = s.replace(/^(?:Organization|Person)\s*:\s*/i, '');
  s = withoutTrailingContact(s).trim();
  if (s === '' || NO_VALUE.test(s)) return undefined;
  return s;
}

/**
 * `s` without a trailing `(…@…)`, `()` or `<…@…>`, as `s.replace(/\s*(?:\((?:[^()]*@[^()]*)?\)|<[^<>]*@[^<>]*>)\s*$/, '')`
 * gives it on trimmed text, in linear time: that expression took quadratic time over a run of spaces or `@`
 * (100,000 spaces in a supplier name held an upload for 13 s).
 */
function withoutTrailingContact(s: string): string {
  const close = s.at(-1);
  if (close !== ')' && close !== '>') return s;
  const open = s.lastIndexOf(close === ')' ? '(' : '<');
  if (open === -1) return s;
  const contact = s.slice(open + 1, -1);
  const inner = close === ')' ? /[()]/ : /[<>]/;
  if (inner.test(contact) || !(contact.includes('@') || (close === ')' && contact === ''))) return s;
  return s.slice(0, open);
}

function tokenise(name: string): string[] {
  let s = name.normalize('NFKC');
  // Lower, upper, lower again stands in for Unicode full case folding, which JavaScript lacks: ẞ -> ß -> SS -> ss.
  s = s.toLowerCase().toUpperCase().toLowerCase();
  s = s.normalize('NFD').replace(/\p{M}+/gu, '').replace(EXTRA_FOLD_RE, (c) => EXTRA_FOLDS[c]!);
  s = s.replace(/&/g, ' and ');
  // Apostrophes join rather than split, so "O'Reilly" and "OReilly" agree.
  s = s.replace(/['\u2019\u02bc]/g, '');
  return s.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');
}

function stripLegalSuffixes(tokens: readonly string[]): readonly string[] {
  let end = tokens.length;
  while (end > 0) {
    const candidates = SUFFIXES_BY_LAST_TOKEN.get(tokens[end - 1]!);
    const match = candidates?.find((suffix) => endsWith(tokens, end, suffix));
    if (match === undefined) break;
    end -= match.length;
  }
  return end === tokens.length ? tokens : tokens.slice(0, end);
}

function endsWith(tokens: readonly string[], end: number, suffix: readonly string[]): boolean {
  if (suffix.length > end) return false;
  const offset = end - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (tokens[offset + i] !== suffix[i]) return false;
  return true;
}
