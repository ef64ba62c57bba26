import { describe, expect, it } from 'vitest';
import { parseDocument, parsedDocument } from '../../helpers/parse-document.js';
import { DEFAULT_INGEST_LIMITS } from '../../../src/ingest/ingest-limits.js';
import { parseSbom } from '../../../src/ingest/parse-sbom.js';
import { parseSpdxJson } from '../../../src/ingest/spdx/parse-spdx-json.js';
import { describeSpdxCorpus } from './spdx-corpus.js';

type Json = Record<string, unknown>;

function document(extra: Json = {}, version = '2.3'): Json {
  return {
    spdxVersion: `SPDX-${version}`,
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'ip3000-firmware',
    documentNamespace: 'https://medisyn.example/spdx/ip3000-2.4.0',
    creationInfo: { created: '2026-11-20T10:00:00Z', creators: ['Tool: syft-0.60.3', 'Organization: Medisyn Medical GmbH (psirt@medisyn.example)', 'Person: Jane Doe ()'] },
    ...extra,
  };
}

function pkg(id: string, extra: Json = {}): Json {
  return { SPDXID: id, name: id.replace('SPDXRef-', '').toLowerCase(), downloadLocation: 'NOASSERTION', ...extra };
}

function describes(...ids: string[]): Json[] {
  return ids.map((id) => ({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: id }));
}

const parse = parseDocument;
const parsed = parsedDocument;

