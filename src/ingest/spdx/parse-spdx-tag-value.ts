/**
 * @module
 * SPDX 2.1 / 2.2 / 2.3 tag-value -> {@link ParsedSbom}. The text is read into the JSON shape of the document
 * ({@link Spdx2Document}), checked against the spec's mandatory fields and rules (there is no schema for
 * tag-value), and mapped like SPDX JSON.
 */
import type { ParseResult } from '../../model/sbom.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import type { ParseContext } from '../ingest-limits.js';
import { capIssues } from '../ajv-issue.js';
import { mapSpdx2Document } from './map-spdx2-document.js';
import type { Spdx2Checksum, Spdx2Document, Spdx2File, Spdx2Package, Spdx2Snippet } from './spdx2-document.js';
import { checkSpdx2SpecRules } from './spdx2-spec-rules.js';

/** One `Tag: value` pair, its value already joined when it was a multi-line `<text>...</text>`. */
interface TagValue {
  tag: string;
  value: string;
  line: number;
}

/**
 * Reads SPDX tag-value text. Lines are `Tag: value`, blank, or `#` comments; a value may span lines inside
 * `<text>...</text>`. A `<text>` that is never closed (a truncated document), or more lines that are none of
 * these than tag lines, make the document unreadable: `ok: false` with a SYNTAX_ERROR per bad line (`line N`).
 * A readable document comes back `ok: true`; a stray line (SYNTAX_ERROR), a missing mandatory field (SPDX 2 spec, per document, package, file and snippet), an
 * SPDXID not of the form `SPDXRef-...` or a bad `Created` timestamp sets `schemaValid: false`. Never throws for a
 * bad document.
 *
 * @example
 * const r = await parseSpdxTagValue(text, { limits: DEFAULT_INGEST_LIMITS, specVersion: '2.3' });
 * if (!r.ok) console.error(r.issues[0].path); // 'line 42'
 */
export async function parseSpdxTagValue(text: string, ctx: ParseContext): Promise<ParseResult> {
  const { pairs, issues: syntaxIssues, truncated } = readTagValues(text);
  // A few stray lines around well-formed tag-value (a tool wrapping the text in a Python bytes repr, seen in
  // the SPDX DocFest submissions) leave the document readable: they are recorded and break its verdict. A
  // truncated <text> value, or more stray lines than tags, mean the document cannot be read.
  if (truncated || syntaxIssues.length > pairs.length) {
    return { ok: false, format: 'spdx-tag-value', specVersion: ctx.specVersion, issues: capIssues(syntaxIssues, 'SYNTAX_ERROR', 'syntax errors') };
  }
  const { doc, lines, warnings } = buildDocument(pairs);
  const locate = (pointer: string): string => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const line = lines.get(p);
      if (line !== undefined) return `line ${line}`;
      if (p === '') return 'line 1';
    }
  };
  const ruleIssues = checkSpdx2SpecRules(doc as Record<string, unknown>, { locate, mandatoryFields: true, serialisation: 'tag-value' });
  return mapSpdx2Document(doc as Record<string, unknown>, {
    format: 'spdx-tag-value',
    specVersion: ctx.specVersion,
    schemaValid: syntaxIssues.length === 0 && !ruleIssues.some((i) => i.severity === 'error'),
    issues: [
      ...capIssues(syntaxIssues, 'SYNTAX_ERROR', 'syntax errors'),
      ...capIssues(ruleIssues, 'SCHEMA_VIOLATION', 'spec-rule violations'),
      ...capIssues(warnings, 'SCHEMA_VIOLATION', 'unknown tags'),
    ],
    locate,
  });
}

const TAG_LINE = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*:(.*)$/;
const TEXT_OPEN = '<text>';
const TEXT_CLOSE = '</text>';

function readTagValues(text: string): { pairs: TagValue[]; issues: SbomIssue[]; truncated: boolean } {
  const pairs: TagValue[] = [];
  const issues: SbomIssue[] = [];
  let truncated = false;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = TAG_LINE.exec(raw);
    if (!m) {
      issues.push(sbomIssue('SYNTAX_ERROR', `line ${i + 1}`, `'${clip(trimmed)}' is not 'Tag: value', a comment or part of a <text> value (SPDX 2.3 clause 5.2, tag-value format)`));
      continue;
    }
    const tag = m[1]!;
    let value = m[2]!.trim();
    const line = i + 1;
    if (value.startsWith(TEXT_OPEN)) {
      const rest = m[2]!.slice(m[2]!.indexOf(TEXT_OPEN) + TEXT_OPEN.length);
      const close = rest.indexOf(TEXT_CLOSE);
      if (close !== -1) {
        value = rest.slice(0, close);
      } else {
        const parts = [rest];
        let j = i + 1;
        for (; j < lines.length; j++) {
          const end = lines[j]!.indexOf(TEXT_CLOSE);
          if (end !== -1) {
            parts.push(lines[j]!.slice(0, end));
            break;
          }
          parts.push(lines[j]!);
        }
        if (j === lines.length) {
          issues.push(sbomIssue('SYNTAX_ERROR', `line ${line}`, `${tag} opens a <text> value on line ${line} that is never closed with </text> (truncated document?)`));
          truncated = true;
          break;
        }
        value = parts.join('\n');
        i = j;
      }
    }
    pairs.push({ tag, value, line });
  }
  return { pairs, issues, truncated };
}

