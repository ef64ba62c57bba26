import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ISSUES } from '../../../src/ingest/ajv-issue.js';
import { getSpdxJsonValidator } from '../../../src/ingest/spdx/spdx-json-validator.js';

function document(version: string, extra: Record<string, unknown> = {}) {
  return {
    spdxVersion: `SPDX-${version}`,
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'doc',
    documentNamespace: 'https://example.com/doc',
    creationInfo: { created: '2026-11-20T10:00:00Z', creators: ['Tool: x'] },
    ...extra,
  };
}

describe('getSpdxJsonValidator', () => {
  it('returns the same compiled validator for the same version and throws for one without a schema', () => {
    expect(getSpdxJsonValidator('2.3')).toBe(getSpdxJsonValidator('2.3'));
    expect(() => getSpdxJsonValidator('2.1')).toThrow("no SPDX JSON schema for spec version '2.1'; supported: 2.2, 2.3");
  });

  it('accepts a minimal document of each version', () => {
    expect(getSpdxJsonValidator('2.2')(document('2.2'))).toEqual({ valid: true, issues: [] });
    expect(getSpdxJsonValidator('2.3')(document('2.3'))).toEqual({ valid: true, issues: [] });
  });

  it('applies the rules of the version: 2.2 requires a package copyrightText, 2.3 does not', () => {
    const packages = [{ SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NONE', licenseConcluded: 'MIT', licenseDeclared: 'MIT' }];
    expect(getSpdxJsonValidator('2.3')(document('2.3', { packages })).valid).toBe(true);
    expect(getSpdxJsonValidator('2.2')(document('2.2', { packages }))).toEqual({
      valid: false,
      issues: [{ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/packages/0', message: "'/packages/0' (an object) has no required property 'copyrightText' (SPDX 2.2 JSON schema)" }],
    });
  });

  it('names an unknown property, an enum value and a type error', () => {
    const { issues } = getSpdxJsonValidator('2.3')(
      document('2.3', {
        colour: 'red',
        packages: [{ SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NONE', primaryPackagePurpose: 'GADGET', filesAnalyzed: 'yes' }],
      }),
    );
    expect(issues).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/colour', message: "the document (an object) has property 'colour', which SPDX 2.3 JSON schema does not allow there" },
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/packages/0/filesAnalyzed', message: "'/packages/0/filesAnalyzed' 'yes' is not of type boolean (SPDX 2.3 JSON schema)" },
      {
        code: 'SCHEMA_VIOLATION',
        severity: 'error',
        path: '/packages/0/primaryPackagePurpose',
        message: "'/packages/0/primaryPackagePurpose' 'GADGET' is not one of 'OTHER', 'INSTALL', 'ARCHIVE', 'FIRMWARE', 'APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'SOURCE', 'DEVICE', 'OPERATING-SYSTEM', 'FILE' (SPDX 2.3 JSON schema)",
      },
    ]);
  });

  it('adds the spec rules the schema leaves out', () => {
    const { valid, issues } = getSpdxJsonValidator('2.3')(document('2.3', { creationInfo: { created: '', creators: ['Tool: x'] } }));
    expect(valid).toBe(false);
    expect(issues).toEqual([expect.objectContaining({ code: 'SCHEMA_VIOLATION', path: '/creationInfo/created' })]);
  });

  it(`lists at most ${MAX_REPORTED_ISSUES} violations of a kind and counts the rest`, () => {
    const packages = Array.from({ length: MAX_REPORTED_ISSUES + 5 }, (_, i) => ({ SPDXID: `SPDXRef-${i}`, name: `p${i}` }));
    const { issues } = getSpdxJsonValidator('2.3')(document('2.3', { packages }));
    expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(issues.at(-1)).toEqual({ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/', message: `5 more schema violations not listed (${MAX_REPORTED_ISSUES + 5} in all)` });
  });
});