describe('parseSpdxJson', () => {
  it('maps a package to a component, field by field', async () => {
    const sbom = await parsed(
      document({
        packages: [
          pkg('SPDXRef-Package-ip3000', {
            name: 'IP3000 firmware',
            versionInfo: '2.4.0',
            supplier: 'Organization: Medisyn Medical GmbH (psirt@medisyn.example)',
            originator: 'Person: Jane Doe (jane@medisyn.example)',
            downloadLocation: 'https://medisyn.example/dl/ip3000-2.4.0.bin',
            homepage: 'https://medisyn.example/ip3000',
            primaryPackagePurpose: 'FIRMWARE',
            checksums: [
              { algorithm: 'SHA256', checksumValue: 'ABCDEF0123' },
              { algorithm: 'SHA1', checksumValue: '85ed0817af83a24ad8da68c2b5094de69833983c' },
              { algorithm: 'MD5', checksumValue: '624c1abb3664f4b35547e7c73864ad24' },
              { algorithm: 'SHA512', checksumValue: 'ff' },
              { algorithm: 'BLAKE2b-256', checksumValue: 'aa' },
            ],
            licenseDeclared: '(MIT OR Apache-2.0) AND LicenseRef-medisyn',
            licenseConcluded: 'NOASSERTION',
            copyrightText: 'Copyright 2026 Medisyn Medical GmbH',
            description: 'Infusion pump firmware',
            externalRefs: [
              { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/medisyn/ip3000@2.4.0' },
              { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*' },
              { referenceCategory: 'SECURITY', referenceType: 'cpe22Type', referenceLocator: 'cpe:/o:medisyn:ip3000_firmware:2.4.0' },
              { referenceCategory: 'OTHER', referenceType: 'swh', referenceLocator: 'swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2' },
            ],
          }),
        ],
        relationships: describes('SPDXRef-Package-ip3000'),
      }),
    );
    expect(sbom.components).toEqual([
      {
        ref: 'SPDXRef-Package-ip3000',
        type: 'firmware',
        name: 'IP3000 firmware',
        version: '2.4.0',
        description: 'Infusion pump firmware',
        purl: 'pkg:generic/medisyn/ip3000@2.4.0',
        cpes: ['cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*', 'cpe:/o:medisyn:ip3000_firmware:2.4.0'],
        supplier: { name: 'Medisyn Medical GmbH', kind: 'organization', email: 'psirt@medisyn.example' },
        author: 'Jane Doe',
        hashes: [
          { alg: 'SHA-256', value: 'abcdef0123' },
          { alg: 'SHA-1', value: '85ed0817af83a24ad8da68c2b5094de69833983c' },
          { alg: 'MD5', value: '624c1abb3664f4b35547e7c73864ad24' },
          { alg: 'SHA-512', value: 'ff' },
          { alg: 'BLAKE2b-256', value: 'aa' },
        ],
        licenses: [{ expression: '(MIT OR Apache-2.0) AND LicenseRef-medisyn', kind: 'declared' }],
        copyright: 'Copyright 2026 Medisyn Medical GmbH',
        externalReferences: [
          { type: 'swh', url: 'swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2' },
          { type: 'website', url: 'https://medisyn.example/ip3000' },
          { type: 'distribution', url: 'https://medisyn.example/dl/ip3000-2.4.0.bin' },
        ],
        isSubject: true,
      },
    ]);
  });

  it('maps the document: namespace, name, creation time, tools and authors', async () => {
    const sbom = await parsed(document({ packages: [pkg('SPDXRef-a')], relationships: describes('SPDXRef-a') }));
    expect(sbom).toMatchObject({
      format: 'spdx-json',
      specVersion: '2.3',
      serialNumber: 'https://medisyn.example/spdx/ip3000-2.4.0',
      name: 'ip3000-firmware',
      createdAt: '2026-11-20T10:00:00Z',
      tools: [{ name: 'syft', version: '0.60.3' }],
      authors: [
        { name: 'Medisyn Medical GmbH', kind: 'organization', email: 'psirt@medisyn.example' },
        { name: 'Jane Doe', kind: 'person' },
      ],
      schemaValid: true,
      issues: [],
    });
  });

  it("takes the subjects from 'SPDXRef-DOCUMENT DESCRIBES', DESCRIBED_BY and documentDescribes, and the document supplier from the subject", async () => {
    const sbom = await parsed(
      document({
        documentDescribes: ['SPDXRef-c'],
        packages: [pkg('SPDXRef-a', { supplier: 'Person: Jane Doe (jane@medisyn.example)' }), pkg('SPDXRef-b'), pkg('SPDXRef-c'), pkg('SPDXRef-d')],
        relationships: [...describes('SPDXRef-a'), { spdxElementId: 'SPDXRef-b', relationshipType: 'DESCRIBED_BY', relatedSpdxElement: 'SPDXRef-DOCUMENT' }],
      }),
    );
    expect(sbom.subjectRefs).toEqual(['SPDXRef-a', 'SPDXRef-b', 'SPDXRef-c']);
    expect(sbom.components.map((c) => c.isSubject)).toEqual([true, true, true, false]);
    expect(sbom.supplier).toEqual({ name: 'Jane Doe', kind: 'person', email: 'jane@medisyn.example' });
  });

  it('gives no supplier for NOASSERTION and no author when there is no originator', async () => {
    const sbom = await parsed(document({ packages: [pkg('SPDXRef-a', { supplier: 'NOASSERTION' })], relationships: describes('SPDXRef-a') }));
    expect(sbom.supplier).toBeUndefined();
    expect(sbom.components[0]).not.toHaveProperty('supplier', expect.anything());
    expect(sbom.components[0]!.author).toBeUndefined();
  });

  it('keeps files and snippets out of the components, and a DESCRIBES of a file out of the subjects', async () => {
    const sbom = await parsed(
      document({
        packages: [pkg('SPDXRef-a')],
        files: [{ SPDXID: 'SPDXRef-File-main', fileName: './main.c', checksums: [{ algorithm: 'SHA1', checksumValue: 'aa' }] }],
        relationships: [...describes('SPDXRef-a', 'SPDXRef-File-main'), { spdxElementId: 'SPDXRef-a', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-File-main' }],
      }),
    );
    expect(sbom.components.map((c) => c.ref)).toEqual(['SPDXRef-a']);
    expect(sbom.subjectRefs).toEqual(['SPDXRef-a']);
    expect(sbom.relationships).toEqual([]);
    expect(sbom.issues).toEqual([]);
  });

  it('turns relationships into edges in the direction "from needs/holds to"', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((x) => `SPDXRef-${x}`);
    const rel = (from: string, type: string, to: string) => ({ spdxElementId: `SPDXRef-${from}`, relationshipType: type, relatedSpdxElement: `SPDXRef-${to}` });
    const sbom = await parsed(
      document({
        packages: ids.map((id) => pkg(id)),
        relationships: [
          rel('a', 'DEPENDS_ON', 'b'),
          rel('c', 'DEPENDENCY_OF', 'a'),
          rel('a', 'CONTAINS', 'd'),
          rel('e', 'CONTAINED_BY', 'a'),
          rel('f', 'DEV_DEPENDENCY_OF', 'a'),
          rel('g', 'BUILD_DEPENDENCY_OF', 'a'),
          rel('h', 'OPTIONAL_DEPENDENCY_OF', 'a'),
          rel('i', 'RUNTIME_DEPENDENCY_OF', 'a'),
          rel('a', 'STATIC_LINK', 'j'),
          rel('a', 'DYNAMIC_LINK', 'k'),
          rel('a', 'DESCRIBES', 'l'),
          rel('l', 'DESCRIBED_BY', 'b'),
          rel('a', 'PATCH_FOR', 'b'),
        ],
      }),
    );
    expect(sbom.relationships).toEqual([
      { from: 'SPDXRef-a', to: 'SPDXRef-b', type: 'DEPENDS_ON', originalType: 'DEPENDS_ON' },
      { from: 'SPDXRef-a', to: 'SPDXRef-c', type: 'DEPENDS_ON', originalType: 'DEPENDENCY_OF' },
      { from: 'SPDXRef-a', to: 'SPDXRef-d', type: 'CONTAINS', originalType: 'CONTAINS' },
      { from: 'SPDXRef-a', to: 'SPDXRef-e', type: 'CONTAINS', originalType: 'CONTAINED_BY' },
      { from: 'SPDXRef-a', to: 'SPDXRef-f', type: 'DEV_DEPENDENCY_OF', originalType: 'DEV_DEPENDENCY_OF' },
      { from: 'SPDXRef-a', to: 'SPDXRef-g', type: 'BUILD_DEPENDENCY_OF', originalType: 'BUILD_DEPENDENCY_OF' },
      { from: 'SPDXRef-a', to: 'SPDXRef-h', type: 'OPTIONAL_DEPENDENCY_OF', originalType: 'OPTIONAL_DEPENDENCY_OF' },
      { from: 'SPDXRef-a', to: 'SPDXRef-i', type: 'RUNTIME_DEPENDENCY_OF', originalType: 'RUNTIME_DEPENDENCY_OF' },
      { from: 'SPDXRef-a', to: 'SPDXRef-j', type: 'STATIC_LINK', originalType: 'STATIC_LINK' },
      { from: 'SPDXRef-a', to: 'SPDXRef-k', type: 'DYNAMIC_LINK', originalType: 'DYNAMIC_LINK' },
      { from: 'SPDXRef-a', to: 'SPDXRef-l', type: 'DESCRIBES', originalType: 'DESCRIBES' },
      { from: 'SPDXRef-b', to: 'SPDXRef-l', type: 'DESCRIBES', originalType: 'DESCRIBED_BY' },
      { from: 'SPDXRef-a', to: 'SPDXRef-b', type: 'OTHER', originalType: 'PATCH_FOR' },
    ]);
  });

  it('makes no edge to NONE, NOASSERTION or another document, and warns about a ref that names nothing', async () => {
    const sbom = await parsed(
      document({
        externalDocumentRefs: [
          { externalDocumentId: 'DocumentRef-stack', spdxDocument: 'https://treck.example/spdx/tcpip-6.0.1', checksum: { algorithm: 'SHA1', checksumValue: 'D6A770BA38583ED4BB4525BD96E50461655D2759' } },
        ],
        packages: [pkg('SPDXRef-a')],
        relationships: [
          ...describes('SPDXRef-a'),
          { spdxElementId: 'SPDXRef-a', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'NOASSERTION' },
          { spdxElementId: 'SPDXRef-a', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'NONE' },
          { spdxElementId: 'SPDXRef-a', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'DocumentRef-stack:SPDXRef-tcpip' },
          { spdxElementId: 'SPDXRef-a', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-ghost' },
        ],
      }),
    );
    expect(sbom.relationships).toEqual([]);
    // The package that points into the other document keeps the element's URI, for the chain stitcher.
    expect(sbom.documentReferences).toEqual([
      { id: 'DocumentRef-stack', target: 'https://treck.example/spdx/tcpip-6.0.1', checksum: { alg: 'SHA-1', value: 'd6a770ba38583ed4bb4525bd96e50461655d2759' } },
      { id: 'SPDXRef-a', target: 'https://treck.example/spdx/tcpip-6.0.1#SPDXRef-tcpip', checksum: { alg: 'SHA-1', value: 'd6a770ba38583ed4bb4525bd96e50461655d2759' } },
    ]);
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues).toEqual([
      {
        code: 'DANGLING_REF',
        severity: 'warning',
        path: '/relationships/4',
        message: "relationship '/relationships/4' (SPDXRef-a DEPENDS_ON SPDXRef-ghost) has relatedSpdxElement 'SPDXRef-ghost', which names no package, file or snippet of this document",
      },
    ]);
  });

  it('reads a repeated SPDXID under a made-up ref and warns', async () => {
    const sbom = await parsed(document({ packages: [pkg('SPDXRef-a'), pkg('SPDXRef-a', { name: 'again' })], relationships: describes('SPDXRef-a') }));
    expect(sbom.components.map((c) => c.ref)).toEqual(['SPDXRef-a', '#/packages/1']);
    expect(sbom.issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_REF', severity: 'warning', path: '/packages/1/SPDXID' })]);
  });

  it('keeps a licence that is no SPDX expression as a name, with a warning', async () => {
    const sbom = await parsed(document({ packages: [pkg('SPDXRef-a', { licenseConcluded: 'Apache License 2.0' })], relationships: describes('SPDXRef-a') }));
    expect(sbom.components[0]!.licenses).toEqual([{ name: 'Apache License 2.0', kind: 'concluded' }]);
    expect(sbom.issues).toEqual([
      {
        code: 'INVALID_LICENSE',
        severity: 'warning',
        path: '/packages/0/licenseConcluded',
        message: "package '/packages/0' has licenseConcluded 'Apache License 2.0', which is not a valid SPDX license expression; kept as a licence name",
      },
    ]);
  });

  it('takes the only package as subject when nothing is described, with a warning', async () => {
    const sbom = await parsed(document({ packages: [pkg('SPDXRef-a')] }));
    expect(sbom.subjectRefs).toEqual(['SPDXRef-a']);
    expect(sbom.issues).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', severity: 'warning' })]);
  });

  it('reads a document that breaks its schema but rejects it in strict mode, naming the value and the rule', async () => {
    const doc = document({ packages: [{ SPDXID: 'SPDXRef-a', name: 'a' }], relationships: describes('SPDXRef-a') }, '2.2');
    const lenient = await parse(doc);
    expect(lenient.ok && lenient.sbom.schemaValid).toBe(false);
    const strict = await parse(doc, { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.ok ? [] : strict.issues).toEqual(
      expect.arrayContaining([
        { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/packages/0', message: "'/packages/0' (an object) has no required property 'downloadLocation' (SPDX 2.2 JSON schema)" },
        { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/packages/0', message: "'/packages/0' (an object) has no required property 'copyrightText' (SPDX 2.2 JSON schema)" },
      ]),
    );
  });

  it('flags an empty or malformed created timestamp, which the JSON schema lets through', async () => {
    for (const created of ['', '01-01-2026', '2026-11-20 10:00:00']) {
      const doc = document({ creationInfo: { created, creators: ['Tool: x'] }, packages: [pkg('SPDXRef-a')], relationships: describes('SPDXRef-a') });
      const r = await parse(doc);
      expect(r.ok && r.sbom.schemaValid).toBe(false);
      expect(r.ok ? r.sbom.issues : []).toContainEqual(
        expect.objectContaining({ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/creationInfo/created', message: expect.stringContaining(`creationInfo.created '${created}' is not a UTC date-time`) }),
      );
    }
  });

  it('accepts fractional seconds in created, as real tools write them', async () => {
    const sbom = await parsed(document({ creationInfo: { created: '2022-01-28T12:47:30.739820271Z', creators: ['Tool: syft-0.36.0'] }, packages: [pkg('SPDXRef-a')], relationships: describes('SPDXRef-a') }));
    expect(sbom.schemaValid).toBe(true);
  });

  it("flags a document SPDXID other than 'SPDXRef-DOCUMENT' and a package SPDXID without the SPDXRef- prefix", async () => {
    const r = await parse(document({ SPDXID: 'bar', packages: [pkg('a')] }));
    expect(r.ok && r.sbom.schemaValid).toBe(false);
    expect(r.ok ? r.sbom.issues.filter((i) => i.severity === 'error').map((i) => i.path) : []).toEqual(['/SPDXID', '/packages/0/SPDXID']);
  });

  it('only warns about characters outside [A-Za-z0-9.-] after SPDXRef-, as Tern writes them', async () => {
    const sbom = await parsed(document({ packages: [pkg('SPDXRef-ssl_client-1.29.3-r10')], relationships: describes('SPDXRef-ssl_client-1.29.3-r10') }));
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues).toEqual([expect.objectContaining({ code: 'SCHEMA_VIOLATION', severity: 'warning', path: '/packages/0/SPDXID' })]);
  });

  it('accepts both spellings of the PACKAGE-MANAGER reference category', async () => {
    const ref = (category: string) => ({ referenceCategory: category, referenceType: 'purl', referenceLocator: `pkg:npm/${category.toLowerCase()}@1.0.0` });
    const sbom = await parsed(
      document({ packages: [pkg('SPDXRef-a', { externalRefs: [ref('PACKAGE_MANAGER')] }), pkg('SPDXRef-b', { externalRefs: [ref('PACKAGE-MANAGER')] })], relationships: describes('SPDXRef-a') }),
    );
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.components.map((c) => c.purl)).toEqual(['pkg:npm/package_manager@1.0.0', 'pkg:npm/package-manager@1.0.0']);
  });

  it('cannot read a document whose package list holds null, and says where', async () => {
    const r = await parse(document({ packages: [pkg('SPDXRef-a'), null] }));
    expect(r).toMatchObject({ ok: false, format: 'spdx-json', specVersion: '2.3' });
    expect(r.ok ? [] : r.issues[0]).toEqual({ code: 'SYNTAX_ERROR', severity: 'error', path: '/packages/1', message: "'/packages/1' is null, not an object; the package cannot be read" });
  });

  it('cannot read a document whose relationships are not an array', async () => {
    const r = await parse(document({ relationships: 'none' }));
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toContain('/relationships');
  });

  it('gives a truncated document back unread, with the line where it ends', async () => {
    const text = JSON.stringify(document({ packages: [pkg('SPDXRef-a')] }), null, 2);
    const r = await parseSbom(Buffer.from(text.slice(0, text.length - 40)));
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.issues[0]!.path).toMatch(/^line \d+, column \d+$/);
  });

  it('can be called without parseSbom, on an already parsed document', async () => {
    const r = await parseSpdxJson(document({ packages: [pkg('SPDXRef-a')], relationships: describes('SPDXRef-a') }), { limits: DEFAULT_INGEST_LIMITS, specVersion: '2.3' });
    expect(r.ok && r.sbom.components[0]!.ref).toBe('SPDXRef-a');
  });
});

describeSpdxCorpus('spdx-json');
