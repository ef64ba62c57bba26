/**
 * @module
 * SPDX 2.2 / 2.3 RDF/XML -> {@link ParsedSbom}. fast-xml-parser reads the XML (entities off: parse-sbom has
 * already refused any DOCTYPE); the RDF/XML striped syntax is folded into a graph of nodes, and the SPDX
 * classes in it are read into the JSON shape of the document ({@link Spdx2Document}), checked against the spec's
 * mandatory fields and rules, and mapped like SPDX JSON.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ParseResult } from '../../model/sbom.js';
import { sbomIssue } from '../../model/sbom-issue.js';
import type { ParseContext } from '../ingest-limits.js';
import { capIssues } from '../ajv-issue.js';
import { mapSpdx2Document } from './map-spdx2-document.js';
import type { Spdx2Checksum, Spdx2Document, Spdx2ExternalRef, Spdx2File, Spdx2Package, Spdx2Relationship, Spdx2Snippet } from './spdx2-document.js';
import { checkSpdx2SpecRules } from './spdx2-spec-rules.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const SPDX = 'http://spdx.org/rdf/terms#';
const DOAP = 'http://usefulinc.com/ns/doap#';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const LICENSES = 'http://spdx.org/licenses/';

/**
 * Reads SPDX RDF/XML. XML that is not well formed, or RDF with no spdx:SpdxDocument, is `ok: false` (`line N,
 * column M`). A readable document comes back `ok: true`; a missing mandatory field, an element without an SPDX
 * identifier (an `rdf:about` IRI ending in `#SPDXRef-...`) or a bad `created` timestamp sets `schemaValid: false`.
 * Never throws for a bad document.
 *
 * @example
 * const r = await parseSpdxRdf(text, { limits: DEFAULT_INGEST_LIMITS, specVersion: '2.3' });
 */
