import { describe, expect, it } from 'vitest';
import type { ParsedSbom } from '../../../src/model/sbom.js';
import { parseSbom } from '../../../src/ingest/parse-sbom.js';
import { CycloneDxMapping, cycloneDxVendorNames, mapCycloneDxBom } from '../../../src/ingest/cyclonedx/parse-cyclonedx-json.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON, corpusCases } from '../../helpers/corpus.js';
import { checkCorpusCase } from './cyclonedx-corpus.js';

const encode = (doc: unknown) => new TextEncoder().encode(typeof doc === 'string' ? doc : JSON.stringify(doc));

async function parse(doc: unknown, options?: { strict?: boolean }): Promise<ParsedSbom> {
  const result = await parseSbom(encode(doc), options);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.sbom;
}

function bom(extra: Record<string, unknown> = {}) {
  return { bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', version: 1, ...extra };
}

describe.skipIf(!CORPUS_AVAILABLE)(`parseCycloneDxJson on the corpus${CORPUS_AVAILABLE ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, () => {
  const cases = corpusCases().filter((c) => c.format === 'cyclonedx-json');

  it('finds the CycloneDX JSON cases in MANIFEST', () => {
    expect(cases.length).toBeGreaterThan(250);
  });

  it.each(cases.map((c) => [c.path, c] as const))('%s matches its MANIFEST verdict and component count', async (_path, c) => {
    await checkCorpusCase(c, 'exact');
  });
});

describe('parseCycloneDxJson', () => {
  it('maps metadata: subject, serial number, version, timestamp, authors, tools and supplier', async () => {
    const sbom = await parse(
      bom({
        metadata: {
          timestamp: '2026-01-02T03:04:05Z',
          authors: [{ name: 'Jane Doe', email: 'jane@example.com' }],
          tools: [{ vendor: 'CycloneDX', name: 'cyclonedx-gomod', version: '1.4.0' }],
          component: { type: 'device', 'bom-ref': 'infusion-pump', name: 'Infusion Pump', version: '2.1', supplier: { name: 'Pump OEM Inc', url: ['https://oem.example'] } },
        },
      }),
    );
    expect(sbom).toMatchObject({
      format: 'cyclonedx-json',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      documentVersion: 1,
      name: 'Infusion Pump',
      createdAt: '2026-01-02T03:04:05Z',
      authors: [{ name: 'Jane Doe', kind: 'person', email: 'jane@example.com' }],
      tools: [{ name: 'cyclonedx-gomod', vendor: 'CycloneDX', version: '1.4.0' }],
      subjectRefs: ['infusion-pump'],
      supplier: { name: 'Pump OEM Inc', kind: 'organization', urls: ['https://oem.example'] },
      schemaValid: true,
      issues: [],
    });
    expect(sbom.components).toEqual([expect.objectContaining({ ref: 'infusion-pump', type: 'device', isSubject: true })]);
  });

  it('reads 1.5+ tools as components and services, the group standing for the vendor', async () => {
    const sbom = await parse(
      bom({ metadata: { tools: { components: [{ type: 'application', group: '@cyclonedx', name: 'cdxgen', version: '10.0.0' }], services: [{ name: 'sbom-api', provider: { name: 'Acme' } }] } } }),
    );
    expect(sbom.tools).toEqual([
      { name: 'cdxgen', vendor: '@cyclonedx', version: '10.0.0' },
      { name: 'sbom-api', vendor: 'Acme', version: undefined },
    ]);
  });

  it('reads 1.5+ metadata.lifecycles as the generation context: phases and custom names, each once', async () => {
    const lifecycles = [{ phase: 'pre-build' }, { phase: 'build' }, { name: 'platform-integration-testing', description: 'on the test rig' }, { phase: 'build' }];
    const sbom = await parse(bom({ metadata: { lifecycles } }));
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.lifecycles).toEqual(['pre-build', 'build', 'platform-integration-testing']);
  });

  it('states no generation context when the document has no lifecycles, or an empty list', async () => {
    expect((await parse(bom({ metadata: { timestamp: '2026-01-02T03:04:05Z' } }))).lifecycles).toBeUndefined();
    expect((await parse(bom({ metadata: { lifecycles: [] } }))).lifecycles).toBeUndefined();
  });

  it("takes the supplier from metadata.supplier, else the subject's supplier, else the manufacturer", async () => {
    const subject = { type: 'device', name: 'pump', supplier: { name: 'Subject Supplier' }, manufacturer: { name: 'Subject Maker' } };
    expect((await parse(bom({ metadata: { supplier: { name: 'Meta Supplier' }, component: subject } }))).supplier?.name).toBe('Meta Supplier');
    expect((await parse(bom({ metadata: { component: subject, manufacturer: { name: 'Meta Maker' } } }))).supplier?.name).toBe('Subject Supplier');
    expect((await parse(bom({ metadata: { component: { ...subject, supplier: undefined }, manufacturer: { name: 'Meta Maker' } } }))).supplier?.name).toBe('Meta Maker');
    expect((await parse(bom({ metadata: { component: { ...subject, supplier: undefined } } }))).supplier?.name).toBe('Subject Maker');
    expect((await parse(bom({ specVersion: '1.5', metadata: { manufacture: { name: 'Old Maker' } } }))).supplier?.name).toBe('Old Maker');
  });

  it('falls back to the subject author when metadata names no authors', async () => {
    const sbom = await parse(bom({ specVersion: '1.5', metadata: { component: { type: 'firmware', name: 'fw', author: 'Jane Doe' } } }));
    expect(sbom.authors).toEqual([{ name: 'Jane Doe', kind: 'person' }]);
  });

  it('maps every field of a component', async () => {
    const sbom = await parse(
      bom({
        components: [
          {
            type: 'library',
            'bom-ref': 'treck',
            supplier: { name: 'Treck Inc', url: ['https://treck.com'], contact: [{ name: 'PSIRT', email: 'psirt@treck.com' }] },
            manufacturer: { name: 'Treck Inc' },
            authors: [{ name: 'Alice' }, { name: 'Bob' }],
            group: 'treck',
            name: 'tcpip',
            version: '6.0.1.67',
            description: 'embedded TCP/IP stack',
            scope: 'required',
            hashes: [{ alg: 'SHA-256', content: 'ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789' }],
            licenses: [{ license: { name: 'Treck Commercial License' } }],
            copyright: '(c) Treck',
            cpe: 'cpe:2.3:a:treck:tcp\\/ip:6.0.1.67:*:*:*:*:*:*:*',
            purl: 'pkg:generic/treck/tcpip@6.0.1.67',
            externalReferences: [{ type: 'website', url: 'https://treck.com' }],
          },
        ],
      }),
    );
    expect(sbom.components).toEqual([
      {
        ref: 'treck',
        parentRef: undefined,
        type: 'library',
        group: 'treck',
        name: 'tcpip',
        version: '6.0.1.67',
        description: 'embedded TCP/IP stack',
        purl: 'pkg:generic/treck/tcpip@6.0.1.67',
        cpes: ['cpe:2.3:a:treck:tcp\\/ip:6.0.1.67:*:*:*:*:*:*:*'],
        supplier: { name: 'Treck Inc', kind: 'organization', urls: ['https://treck.com'], email: 'psirt@treck.com' },
        manufacturer: { name: 'Treck Inc', kind: 'organization' },
        author: 'Alice, Bob',
        hashes: [{ alg: 'SHA-256', value: 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789' }],
        licenses: [{ name: 'Treck Commercial License' }],
        copyright: '(c) Treck',
        externalReferences: [{ type: 'website', url: 'https://treck.com' }],
        scope: 'required',
        isSubject: false,
      },
    ]);
  });

  it('reads nested components with their parent ref and a CONTAINS edge from the parent', async () => {
    const sbom = await parse(
      bom({
        metadata: { component: { type: 'device', 'bom-ref': 'pump', name: 'pump', components: [{ type: 'firmware', 'bom-ref': 'fw', name: 'fw' }] } },
        components: [{ type: 'library', 'bom-ref': 'module', name: 'wifi module', components: [{ type: 'library', 'bom-ref': 'stack', name: 'stack' }] }],
      }),
    );
    expect(sbom.components.map((c) => [c.ref, c.parentRef, c.isSubject])).toEqual([
      ['pump', undefined, true],
      ['fw', 'pump', false],
      ['module', undefined, false],
      ['stack', 'module', false],
    ]);
    expect(sbom.relationships).toEqual([
      { from: 'pump', to: 'fw', type: 'CONTAINS', originalType: 'components' },
      { from: 'module', to: 'stack', type: 'CONTAINS', originalType: 'components' },
    ]);
  });

  it('gives components without a bom-ref their JSON pointer as a stable ref', async () => {
    const sbom = await parse(
      bom({
        metadata: { component: { type: 'device', name: 'pump' } },
        components: [
          { type: 'library', name: 'a' },
          { type: 'library', 'bom-ref': 'b', name: 'b', components: [{ type: 'library', name: 'c' }] },
        ],
      }),
    );
    expect(sbom.components.map((c) => c.ref)).toEqual(['#/metadata/component', '#/components/0', 'b', '#/components/1/components/0']);
    expect(sbom.subjectRefs).toEqual(['#/metadata/component']);
    expect(sbom.relationships).toEqual([{ from: 'b', to: '#/components/1/components/0', type: 'CONTAINS', originalType: 'components' }]);
  });

  it('turns dependencies into DEPENDS_ON edges and warns about refs that name no component', async () => {
    const sbom = await parse(
      bom({
        components: [
          { type: 'library', 'bom-ref': 'a', name: 'a' },
          { type: 'library', 'bom-ref': 'b', name: 'b' },
        ],
        services: [{ 'bom-ref': 'svc', name: 'update service' }],
        dependencies: [
          { ref: 'a', dependsOn: ['b', 'ghost', 'svc'] },
          { ref: 'a', dependsOn: ['b'] },
          { ref: 'phantom', dependsOn: ['a'] },
          { ref: 'b' },
        ],
      }),
    );
    expect(sbom.relationships).toEqual([{ from: 'a', to: 'b', type: 'DEPENDS_ON', originalType: 'dependsOn' }]);
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues).toEqual([
      { code: 'DANGLING_REF', severity: 'warning', path: '/dependencies/0/dependsOn/1', message: "dependency /dependencies/0 names 'ghost' in dependsOn, but no component in the BOM has that bom-ref" },
      { code: 'DANGLING_REF', severity: 'warning', path: '/dependencies/2/ref', message: "dependency /dependencies/2 names 'phantom' in ref, but no component in the BOM has that bom-ref" },
    ]);
  });

  it('makes one edge per target and field however often a component is listed, keeping document order', async () => {
    const sbom = await parse(
      bom({
        components: ['a', 'b', 'c', 'd'].map((r) => ({ type: 'library', 'bom-ref': r, name: r })),
        dependencies: [
          { ref: 'a', dependsOn: ['b', 'c', 'b'], provides: ['b'] },
          { ref: 'b', dependsOn: ['c'] },
          { ref: 'a', dependsOn: ['c', 'd'], provides: ['b', 'c'] },
          { ref: 'a', dependsOn: ['d', 'a'], provides: ['c', 'd'] },
        ],
      }),
    );
    expect(sbom.relationships.map((r) => `${r.from}>${r.to}:${r.originalType}`)).toEqual([
      'a>b:dependsOn',
      'a>c:dependsOn',
      'a>b:provides',
      'b>c:dependsOn',
      'a>d:dependsOn',
      'a>c:provides',
      'a>a:dependsOn',
      'a>d:provides',
    ]);
  });

  it("maps 1.6 'provides' to OTHER edges that keep the word", async () => {
    const sbom = await parse(
      bom({
        components: [
          { type: 'library', 'bom-ref': 'openssl', name: 'openssl' },
          { type: 'cryptographic-asset', 'bom-ref': 'aes', name: 'AES-128-GCM', cryptoProperties: { assetType: 'algorithm' } },
        ],
        dependencies: [{ ref: 'openssl', provides: ['aes'] }],
      }),
    );
    expect(sbom.relationships).toEqual([{ from: 'openssl', to: 'aes', type: 'OTHER', originalType: 'provides' }]);
  });

  it('keeps BOM-Links in externalReferences and lists them as document references of their component', async () => {
    const link = 'urn:cdx:f08a6ccd-4dce-4759-bd84-c626675d60a7/2#module';
    const sbom = await parse(
      bom({
        components: [
          {
            type: 'library',
            'bom-ref': 'wifi',
            name: 'wifi module',
            externalReferences: [
              { type: 'bom', url: link, hashes: [{ alg: 'SHA-256', content: 'AB'.repeat(32) }] },
              { type: 'bom', url: 'https://vendor.example/sbom.json' },
            ],
          },
        ],
      }),
    );
    expect(sbom.components[0]!.externalReferences).toEqual([
      { type: 'bom', url: link },
      { type: 'bom', url: 'https://vendor.example/sbom.json' },
    ]);
    expect(sbom.documentReferences).toEqual([{ id: 'wifi', target: link, checksum: { alg: 'SHA-256', value: 'ab'.repeat(32) } }]);
  });

  it('reads licence ids and expressions as expressions, licence names as names, and 1.6 acknowledgements as kinds', async () => {
    const component = (name: string, licenses: unknown[]) => ({ type: 'library', name, licenses });
    const sbom = await parse(
      bom({
        components: [
          component('by-id', [{ license: { id: 'MIT' } }, { license: { id: 'Apache-2.0', acknowledgement: 'concluded' } }]),
          component('by-name', [{ license: { name: 'Proprietary', acknowledgement: 'declared' } }]),
          component('by-expression', [{ expression: 'GPL-2.0-only WITH Classpath-exception-2.0', acknowledgement: 'concluded' }]),
        ],
      }),
    );
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.components.map((c) => c.licenses)).toEqual([
      [{ expression: 'MIT' }, { expression: 'Apache-2.0', kind: 'concluded' }],
      [{ name: 'Proprietary', kind: 'declared' }],
      [{ expression: 'GPL-2.0-only WITH Classpath-exception-2.0', kind: 'concluded' }],
    ]);
  });

  it('reads a schema-invalid BOM leniently and rejects it in strict mode', async () => {
    const doc = bom({ components: [{ type: 'gadget', name: 'a' }] });
    const lenient = await parse(doc);
    expect(lenient.schemaValid).toBe(false);
    expect(lenient.components).toEqual([expect.objectContaining({ name: 'a', type: 'gadget' })]);
    expect(lenient.issues).toEqual([expect.objectContaining({ code: 'SCHEMA_VIOLATION', path: '/components/0/type' })]);
    const strict = await parseSbom(encode(doc), { strict: true });
    expect(strict).toEqual({ ok: false, format: 'cyclonedx-json', specVersion: '1.6', issues: lenient.issues });
  });

  it('marks a BOM with a duplicate bom-ref schema-invalid and keeps refs unique', async () => {
    const sbom = await parse(
      bom({
        components: [
          { type: 'library', 'bom-ref': 'x', name: 'first' },
          { type: 'library', 'bom-ref': 'x', name: 'second' },
        ],
        dependencies: [{ ref: 'x', dependsOn: [] }],
      }),
    );
    expect(sbom.schemaValid).toBe(false);
    expect(sbom.components.map((c) => [c.ref, c.name])).toEqual([
      ['x', 'first'],
      ['#/components/1', 'second'],
    ]);
    expect(sbom.issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_REF', severity: 'error', path: '/components/1/bom-ref' })]);
    expect((await parseSbom(encode(bom({ components: [{ type: 'library', 'bom-ref': 'x', name: 'a' }, { type: 'library', 'bom-ref': 'x', name: 'b' }] })), { strict: true })).ok).toBe(false);
  });

  it("rejects a document whose bomFormat is not 'CycloneDX', listing its schema violations too", async () => {
    const result = await parseSbom(encode(bom({ bomFormat: 'SPDX' })));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      { code: 'NOT_AN_SBOM', severity: 'error', path: '/bomFormat', message: "bomFormat is 'SPDX', not 'CycloneDX'" },
      expect.objectContaining({ code: 'SCHEMA_VIOLATION', path: '/bomFormat' }),
    ]);
  });

  it('rejects a BOM whose components are not a list, or hold something that is not a component', async () => {
    const notArray = await parseSbom(encode(bom({ components: { type: 'library', name: 'a' } })));
    expect(!notArray.ok && notArray.issues[0]).toEqual({ code: 'NOT_AN_SBOM', severity: 'error', path: '/components', message: '/components is an object, not an array; the BOM cannot be read' });
    const notObject = await parseSbom(encode(bom({ components: [{ type: 'library', name: 'a', components: ['b'] }] })));
    expect(!notObject.ok && notObject.issues[0]).toEqual({ code: 'NOT_AN_SBOM', severity: 'error', path: '/components/0/components/0', message: "/components/0/components/0 is 'b', not an object; the BOM cannot be read" });
  });

  it('rejects truncated JSON with the line and column where it ends', async () => {
    const text = JSON.stringify(bom({ components: [{ type: 'library', name: 'a' }] }), null, 2);
    const result = await parseSbom(encode(text.slice(0, text.length - 12)));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([expect.objectContaining({ code: 'SYNTAX_ERROR', path: expect.stringMatching(/^line \d+, column \d+$/) })]);
  });
});

describe('CycloneDxMapping', () => {
  const doc = bom({
    metadata: { component: { type: 'firmware', name: 'fw', 'bom-ref': 'fw', supplier: { name: 'Acme Inc.' } }, manufacturer: { name: 'Maker' } },
    components: [
      { type: 'library', name: 'a', 'bom-ref': 'a', supplier: { name: 'Beta' }, components: [{ type: 'library', name: 'a1', manufacturer: { name: 'Gamma' } }] },
      { type: 'library', name: 'b', 'bom-ref': 'b', externalReferences: [{ type: 'bom', url: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#x' }] },
      { type: 'library', name: 'c', 'bom-ref': 'a', supplier: { name: 'ACME, Inc' } },
      { type: 'library', name: 'd', supplier: 'not a party' },
    ],
    dependencies: [{ ref: 'fw', dependsOn: ['a', 'b', 'missing'] }, { ref: 'a', dependsOn: ['b', 'b'] }, { ref: 'b', provides: ['a'] }, { ref: 'a', dependsOn: ['fw'] }],
  });
  const verdict = { schemaValid: false, issues: [{ code: 'SCHEMA_VIOLATION' as const, severity: 'error' as const, path: '/', message: 'from the validator' }] };

  it('mapped a slice at a time, with its dependencies in steps, gives what one call gives', () => {
    const mapping = new CycloneDxMapping(doc, { format: 'cyclonedx-json', specVersion: '1.6' });
    const slices = [];
    while (!mapping.componentsMapped) slices.push(mapping.mapComponents(1));
    expect(slices.map((s) => s.map((c) => c.name))).toEqual([['fw', 'a', 'a1'], ['b'], ['c'], ['d']]);
    const steps = mapping.finishInSteps(verdict, 1);
    let step = steps.next();
    let yields = 0;
    for (; !step.done; step = steps.next()) yields++;
    expect(yields).toBe(3);
    expect(step.value).toEqual(mapCycloneDxBom(doc, { format: 'cyclonedx-json', specVersion: '1.6', ...verdict }));
  });

  it('kept no components when asked not to, and gives the same document without them', () => {
    const mapping = new CycloneDxMapping(doc, { format: 'cyclonedx-json', specVersion: '1.6' }, false);
    while (!mapping.componentsMapped) mapping.mapComponents(2);
    const steps = mapping.finishInSteps(verdict);
    let step = steps.next();
    while (!step.done) step = steps.next();
    const whole = mapCycloneDxBom(doc, { format: 'cyclonedx-json', specVersion: '1.6', ...verdict });
    expect(step.value).toEqual(whole.ok ? { ...whole, sbom: { ...whole.sbom, components: [] } } : whole);
  });

  it('names the vendors a normaliser meets, in the order it meets them', () => {
    expect(cycloneDxVendorNames(doc)).toEqual(['Acme Inc.', 'Acme Inc.', undefined, 'Beta', undefined, undefined, 'Gamma', undefined, undefined, 'ACME, Inc', undefined, undefined, undefined]);
  });
});
