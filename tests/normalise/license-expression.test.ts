import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLicenseExpression, combineWithAnd, invalidLicenceMessage, statesNoLicence } from '../../src/normalise/license-expression.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON } from '../helpers/corpus.js';
import { corpusValues } from './corpus-values.js';

describe('checkLicenseExpression', () => {
  it.each([
    ['MIT', 'MIT'],
    ['Apache-2.0 OR MIT', 'Apache-2.0 OR MIT'],
    ['(MIT OR Apache-2.0) AND BSD-3-Clause', '(MIT OR Apache-2.0) AND BSD-3-Clause'],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-2.0-or-later WITH Classpath-exception-2.0'],
    ['LicenseRef-acme-eula', 'LicenseRef-acme-eula'],
    ['DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2', 'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2'],
    ['LicenseRef-acme AND MIT', 'LicenseRef-acme AND MIT'],
    ['GPL-2.0', 'GPL-2.0'],
    ['LGPL-2.1+', 'LGPL-2.1+'],
    ['eCos-2.0', 'eCos-2.0'],
  ])('accepts %j', (expr, expression) => {
    expect(checkLicenseExpression(expr)).toMatchObject({ ok: true, expression });
  });

  it('writes ids in list case, operators in upper case, single spaces and only the parentheses precedence needs', () => {
    expect(checkLicenseExpression('mit')).toEqual({ ok: true, expression: 'MIT' });
    expect(checkLicenseExpression('(mit or apache-2.0)')).toEqual({ ok: true, expression: 'MIT OR Apache-2.0', conjunction: 'or' });
    expect(checkLicenseExpression('MIT\n  AND\tISC')).toEqual({ ok: true, expression: 'MIT AND ISC', conjunction: 'and' });
    expect(checkLicenseExpression('MIT OR (Apache-2.0 AND ISC)')).toEqual({ ok: true, expression: 'MIT OR Apache-2.0 AND ISC', conjunction: 'or' });
    expect(checkLicenseExpression('(MIT OR ISC) AND (Apache-2.0)')).toEqual({ ok: true, expression: '(MIT OR ISC) AND Apache-2.0', conjunction: 'and' });
  });

  it('suggests a correction for an invalid expression', () => {
    expect(checkLicenseExpression('apache 2')).toEqual({
      ok: false,
      suggestion: 'Apache-2.0',
      message: "licence 'apache 2' is not a valid SPDX expression (did you mean 'Apache-2.0'?)",
    });
  });

  it('corrects each operand of a compound expression and keeps the rest', () => {
    expect(checkLicenseExpression('MIT OR apache 2')).toMatchObject({ ok: false, suggestion: 'MIT OR Apache-2.0' });
    expect(checkLicenseExpression('LGPLv2+ and MIT')).toMatchObject({ ok: false, suggestion: 'LGPL-2.0-or-later AND MIT' });
    expect(checkLicenseExpression('apache 2 WITH Classpath-exception-2.0')).toMatchObject({ ok: false, suggestion: 'Apache-2.0 WITH Classpath-exception-2.0' });
    expect(checkLicenseExpression('GPL v2 or later')).toMatchObject({ ok: false, suggestion: 'GPL-2.0-or-later' });
  });

  it('offers no suggestion when an operand cannot be corrected', () => {
    expect(checkLicenseExpression('MIT OR Proprietary')).toEqual({ ok: false, message: "licence 'MIT OR Proprietary' is not a valid SPDX expression" });
    expect(checkLicenseExpression('')).toEqual({ ok: false, message: "licence '' is not a valid SPDX expression" });
    expect(checkLicenseExpression('MIT WITH Unknown-exception')).toEqual({ ok: false, message: "licence 'MIT WITH Unknown-exception' is not a valid SPDX expression" });
  });

  it('does not take NOASSERTION or NONE for an expression', () => {
    expect(checkLicenseExpression('NOASSERTION')).toEqual({ ok: false, message: "licence 'NOASSERTION' is not an SPDX expression: NOASSERTION says that no licence is stated" });
    expect(checkLicenseExpression('NONE')).toMatchObject({ ok: false });
  });

  it('never throws, returns expressions that check as themselves and suggestions that are valid', () => {
    const token = fc.constantFrom('MIT', 'mit', 'Apache-2.0', 'apache 2', 'GPL-2.0', 'LicenseRef-x', 'AND', 'OR', 'or', 'WITH', 'Classpath-exception-2.0', '(', ')', '+', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(token, { maxLength: 8 }).map((t) => t.join(' '))), (expr) => {
        const r = checkLicenseExpression(expr);
        if (r.ok) return checkLicenseExpression(r.expression).ok && (checkLicenseExpression(r.expression) as { expression: string }).expression === r.expression;
        return r.suggestion === undefined || checkLicenseExpression(r.suggestion).ok;
      }),
    );
  });
});

describe.skipIf(!CORPUS_AVAILABLE)(`checkLicenseExpression on the corpus licences${CORPUS_AVAILABLE ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, () => {
  it('accepts the SPDX expressions real SBOMs write and suggests only valid corrections', () => {
    const { licences } = corpusValues();
    expect(licences.size).toBeGreaterThan(100);
    for (const expr of ['Apache-2.0', 'MIT', 'GPL-2.0-or-later', 'BSD-3-Clause']) expect(licences.has(expr), expr).toBe(true);
    for (const expr of licences) {
      const r = checkLicenseExpression(expr);
      if (r.ok) expect(checkLicenseExpression(r.expression)).toMatchObject({ ok: true, expression: r.expression });
      else if (r.suggestion !== undefined) expect(checkLicenseExpression(r.suggestion).ok, `${expr} -> ${r.suggestion}`).toBe(true);
    }
  });
});

describe('statesNoLicence', () => {
  it('is true for NOASSERTION and NONE only', () => {
    expect(statesNoLicence('NOASSERTION')).toBe(true);
    expect(statesNoLicence(' NONE ')).toBe(true);
    expect(statesNoLicence('MIT')).toBe(false);
  });
});

describe('combineWithAnd', () => {
  it('joins with AND and parenthesises OR expressions', () => {
    expect(combineWithAnd([{ expression: 'MIT OR Apache-2.0', conjunction: 'or' }, { expression: 'BSD-3-Clause' }, { expression: 'ISC AND Zlib', conjunction: 'and' }])).toBe(
      '(MIT OR Apache-2.0) AND BSD-3-Clause AND ISC AND Zlib',
    );
  });

  it('leaves a single expression as it is', () => {
    expect(combineWithAnd([{ expression: 'MIT OR Apache-2.0', conjunction: 'or' }])).toBe('MIT OR Apache-2.0');
  });
});

describe('invalidLicenceMessage', () => {
  it('names the licence, where it was found and the suggestion', () => {
    expect(invalidLicenceMessage('apache 2', 'Apache-2.0', "component 'pkg-ref-3'")).toBe(
      "licence 'apache 2' of component 'pkg-ref-3' is not a valid SPDX expression (did you mean 'Apache-2.0'?)",
    );
  });
});
