import { describe, expect, it } from 'vitest';
import { parseDocument, parsedDocument } from '../../helpers/parse-document.js';
import { DEFAULT_INGEST_LIMITS } from '../../../src/ingest/ingest-limits.js';
import { parseSpdx3JsonLd } from '../../../src/ingest/spdx/parse-spdx3-jsonld.js';
import { describeSpdxCorpus } from './spdx-corpus.js';

type Json = Record<string, unknown>;

const X = 'https://medisyn.example/spdx/ip3000';
const CI = '_:creationinfo';

function relationship(id: string, from: string, relationshipType: string, to: string[], extra: Json = {}): Json {
  return { type: 'Relationship', spdxId: `${X}/rel/${id}`, creationInfo: CI, from, relationshipType, to, ...extra };
}

/** A schema-valid SPDX 3.0.1 SBOM: the IP3000 firmware, built with a TCP/IP stack and a boot loader. */
function document(extraElements: Json[] = [], context = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld'): Json {
  return {
    '@context': context,
    '@graph': [
      { type: 'CreationInfo', '@id': CI, specVersion: '3.0.1', created: '2026-11-20T10:00:00Z', createdBy: [`${X}/agent/medisyn`], createdUsing: [`${X}/tool/builder`] },
      {
        type: 'Organization',
        spdxId: `${X}/agent/medisyn`,
        creationInfo: CI,
        name: 'Medisyn Medical GmbH',
        externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'email', identifier: 'psirt@medisyn.example' }],
      },
      { type: 'Person', spdxId: `${X}/agent/jane`, creationInfo: CI, name: 'Jane Doe' },
      { type: 'Tool', spdxId: `${X}/tool/builder`, creationInfo: CI, name: 'medisyn-builder' },
      {
        type: 'SpdxDocument',
        spdxId: `${X}/document`,
        creationInfo: CI,
        name: 'IP3000 firmware 2.4.0',
        rootElement: [`${X}/sbom`],
        profileConformance: ['core', 'software'],
        import: [{ type: 'ExternalMap', externalSpdxId: 'https://treck.example/spdx/tcpip#pkg', locationHint: 'https://treck.example/spdx/tcpip.spdx.json' }],
      },
      { type: 'software_Sbom', spdxId: `${X}/sbom`, creationInfo: CI, rootElement: [`${X}/pkg/ip3000`], software_sbomType: ['build'] },
      {
        type: 'software_Package',
        spdxId: `${X}/pkg/ip3000`,
        creationInfo: CI,
        name: 'IP3000 firmware',
        software_packageVersion: '2.4.0',
        software_packageUrl: 'pkg:generic/medisyn/ip3000@2.4.0',
        software_primaryPurpose: 'operatingSystem',
        software_downloadLocation: 'https://medisyn.example/dl/ip3000-2.4.0.bin',
        software_homePage: 'https://medisyn.example/ip3000',
        software_copyrightText: 'Copyright 2026 Medisyn Medical GmbH',
        summary: 'Infusion pump firmware',
        suppliedBy: `${X}/agent/medisyn`,
        originatedBy: [`${X}/agent/jane`],
        externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'cpe23', identifier: 'cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*' }],
        externalRef: [{ type: 'ExternalRef', externalRefType: 'securityAdvisory', locator: ['https://medisyn.example/psirt'] }],
        verifiedUsing: [{ type: 'Hash', algorithm: 'sha256', hashValue: 'ABCDEF0123' }],
      },
      { type: 'software_Package', spdxId: `${X}/pkg/tcpip`, creationInfo: CI, name: 'tcpip-stack', software_packageVersion: '6.0.1' },
      { type: 'software_Package', spdxId: `${X}/pkg/boot`, creationInfo: CI, name: 'bootloader', software_packageVersion: '1.2' },
      { type: 'software_File', spdxId: `${X}/file/image`, creationInfo: CI, name: 'ip3000.bin' },
      { type: 'simplelicensing_LicenseExpression', spdxId: `${X}/license/declared`, creationInfo: CI, simplelicensing_licenseExpression: 'LicenseRef-medisyn OR MIT' },
      relationship('1', `${X}/pkg/ip3000`, 'dependsOn', [`${X}/pkg/tcpip`]),
      { ...relationship('2', `${X}/pkg/ip3000`, 'dependsOn', [`${X}/pkg/boot`]), type: 'LifecycleScopedRelationship', scope: 'build' },
      relationship('3', `${X}/pkg/ip3000`, 'contains', [`${X}/file/image`]),
      relationship('4', `${X}/pkg/tcpip`, 'generates', [`${X}/pkg/ip3000`]),
      relationship('5', `${X}/pkg/ip3000`, 'hasDeclaredLicense', [`${X}/license/declared`]),
      relationship('6', `${X}/pkg/ip3000`, 'hasConcludedLicense', ['https://spdx.org/licenses/MIT']),
      relationship('7', `${X}/pkg/ip3000`, 'dependsOn', ['https://treck.example/spdx/tcpip#pkg']),
      ...extraElements,
    ],
  };
}