export async function parseSpdxRdf(text: string, ctx: ParseContext): Promise<ParseResult> {
  const reject = (path: string, message: string, code: 'SYNTAX_ERROR' | 'NOT_AN_SBOM' = 'SYNTAX_ERROR'): ParseResult => ({
    ok: false,
    format: 'spdx-rdf',
    specVersion: ctx.specVersion,
    issues: [sbomIssue(code, path, message)],
  });
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { line, col, msg } = verdict.err;
    return reject(`line ${line}, column ${col}`, `RDF/XML is not well-formed XML: ${msg}`);
  }
  let tree: XmlNode[];
  try {
    tree = parser.parse(text) as XmlNode[];
  } catch (e) {
    return reject('line 1', `RDF/XML cannot be read: ${(e as Error).message}`);
  }
  const positions = new LineIndex(text);
  const graph = readRdfGraph(tree);
  const docNode = [...graph.nodes.values()].find((n) => n.type === `${SPDX}SpdxDocument`);
  if (!docNode) return reject('line 1', 'RDF/XML holds no spdx:SpdxDocument; an SPDX 2 RDF document describes exactly one', 'NOT_AN_SBOM');

  const { doc, offsets } = buildDocument(graph, docNode);
  const locate = (pointer: string): string => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const offset = offsets.get(p);
      if (offset !== undefined) return positions.at(offset);
      if (p === '') return positions.at(docNode.offset ?? 0);
    }
  };
  const ruleIssues = checkSpdx2SpecRules(doc as Record<string, unknown>, { locate, mandatoryFields: true, serialisation: 'RDF/XML' });
  return mapSpdx2Document(doc as Record<string, unknown>, {
    format: 'spdx-rdf',
    specVersion: ctx.specVersion,
    schemaValid: !ruleIssues.some((i) => i.severity === 'error'),
    issues: capIssues(ruleIssues, 'SCHEMA_VIOLATION', 'spec-rule violations'),
    locate,
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false, // no entity expansion at all (XXE, billion laughs); the five XML escapes are decoded below
  preserveOrder: true,
  captureMetaData: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** One node of fast-xml-parser's preserveOrder output: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
type XmlNode = Record<string, unknown>;

type RdfObject = { literal: string } | { ref: string };

interface RdfNode {
  id: string;
  /** Expanded class IRI (`http://spdx.org/rdf/terms#Package`). */
  type?: string;
  props: Map<string, RdfObject[]>;
  /** Character offset of the element that (first) described the node. */
  offset?: number;
}

interface RdfGraph {
  nodes: Map<string, RdfNode>;
}

/**
 * Folds RDF/XML (W3C RDF 1.1 XML Syntax: node elements, property elements with rdf:resource, rdf:nodeID, a
 * nested node element or text) into nodes keyed by IRI or blank-node id, in document order.
 */
function readRdfGraph(tree: XmlNode[]): RdfGraph {
  const nodes = new Map<string, RdfNode>();
  let blank = 0;

  const nodeElement = (el: XmlNode, scope: Map<string, string>): string => {
    const { name = '', children, attrs } = elementParts(el);
    const ns = withNamespaces(scope, attrs);
    const rdf = prefixOf(RDF, ns);
    const about = attrs[`@${rdf}:about`];
    const nodeId = attrs[`@${rdf}:nodeID`];
    const id = about !== undefined ? decodeXml(about) : nodeId !== undefined ? `_:${nodeId}` : `_:b${blank++}`;
    let node = nodes.get(id);
    if (!node) {
      node = { id, props: new Map() };
      nodes.set(id, node);
    }
    const type = expand(name, ns);
    if (type !== `${RDF}Description` && node.type === undefined) node.type = type;
    const offset = (el as Record<symbol, { startIndex?: number } | undefined>)[META]?.startIndex;
    if (node.offset === undefined && offset !== undefined) node.offset = offset;
    for (const child of children) {
      const prop = elementParts(child);
      if (!prop.name) continue;
      const pns = withNamespaces(ns, prop.attrs);
      const key = expand(prop.name, pns);
      const prdf = pns === ns ? rdf : prefixOf(RDF, pns);
      const resource = prop.attrs[`@${prdf}:resource`];
      const refNode = prop.attrs[`@${prdf}:nodeID`];
      const elements = prop.children.filter((c) => elementParts(c).name);
      let objects: RdfObject[];
      if (resource !== undefined) objects = [{ ref: decodeXml(resource) }];
      else if (refNode !== undefined) objects = [{ ref: `_:${refNode}` }];
      else if (elements.length) objects = elements.map((e) => ({ ref: nodeElement(e, pns) }));
      else objects = [{ literal: decodeXml(prop.children.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('')) }];
      if (key === `${RDF}type`) {
        const t = objects[0];
        if (t && 'ref' in t && node.type === undefined) node.type = t.ref;
        continue;
      }
      const list = node.props.get(key);
      if (list) list.push(...objects);
      else node.props.set(key, objects);
    }
    return id;
  };

  for (const top of tree) {
    const { name, children, attrs } = elementParts(top);
    if (!name) continue;
    const scope = withNamespaces(new Map([['xml', XML_NS]]), attrs);
    if (expand(name, scope) === `${RDF}RDF`) {
      for (const child of children) if (elementParts(child).name) nodeElement(child, scope);
    } else {
      nodeElement(top, scope); // a lone node element as document root is allowed RDF/XML
    }
  }
  return { nodes };
}

function elementParts(el: XmlNode): { name: string | undefined; children: XmlNode[]; attrs: Record<string, string> } {
  for (const key of Object.keys(el)) {
    if (key === ':@' || key === '#text') continue;
    return { name: key, children: (el[key] as XmlNode[]) ?? [], attrs: (el[':@'] as Record<string, string> | undefined) ?? {} };
  }
  return { name: undefined, children: [], attrs: {} };
}

function withNamespaces(scope: Map<string, string>, attrs: Record<string, string>): Map<string, string> {
  let next = scope;
  for (const [key, value] of Object.entries(attrs)) {
    if (key === '@xmlns' || key.startsWith('@xmlns:')) {
      if (next === scope) next = new Map(scope);
      next.set(key === '@xmlns' ? '' : key.slice(7), value);
    }
  }
  return next;
}

function expand(qname: string, ns: Map<string, string>): string {
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? '' : qname.slice(0, colon);
  const local = colon === -1 ? qname : qname.slice(colon + 1);
  return `${ns.get(prefix) ?? `${prefix}:`}${local}`;
}

function prefixOf(namespace: string, ns: Map<string, string>): string {
  for (const [prefix, uri] of ns) if (uri === namespace) return prefix;
  return 'rdf';
}

/** The five predefined XML escapes and character references; no other entity is ever expanded. */
function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (whole, name: string) => {
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
    }
  });
}

