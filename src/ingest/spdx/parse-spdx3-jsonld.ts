/**
 * @module
 * SPDX 3.0.x JSON-LD (compacted with the SPDX context, as the spec serialises it) -> {@link ParsedSbom}.
 */
import type { Component, DocumentReference, ExternalReference, Hash, License, ParseResult, ParsedSbom, Party, Relationship, Tool } from '../../model/sbom.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import type { ParseContext } from '../ingest-limits.js';
import { capIssues, describeValue } from '../ajv-issue.js';
import { elementIssues, subjectSupplier } from './spdx-element-findings.js';
import { normaliseSpdx3Relationship } from './normalise-spdx-relationship.js';
import { spdxChecksumToHash } from './spdx-checksum.js';
import { spdxLicense, type LicenseCache } from './spdx-license.js';
import { validateSpdx3Json } from './spdx3-json-validator.js';

type Json = Record<string, unknown>;

const PACKAGE = 'software_Package';
const LICENSE_RELATIONSHIPS: Record<string, 'declared' | 'concluded'> = { hasDeclaredLicense: 'declared', hasConcludedLicense: 'concluded' };
const LISTED_LICENSES = /^https?:\/\/spdx\.org\/licenses\//;
/** SPDX 3 individuals that stand for "no element": never an edge, never dangling. */
const NO_ELEMENT = new Set(['NoAssertionElement', 'NoneElement', 'expandedlicensing_NoAssertionLicense', 'expandedlicensing_NoneLicense', 'SpdxOrganization']);

/**
 * Validates an SPDX 3 JSON-LD document against the SPDX 3.0.1 JSON schema and maps it:
 * - every `software_Package` element becomes a component (ref = spdxId); files, snippets, AI and dataset packages
 *   do not;
 * - subjects are the rootElements of the `software_Sbom` elements (else of the SpdxDocument) and the targets of
 *   `describes` relationships from the document or an SBOM, where those are packages;
 * - `hasDeclaredLicense` / `hasConcludedLicense` relationships give the licences, read from the licence elements
 *   (simplelicensing_LicenseExpression, listed and custom licences);
 * - other Relationship / LifecycleScopedRelationship elements between two packages become edges
 *   (see normaliseSpdx3Relationship); a `from` or `to` that names no element is a DANGLING_REF warning;
 * - the software_Sbom elements' `software_sbomType` values give `lifecycles`.
 * A document whose `@graph` is not an array of objects, or that has no SpdxDocument element, is `ok: false`.
 * Never throws for a bad document.
 *
 * @example
 * const r = await parseSpdx3JsonLd(JSON.parse(text), { limits: DEFAULT_INGEST_LIMITS, specVersion: '3.0.1' });
 */