/** Tags of SPDX 2.1-2.3 tag-value (SPDX 2.3 clauses 6-12) that are known but not read into the document shape. */
const OTHER_TAGS = new Set([
  'DocumentComment', 'CreatorComment', 'LicenseListVersion',
  'PackageVerificationCode', 'PackageSourceInfo', 'PackageLicenseInfoFromFiles', 'PackageLicenseComments',
  'PackageComment', 'ExternalRefComment', 'PackageAttributionText', 'ReleaseDate', 'BuiltDate', 'ValidUntilDate',
  'FileType', 'LicenseConcluded', 'LicenseInfoInFile', 'LicenseComments', 'FileCopyrightText', 'FileComment', 'FileNotice',
  'FileContributor', 'FileAttributionText', 'FileDependency', 'ArtifactOfProjectName', 'ArtifactOfProjectHomePage', 'ArtifactOfProjectURI',
  'SnippetByteRange', 'SnippetLineRange', 'SnippetLicenseConcluded', 'LicenseInfoInSnippet', 'SnippetLicenseComments',
  'SnippetCopyrightText', 'SnippetComment', 'SnippetName', 'SnippetAttributionText',
  'LicenseID', 'ExtractedText', 'LicenseName', 'LicenseCrossReference', 'LicenseComment',
  'RelationshipComment', 'Annotator', 'AnnotationDate', 'AnnotationType', 'SPDXREF', 'AnnotationComment',
  'Reviewer', 'ReviewDate', 'ReviewComment',
]);

type Element = { kind: 'document' } | { kind: 'package'; value: Spdx2Package; pointer: string } | { kind: 'file'; value: Spdx2File; pointer: string } | { kind: 'snippet'; value: Spdx2Snippet; pointer: string } | { kind: 'other' };

