import { describe, expect, it } from 'vitest';
import { parseDocument, parsedDocument } from '../../helpers/parse-document.js';
import { DEFAULT_INGEST_LIMITS } from '../../../src/ingest/ingest-limits.js';
import { parseSbom } from '../../../src/ingest/parse-sbom.js';
import { parseSpdxTagValue } from '../../../src/ingest/spdx/parse-spdx-tag-value.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON, readCorpusFile } from '../../helpers/corpus.js';
import { describeSpdxCorpus } from './spdx-corpus.js';

const HEADER = `SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: ip3000-firmware
DocumentNamespace: https://medisyn.example/spdx/ip3000-2.4.0
Creator: Tool: spdx-sbom-generator-0.0.15
Creator: Organization: Medisyn Medical GmbH ()
Created: 2026-11-20T10:00:00Z
`;

function tagValue(body: string, header = HEADER): string {
  return `${header}\n${body}`;
}

const parse = parseDocument;
const parsed = parsedDocument;

describe('parseSpdxTagValue', () => {
  it('maps packages, document fields and relationships like SPDX JSON', async () => {
    const sbom = await parsed(
      tagValue(`## Package
PackageName: IP3000 firmware
SPDXID: SPDXRef-Package-ip3000
PackageVersion: 2.4.0
PackageSupplier: Organization: Medisyn Medical GmbH (psirt@medisyn.example)
PackageOriginator: Person: Jane Doe
PackageDownloadLocation: NOASSERTION
FilesAnalyzed: false
PackageChecksum: SHA256: ABCDEF0123
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: LicenseRef-medisyn
PackageCopyrightText: NOASSERTION
PrimaryPackagePurpose: FIRMWARE
ExternalRef: PACKAGE-MANAGER purl pkg:generic/medisyn/ip3000@2.4.0
ExternalRef: SECURITY cpe23Type cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*

PackageName: treck-tcpip
SPDXID: SPDXRef-Package-treck
PackageVersion: 6.0.1
PackageDownloadLocation: NONE

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-Package-ip3000
Relationship: SPDXRef-Package-treck DEPENDENCY_OF SPDXRef-Package-ip3000
`),
    );
    expect(sbom).toMatchObject({
      format: 'spdx-tag-value',
      specVersion: '2.3',
      serialNumber: 'https://medisyn.example/spdx/ip3000-2.4.0',
      name: 'ip3000-firmware',
      createdAt: '2026-11-20T10:00:00Z',
      tools: [{ name: 'spdx-sbom-generator', version: '0.0.15' }],
      authors: [{ name: 'Medisyn Medical GmbH', kind: 'organization' }],
      subjectRefs: ['SPDXRef-Package-ip3000'],
      supplier: { name: 'Medisyn Medical GmbH', kind: 'organization', email: 'psirt@medisyn.example' },
      relationships: [{ from: 'SPDXRef-Package-ip3000', to: 'SPDXRef-Package-treck', type: 'DEPENDS_ON', originalType: 'DEPENDENCY_OF' }],
      schemaValid: true,
      issues: [],
    });
    expect(sbom.components[0]).toEqual({
      ref: 'SPDXRef-Package-ip3000',
      type: 'firmware',
      name: 'IP3000 firmware',
      version: '2.4.0',
      purl: 'pkg:generic/medisyn/ip3000@2.4.0',
      cpes: ['cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*'],
      supplier: { name: 'Medisyn Medical GmbH', kind: 'organization', email: 'psirt@medisyn.example' },
      author: 'Jane Doe',
      hashes: [{ alg: 'SHA-256', value: 'abcdef0123' }],
      licenses: [{ expression: 'LicenseRef-medisyn', kind: 'declared' }],
      externalReferences: [],
      isSubject: true,
      description: undefined,
      copyright: undefined,
    });
    expect(sbom.components[1]).toMatchObject({ ref: 'SPDXRef-Package-treck', name: 'treck-tcpip', version: '6.0.1', isSubject: false });
  });

  it('reads a <text> value that spans lines, keeping its line breaks and any colons inside it', async () => {
    const sbom = await parsed(
      tagValue(`PackageName: pump
SPDXID: SPDXRef-pump
PackageDownloadLocation: NOASSERTION
PackageDescription: <text>First line.
PackageName: not a tag here
  indented third line</text>
PackageCopyrightText: <text>Copyright 2026 Medisyn</text>
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-pump
`),
    );
    expect(sbom.components).toHaveLength(1);
    expect(sbom.components[0]!.description).toBe('First line.\nPackageName: not a tag here\n  indented third line');
    expect(sbom.components[0]!.copyright).toBe('Copyright 2026 Medisyn');
  });

  it('ignores comments and blank lines and reads CRLF line endings', async () => {
    const text = tagValue(`# a comment\n\n  ## another\nPackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\n`).replace(/\n/g, '\r\n');
    const sbom = await parsed(text);
    expect(sbom.components.map((c) => c.ref)).toEqual(['SPDXRef-a']);
    expect(sbom.schemaValid).toBe(true);
  });

  it('gives a document cut off inside a <text> value back unread, with the line the value starts on', async () => {
    const r = await parse(tagValue(`PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\nPackageDescription: <text>the description\nthat never ends`));
    expect(r).toMatchObject({ ok: false, format: 'spdx-tag-value', specVersion: '2.3' });
    expect(r.ok ? [] : r.issues).toEqual([
      { code: 'SYNTAX_ERROR', severity: 'error', path: 'line 13', message: 'PackageDescription opens a <text> value on line 13 that is never closed with </text> (truncated document?)' },
    ]);
  });

  it('reads a document with a few garbled lines, recording each with its line number', async () => {
    const r = await parse(tagValue(`PackageName: a\nSPDXID: SPDXRef-a\n\u0000\u0001garbage without a colon\nPackageDownloadLocation: NONE\nPackageNa`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sbom.schemaValid).toBe(false);
    const syntax = r.sbom.issues.filter((i) => i.code === 'SYNTAX_ERROR');
    expect(syntax.map((i) => i.path)).toEqual(['line 12', 'line 14']);
    expect(syntax[1]!.message).toBe("'PackageNa' is not 'Tag: value', a comment or part of a <text> value (SPDX 2.3 clause 5.2, tag-value format)");
  });

  it('flags a package without SPDXID at the line of its PackageName', async () => {
    const text = tagValue(`PackageName: glibc\nPackageDownloadLocation: NONE\n`);
    const r = await parse(text);
    expect(r.ok && r.sbom.schemaValid).toBe(false);
    expect(r.ok ? r.sbom.issues.filter((i) => i.severity === 'error') : []).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: 'line 10', message: "package '/packages/0' ('glibc') has no SPDXID, which SPDX tag-value requires (SPDX 2 spec, mandatory field)" },
    ]);
    expect((await parse(text, { strict: true })).ok).toBe(false);
  });

  it('flags missing mandatory document and package fields', async () => {
    const r = await parse(`SPDXVersion: SPDX-2.2\nSPDXID: SPDXRef-DOCUMENT\n\nPackageName: a\nSPDXID: SPDXRef-a\n`);
    expect(r.ok && r.sbom.schemaValid).toBe(false);
    const errors = r.ok ? r.sbom.issues.filter((i) => i.severity === 'error').map((i) => i.message) : [];
    expect(errors).toEqual([
      'the document has no DataLicense, which SPDX tag-value requires (SPDX 2 spec, mandatory field)',
      'the document has no DocumentName, which SPDX tag-value requires (SPDX 2 spec, mandatory field)',
      'the document has no Creator, which SPDX tag-value requires (SPDX 2 spec, mandatory field)',
      "package '/packages/0' ('a') has no PackageDownloadLocation, which SPDX tag-value requires (SPDX 2 spec, mandatory field)",
    ]);
  });

  it('only warns when Created is missing or DocumentNamespace is empty, as Kubernetes bom writes them', async () => {
    const header = HEADER.replace(/^Created: .*\n/m, '').replace(/^DocumentNamespace: .*$/m, 'DocumentNamespace: ');
    const sbom = await parsed(tagValue(`PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\n`, header));
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues.filter((i) => i.code === 'MISSING_FIELD').map((i) => i.path)).toEqual(['line 5', 'line 1', 'line 1']);
  });

  it('flags a Created that is no date-time', async () => {
    const r = await parse(tagValue('', HEADER.replace('2026-11-20T10:00:00Z', '20 Nov 2026')));
    expect(r.ok ? r.sbom.issues : []).toContainEqual(
      expect.objectContaining({ code: 'SCHEMA_VIOLATION', severity: 'error', path: 'line 8', message: expect.stringContaining("creationInfo.created '20 Nov 2026'") }),
    );
  });

  it('reads SPDX 2.1 documents, whose tags are a subset of 2.2', async () => {
    const sbom = await parsed(tagValue(`PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\n`, HEADER.replace('SPDX-2.3', 'SPDX-2.1')));
    expect(sbom.specVersion).toBe('2.1');
    expect(sbom.schemaValid).toBe(true);
  });

  it('reads external document refs and dangling relationship ends', async () => {
    const sbom = await parsed(
      tagValue(`ExternalDocumentRef: DocumentRef-stack https://treck.example/spdx/tcpip-6.0.1 SHA1: d6a770ba38583ed4bb4525bd96e50461655d2759
PackageName: a
SPDXID: SPDXRef-a
PackageDownloadLocation: NONE
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a
Relationship: SPDXRef-a DEPENDS_ON DocumentRef-stack:SPDXRef-tcpip
Relationship: SPDXRef-a DEPENDS_ON SPDXRef-ghost
`),
    );
    expect(sbom.documentReferences).toEqual([
      { id: 'DocumentRef-stack', target: 'https://treck.example/spdx/tcpip-6.0.1', checksum: { alg: 'SHA-1', value: 'd6a770ba38583ed4bb4525bd96e50461655d2759' } },
      { id: 'SPDXRef-a', target: 'https://treck.example/spdx/tcpip-6.0.1#SPDXRef-tcpip', checksum: { alg: 'SHA-1', value: 'd6a770ba38583ed4bb4525bd96e50461655d2759' } },
    ]);
    expect(sbom.issues).toEqual([expect.objectContaining({ code: 'DANGLING_REF', severity: 'warning', path: 'line 16' })]);
  });

  it('does not give a licence section the SPDXID of the package before it', async () => {
    const sbom = await parsed(
      tagValue(`PackageName: a
SPDXID: SPDXRef-a
PackageDownloadLocation: NONE
LicenseID: LicenseRef-medisyn
ExtractedText: <text>Proprietary</text>
LicenseName: Medisyn licence
`),
    );
    expect(sbom.components.map((c) => c.ref)).toEqual(['SPDXRef-a']);
  });

  it('warns once about a tag SPDX does not define', async () => {
    const sbom = await parsed(tagValue(`PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\nPackageColour: red\nPackageColour: blue\n`));
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues.filter((i) => i.path === 'line 13')).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'warning', path: 'line 13', message: "tag 'PackageColour' (first on line 13) is not an SPDX 2.3 tag-value tag; ignored" },
    ]);
  });

  it('can be called without parseSbom', async () => {
    const r = await parseSpdxTagValue(tagValue(`PackageName: a\nSPDXID: SPDXRef-a\nPackageDownloadLocation: NONE\n`), { limits: DEFAULT_INGEST_LIMITS, specVersion: '2.3' });
    expect(r.ok && r.sbom.components.map((c) => c.ref)).toEqual(['SPDXRef-a']);
  });
});

describe.skipIf(!CORPUS_AVAILABLE)(`parseSpdxTagValue on the MetaSpdxscanner DocFest files${CORPUS_AVAILABLE ? '' : ` (${CORPUS_SKIP_REASON})`}`, () => {
  // The tool wrapped the tag-value text in a Python bytes repr: the first and last lines are stray, the rest reads.
  it('reads the Python bytes repr of a tag-value document, recording its stray first and last line', async () => {
    const r = await parseSbom(readCorpusFile('real/ntia-conformance-checker/doc_fest/MetaSpdxscanner/app-bom-ination-1.0.spdx.tag'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sbom.schemaValid).toBe(false);
    expect(r.sbom.issues.filter((i) => i.code === 'SYNTAX_ERROR').map((i) => i.path)).toEqual(['line 1', 'line 739']);
    expect(r.sbom.components).toHaveLength(1);
  });
});

it('gives a tag-value document with more stray lines than tags back unread', async () => {
  const r = await parseSbom(Buffer.from('SPDXVersion: SPDX-2.3\nthis is\nnot tag\nvalue at all\n'));
  expect(r.ok).toBe(false);
  expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['line 2', 'line 3', 'line 4']);
});

describeSpdxCorpus('spdx-tv');
