import { describe, expect, it } from 'vitest';
import { mapSpdx2Document } from '../../../src/ingest/spdx/map-spdx2-document.js';

const options = { format: 'spdx-tag-value' as const, specVersion: '2.2', schemaValid: true, issues: [] };

describe('mapSpdx2Document', () => {
  it('passes the verdict and issues of the checks through and adds its own after them', () => {
    const check = { code: 'SCHEMA_VIOLATION' as const, severity: 'error' as const, path: 'line 3', message: 'x' };
    const r = mapSpdx2Document(
      { packages: [{ SPDXID: 'SPDXRef-a', name: 'a' }], relationships: [{ spdxElementId: 'SPDXRef-a', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-b' }] },
      { ...options, schemaValid: false, issues: [check], locate: (p) => `where ${p}` },
    );
    expect(r.ok && r.sbom.schemaValid).toBe(false);
    expect(r.ok && r.sbom.issues.map((i) => [i.code, i.path])).toEqual([
      ['SCHEMA_VIOLATION', 'line 3'],
      ['MISSING_FIELD', 'where /relationships'],
      ['DANGLING_REF', 'where /relationships/0'],
    ]);
  });

  it('gives a document with unreadable element lists back with every problem and the checks issues', () => {
    const check = { code: 'SCHEMA_VIOLATION' as const, severity: 'error' as const, path: '/x', message: 'x' };
    const r = mapSpdx2Document({ packages: [1], files: {}, relationships: [null] }, { ...options, issues: [check] });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['/packages/0', '/files', '/relationships/0', '/x']);
  });

  it('does not take a subject when several packages are left undescribed', () => {
    const r = mapSpdx2Document({ packages: [{ SPDXID: 'SPDXRef-a', name: 'a' }, { SPDXID: 'SPDXRef-b', name: 'b' }] }, options);
    expect(r.ok && r.sbom.subjectRefs).toEqual([]);
    expect(r.ok && r.sbom.issues).toEqual([]);
  });

  it('makes up a ref for a package without SPDXID and never makes an edge twice', () => {
    const rel = { spdxElementId: 'SPDXRef-a', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-b' };
    const r = mapSpdx2Document({ packages: [{ SPDXID: 'SPDXRef-a', name: 'a' }, { SPDXID: 'SPDXRef-b', name: 'b' }, { name: 'c' }], relationships: [rel, rel] }, options);
    expect(r.ok && r.sbom.components.map((c) => c.ref)).toEqual(['SPDXRef-a', 'SPDXRef-b', '#/packages/2']);
    expect(r.ok && r.sbom.relationships).toHaveLength(1);
  });
});
