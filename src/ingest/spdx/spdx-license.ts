/**
 * @module
 * SPDX licence fields (licenseDeclared, licenseConcluded, SPDX 3 hasDeclaredLicense targets) -> {@link License}.
 */
import parseSpdxExpression from 'spdx-expression-parse';
import type { License } from '../../model/sbom.js';

/** Parsing verdicts by expression text: big documents repeat a handful of expressions thousands of times. */
export type LicenseCache = Map<string, boolean>;

/**
 * The licence an SPDX licence field states, or undefined when it states none (empty, NOASSERTION, NONE). An
 * expression that spdx-expression-parse accepts (LicenseRef-* and DocumentRef-*:LicenseRef-* included) becomes
 * `expression`; any other text becomes `name`, and `invalid` is set so the caller can warn.
 *
 * @example
 * spdxLicense('(MIT OR Apache-2.0)', 'declared', new Map()) // { license: { expression: '(MIT OR Apache-2.0)', kind: 'declared' } }
 */
export function spdxLicense(text: unknown, kind: 'declared' | 'concluded', cache: LicenseCache): { license: License; invalid: boolean } | undefined {
  if (typeof text !== 'string') return undefined;
  const value = text.trim();
  if (!value || value === 'NOASSERTION' || value === 'NONE') return undefined;
  let valid = cache.get(value);
  if (valid === undefined) {
    try {
      parseSpdxExpression(value);
      valid = true;
    } catch {
      valid = false;
    }
    cache.set(value, valid);
  }
  return valid ? { license: { expression: value, kind }, invalid: false } : { license: { name: value, kind }, invalid: true };
}