/** Tag-value pairs -> the JSON shape, with the line of each pointer for messages. */
function buildDocument(pairs: TagValue[]): { doc: Spdx2Document; lines: Map<string, number>; warnings: SbomIssue[] } {
  const doc: Spdx2Document = {};
  const packages: Spdx2Package[] = [];
  const files: Spdx2File[] = [];
  const snippets: Spdx2Snippet[] = [];
  const relationships: NonNullable<Spdx2Document['relationships']> = [];
  const externalDocumentRefs: NonNullable<Spdx2Document['externalDocumentRefs']> = [];
  const creators: string[] = [];
  const creationInfo: NonNullable<Spdx2Document['creationInfo']> = {};
  const lines = new Map<string, number>();
  const unknownTags = new Map<string, number>();
  let current: Element = { kind: 'document' };

  const at = (pointer: string, line: number) => {
    if (!lines.has(pointer)) lines.set(pointer, line);
  };
  const setDoc = (key: 'spdxVersion' | 'dataLicense' | 'name' | 'documentNamespace', { value, line }: TagValue) => {
    doc[key] = value;
    at(`/${key}`, line);
  };
  const setPackage = (key: keyof Spdx2Package, { value, line }: TagValue) => {
    if (current.kind !== 'package') return;
    (current.value as Record<string, unknown>)[key] = value;
    at(`${current.pointer}/${key}`, line);
  };

  for (const pair of pairs) {
    const { tag, value, line } = pair;
    switch (tag) {
      case 'SPDXVersion':
        setDoc('spdxVersion', pair);
        break;
      case 'DataLicense':
        setDoc('dataLicense', pair);
        break;
      case 'DocumentName':
        setDoc('name', pair);
        break;
      case 'DocumentNamespace':
        setDoc('documentNamespace', pair);
        break;
      case 'Creator':
        creators.push(value);
        at('/creationInfo/creators', line);
        break;
      case 'Created':
        creationInfo.created = value;
        at('/creationInfo/created', line);
        break;
      case 'ExternalDocumentRef': {
        // `DocumentRef-id namespace-uri SHA1: hex` (SPDX 2.3 clause 6.6)
        const m = /^(\S+)\s+(\S+)\s+([A-Za-z0-9-]+)\s*:\s*(\S+)/.exec(value);
        at(`/externalDocumentRefs/${externalDocumentRefs.length}`, line);
        externalDocumentRefs.push(m ? { externalDocumentId: m[1], spdxDocument: m[2], checksum: { algorithm: m[3]!, checksumValue: m[4]! } } : { externalDocumentId: value.split(/\s+/)[0] });
        break;
      }
      case 'SPDXID':
        if (current.kind === 'document') {
          doc.SPDXID = value;
          at('/SPDXID', line);
        } else if (current.kind === 'package' || current.kind === 'file' || current.kind === 'snippet') {
          current.value.SPDXID = value;
          at(`${current.pointer}/SPDXID`, line);
        }
        break;
      case 'PackageName': {
        const pointer = `/packages/${packages.length}`;
        const p: Spdx2Package = { name: value };
        packages.push(p);
        current = { kind: 'package', value: p, pointer };
        at(pointer, line);
        at(`${pointer}/name`, line);
        break;
      }
      case 'PackageVersion':
        setPackage('versionInfo', pair);
        break;
      case 'PackageFileName':
        setPackage('packageFileName', pair);
        break;
      case 'PackageSupplier':
        setPackage('supplier', pair);
        break;
      case 'PackageOriginator':
        setPackage('originator', pair);
        break;
      case 'PackageDownloadLocation':
        setPackage('downloadLocation', pair);
        break;
      case 'PackageHomePage':
        setPackage('homepage', pair);
        break;
      case 'PackageLicenseConcluded':
        setPackage('licenseConcluded', pair);
        break;
      case 'PackageLicenseDeclared':
        setPackage('licenseDeclared', pair);
        break;
      case 'PackageCopyrightText':
        setPackage('copyrightText', pair);
        break;
      case 'PackageSummary':
        setPackage('summary', pair);
        break;
      case 'PackageDescription':
        setPackage('description', pair);
        break;
      case 'PrimaryPackagePurpose':
        setPackage('primaryPackagePurpose', pair);
        break;
      case 'FilesAnalyzed':
        if (current.kind === 'package') current.value.filesAnalyzed = value.toLowerCase() === 'true';
        break;
      case 'PackageChecksum':
        if (current.kind === 'package') addChecksum(current.value, value);
        break;
      case 'ExternalRef':
        if (current.kind === 'package') {
          // `CATEGORY TYPE LOCATOR` (SPDX 2.3 clause 7.21)
          const [referenceCategory = '', referenceType = '', ...locator] = value.split(/\s+/);
          (current.value.externalRefs ??= []).push({ referenceCategory, referenceType, referenceLocator: locator.join(' ') });
        }
        break;
      case 'FileName': {
        const pointer = `/files/${files.length}`;
        const f: Spdx2File = { fileName: value };
        files.push(f);
        current = { kind: 'file', value: f, pointer };
        at(pointer, line);
        break;
      }
      case 'FileChecksum':
        if (current.kind === 'file') addChecksum(current.value, value);
        break;
      case 'SnippetSPDXID': {
        const pointer = `/snippets/${snippets.length}`;
        const s: Spdx2Snippet = { SPDXID: value };
        snippets.push(s);
        current = { kind: 'snippet', value: s, pointer };
        at(pointer, line);
        break;
      }
      case 'SnippetFromFileSPDXID':
        if (current.kind === 'snippet') current.value.snippetFromFile = value;
        break;
      case 'Relationship': {
        // `SPDXRef-A TYPE SPDXRef-B` (SPDX 2.3 clause 11.1)
        const [spdxElementId, relationshipType, relatedSpdxElement] = value.split(/\s+/);
        at(`/relationships/${relationships.length}`, line);
        relationships.push({ spdxElementId, relationshipType, relatedSpdxElement });
        break;
      }
      case 'LicenseID':
        // Extracted licensing info: what follows describes a licence, not the last package or file.
        current = { kind: 'other' };
        break;
      default:
        if (!OTHER_TAGS.has(tag) && !unknownTags.has(tag)) unknownTags.set(tag, line);
    }
  }

  if (creators.length || creationInfo.created !== undefined) doc.creationInfo = { ...creationInfo, creators };
  if (externalDocumentRefs.length) doc.externalDocumentRefs = externalDocumentRefs;
  if (packages.length) doc.packages = packages;
  if (files.length) doc.files = files;
  if (snippets.length) doc.snippets = snippets;
  if (relationships.length) doc.relationships = relationships;
  const warnings = [...unknownTags].map(([tag, line]) =>
    sbomIssue('SCHEMA_VIOLATION', `line ${line}`, `tag '${tag}' (first on line ${line}) is not an SPDX 2.3 tag-value tag; ignored`, 'warning'),
  );
  return { doc, lines, warnings };
}

function addChecksum(element: { checksums?: Spdx2Checksum[] }, value: string): void {
  // `SHA1: d6a770ba...` (SPDX 2.3 clauses 7.10, 8.4)
  const m = /^([A-Za-z0-9-]+)\s*:\s*(\S+)/.exec(value);
  if (m) (element.checksums ??= []).push({ algorithm: m[1]!, checksumValue: m[2]! });
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
