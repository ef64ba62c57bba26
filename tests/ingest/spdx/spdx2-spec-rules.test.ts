import { describe, expect, it } from 'vitest';
import { checkSpdx2SpecRules, SPDX2_CREATED, SPDX2_ID } from '../../../src/ingest/spdx/spdx2-spec-rules.js';

const json = { locate: (p: string) => p, mandatoryFields: false, serialisation: 'JSON' };
const tagValue = { locate: (p: string) => `at ${p}`, mandatoryFields: true, serialisation: 'tag-value' };

function complete(extra: Record<string, unknown> = {}) {
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'doc',
    documentNamespace: 'https://example.com/doc',
    creationInfo: { created: '2026-11-20T10:00:00Z', creators: ['Tool: x'] },
    packages: [{ SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NONE' }],
    files: [{ SPDXID: 'SPDXRef-f', fileName: './f' }],
    snippets: [{ SPDXID: 'SPDXRef-s', snippetFromFile: 'SPDXRef-f' }],
    ...extra,
  };
}

describe('checkSpdx2SpecRules', () => {
  it('finds nothing in a complete document', () => {
    expect(checkSpdx2SpecRules(complete(), tagValue)).toEqual([]);
    expect(checkSpdx2SpecRules(complete(), json)).toEqual([]);
  });

  it('accepts UTC date-times with or without fractional seconds and offsets, and nothing else', () => {
    for (const ok of ['2010-01-29T18:30:22Z', '2022-01-28T12:47:30.739820271Z', '2024-05-10T02:04:50+02:00']) expect(SPDX2_CREATED.test(ok)).toBe(true);
    for (const bad of ['', '01-01-2026', '2026-13-01T00:00:00Z', '2026-11-20T10:00:00', '2026-11-20 10:00:00Z']) expect(SPDX2_CREATED.test(bad)).toBe(false);
  });

  it('accepts SPDXRef- ids of letters, digits, dots and dashes only', () => {
    expect(SPDX2_ID.test('SPDXRef-Package-k8s.gcr.io-v1.23')).toBe(true);
    for (const bad of ['SPDXRef-', 'SPDXRef-a_b', 'SPDXRef-a/b', 'Package-a', '9f409848978b63e8']) expect(SPDX2_ID.test(bad)).toBe(false);
  });

  it('locates each violation and names the field and the rule', () => {
    const doc = complete({ SPDXID: 'bar', creationInfo: { created: 'yesterday', creators: ['Tool: x'] }, packages: [{ name: 'a', downloadLocation: 'NONE' }] });
    expect(checkSpdx2SpecRules(doc, tagValue)).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: 'at /SPDXID', message: "document SPDXID 'bar' is not 'SPDXRef-DOCUMENT' (SPDX 2.3 clause 6.3)" },
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: 'at /creationInfo/created', message: "creationInfo.created 'yesterday' is not a UTC date-time like '2024-01-31T12:00:00Z' (SPDX 2.3 clause 6.9)" },
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: 'at /packages/0/SPDXID', message: "package '/packages/0' ('a') has no SPDXID, which SPDX tag-value requires (SPDX 2 spec, mandatory field)" },
    ]);
  });

  it('leaves required fields to the schema for JSON', () => {
    expect(checkSpdx2SpecRules({ packages: [{}] }, json)).toEqual([]);
  });

  it('only warns about bare-hash file ids and odd characters in package ids', () => {
    const issues = checkSpdx2SpecRules(complete({ packages: [{ SPDXID: 'SPDXRef-ssl_client', name: 'a', downloadLocation: 'NONE' }], files: [{ SPDXID: '9f409848978b63e8', fileName: './f' }] }), tagValue);
    expect(issues.map((i) => [i.severity, i.path])).toEqual([
      ['warning', 'at /packages/0/SPDXID'],
      ['warning', 'at /files/0/SPDXID'],
    ]);
  });

  it('flags a package id that does not start with SPDXRef-', () => {
    expect(checkSpdx2SpecRules(complete({ packages: [{ SPDXID: 'Package-a', name: 'a', downloadLocation: 'NONE' }] }), json)).toEqual([
      expect.objectContaining({ severity: 'error', path: '/packages/0/SPDXID' }),
    ]);
  });

  it('never throws, whatever the document holds', () => {
    expect(() => checkSpdx2SpecRules({ packages: 'x', files: [null, 3], creationInfo: [] }, tagValue)).not.toThrow();
  });
});
