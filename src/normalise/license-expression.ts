/**
 * @module
 * SPDX licence expressions checked against the SPDX licence list (spdx-expression-parse over spdx-license-ids,
 * deprecated ids included), written back in one canonical form, with a spdx-correct suggestion when invalid.
 */
import spdxCorrect from 'spdx-correct';
import parseSpdxExpression from 'spdx-expression-parse';
import deprecatedLicenseIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import licenseIds from 'spdx-license-ids/index.json' with { type: 'json' };

/**
 * On success, `expression` is the canonical spelling: ids in their SPDX list case, operators upper case,
 * single spaces, parentheses only where precedence needs them. `conjunction` is its top-level operator, so
 * that callers combining expressions know when to parenthesise (see {@link combineWithAnd}).
 */
export type LicenseCheckResult =
  | { ok: true; expression: string; conjunction?: 'and' | 'or' }
  | { ok: false; message: string; suggestion?: string };

/** What SPDX writes where a licence field has no licence to state (SPDX 2.3 §7.13, §7.15). */
const NO_LICENCE = /^(?:NOASSERTION|NONE)$/;

/**
 * SPDX ids in list case by their lower case. SPDX 2.3 Annex D.2: licence ids are to be matched
 * case-insensitively, but spdx-expression-parse matches them exactly, so `mit` is retried as `MIT`.
 */
const IDS_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map([...licenseIds, ...deprecatedLicenseIds].map((id) => [id.toLowerCase(), id]));

/**
 * Checks one SPDX licence expression (`MIT`, `Apache-2.0 OR MIT`, `GPL-2.0-or-later WITH Classpath-exception-2.0`,
 * `LicenseRef-acme`, `DocumentRef-x:LicenseRef-y`). Deprecated ids such as `GPL-2.0` are accepted. An invalid
 * one gets a `suggestion` from spdx-correct when every operand can be corrected. `NOASSERTION` and `NONE`
 * are field values that say no licence is known, not expressions, so they come back not ok (without a
 * suggestion). Never throws.
 *
 * @example
 * checkLicenseExpression('(mit or Apache-2.0)'); // { ok: true, expression: 'MIT OR Apache-2.0', conjunction: 'or' }
 * checkLicenseExpression('apache 2');
 * // { ok: false, suggestion: 'Apache-2.0',
 * //   message: "licence 'apache 2' is not a valid SPDX expression (did you mean 'Apache-2.0'?)" }
 */
export function checkLicenseExpression(expr: string): LicenseCheckResult {
  // spdx-expression-parse skips spaces only; a tab or line break between tokens is still just whitespace.
  const text = expr.replace(/\s+/g, ' ').trim();
  if (NO_LICENCE.test(text)) {
    return { ok: false, message: `licence '${expr}' is not an SPDX expression: ${text} says that no licence is stated` };
  }
  const tree = parseOrUndefined(text) ?? parseOrUndefined(withListCase(text));
  if (tree !== undefined) {
    return 'conjunction' in tree ? { ok: true, expression: serialise(tree), conjunction: tree.conjunction } : { ok: true, expression: serialise(tree) };
  }
  const suggestion = suggestCorrection(text);
  return suggestion === undefined ? { ok: false, message: invalidLicenceMessage(expr) } : { ok: false, message: invalidLicenceMessage(expr, suggestion), suggestion };
}

/** True for the SPDX field values that state no licence (`NOASSERTION`, `NONE`): neither a licence nor an error. */
export function statesNoLicence(expr: string): boolean {
  return NO_LICENCE.test(expr.trim());
}

/**
 * Joins checked expressions with AND, parenthesising those whose top-level operator is OR
 * (SPDX 2.3 Annex D.4: AND binds tighter than OR).
 *
 * @example
 * combineWithAnd([{ expression: 'MIT OR Apache-2.0', conjunction: 'or' }, { expression: 'BSD-3-Clause' }]);
 * // '(MIT OR Apache-2.0) AND BSD-3-Clause'
 */
export function combineWithAnd(parts: ReadonlyArray<{ expression: string; conjunction?: 'and' | 'or' }>): string {
  if (parts.length === 1) return parts[0]!.expression;
  return parts.map((p) => (p.conjunction === 'or' ? `(${p.expression})` : p.expression)).join(' AND ');
}

/**
 * The message for an invalid expression, optionally with a suggestion and where it was found.
 *
 * @example
 * invalidLicenceMessage('apache 2', 'Apache-2.0', "component 'x'");
 * // "licence 'apache 2' of component 'x' is not a valid SPDX expression (did you mean 'Apache-2.0'?)"
 */
export function invalidLicenceMessage(expr: string, suggestion?: string, where?: string): string {
  return `licence '${expr}'${where ? ` of ${where}` : ''} is not a valid SPDX expression${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`;
}

function parseOrUndefined(text: string): parseSpdxExpression.Info | undefined {
  if (text === '') return undefined;
  try {
    return parseSpdxExpression(text);
  } catch {
    return undefined;
  }
}

function withListCase(text: string): string {
  return text.replace(/[A-Za-z0-9.-]+/g, (word) => IDS_BY_LOWER_CASE.get(word.toLowerCase()) ?? word);
}

function serialise(node: parseSpdxExpression.Info): string {
  if ('license' in node) return `${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`;
  const operand = (child: parseSpdxExpression.Info) => {
    const s = serialise(child);
    return node.conjunction === 'and' && 'conjunction' in child && child.conjunction === 'or' ? `(${s})` : s;
  };
  return `${operand(node.left)} ${node.conjunction.toUpperCase()} ${operand(node.right)}`;
}

/**
 * spdx-correct corrects one licence name; given a whole expression it may keep one operand and drop the rest
 * ('MIT OR apache 2' -> 'Apache-2.0'), so operands are corrected one at a time and the result must parse.
 * "or later" is part of a licence name ("GPL v2 or later"), not an operator.
 */
function suggestCorrection(text: string): string | undefined {
  const pieces = text.split(/(\s*[()]\s*|\s+(?:AND|OR)\s+(?!(?:any\s+)?later\b|newer\b)|\s+WITH\s+)/i);
  let suggestion = '';
  let afterWith = false;
  for (const [i, piece] of pieces.entries()) {
    if (i % 2 === 1) {
      suggestion += /[()]/.test(piece) ? piece.trim() : ` ${piece.trim().toUpperCase()} `;
      afterWith = /^\s*WITH\s*$/i.test(piece);
      continue;
    }
    const operand = piece.trim();
    if (operand === '') continue;
    // spdx-correct knows licences, not exceptions: an exception stays as written and the final parse judges it.
    if (afterWith) {
      suggestion += operand;
      continue;
    }
    const valid = parseOrUndefined(operand) ?? parseOrUndefined(withListCase(operand));
    const corrected = valid !== undefined ? serialise(valid) : correctOrUndefined(operand);
    if (corrected === undefined) return undefined;
    suggestion += corrected;
  }
  const tree = parseOrUndefined(suggestion);
  return tree === undefined ? undefined : serialise(tree);
}

function correctOrUndefined(name: string): string | undefined {
  try {
    return spdxCorrect(name) ?? undefined;
  } catch {
    return undefined;
  }
}
