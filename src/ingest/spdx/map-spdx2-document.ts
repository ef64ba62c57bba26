/**
 * @module
 * The one SPDX 2.x mapping: a document in its JSON shape ({@link Spdx2Document}, built by the JSON, tag-value and
 * RDF readers) -> {@link ParsedSbom}.
 */
import type { Component, DocumentReference, ExternalReference, Hash, License, ParseResult, ParsedSbom, Party, Relationship, SbomFormat, Tool } from '../../model/sbom.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { describeValue } from '../ajv-issue.js';
import { elementIssues, subjectSupplier } from './spdx-element-findings.js';
import { normaliseSpdx2Relationship } from './normalise-spdx-relationship.js';
import { parseSpdxAgent, parseSpdxTool } from './spdx-agent.js';
import { spdxChecksumToHash } from './spdx-checksum.js';
import { spdxLicense, type LicenseCache } from './spdx-license.js';
import type { Spdx2Locator } from './spdx2-document.js';

export interface Spdx2MapOptions {
  format: Extract<SbomFormat, 'spdx-json' | 'spdx-tag-value' | 'spdx-rdf'>;
  specVersion: string;
  /** The verdict of the schema and spec-rule checks. */
  schemaValid: boolean;
  /** Their issues; the mapping adds its own after them. */
  issues: SbomIssue[];
  /** Where a JSON pointer of the document sits in the original bytes; defaults to the pointer. */
  locate?: Spdx2Locator;
}

type Json = Record<string, unknown>;

/** Element lists whose entries must be objects for the document to be read at all. */
const ELEMENT_LISTS = ['packages', 'files', 'snippets', 'relationships', 'externalDocumentRefs'] as const;

/**
 * Maps an SPDX 2.x document (JSON shape) to a {@link ParsedSbom}:
 * - every package becomes a component, ref = SPDXID (a made-up `#/packages/3` when it has none or repeats one,
 *   with a DUPLICATE_REF warning for a repeat); files and snippets are not components;
 * - subjects are the targets of `SPDXRef-DOCUMENT DESCRIBES x` (and `x DESCRIBED_BY SPDXRef-DOCUMENT`) and of
 *   documentDescribes that are packages; with none of those and exactly one package, that package (with a warning);
 * - relationships between two packages become edges in the model's direction (see normaliseSpdx2Relationship);
 *   ones that touch the document, files, snippets, NONE/NOASSERTION or other documents (`DocumentRef-x:...`) make no
 *   edge; a ref that names nothing in the document is a DANGLING_REF warning.
 * Returns `ok: false` only when an element list is not an array or holds something that is not an object.
 *
 * @example
 * const r = mapSpdx2Document(JSON.parse(text), { format: 'spdx-json', specVersion: '2.3', schemaValid: true, issues: [] });
 */