const parse = parseDocument;
const parsed = parsedDocument;

describe('parseSpdx3JsonLd', () => {
  it('maps a schema-valid SPDX 3.0.1 SBOM', async () => {
    const sbom = await parsed(document());
    expect(sbom.issues).toEqual([]);
    expect(sbom).toMatchObject({
      format: 'spdx3-jsonld',
      specVersion: '3.0.1',
      serialNumber: `${X}/document`,
      name: 'IP3000 firmware 2.4.0',
      createdAt: '2026-11-20T10:00:00Z',
      authors: [{ name: 'Medisyn Medical GmbH', kind: 'organization', email: 'psirt@medisyn.example' }],
      tools: [{ name: 'medisyn-builder' }],
      subjectRefs: [`${X}/pkg/ip3000`],
      supplier: { name: 'Medisyn Medical GmbH', kind: 'organization', email: 'psirt@medisyn.example' },
      documentReferences: [
        { id: 'https://treck.example/spdx/tcpip#pkg', target: 'https://treck.example/spdx/tcpip.spdx.json' },
        // the package that depends on the imported element: where the chain continues into the other document
        { id: `${X}/pkg/ip3000`, target: 'https://treck.example/spdx/tcpip#pkg' },
      ],
      schemaValid: true,
    });
    expect(sbom.components.map((c) => c.ref)).toEqual([`${X}/pkg/ip3000`, `${X}/pkg/tcpip`, `${X}/pkg/boot`]);
    expect(sbom.components[0]).toEqual({
      ref: `${X}/pkg/ip3000`,
      type: 'operating-system',
      name: 'IP3000 firmware',
      version: '2.4.0',
      description: 'Infusion pump firmware',
      purl: 'pkg:generic/medisyn/ip3000@2.4.0',
      cpes: ['cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*'],
      supplier: { name: 'Medisyn Medical GmbH', kind: 'organization', email: 'psirt@medisyn.example' },
      author: 'Jane Doe',
      hashes: [{ alg: 'SHA-256', value: 'abcdef0123' }],
      licenses: [
        { expression: 'LicenseRef-medisyn OR MIT', kind: 'declared' },
        { expression: 'MIT', kind: 'concluded' },
      ],
      copyright: 'Copyright 2026 Medisyn Medical GmbH',
      externalReferences: [
        { type: 'securityAdvisory', url: 'https://medisyn.example/psirt' },
        { type: 'website', url: 'https://medisyn.example/ip3000' },
        { type: 'distribution', url: 'https://medisyn.example/dl/ip3000-2.4.0.bin' },
      ],
      isSubject: true,
    });
  });

  it("reads the SBOM elements' sbomType as the generation context, each value once, full IRIs shortened", async () => {
    expect((await parsed(document())).lifecycles).toEqual(['build']);
    const second = { type: 'software_Sbom', spdxId: `${X}/sbom/deployed`, creationInfo: CI, rootElement: [`${X}/pkg/ip3000`], software_sbomType: ['https://spdx.org/rdf/3.0.1/terms/Software/SbomType/deployed', 'build'] };
    expect((await parsed(document([second]))).lifecycles).toEqual(['build', 'deployed']);
  });

  it('states no generation context when no SBOM element has an sbomType', async () => {
    const doc = document();
    const graph = (doc['@graph'] as Json[]).map((e) => (e.type === 'software_Sbom' ? { ...e, software_sbomType: undefined } : e));
    const sbom = await parsed({ ...doc, '@graph': graph });
    expect(sbom.lifecycles).toBeUndefined();
  });

  it('turns relationships between packages into edges, scope and direction included', async () => {
    const sbom = await parsed(document());
    expect(sbom.relationships).toEqual([
      { from: `${X}/pkg/ip3000`, to: `${X}/pkg/tcpip`, type: 'DEPENDS_ON', originalType: 'dependsOn' },
      { from: `${X}/pkg/ip3000`, to: `${X}/pkg/boot`, type: 'BUILD_DEPENDENCY_OF', originalType: 'dependsOn' },
      { from: `${X}/pkg/ip3000`, to: `${X}/pkg/tcpip`, type: 'GENERATED_FROM', originalType: 'generates' },
    ]);
  });

  it('warns about a relationship end that names no element', async () => {
    const sbom = await parsed(document([relationship('8', `${X}/pkg/ip3000`, 'dependsOn', [`${X}/pkg/ghost`])]));
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues).toEqual([
      {
        code: 'DANGLING_REF',
        severity: 'warning',
        path: '/@graph/18/to',
        message: `relationship '/@graph/18' (dependsOn) has to '${X}/pkg/ghost', which names no element of this document or of an imported one`,
      },
    ]);
  });

  it('takes describes relationships from the document as subjects when there is no SBOM element', async () => {
    const doc = document();
    const graph = (doc['@graph'] as Json[]).filter((e) => e.type !== 'software_Sbom');
    (graph.find((e) => e.type === 'SpdxDocument') as Json).rootElement = [`${X}/pkg/tcpip`];
    graph.push(relationship('9', `${X}/document`, 'describes', [`${X}/pkg/boot`]));
    const sbom = await parsed({ ...doc, '@graph': graph });
    expect(sbom.subjectRefs).toEqual([`${X}/pkg/tcpip`, `${X}/pkg/boot`]);
  });

  it('flags a created timestamp that is no date-time, at its element', async () => {
    const doc = document();
    (doc['@graph'] as Json[])[0]!.created = '01-01-2026';
    const r = await parse(doc, { strict: true });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues).toContainEqual(expect.objectContaining({ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/@graph/0/created', message: expect.stringContaining("'01-01-2026' does not match pattern") }));
  });

  it('names an unknown class and an @context that is not the single 3.0.1 string', async () => {
    const doc = document([{ type: 'software_Gadget', spdxId: `${X}/gadget`, creationInfo: CI }]);
    const r = await parse({ ...doc, '@context': ['https://spdx.org/rdf/3.0.1/spdx-context.jsonld'] });
    expect(r.ok && r.sbom.issues).toEqual([
      {
        code: 'SCHEMA_VIOLATION',
        severity: 'error',
        path: '/@context',
        message: "'@context' (an array of 1) is not the single string 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld' (SPDX 3.0.1 JSON schema)",
      },
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/@graph/18/type', message: "element '/@graph/18' has type 'software_Gadget', which is not an SPDX 3.0.1 class (SPDX 3.0.1 JSON schema)" },
    ]);
  });

  it('checks a 3.0.0 document against the 3.0.1 schema, its own @context accepted', async () => {
    const doc = document([], 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld');
    (doc['@graph'] as Json[])[0]!.specVersion = '3.0.0';
    const sbom = await parsed(doc);
    expect(sbom.specVersion).toBe('3.0.0');
    expect(sbom.schemaValid).toBe(true);
  });

  it('cannot read a document whose @graph holds something that is not an element', async () => {
    const doc = document();
    (doc['@graph'] as unknown[]).push(42);
    const r = await parse(doc);
    expect(r).toMatchObject({ ok: false, format: 'spdx3-jsonld', issues: [{ code: 'SYNTAX_ERROR', path: '/@graph/18' }] });
  });

  it('refuses a graph with no SpdxDocument element', async () => {
    const r = await parseSpdx3JsonLd({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [] }, { limits: DEFAULT_INGEST_LIMITS, specVersion: '3.0.1' });
    expect(r).toMatchObject({ ok: false, issues: [{ code: 'NOT_AN_SBOM', path: '/@graph' }] });
  });
});

describeSpdxCorpus('spdx3-jsonld');