/** SPDX RDF graph -> the JSON shape, with the character offset of each pointer for messages. */
function buildDocument(graph: RdfGraph, docNode: RdfNode): { doc: Spdx2Document; offsets: Map<string, number> } {
  const offsets = new Map<string, number>();
  const { nodes } = graph;
  const literal = (node: RdfNode | undefined, prop: string): string | undefined => {
    for (const o of node?.props.get(prop) ?? []) if ('literal' in o) return o.literal.trim();
    return undefined;
  };
  const all = (node: RdfNode | undefined, prop: string): RdfObject[] => node?.props.get(prop) ?? [];
  const linked = (node: RdfNode | undefined, prop: string): RdfNode[] =>
    all(node, prop).flatMap((o) => ('ref' in o && nodes.has(o.ref) ? [nodes.get(o.ref)!] : []));
  // A value that may be a literal or an SPDX individual (`spdx:noassertion`, `spdx:none`, a licence IRI).
  const value = (node: RdfNode | undefined, prop: string): string | undefined => {
    const o = all(node, prop)[0];
    if (!o) return undefined;
    return 'literal' in o ? o.literal.trim() : individual(o.ref);
  };

  const [namespace, docFragment] = splitIri(docNode.id);
  const doc: Spdx2Document = {};
  offsets.set('', docNode.offset ?? 0);
  if (docFragment) doc.SPDXID = docFragment;
  if (namespace && !docNode.id.startsWith('_:')) doc.documentNamespace = namespace;
  doc.spdxVersion = literal(docNode, `${SPDX}specVersion`);
  doc.name = literal(docNode, `${SPDX}name`);
  doc.dataLicense = licenseExpression(all(docNode, `${SPDX}dataLicense`)[0], nodes);

  const creation = linked(docNode, `${SPDX}creationInfo`)[0];
  if (creation) {
    doc.creationInfo = {
      created: literal(creation, `${SPDX}created`),
      creators: all(creation, `${SPDX}creator`).flatMap((o) => ('literal' in o ? [o.literal.trim()] : [])),
    };
    if (creation.offset !== undefined) offsets.set('/creationInfo', creation.offset);
  }

  const externalNamespaces = new Map<string, string>();
  doc.externalDocumentRefs = linked(docNode, `${SPDX}externalDocumentRef`).map((ref) => {
    const externalDocumentId = literal(ref, `${SPDX}externalDocumentId`);
    const target = all(ref, `${SPDX}spdxDocument`)[0];
    const spdxDocument = target ? ('ref' in target ? target.ref : target.literal.trim()) : undefined;
    if (externalDocumentId && spdxDocument) externalNamespaces.set(splitIri(spdxDocument)[0], externalDocumentId);
    const checksum = linked(ref, `${SPDX}checksum`).map(toChecksum).find((c) => c !== undefined);
    return { externalDocumentId, spdxDocument, ...(checksum ? { checksum } : {}) };
  });

  /** The SPDXID (or `DocumentRef-x:SPDXRef-y`, NONE, NOASSERTION) an element IRI stands for in the JSON shape. */
  const elementRef = (iri: string): string => {
    const special = individual(iri);
    if (special === 'NONE' || special === 'NOASSERTION') return special;
    const [ns, fragment] = splitIri(iri);
    if (!fragment) return iri;
    if (ns === namespace || nodes.has(iri)) return fragment;
    const external = externalNamespaces.get(ns);
    return external ? `${external}:${fragment}` : iri;
  };
  const idOf = (node: RdfNode): string | undefined => (node.id.startsWith('_:') ? undefined : splitIri(node.id)[1]);

  const packages: Spdx2Package[] = [];
  const files: Spdx2File[] = [];
  const snippets: Spdx2Snippet[] = [];
  const relationships: Spdx2Relationship[] = [];
  const describes: string[] = [];
  for (const node of nodes.values()) {
    if (node.type === `${SPDX}Package`) {
      const pointer = `/packages/${packages.length}`;
      if (node.offset !== undefined) offsets.set(pointer, node.offset);
      packages.push(toPackage(node));
    } else if (node.type === `${SPDX}File`) {
      const pointer = `/files/${files.length}`;
      if (node.offset !== undefined) offsets.set(pointer, node.offset);
      files.push({ SPDXID: idOf(node), fileName: literal(node, `${SPDX}fileName`), checksums: linked(node, `${SPDX}checksum`).flatMap((c) => toChecksum(c) ?? []) });
    } else if (node.type === `${SPDX}Snippet`) {
      const pointer = `/snippets/${snippets.length}`;
      if (node.offset !== undefined) offsets.set(pointer, node.offset);
      const from = all(node, `${SPDX}snippetFromFile`)[0];
      snippets.push({ SPDXID: idOf(node), snippetFromFile: from && 'ref' in from ? elementRef(from.ref) : undefined, name: literal(node, `${SPDX}name`) });
    }
    const subject = node === docNode ? (doc.SPDXID ?? 'SPDXRef-DOCUMENT') : idOf(node);
    for (const rel of linked(node, `${SPDX}relationship`)) {
      const related = all(rel, `${SPDX}relatedSpdxElement`)[0];
      const type = all(rel, `${SPDX}relationshipType`)[0];
      if (rel.offset !== undefined) offsets.set(`/relationships/${relationships.length}`, rel.offset);
      relationships.push({
        spdxElementId: subject,
        relationshipType: type ? ('ref' in type ? relationshipType(type.ref) : type.literal.trim()) : undefined,
        relatedSpdxElement: related ? ('ref' in related ? elementRef(related.ref) : related.literal.trim()) : undefined,
      });
    }
  }
  // SPDX 2.0/2.1 RDF named the described packages with spdx:describesPackage.
  for (const o of all(docNode, `${SPDX}describesPackage`)) if ('ref' in o) describes.push(elementRef(o.ref));

  if (packages.length) doc.packages = packages;
  if (files.length) doc.files = files;
  if (snippets.length) doc.snippets = snippets;
  if (relationships.length) doc.relationships = relationships;
  if (describes.length) doc.documentDescribes = describes;
  if (!doc.externalDocumentRefs.length) delete doc.externalDocumentRefs;
  return { doc, offsets };

  function toPackage(node: RdfNode): Spdx2Package {
    const externalRefs: Spdx2ExternalRef[] = linked(node, `${SPDX}externalRef`).map((ref) => {
      const category = all(ref, `${SPDX}referenceCategory`)[0];
      const type = all(ref, `${SPDX}referenceType`)[0];
      return {
        // `#referenceCategory_packageManager` -> PACKAGE-MANAGER (SPDX 2.3 clause 7.21)
        referenceCategory: category ? ('ref' in category ? vocabulary(category.ref, 'referenceCategory_', '-') : category.literal.trim()) : '',
        // `http://spdx.org/rdf/references/purl` -> purl; a LocationRef IRI stays as is
        referenceType: type ? ('ref' in type ? (type.ref.startsWith('http://spdx.org/rdf/references/') ? type.ref.slice(31) : type.ref) : type.literal.trim()) : '',
        referenceLocator: literal(ref, `${SPDX}referenceLocator`) ?? '',
      };
    });
    const purpose = all(node, `${SPDX}primaryPackagePurpose`)[0];
    const filesAnalyzed = literal(node, `${SPDX}filesAnalyzed`);
    return {
      SPDXID: idOf(node),
      name: literal(node, `${SPDX}name`),
      versionInfo: literal(node, `${SPDX}versionInfo`),
      packageFileName: literal(node, `${SPDX}packageFileName`),
      supplier: value(node, `${SPDX}supplier`),
      originator: value(node, `${SPDX}originator`),
      downloadLocation: value(node, `${SPDX}downloadLocation`),
      homepage: literal(node, `${DOAP}homepage`),
      filesAnalyzed: filesAnalyzed === undefined ? undefined : filesAnalyzed.toLowerCase() === 'true',
      checksums: linked(node, `${SPDX}checksum`).flatMap((c) => toChecksum(c) ?? []),
      licenseConcluded: licenseExpression(all(node, `${SPDX}licenseConcluded`)[0], nodes),
      licenseDeclared: licenseExpression(all(node, `${SPDX}licenseDeclared`)[0], nodes),
      copyrightText: value(node, `${SPDX}copyrightText`),
      summary: literal(node, `${SPDX}summary`),
      description: literal(node, `${SPDX}description`),
      externalRefs,
      // `#purpose_operatingSystem` -> OPERATING-SYSTEM (SPDX 2.3 clause 7.24)
      primaryPackagePurpose: purpose ? ('ref' in purpose ? vocabulary(purpose.ref, 'purpose_', '-') : purpose.literal.trim()) : undefined,
    };
  }

  function toChecksum(node: RdfNode): Spdx2Checksum | undefined {
    const algorithm = all(node, `${SPDX}algorithm`)[0];
    const checksumValue = literal(node, `${SPDX}checksumValue`);
    if (!algorithm || !checksumValue) return undefined;
    // `#checksumAlgorithm_sha256` -> sha256; spdxChecksumToHash reads either generation's spelling.
    return { algorithm: 'ref' in algorithm ? afterPrefix(algorithm.ref, 'checksumAlgorithm_') : algorithm.literal.trim(), checksumValue };
  }
}

