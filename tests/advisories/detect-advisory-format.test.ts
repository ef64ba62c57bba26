import { describe, expect, it } from 'vitest';
import { detectAdvisoryFormat } from '../../src/advisories/detect-advisory-format.js';

const formatOf = (doc: unknown) => {
  const d = detectAdvisoryFormat(doc);
  return d.kind === 'advisory' ? [d.format, d.specVersion] : [d.kind, d.reason];
};

describe('detectAdvisoryFormat', () => {
  it('tells CSAF by document.csaf_version, whatever the document category', () => {
    expect(formatOf({ document: { csaf_version: '2.0', category: 'csaf_vex' } })).toEqual(['csaf', '2.0']);
    expect(formatOf({ document: { csaf_version: 2 } })).toEqual(['csaf', undefined]);
  });

  it('tells OpenVEX by its @context, with the version the context names', () => {
    expect(formatOf({ '@context': 'https://openvex.dev/ns/v0.2.0' })).toEqual(['openvex', '0.2.0']);
    expect(formatOf({ '@context': 'https://openvex.dev/ns' })).toEqual(['openvex', undefined]);
    expect(formatOf({ '@context': 'https://openvex.dev/ns/v0.0.1' })).toEqual(['openvex', '0.0.1']);
    expect(formatOf({ '@context': ['https://example.org/extra', 'https://openvex.dev/ns/v0.2.0'] })).toEqual(['openvex', '0.2.0']);
    expect(formatOf({ '@context': 'https://openvex.dev/ns/draft' })).toEqual(['openvex', 'https://openvex.dev/ns/draft']);
  });

  it('tells CycloneDX VEX/VDR by bomFormat with a vulnerabilities array, and an SBOM without one', () => {
    expect(formatOf({ bomFormat: 'CycloneDX', specVersion: '1.6', vulnerabilities: [] })).toEqual(['cyclonedx-vex', '1.6']);
    expect(formatOf({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [] })).toEqual(['unknown', expect.stringMatching(/an SBOM, not VEX or VDR/)]);
  });

  it('tells OSV by id and modified with another OSV field', () => {
    expect(formatOf({ id: 'GHSA-1', modified: '2024-01-01T00:00:00Z', affected: [] })).toEqual(['osv', undefined]);
    expect(formatOf({ schema_version: '1.6.0', id: 'OSV-1', modified: 'x' })).toEqual(['osv', '1.6.0']);
    expect(formatOf({ id: 'GHSA-1', modified: '2024-01-01T00:00:00Z' })[0]).toBe('unknown');
  });

  it('explains what it found instead', () => {
    expect(formatOf(null)).toEqual(['unknown', 'the top-level JSON value is null, not an object']);
    expect(formatOf('text')).toEqual(['unknown', 'the top-level JSON value is a string, not an object']);
    expect(formatOf({ spdxVersion: 'SPDX-2.3' })).toEqual(['unknown', expect.stringMatching(/SPDX document/)]);
  });
});