export function mapSpdx2Document(doc: Json, options: Spdx2MapOptions): ParseResult {
  const locate = options.locate ?? ((pointer: string) => pointer);
  const unreadable: SbomIssue[] = [];
  for (const key of ELEMENT_LISTS) {
    const list = doc[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      unreadable.push(sbomIssue('SYNTAX_ERROR', locate(`/${key}`), `'${key}' is ${describeValue(list) || typeof list}, not an array; the document cannot be read`));
      continue;
    }
    for (let i = 0; i < list.length; i++) {
      if (!isObject(list[i])) unreadable.push(sbomIssue('SYNTAX_ERROR', locate(`/${key}/${i}`), `'/${key}/${i}' is ${describeValue(list[i]) || typeof list[i]}, not an object; the ${key.replace(/s$/, '')} cannot be read`));
    }
  }
  if (unreadable.length) return { ok: false, format: options.format, specVersion: options.specVersion, issues: [...unreadable, ...options.issues] };

  const docId = str(doc.SPDXID) ?? 'SPDXRef-DOCUMENT';
  const packages = (doc.packages as Json[] | undefined) ?? [];
  const licenseCache: LicenseCache = new Map();
  const warnings: SbomIssue[] = [];
  const duplicates: SbomIssue[] = [];
  const licenseWarnings: SbomIssue[] = [];

  const components: Component[] = [];
  const byRef = new Map<string, Component>();
  const onInvalidLicense = (i: number, kind: 'declared' | 'concluded', text: string) =>
    licenseWarnings.push(sbomIssue('INVALID_LICENSE', locate(`/packages/${i}/${kind === 'declared' ? 'licenseDeclared' : 'licenseConcluded'}`), `package '/packages/${i}' has license${kind === 'declared' ? 'Declared' : 'Concluded'} '${text}', which is not a valid SPDX license expression; kept as a licence name`, 'warning'));
  for (let i = 0; i < packages.length; i++) {
    const p = packages[i]!;
    let ref = str(p.SPDXID);
    if (ref !== undefined && byRef.has(ref)) {
      duplicates.push(sbomIssue('DUPLICATE_REF', locate(`/packages/${i}/SPDXID`), `package '/packages/${i}' repeats SPDXID '${ref}'; SPDXIDs are unique within a document (SPDX 2.3 clause 7.2), so it is read as '#/packages/${i}'`, 'warning'));
      ref = undefined;
    }
    const component = toComponent(p, ref ?? `#/packages/${i}`, licenseCache, i, onInvalidLicense);
    components.push(component);
    byRef.set(component.ref, component);
  }

  const otherElements = new Set<string>([docId]);
  for (const key of ['files', 'snippets'] as const) {
    for (const element of (doc[key] as Json[] | undefined) ?? []) {
      const id = str(element.SPDXID);
      if (id) otherElements.add(id);
    }
  }
  const knownRef = (ref: string) => byRef.has(ref) || otherElements.has(ref) || isOutsideRef(ref);

  const subjects = new Set<string>();
  let describesSeen = false;
  const addSubject = (ref: string) => {
    describesSeen = true;
    if (byRef.has(ref)) subjects.add(ref);
  };

  const relationships: Relationship[] = [];
  const edgeKeys = new Set<string>();
  const dangling: SbomIssue[] = [];
  const danglingRelationship = (i: number, from: string, type: string, to: string, role: string, ref: string): SbomIssue =>
    sbomIssue('DANGLING_REF', locate(`/relationships/${i}`), `relationship '/relationships/${i}' (${from} ${type} ${to}) has ${role} '${ref}', which names no package, file or snippet of this document`, 'warning');
  const relationshipList = (doc.relationships as Json[] | undefined) ?? [];
  const crossDocument: { ref: string; element: string }[] = [];
  for (let i = 0; i < relationshipList.length; i++) {
    const r = relationshipList[i]!;
    const from = str(r.spdxElementId);
    const type = str(r.relationshipType);
    const to = str(r.relatedSpdxElement);
    if (!from || !type || !to) continue; // the schema or spec-rule check reports the missing part
    if (!knownRef(from)) dangling.push(danglingRelationship(i, from, type, to, 'spdxElementId', from));
    if (!knownRef(to)) dangling.push(danglingRelationship(i, from, type, to, 'relatedSpdxElement', to));
    const upper = type.toUpperCase();
    if (upper === 'DESCRIBES' && from === docId) addSubject(to);
    else if (upper === 'DESCRIBED_BY' && to === docId) addSubject(from);
    // A package related to an element of another document (`SPDXRef-fw CONTAINS DocumentRef-sdk:SPDXRef-sdk`) is
    // where the vendor chain continues into that document: kept as a reference from the package.
    if (byRef.has(from) && to.startsWith('DocumentRef-')) crossDocument.push({ ref: from, element: to });
    else if (byRef.has(to) && from.startsWith('DocumentRef-')) crossDocument.push({ ref: to, element: from });
    if (!byRef.has(from) || !byRef.has(to)) continue;
    const edge = normaliseSpdx2Relationship(from, type, to);
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.type}\u0000${edge.originalType}`;
    if (edgeKeys.has(key)) continue;
    edgeKeys.add(key);
    relationships.push(edge);
  }

  const describes = doc.documentDescribes;
  if (Array.isArray(describes)) {
    describes.forEach((ref, i) => {
      if (typeof ref !== 'string') return;
      if (!knownRef(ref)) {
        dangling.push(sbomIssue('DANGLING_REF', locate(`/documentDescribes/${i}`), `documentDescribes names '${ref}', which is no package, file or snippet of this document`, 'warning'));
      }
      addSubject(ref);
    });
  }
  if (!describesSeen && components.length === 1) {
    // SPDX 2.3 clause 11.1 wants a DESCRIBES relationship; older documents with one package leave it implicit.
    warnings.push(sbomIssue('MISSING_FIELD', locate('/relationships'), `document has no 'SPDXRef-DOCUMENT DESCRIBES' relationship; its only package '${components[0]!.ref}' is taken as the subject`, 'warning'));
    subjects.add(components[0]!.ref);
  }
  for (const ref of subjects) byRef.get(ref)!.isSubject = true;

  const creationInfo = isObject(doc.creationInfo) ? doc.creationInfo : {};
  const creators = Array.isArray(creationInfo.creators) ? creationInfo.creators.filter((c): c is string => typeof c === 'string') : [];
  const authors: Party[] = [];
  const tools: Tool[] = [];
  for (const creator of creators) {
    const tool = parseSpdxTool(creator);
    if (tool) tools.push(tool);
    else {
      const party = parseSpdxAgent(creator);
      if (party) authors.push(party);
    }
  }

  const sbom: ParsedSbom = {
    format: options.format,
    specVersion: options.specVersion,
    serialNumber: str(doc.documentNamespace),
    name: str(doc.name),
    createdAt: str(creationInfo.created),
    authors,
    tools,
    subjectRefs: [...subjects],
    supplier: subjectSupplier(subjects, byRef),
    components,
    relationships,
    documentReferences: toDocumentReferences(doc.externalDocumentRefs, crossDocument),
    schemaValid: options.schemaValid,
    issues: [
      ...options.issues,
      ...warnings,
      ...elementIssues({ duplicates, dangling, licenseWarnings }, 'SPDXID'),
    ],
  };
  return { ok: true, sbom };
}

const LICENSE_FIELDS = [
  ['licenseDeclared', 'declared'],
  ['licenseConcluded', 'concluded'],
] as const;

function toComponent(
  p: Json,
  ref: string,
  cache: LicenseCache,
  index: number,
  onInvalidLicense: (index: number, kind: 'declared' | 'concluded', text: string) => void,
): Component {
  const hashes: Hash[] = [];
  if (Array.isArray(p.checksums)) {
    for (const c of p.checksums) {
      const hash = isObject(c) ? spdxChecksumToHash(c.algorithm, c.checksumValue) : undefined;
      if (hash) hashes.push(hash);
    }
  }
  let purl: string | undefined;
  const cpes: string[] = [];
  const externalReferences: ExternalReference[] = [];
  if (Array.isArray(p.externalRefs)) {
    for (const e of p.externalRefs) {
      if (!isObject(e)) continue;
      const category = str(e.referenceCategory)?.toUpperCase().replace(/_/g, '-');
      const type = str(e.referenceType);
      const locator = str(e.referenceLocator);
      if (!type || !locator) continue;
      // SPDX 2.3 Annex F: purl under PACKAGE-MANAGER, cpe22Type / cpe23Type under SECURITY.
      if (category === 'PACKAGE-MANAGER' && type === 'purl' && purl === undefined) purl = locator;
      else if (category === 'SECURITY' && (type === 'cpe23Type' || type === 'cpe22Type')) cpes.push(locator);
      else externalReferences.push({ type, url: locator });
    }
  }
  const homepage = str(p.homepage);
  if (homepage && !isNoValue(homepage)) externalReferences.push({ type: 'website', url: homepage });
  const download = str(p.downloadLocation);
  if (download && !isNoValue(download)) externalReferences.push({ type: 'distribution', url: download });

  const licenses: License[] = [];
  for (const [field, kind] of LICENSE_FIELDS) {
    const read = spdxLicense(p[field], kind, cache);
    if (!read) continue;
    licenses.push(read.license);
    if (read.invalid) onInvalidLicense(index, kind, p[field] as string);
  }
  const copyright = str(p.copyrightText);
  const purpose = str(p.primaryPackagePurpose);
  const originator = parseSpdxAgent(str(p.originator));
  return {
    ref,
    // CycloneDX spells its types in kebab-case (`operating-system`); SPDX 2.3 writes OPERATING_SYSTEM or OPERATING-SYSTEM.
    type: purpose ? purpose.toLowerCase().replace(/_/g, '-') : undefined,
    name: str(p.name) ?? '',
    version: str(p.versionInfo),
    description: str(p.description) ?? str(p.summary),
    purl,
    cpes,
    supplier: parseSpdxAgent(str(p.supplier)),
    author: originator?.name,
    hashes,
    licenses,
    copyright: copyright && !isNoValue(copyright) ? copyright : undefined,
    externalReferences,
    isSubject: false,
  };
}

/**
 * One reference per externalDocumentRef (`DocumentRef-x` -> the other document's namespace), then one per package
 * related to an element of another document: id = the package's SPDXID, target = `<namespace>#<SPDXID>`, the
 * element's URI (SPDX 2.3 clause 6.5) and the same shape as a CycloneDX BOM-Link, so the chain stitcher reads both alike.
 */
function toDocumentReferences(list: unknown, crossDocument: readonly { ref: string; element: string }[]): DocumentReference[] {
  if (!Array.isArray(list)) return [];
  const refs: DocumentReference[] = [];
  const byId = new Map<string, DocumentReference>();
  for (const e of list as Json[]) {
    const id = str(e.externalDocumentId);
    const target = str(e.spdxDocument);
    if (!id || !target) continue;
    const checksum = isObject(e.checksum) ? spdxChecksumToHash(e.checksum.algorithm, e.checksum.checksumValue) : undefined;
    const ref = checksum ? { id, target, checksum } : { id, target };
    refs.push(ref);
    byId.set(id, ref);
  }
  for (const { ref, element } of crossDocument) {
    const colon = element.indexOf(':');
    const doc = byId.get(colon === -1 ? element : element.slice(0, colon));
    if (!doc) continue;
    const target = colon === -1 ? doc.target : `${doc.target}#${element.slice(colon + 1)}`;
    refs.push(doc.checksum ? { id: ref, target, checksum: doc.checksum } : { id: ref, target });
  }
  return refs;
}

/** NONE, NOASSERTION, or a ref into another document (`DocumentRef-x:SPDXRef-y`): known, but never an edge. */
function isOutsideRef(ref: string): boolean {
  return isNoValue(ref) || ref.startsWith('DocumentRef-');
}

function isNoValue(value: string): boolean {
  return value === 'NONE' || value === 'NOASSERTION';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
