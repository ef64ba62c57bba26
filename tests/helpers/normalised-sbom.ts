/** Hand-built NormalisedSbom values for store tests that must not depend on a parser. */
import type { NormalisedComponent, NormalisedSbom } from '../../src/model/normalised-sbom.js';

export function component(index: number, overrides: Partial<NormalisedComponent> = {}): NormalisedComponent {
  return {
    index,
    ref: `ref-${index}`,
    name: `component-${index}`,
    version: '1.0.0',
    cpes: [],
    hashes: [{ alg: 'SHA-256', value: index.toString(16).padStart(64, '0') }],
    licenses: [{ expression: 'MIT' }],
    licenseExpression: 'MIT',
    externalReferences: [],
    isSubject: false,
    purl: `pkg:npm/component-${index}@1.0.0`,
    purlIdentity: { type: 'npm', name: `component-${index}`, version: '1.0.0', key: `pkg:npm/component-${index}@1.0.0` },
    ...overrides,
  };
}

/** A subject (index 0) supplied by `vendor`, with `n` components each depending on the next. */
export function normalisedSbom(n: number, options: { vendor?: string; vendorKey?: string } = {}): NormalisedSbom {
  const vendor = { name: options.vendor ?? 'Medisyn Medical GmbH', key: options.vendorKey ?? 'medisyn medical' };
  const subject = component(0, { isSubject: true, name: 'IP3000 firmware', version: '2.4.0', type: 'firmware', supplierVendor: vendor, purl: 'pkg:generic/medisyn/ip3000@2.4.0', purlIdentity: { type: 'generic', namespace: 'medisyn', name: 'ip3000', version: '2.4.0', key: 'pkg:generic/medisyn/ip3000@2.4.0' } });
  const components = [subject, ...Array.from({ length: n }, (_, i) => component(i + 1, { supplierVendor: vendor }))];
  return {
    format: 'cyclonedx-json',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    documentVersion: 1,
    name: 'IP3000 firmware',
    createdAt: '2026-11-20T10:00:00Z',
    authors: [{ name: 'Medisyn Product Security', kind: 'organization' }],
    tools: [{ name: 'cyclonedx-cli', version: '0.27.1' }],
    subjectRefs: ['ref-0'],
    components,
    edges: components.slice(0, -1).map((c) => ({ fromIndex: c.index, toIndex: c.index + 1, type: 'DEPENDS_ON' as const, originalType: 'dependsOn' })),
    subjectIndexes: [0],
    supplierVendor: vendor,
    vendors: [vendor],
    documentReferences: [],
    schemaValid: true,
    issues: [{ code: 'INVALID_LICENSE', severity: 'warning', path: 'ref:ref-1', message: "licence 'Apache 2' is not a valid SPDX expression" }],
  };
}
