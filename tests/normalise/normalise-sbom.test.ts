import { describe, expect, it } from 'vitest';
import type { Component, ParsedSbom, Relationship } from '../../src/model/sbom.js';
import { normaliseSbom, SbomNormaliser } from '../../src/normalise/normalise-sbom.js';

function component(ref: string, overrides: Partial<Component> = {}): Component {
  return { ref, name: ref, cpes: [], hashes: [], licenses: [], externalReferences: [], isSubject: false, ...overrides };
}

function parsedSbom(overrides: Partial<ParsedSbom> = {}): ParsedSbom {
  return {
    format: 'cyclonedx-json',
    specVersion: '1.6',
    authors: [],
    tools: [],
    subjectRefs: [],
    components: [],
    relationships: [],
    documentReferences: [],
    schemaValid: true,
    issues: [],
    ...overrides,
  };
}

function dependsOn(from: string, to: string): Relationship {
  return { from, to, type: 'DEPENDS_ON', originalType: 'dependsOn' };
}

describe('normaliseSbom', () => {
  it('normalises a small device SBOM', () => {
    const device = component('device', {
      type: 'device',
      name: 'IP3000 infusion pump',
      version: '2.4.0',
      isSubject: true,
      supplier: { name: 'Medisyn Medical GmbH' },
      purl: 'pkg:generic/medisyn/ip3000@2.4.0',
    });
    const module = component('wifi-module', {
      type: 'firmware',
      name: 'WM-7',
      version: '5.1',
      parentRef: 'device',
      supplier: { name: 'ACME, Inc.', kind: 'organization' },
      purl: 'pkg:generic/acme/wm-7@5.1?arch=arm',
      cpes: ['cpe:/o:acme:wm-7:5.1'],
      licenses: [{ name: 'ACME firmware licence' }],
    });
    const stack = component('tcpip', {
      type: 'library',
      name: 'Treck TCP/IP',
      version: '6.0.1.66',
      manufacturer: { name: 'Treck Inc.' },
      cpes: ['cpe:2.3:a:treck:tcp\\/ip:6.0.1.66:*:*:*:*:*:*:*'],
      licenses: [{ expression: 'LicenseRef-treck', kind: 'declared' }],
    });
    const parsed = parsedSbom({
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      name: 'IP3000 infusion pump',
      subjectRefs: ['device'],
      supplier: { name: 'Medisyn Medical GmbH' },
      components: [device, module, stack],
      relationships: [dependsOn('device', 'wifi-module'), dependsOn('wifi-module', 'tcpip'), { from: 'device', to: 'wifi-module', type: 'CONTAINS', originalType: 'CONTAINS' }],
    });

    const medisyn = { name: 'Medisyn Medical GmbH', key: 'medisyn medical' };
    const acme = { name: 'ACME, Inc.', key: 'acme' };
    const treck = { name: 'Treck Inc.', key: 'treck' };
    expect(normaliseSbom(parsed)).toEqual({
      format: 'cyclonedx-json',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      name: 'IP3000 infusion pump',
      authors: [],
      tools: [],
      subjectRefs: ['device'],
      relationships: parsed.relationships,
      documentReferences: [],
      schemaValid: true,
      issues: [],
      components: [
        { ...device, index: 0, supplierVendor: medisyn, purlIdentity: { type: 'generic', namespace: 'medisyn', name: 'ip3000', version: '2.4.0', key: 'pkg:generic/medisyn/ip3000@2.4.0' } },
        {
          ...module,
          index: 1,
          parentIndex: 0,
          supplierVendor: acme,
          purlIdentity: { type: 'generic', namespace: 'acme', name: 'wm-7', version: '5.1', key: 'pkg:generic/acme/wm-7@5.1' },
          cpe: 'cpe:2.3:o:acme:wm-7:5.1:*:*:*:*:*:*:*',
        },
        { ...stack, index: 2, supplierVendor: treck, cpe: 'cpe:2.3:a:treck:tcp\\/ip:6.0.1.66:*:*:*:*:*:*:*', licenseExpression: 'LicenseRef-treck' },
      ],
      edges: [
        { fromIndex: 0, toIndex: 1, type: 'DEPENDS_ON', originalType: 'dependsOn' },
        { fromIndex: 1, toIndex: 2, type: 'DEPENDS_ON', originalType: 'dependsOn' },
        { fromIndex: 0, toIndex: 1, type: 'CONTAINS', originalType: 'CONTAINS' },
      ],
      subjectIndexes: [0],
      supplierVendor: medisyn,
      vendors: [medisyn, acme, treck],
    });
  });

  it('reports an invalid purl as a warning at the component, which keeps its raw purl', () => {
    const result = normaliseSbom(parsedSbom({ components: [component('pkg-ref-3', { purl: 'pkg:npm/' })] }));
    expect(result.components[0]!.purl).toBe('pkg:npm/');
    expect(result.components[0]!.purlIdentity).toBeUndefined();
    expect(result.issues).toEqual([
      { code: 'INVALID_PURL', severity: 'warning', path: 'ref:pkg-ref-3', message: `purl 'pkg:npm/' of component 'pkg-ref-3' is not valid: "name" is a required component` },
    ]);
  });

  it('uses the JSON pointer of a ref the parser made up as the issue path', () => {
    const result = normaliseSbom(parsedSbom({ components: [component('#/components/3', { purl: 'pkg:npm/' })] }));
    expect(result.issues[0]).toMatchObject({ path: '/components/3', message: `purl 'pkg:npm/' of component '/components/3' is not valid: "name" is a required component` });
  });

  it('takes the first valid CPE and reports every invalid one', () => {
    const result = normaliseSbom(parsedSbom({ components: [component('c', { cpes: ['cpe:2.3:a:acme:widget', 'cpe:/a:acme:widget:1.0', 'cpe:/a:acme:widget:2.0', 'cpe:/x'] })] }));
    expect(result.components[0]!.cpe).toBe('cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*');
    expect(result.issues.map((i) => [i.code, i.severity, i.path, i.message])).toEqual([
      ['INVALID_CPE', 'warning', 'ref:c', "CPE 'cpe:2.3:a:acme:widget' of component 'c' is not valid: it has 5 colon-separated fields; a CPE 2.3 formatted string has 13 ('cpe', '2.3' and 11 attributes; NISTIR 7695 §6.2)"],
      ['INVALID_CPE', 'warning', 'ref:c', "CPE 'cpe:/x' of component 'c' is not valid: the part 'x' is not a, o or h (NISTIR 7695 §6.1)"],
    ]);
  });

  describe('licences', () => {
    function licenceOf(licenses: Component['licenses']) {
      const result = normaliseSbom(parsedSbom({ components: [component('pkg-ref-3', { licenses })] }));
      return { expression: result.components[0]!.licenseExpression, issues: result.issues };
    }

    it('joins the declared expressions with AND, parenthesising OR and dropping repeats', () => {
      expect(licenceOf([{ expression: 'MIT OR Apache-2.0' }, { expression: 'BSD-3-Clause', kind: 'declared' }, { expression: 'mit or Apache-2.0' }, { expression: 'GPL-2.0-only', kind: 'concluded' }])).toEqual({
        expression: '(MIT OR Apache-2.0) AND BSD-3-Clause',
        issues: [],
      });
    });

    it('falls back to the concluded expressions when none is declared', () => {
      expect(licenceOf([{ expression: 'NOASSERTION' }, { name: 'Custom licence' }, { expression: 'GPL-2.0-only', kind: 'concluded' }])).toEqual({ expression: 'GPL-2.0-only', issues: [] });
    });

    it('states no expression when one in the group is invalid, and reports each invalid one with a suggestion', () => {
      expect(licenceOf([{ expression: 'MIT' }, { expression: 'apache 2' }, { expression: 'Proprietary', kind: 'concluded' }])).toEqual({
        expression: undefined,
        issues: [
          { code: 'INVALID_LICENSE', severity: 'warning', path: 'ref:pkg-ref-3', message: "licence 'apache 2' of component 'pkg-ref-3' is not a valid SPDX expression (did you mean 'Apache-2.0'?)" },
          { code: 'INVALID_LICENSE', severity: 'warning', path: 'ref:pkg-ref-3', message: "licence 'Proprietary' of component 'pkg-ref-3' is not a valid SPDX expression" },
        ],
      });
    });

    it('treats free-text names, NOASSERTION and NONE as no expression and not as errors', () => {
      expect(licenceOf([{ name: 'ACME EULA' }])).toEqual({ expression: undefined, issues: [] });
      expect(licenceOf([{ expression: 'NONE' }])).toEqual({ expression: undefined, issues: [] });
    });
  });

  describe('vendors', () => {
    it('takes the supplier, else the manufacturer, as the component vendor', () => {
      const result = normaliseSbom(
        parsedSbom({
          components: [
            component('a', { supplier: { name: 'Acme, Inc' }, manufacturer: { name: 'Robert Bosch GmbH' } }),
            component('b', { manufacturer: { name: 'Robert Bosch' } }),
            component('c', { supplier: { name: 'NOASSERTION' } }),
          ],
        }),
      );
      expect(result.components.map((c) => c.supplierVendor)).toEqual([{ name: 'Acme, Inc', key: 'acme' }, { name: 'Robert Bosch GmbH', key: 'robert bosch' }, undefined]);
    });

    it('names every vendor once, as it was first written, and shares one object per vendor', () => {
      const result = normaliseSbom(
        parsedSbom({
          supplier: { name: 'Organization: Medisyn Medical GmbH (psirt@medisyn.example)' },
          components: [component('a', { supplier: { name: 'ACME INC' } }), component('b', { supplier: { name: 'Acme, Inc.' }, manufacturer: { name: 'Treck Inc.' } }), component('c', { manufacturer: { name: 'MEDISYN MEDICAL' } })],
        }),
      );
      expect(result.vendors).toEqual([
        { name: 'Medisyn Medical GmbH', key: 'medisyn medical' },
        { name: 'ACME INC', key: 'acme' },
        { name: 'Treck Inc.', key: 'treck' },
      ]);
      expect(result.components[1]!.supplierVendor).toBe(result.components[0]!.supplierVendor);
      expect(result.components[2]!.supplierVendor).toBe(result.supplierVendor);
    });

    it('takes the document vendor from its first subject when the document names none', () => {
      const result = normaliseSbom(
        parsedSbom({
          subjectRefs: ['x', 'a', 'b'],
          components: [component('a', { isSubject: true }), component('b', { isSubject: true, manufacturer: { name: 'Medisyn Medical GmbH' } })],
        }),
      );
      expect(result.supplierVendor).toEqual({ name: 'Medisyn Medical GmbH', key: 'medisyn medical' });
      expect(result.subjectIndexes).toEqual([0, 1]);
    });
  });

  describe('edges', () => {
    it('drops self-edges and exact duplicates but keeps edges that differ in type or original word', () => {
      const result = normaliseSbom(
        parsedSbom({
          components: [component('a'), component('b')],
          relationships: [
            dependsOn('a', 'b'),
            dependsOn('a', 'a'),
            dependsOn('a', 'b'),
            { from: 'a', to: 'b', type: 'DEPENDS_ON', originalType: 'DEPENDS_ON' },
            { from: 'a', to: 'b', type: 'CONTAINS', originalType: 'CONTAINS' },
            { from: 'a', to: 'b', type: 'DEPENDS_ON', originalType: 'DEPENDS_ON' },
            dependsOn('b', 'a'),
          ],
        }),
      );
      expect(result.edges).toEqual([
        { fromIndex: 0, toIndex: 1, type: 'DEPENDS_ON', originalType: 'dependsOn' },
        { fromIndex: 0, toIndex: 1, type: 'DEPENDS_ON', originalType: 'DEPENDS_ON' },
        { fromIndex: 0, toIndex: 1, type: 'CONTAINS', originalType: 'CONTAINS' },
        { fromIndex: 1, toIndex: 0, type: 'DEPENDS_ON', originalType: 'dependsOn' },
      ]);
      expect(result.issues).toEqual([]);
    });

    it('reports each ref that names no component and makes no edge of it', () => {
      const result = normaliseSbom(
        parsedSbom({
          subjectRefs: ['ghost-subject'],
          components: [component('a'), component('b', { parentRef: 'ghost-parent' })],
          relationships: [dependsOn('a', 'ghost'), dependsOn('ghost-1', 'ghost-2')],
        }),
      );
      expect(result.edges).toEqual([]);
      expect(result.subjectIndexes).toEqual([]);
      expect(result.components[1]!.parentIndex).toBeUndefined();
      expect(result.issues).toEqual([
        { code: 'DANGLING_REF', severity: 'warning', path: 'ref:b', message: "component 'b' is nested in 'ghost-parent', which is no component of this document" },
        { code: 'DANGLING_REF', severity: 'warning', path: 'ref:ghost-subject', message: "the document names 'ghost-subject' as its subject, but it is no component of this document" },
        { code: 'DANGLING_REF', severity: 'warning', path: 'ref:ghost', message: "relationship dependsOn from 'a' to 'ghost' names 'ghost', which is no component of this document; the edge is left out" },
        { code: 'DANGLING_REF', severity: 'warning', path: 'ref:ghost-1', message: "relationship dependsOn from 'ghost-1' to 'ghost-2' names 'ghost-1', which is no component of this document; the edge is left out" },
        { code: 'DANGLING_REF', severity: 'warning', path: 'ref:ghost-2', message: "relationship dependsOn from 'ghost-1' to 'ghost-2' names 'ghost-2', which is no component of this document; the edge is left out" },
      ]);
    });

    it('does not report relationships with the document itself or with elements of other documents', () => {
      const result = normaliseSbom(
        parsedSbom({
          format: 'spdx-json',
          specVersion: '2.3',
          serialNumber: 'https://example.com/spdx/ip3000-2.4.0',
          components: [component('SPDXRef-fw')],
          relationships: [
            { from: 'SPDXRef-DOCUMENT', to: 'SPDXRef-fw', type: 'DESCRIBES', originalType: 'DESCRIBES' },
            { from: 'https://example.com/spdx/ip3000-2.4.0', to: 'SPDXRef-fw', type: 'DESCRIBES', originalType: 'DESCRIBES' },
            { from: 'SPDXRef-fw', to: 'DocumentRef-acme:SPDXRef-wm7', type: 'CONTAINS', originalType: 'CONTAINS' },
            { from: 'SPDXRef-fw', to: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#wm7', type: 'DEPENDS_ON', originalType: 'dependsOn' },
          ],
        }),
      );
      expect(result.edges).toEqual([]);
      expect(result.issues).toEqual([]);
    });
  });

  it("appends its warnings after the parser's issues and leaves schemaValid alone", () => {
    const parserIssue = { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/components/0', message: 'x' } as const;
    const result = normaliseSbom(parsedSbom({ schemaValid: false, issues: [parserIssue], components: [component('a', { purl: 'nope' })] }));
    expect(result.schemaValid).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(['SCHEMA_VIOLATION', 'INVALID_PURL']);
  });

  it('leaves the parsed SBOM as it was', () => {
    const parsed = parsedSbom({
      supplier: { name: 'Acme Inc.' },
      subjectRefs: ['a'],
      components: [component('a', { purl: 'pkg:npm/x@1?y=z', licenses: [{ expression: 'mit' }] }), component('b', { parentRef: 'a', cpes: ['cpe:/a:x:y'] })],
      relationships: [dependsOn('a', 'b'), dependsOn('a', 'ghost')],
    });
    const before = structuredClone(parsed);
    normaliseSbom(parsed);
    expect(parsed).toEqual(before);
  });

  it('normalises 200 000 components with their edges', () => {
    const count = 200_000;
    const components: Component[] = [];
    const relationships: Relationship[] = [];
    for (let i = 0; i < count; i++) {
      const p = i % 20_000;
      components.push(
        component(`pkg-ref-${i}`, {
          version: `1.${p % 50}.0`,
          purl: `pkg:npm/%40scope${p % 1000}/name-${p}@1.${p % 50}.0`,
          cpes: i % 10 === 0 ? [`cpe:2.3:a:vendor${p % 300}:name-${p}:1.${p % 50}.0:*:*:*:*:*:*:*`] : [],
          supplier: { name: `Vendor ${i % 500} Inc.` },
          licenses: [{ expression: ['MIT', 'Apache-2.0', 'MIT OR Apache-2.0', 'BSD-3-Clause'][i % 4]! }],
        }),
      );
      if (i > 0) relationships.push(dependsOn(`pkg-ref-${Math.floor((i - 1) / 10)}`, `pkg-ref-${i}`));
    }
    // Through JSON, so that strings are flat like a parser's rather than concatenation ropes.
    const parsed: ParsedSbom = JSON.parse(JSON.stringify(parsedSbom({ subjectRefs: ['pkg-ref-0'], components, relationships })));

    const started = performance.now();
    const result = normaliseSbom(parsed);
    console.log(`normaliseSbom: ${count} components, ${relationships.length} relationships in ${Math.round(performance.now() - started)} ms`);

    expect(result.components).toHaveLength(count);
    expect(result.edges).toHaveLength(count - 1);
    expect(result.issues).toEqual([]);
    expect(result.vendors).toHaveLength(500);
    expect(result.components[count - 1]).toMatchObject({
      index: count - 1,
      purlIdentity: { key: `pkg:npm/%40scope999/name-19999@1.49.0` },
      supplierVendor: { key: 'vendor 499' },
      licenseExpression: 'BSD-3-Clause',
    });
  });
});

describe('SbomNormaliser', () => {
  const parsed = () =>
    parsedSbom({
      supplier: { name: 'Acme Inc.' },
      subjectRefs: ['fw'],
      components: [
        component('fw', { isSubject: true, purl: 'pkg:generic/acme/fw@1', supplier: { name: 'ACME, Inc' } }),
        component('a', { purl: 'pkg:NPM/A@1', cpes: ['cpe:/a:acme:a:1', 'bad'], licenses: [{ expression: 'MIT' }, { expression: 'Nonsense' }], manufacturer: { name: 'Beta GmbH' } }),
        component('a1', { parentRef: 'a', purl: 'pkg:npm/' }),
        component('b', { parentRef: 'nowhere', licenses: [{ expression: 'Apache-2.0', kind: 'concluded' }] }),
        component('a', { supplier: { name: 'Gamma' } }),
      ],
      relationships: [dependsOn('fw', 'a'), dependsOn('a', 'b'), dependsOn('a', 'b'), dependsOn('b', 'missing'), { from: 'a', to: 'a1', type: 'CONTAINS', originalType: 'components' }],
      issues: [{ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/', message: 'from the parser' }],
    });

  it('normalising a slice at a time gives what normaliseSbom gives', () => {
    const p = parsed();
    const normaliser = new SbomNormaliser(p.supplier);
    const components = [...normaliser.normalise(p.components.slice(0, 2)), ...normaliser.normalise(p.components.slice(2, 3)), ...normaliser.normalise(p.components.slice(3))];
    expect(normaliser.finish(p, components)).toEqual(normaliseSbom(parsed()));
  });

  it('normalises in place when asked, leaving out the components it is not given back at the end', () => {
    const p = parsed();
    const normaliser = new SbomNormaliser(p.supplier);
    const first = normaliser.normalise(p.components.slice(0, 2), true);
    normaliser.normalise(p.components.slice(2), true);
    expect(first[0]).toBe(p.components[0]);
    const whole = normaliseSbom(parsed());
    expect(normaliser.finish(p, [], [first[0]!])).toEqual({ ...whole, components: [] });
  });

  it('knows a vendor named ahead of the components as the components name it', () => {
    const p = parsed();
    const normaliser = new SbomNormaliser(p.supplier);
    for (const name of ['Acme Inc.', 'Beta GmbH', 'Gamma']) normaliser.vendorNamed(name);
    const before = normaliser.vendors;
    normaliser.normalise(p.components);
    expect(normaliser.vendors).toEqual(before);
    expect(before.map((v) => v.name)).toEqual(['Acme Inc.', 'Beta GmbH', 'Gamma']);
  });
});