export async function parseSpdx3JsonLd(doc: Record<string, unknown>, ctx: ParseContext): Promise<ParseResult> {
  const reject = (issues: SbomIssue[]): ParseResult => ({ ok: false, format: 'spdx3-jsonld', specVersion: ctx.specVersion, issues });
  const graph = '@graph' in doc ? doc['@graph'] : [doc];
  if (!Array.isArray(graph)) return reject([sbomIssue('SYNTAX_ERROR', '/@graph', `'@graph' is ${describeValue(graph) || typeof graph}, not an array of elements; the document cannot be read`)]);
  const notObjects = graph.flatMap((e, i) => (isObject(e) ? [] : [sbomIssue('SYNTAX_ERROR', `/@graph/${i}`, `'/@graph/${i}' is ${describeValue(e) || typeof e}, not an element object; the document cannot be read`)]));
  if (notObjects.length) return reject(capIssues(notObjects, 'SYNTAX_ERROR', 'unreadable elements'));
  const elements = graph as Json[];
  const pointerOf = new Map<Json, string>(elements.map((e, i) => [e, '@graph' in doc ? `/@graph/${i}` : '']));
  const docElement = elements.find((e) => e.type === 'SpdxDocument');
  if (!docElement) return reject([sbomIssue('NOT_AN_SBOM', '/@graph', 'SPDX 3 JSON-LD has no SpdxDocument element; an SPDX 3 SBOM is serialised as one SpdxDocument with its elements')]);

  const { valid, issues: schemaIssues } = validateSpdx3Json(doc, ctx.specVersion);

  const byId = new Map<string, Json>();
  for (const e of elements) {
    const id = str(e.spdxId) ?? str(e['@id']);
    if (id && !byId.has(id)) byId.set(id, e);
  }
  const resolve = (value: unknown): Json | undefined => (isObject(value) ? value : typeof value === 'string' ? byId.get(value) : undefined);

  const licenseCache: LicenseCache = new Map();
  const components: Component[] = [];
  const byRef = new Map<string, Component>();
  const duplicates: SbomIssue[] = [];
  for (const e of elements) {
    if (e.type !== PACKAGE) continue;
    const pointer = pointerOf.get(e)!;
    let ref = str(e.spdxId);
    if (ref !== undefined && byRef.has(ref)) {
      duplicates.push(sbomIssue('DUPLICATE_REF', `${pointer}/spdxId`, `software_Package '${pointer}' repeats spdxId '${ref}'; it is read as '#${pointer}'`, 'warning'));
      ref = undefined;
    }
    const component = toComponent(e, ref ?? `#${pointer}`, resolve);
    components.push(component);
    byRef.set(component.ref, component);
  }

  const imported = new Set<string>();
  const documentReferences: DocumentReference[] = [];
  for (const m of asArray(docElement.import)) {
    const map = resolve(m);
    const id = str(map?.externalSpdxId);
    if (!map || !id) continue;
    imported.add(id);
    const hash = asArray(map.verifiedUsing).map(resolve).map((h) => spdxChecksumToHash(h?.algorithm, h?.hashValue)).find((h) => h !== undefined);
    documentReferences.push({ id, target: str(map.locationHint) ?? id, ...(hash ? { checksum: hash } : {}) });
  }
  const known = (ref: string) => byId.has(ref) || NO_ELEMENT.has(ref) || imported.has(ref) || LISTED_LICENSES.test(ref);

  const sboms = elements.filter((e) => e.type === 'software_Sbom');
  const collections = new Set<string>([str(docElement.spdxId), ...sboms.map((s) => str(s.spdxId))].filter((id): id is string => id !== undefined));
  const subjects = new Set<string>();
  for (const root of (sboms.length ? sboms : [docElement]).flatMap((s) => asArray(s.rootElement))) {
    const id = typeof root === 'string' ? root : str(resolve(root)?.spdxId);
    if (id && byRef.has(id)) subjects.add(id);
  }

  const relationships: Relationship[] = [];
  const edgeKeys = new Set<string>();
  const dangling: SbomIssue[] = [];
  const licenseWarnings: SbomIssue[] = [];
  for (const e of elements) {
    if (e.type !== 'Relationship' && e.type !== 'LifecycleScopedRelationship') continue;
    const pointer = pointerOf.get(e)!;
    const type = str(e.relationshipType);
    const from = refOf(e.from);
    const targets = asArray(e.to).map(refOf).filter((t): t is string => t !== undefined);
    if (!type || !from) continue; // the schema check reports it
    for (const [ref, role] of [[from, 'from'], ...targets.map((t) => [t, 'to'] as const)] as const) {
      if (!known(ref)) dangling.push(sbomIssue('DANGLING_REF', `${pointer}/${role}`, `relationship '${pointer}' (${type}) has ${role} '${ref}', which names no element of this document or of an imported one`, 'warning'));
    }
    const licenseKind = LICENSE_RELATIONSHIPS[type];
    if (licenseKind) {
      const component = byRef.get(from);
      if (!component) continue;
      for (const target of targets) {
        const read = spdxLicense(licenseText(target, byId), licenseKind, licenseCache);
        if (!read) continue;
        component.licenses.push(read.license);
        if (read.invalid) licenseWarnings.push(sbomIssue('INVALID_LICENSE', `${pointer}/to`, `relationship '${pointer}' (${type}) gives '${read.license.name}', which is not a valid SPDX license expression; kept as a licence name`, 'warning'));
      }
      continue;
    }
    if (type === 'describes' && collections.has(from)) for (const t of targets) if (byRef.has(t)) subjects.add(t);
    if (!byRef.has(from)) continue;
    for (const to of targets) {
      // A package related to an imported element (another document's) is where the vendor chain continues into
      // that document: kept as a reference from the package to the element's IRI, which the stitcher matches.
      if (imported.has(to)) {
        const hash = documentReferences.find((r) => r.id === to)?.checksum;
        documentReferences.push({ id: from, target: to, ...(hash ? { checksum: hash } : {}) });
      }
      if (!byRef.has(to)) continue;
      const edge = normaliseSpdx3Relationship(from, type, to, str(e.scope));
      const key = `${edge.from}\u0000${edge.to}\u0000${edge.type}\u0000${edge.originalType}`;
      if (edgeKeys.has(key)) continue;
      edgeKeys.add(key);
      relationships.push(edge);
    }
  }
  for (const ref of subjects) byRef.get(ref)!.isSubject = true;

  const creationInfo = resolve(docElement.creationInfo);
  const authors: Party[] = [];
  for (const agent of asArray(creationInfo?.createdBy)) {
    const party = toParty(resolve(agent));
    if (party) authors.push(party);
  }
  const tools: Tool[] = [];
  for (const t of asArray(creationInfo?.createdUsing)) {
    const name = str(resolve(t)?.name);
    if (name) tools.push({ name });
  }

  const sbom: ParsedSbom = {
    format: 'spdx3-jsonld',
    specVersion: ctx.specVersion,
    serialNumber: str(docElement.spdxId),
    name: str(docElement.name),
    createdAt: str(creationInfo?.created),
    authors,
    tools,
    ...sbomTypesOf(sboms),
    subjectRefs: [...subjects],
    supplier: subjectSupplier(subjects, byRef),
    components,
    relationships,
    documentReferences,
    schemaValid: valid,
    issues: [
      ...schemaIssues,
      ...elementIssues({ duplicates, dangling, licenseWarnings }, 'spdxId'),
    ],
  };
  return { ok: true, sbom };

  function refOf(value: unknown): string | undefined {
    return typeof value === 'string' ? value : isObject(value) ? str(value.spdxId) ?? str(value['@id']) : undefined;
  }
}

