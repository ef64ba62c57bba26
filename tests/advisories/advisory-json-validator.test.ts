import { describe, expect, it } from 'vitest';
import { validateAdvisoryJson } from '../../src/advisories/advisory-json-validator.js';

const openvex = (extra: Record<string, unknown> = {}) => ({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://acme.example/vex/1',
  author: 'Acme',
  timestamp: '2024-03-01T10:00:00Z',
  version: 1,
  statements: [{ vulnerability: { name: 'CVE-2020-11901' }, products: [{ '@id': 'pkg:oci/trivy?repository_url=index.docker.io%2Faquasec%2Ftrivy' }], status: 'fixed' }],
  ...extra,
});

describe('validateAdvisoryJson', () => {
  it('checks OSV against the OSV schema, naming the value and the rule', () => {
    expect(validateAdvisoryJson('osv', '1.6.0', { id: 'GHSA-1', modified: '2024-01-01T00:00:00Z' })).toEqual({ valid: true, issues: [] });
    const { valid, issues } = validateAdvisoryJson('osv', undefined, { id: 'GHSA-1', modified: '2024-01-01T00:00:00Z', references: [{ type: 'BLOG', url: 'https://x.example' }] });
    expect(valid).toBe(false);
    expect(issues).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/references/0/type', message: expect.stringMatching(/^'\/references\/0\/type' 'BLOG' is not one of 'ADVISORY', 'ARTICLE', .* \(OSV JSON schema\)$/) },
    ]);
  });

  it('checks CSAF scores against the FIRST CVSS schemas the CSAF schema refers to', () => {
    const doc = {
      document: { category: 'csaf_base', csaf_version: '2.0', publisher: { category: 'vendor', name: 'A', namespace: 'https://a.example' }, title: 'T', tracking: { current_release_date: '2024-01-01T00:00:00Z', id: 'A-1', initial_release_date: '2024-01-01T00:00:00Z', revision_history: [{ date: '2024-01-01T00:00:00Z', number: '1', summary: 'x' }], status: 'final', version: '1' } },
      product_tree: { full_product_names: [{ name: 'P', product_id: 'P' }] },
      vulnerabilities: [{ cve: 'CVE-2020-11901', scores: [{ products: ['P'], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/garbage', baseScore: 8.1, baseSeverity: 'HIGH' } }] }],
    };
    const { valid, issues } = validateAdvisoryJson('csaf', '2.0', doc);
    expect(valid).toBe(false);
    expect(issues.map((i) => i.path)).toContain('/vulnerabilities/0/scores/0/cvss_v3/vectorString');
    expect(issues.every((i) => i.message.endsWith('(CSAF 2.0 JSON schema)'))).toBe(true);
  });

  it('accepts purls as OpenVEX IRIs and drops the bare if/then errors of OpenVEX conditions', () => {
    expect(validateAdvisoryJson('openvex', '0.2.0', openvex())).toEqual({ valid: true, issues: [] });
    const { issues } = validateAdvisoryJson('openvex', '0.2.0', openvex({ statements: [{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': 'pkg:npm/a@1' }], status: 'affected' }] }));
    expect(issues).toEqual([expect.objectContaining({ path: '/statements/0', message: expect.stringMatching(/has no required property 'action_statement' \(OpenVEX 0\.2\.0 JSON schema\)$/) })]);
    expect(validateAdvisoryJson('openvex', '0.2.0', openvex({ '@id': 'not an iri' })).issues).toEqual([expect.objectContaining({ path: '/@id', message: expect.stringMatching(/does not match format 'iri'/) })]);
  });

  it('checks OpenVEX before 0.2.0 by hand, for want of a schema', () => {
    const ok = { '@context': 'https://openvex.dev/ns', '@id': 'x', author: 'a', timestamp: 't', version: '1', statements: [{ vulnerability: 'CVE-1', status: 'fixed' }] };
    expect(validateAdvisoryJson('openvex', undefined, ok)).toEqual({ valid: true, issues: [] });
    const { valid, issues } = validateAdvisoryJson('openvex', '0.0.1', { ...ok, statements: [{ status: 'fixed', justification: 'nope' }, 3] });
    expect(valid).toBe(false);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['MISSING_FIELD', '/statements/0'],
      ['SCHEMA_VIOLATION', '/statements/0/justification'],
      ['SCHEMA_VIOLATION', '/statements/1'],
    ]);
    expect(issues[0]!.message).toMatch(/checked by hand/);
  });

  it('checks CycloneDX VEX with the SBOM side’s CycloneDX validator', () => {
    const doc = { bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'nope' } }] };
    expect(validateAdvisoryJson('cyclonedx-vex', '1.5', doc).issues).toEqual([expect.objectContaining({ path: '/vulnerabilities/0/analysis/state', message: expect.stringMatching(/CycloneDX 1\.5 JSON schema/) })]);
  });
});
