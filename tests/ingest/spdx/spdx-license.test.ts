import { describe, expect, it } from 'vitest';
import { spdxLicense } from '../../../src/ingest/spdx/spdx-license.js';

describe('spdxLicense', () => {
  it('keeps valid expressions, LicenseRef-* and DocumentRef-*:LicenseRef-* included', () => {
    const cache = new Map<string, boolean>();
    for (const text of ['MIT', '(MIT OR Apache-2.0) AND LicenseRef-medisyn', 'DocumentRef-stack:LicenseRef-treck', 'GPL-2.0-only WITH Classpath-exception-2.0']) {
      expect(spdxLicense(text, 'declared', cache)).toEqual({ license: { expression: text, kind: 'declared' }, invalid: false });
    }
  });

  it('states nothing for NOASSERTION, NONE and empty values', () => {
    for (const text of ['NOASSERTION', 'NONE', '', undefined, 42]) expect(spdxLicense(text, 'concluded', new Map())).toBeUndefined();
  });

  it('keeps other text as a licence name and says it is invalid', () => {
    expect(spdxLicense('Apache License 2.0', 'concluded', new Map())).toEqual({ license: { name: 'Apache License 2.0', kind: 'concluded' }, invalid: true });
  });

  it('parses each distinct expression once', () => {
    const cache = new Map<string, boolean>();
    spdxLicense('MIT', 'declared', cache);
    spdxLicense('MIT', 'concluded', cache);
    spdxLicense('bogus licence', 'concluded', cache);
    expect([...cache]).toEqual([
      ['MIT', true],
      ['bogus licence', false],
    ]);
  });
});