function toComponent(e: Json, ref: string, resolve: (value: unknown) => Json | undefined): Component {
  let purl = str(e.software_packageUrl);
  const cpes: string[] = [];
  const externalReferences: ExternalReference[] = [];
  for (const x of asArray(e.externalIdentifier).map(resolve)) {
    const type = str(x?.externalIdentifierType);
    const identifier = str(x?.identifier);
    if (!type || !identifier) continue;
    if (type === 'packageUrl') purl ??= identifier;
    else if (type === 'cpe23' || type === 'cpe22') cpes.push(identifier);
    else externalReferences.push({ type, url: identifier });
  }
  for (const x of asArray(e.externalRef).map(resolve)) {
    const type = str(x?.externalRefType) ?? 'other';
    for (const locator of asArray(x?.locator)) if (typeof locator === 'string' && locator) externalReferences.push({ type, url: locator });
  }
  const homepage = str(e.software_homePage);
  if (homepage) externalReferences.push({ type: 'website', url: homepage });
  const download = str(e.software_downloadLocation);
  if (download && download !== 'NOASSERTION' && download !== 'NONE') externalReferences.push({ type: 'distribution', url: download });

  const hashes: Hash[] = [];
  for (const h of asArray(e.verifiedUsing).map(resolve)) {
    if (h?.type !== 'Hash') continue; // PackageVerificationCode is no hash of the package itself
    const hash = spdxChecksumToHash(h.algorithm, h.hashValue);
    if (hash) hashes.push(hash);
  }
  const purpose = str(e.software_primaryPurpose);
  const copyright = str(e.software_copyrightText);
  const licenses: License[] = [];
  return {
    ref,
    // `operatingSystem` -> `operating-system`, CycloneDX's spelling of the same type.
    type: purpose ? purpose.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() : undefined,
    name: str(e.name) ?? '',
    version: str(e.software_packageVersion),
    description: str(e.description) ?? str(e.summary),
    purl,
    cpes,
    supplier: toParty(resolve(e.suppliedBy)),
    author: asArray(e.originatedBy).map((a) => toParty(resolve(a))?.name).find((n) => n !== undefined),
    hashes,
    licenses,
    copyright: copyright && copyright !== 'NOASSERTION' && copyright !== 'NONE' ? copyright : undefined,
    externalReferences,
    isSubject: false,
  };
}

/** The SbomType vocabulary's IRI prefix (SPDX 3.0.x `Software/SbomType`), for values written out in full. */
const SBOM_TYPE_IRI = /^https?:\/\/spdx\.org\/rdf\/3\.[0-9.]+\/terms\/Software\/SbomType\//;

/**
 * `software_sbomType` of the software_Sbom elements (`design`, `source`, `build`, `deployed`, `runtime`, `analyzed`:
 * the CISA "generation context"), each once; CreationInfo has no such field. Absent when no SBOM element states one.
 */
function sbomTypesOf(sboms: Json[]): { lifecycles?: string[] } {
  const types = new Set<string>();
  for (const s of sboms) {
    for (const t of asArray(s.software_sbomType)) {
      const type = str(t)?.replace(SBOM_TYPE_IRI, '');
      if (type) types.add(type);
    }
  }
  return types.size ? { lifecycles: [...types] } : {};
}

/** Person / Organization (and other Agent) elements -> party; the kind follows the class. */
function toParty(agent: Json | undefined): Party | undefined {
  const name = str(agent?.name);
  if (!agent || !name) return undefined;
  const kind = agent.type === 'Person' ? 'person' : agent.type === 'Organization' ? 'organization' : agent.type === 'SoftwareAgent' ? 'tool' : undefined;
  const email = asArray(agent.externalIdentifier).find((x): x is Json => isObject(x) && x.externalIdentifierType === 'email');
  const address = email ? str(email.identifier) : undefined;
  return { name, ...(kind ? { kind } : {}), ...(address ? { email: address } : {}) };
}

/** The licence expression a licence element (or listed-licence IRI) states; undefined for none / no assertion. */
function licenseText(ref: string, byId: Map<string, Json>): string | undefined {
  if (NO_ELEMENT.has(ref)) return undefined;
  const element = byId.get(ref);
  if (!element) return LISTED_LICENSES.test(ref) ? ref.replace(LISTED_LICENSES, '') : undefined;
  switch (element.type) {
    case 'simplelicensing_LicenseExpression':
      return str(element.simplelicensing_licenseExpression);
    case 'expandedlicensing_ListedLicense':
      return LISTED_LICENSES.test(ref) ? ref.replace(LISTED_LICENSES, '') : str(element.name);
    default:
      // A custom licence has no SPDX id; its name is kept (spdxLicense turns non-expressions into a name).
      return str(element.name);
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