/**
 * An SPDX licence node or IRI -> licence expression text: listed licences by id, LicenseRef-* by fragment,
 * Conjunctive/DisjunctiveLicenseSet with AND/OR, WithExceptionOperator with WITH, OrLaterOperator with `+`.
 */
function licenseExpression(object: RdfObject | undefined, nodes: Map<string, RdfNode>, depth = 0): string | undefined {
  if (!object || depth > 32) return undefined;
  if ('literal' in object) return object.literal.trim() || undefined;
  const special = individual(object.ref);
  if (special !== object.ref) return special;
  const node = nodes.get(object.ref);
  const idFromIri = (iri: string) => (iri.startsWith(LICENSES) ? iri.slice(LICENSES.length) : splitIri(iri)[1] ?? iri);
  if (!node) return idFromIri(object.ref);
  const members = (prop: string) =>
    (node.props.get(`${SPDX}${prop}`) ?? []).map((m) => licenseExpression(m, nodes, depth + 1)).filter((m): m is string => m !== undefined);
  const text = (prop: string) => {
    const o = node.props.get(`${SPDX}${prop}`)?.[0];
    return o && 'literal' in o ? o.literal.trim() : undefined;
  };
  switch (node.type) {
    case `${SPDX}ConjunctiveLicenseSet`:
      return `(${members('member').join(' AND ')})`;
    case `${SPDX}DisjunctiveLicenseSet`:
      return `(${members('member').join(' OR ')})`;
    case `${SPDX}WithExceptionOperator`: {
      const exception = node.props.get(`${SPDX}licenseException`)?.[0];
      const exceptionNode = exception && 'ref' in exception ? nodes.get(exception.ref) : undefined;
      const exceptionIdObject = exceptionNode?.props.get(`${SPDX}licenseExceptionId`)?.[0];
      const exceptionId = exceptionIdObject && 'literal' in exceptionIdObject ? exceptionIdObject.literal.trim() : exception && 'ref' in exception ? idFromIri(exception.ref) : undefined;
      return `${members('member')[0] ?? 'NOASSERTION'} WITH ${exceptionId ?? 'NOASSERTION'}`;
    }
    case `${SPDX}OrLaterOperator`:
      return `${members('member')[0] ?? 'NOASSERTION'}+`;
    default:
      return text('licenseId') ?? (node.id.startsWith('_:') ? undefined : idFromIri(node.id));
  }
}

/** `http://spdx.org/rdf/terms#noassertion` -> NOASSERTION, `#none` -> NONE; anything else unchanged. */
function individual(iri: string): string {
  if (iri === `${SPDX}noassertion`) return 'NOASSERTION';
  if (iri === `${SPDX}none`) return 'NONE';
  return iri;
}

/** `http://spdx.org/rdf/terms#relationshipType_dependencyOf` -> DEPENDENCY_OF. */
function relationshipType(iri: string): string {
  return vocabulary(iri, 'relationshipType_', '_');
}

/** An SPDX vocabulary IRI's camelCase entry in SPDX 2 upper case, words joined by `separator`. */
function vocabulary(iri: string, prefix: string, separator: string): string {
  return afterPrefix(iri, prefix)
    .replace(/([a-z0-9])([A-Z])/g, `$1${separator}$2`)
    .toUpperCase();
}

function afterPrefix(iri: string, prefix: string): string {
  const at = iri.lastIndexOf(prefix);
  return at === -1 ? (splitIri(iri)[1] ?? iri) : iri.slice(at + prefix.length);
}

/** `ns#fragment` -> [ns, fragment]. */
function splitIri(iri: string): [string, string | undefined] {
  const hash = iri.lastIndexOf('#');
  return hash === -1 ? [iri, undefined] : [iri.slice(0, hash), iri.slice(hash + 1)];
}

/** Character offset -> `line L, column C` by binary search over line starts (one pass over the text). */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): string {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return `line ${lo + 1}, column ${offset - this.starts[lo]! + 1}`;
  }
}
