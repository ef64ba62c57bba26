/**
 * @module
 * CycloneDX XML (1.2 to 1.6) -> {@link ParsedSbom}: XSD validation, then fast-xml-parser, then the XML tree is
 * rewritten into the JSON shape of the same BOM and handed to {@link mapCycloneDxBom}, so XML and JSON share one
 * mapping.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ParseResult } from '../../model/sbom.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import type { ParseContext } from '../ingest-limits.js';
import { getCycloneDxXmlValidator } from './cyclonedx-xml-validator.js';
import { mapCycloneDxBom } from './parse-cyclonedx-json.js';

type Node = Record<string | symbol, unknown>;
type Json = Record<string, unknown>;

/** Elements that repeat inside their container (`parent.child`), so fast-xml-parser always gives arrays for them. */
const REPEATED = new Set([
  'components.component', 'services.service', 'dependencies.dependency', 'dependency.dependency', 'dependency.provides',
  'hashes.hash', 'licenses.license', 'externalReferences.reference', 'tools.tool', 'authors.author', 'lifecycles.lifecycle',
]);

const parser = new XMLParser({
  // Entities are never expanded (parse-sbom refuses DOCTYPEs besides); text() decodes the five predefined ones
  // and character references, leaving CDATA (kept apart in '#cdata') as written.
  processEntities: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  cdataPropName: '#cdata',
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  captureMetaData: true, // start offsets of elements, to put DANGLING_REF warnings on a line
  isArray: (tag, jPath, _isLeaf, isAttribute) => !isAttribute && REPEATED.has(lastTwo(jPath as string)),
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol; // typed `Symbol` by fast-xml-parser
const OFFSET = Symbol('offset in the XML text');

/**
 * Validates CycloneDX XML against the XSD of `ctx.specVersion`, then maps it as {@link mapCycloneDxBom} maps JSON.
 * Text that is not well-formed XML comes back `ok: false` with a SYNTAX_ERROR at `line N, column M` (fast-xml-parser's
 * location, else libxml2's); XSD violations are recorded (`schemaValid: false`) and the BOM is still read.
 * Never throws for a bad document.
 *
 * @example
 * const r = await parseCycloneDxXml(text, { limits: DEFAULT_INGEST_LIMITS, specVersion: '1.4' });
 */
export async function parseCycloneDxXml(text: string, ctx: ParseContext): Promise<ParseResult> {
  const reject = (issues: SbomIssue[]): ParseResult => ({ ok: false, format: 'cyclonedx-xml', specVersion: ctx.specVersion, issues });
  const xsd = await getCycloneDxXmlValidator(ctx.specVersion)(text);
  if (!xsd.wellFormed) {
    const syntax = XMLValidator.validate(text);
    if (syntax === true) return reject(xsd.issues);
    const { line, col, msg } = syntax.err;
    return reject([sbomIssue('SYNTAX_ERROR', `line ${line}, column ${col}`, `XML is not well-formed: ${msg}`)]);
  }
  let tree: Node;
  try {
    tree = parser.parse(text) as Node;
  } catch (e) {
    return reject([sbomIssue('SYNTAX_ERROR', '', `XML could not be read: ${(e as Error).message}`)]);
  }
  if (!isNode(tree.bom)) return reject([sbomIssue('NOT_AN_SBOM', 'line 1', 'the XML has no <bom> root element')]);

  const lines = lineFinder(text);
  return mapCycloneDxBom(toJsonBom(tree.bom, ctx.specVersion), {
    format: 'cyclonedx-xml',
    specVersion: ctx.specVersion,
    schemaValid: xsd.valid,
    issues: xsd.issues,
    locate: (node, pointer) => {
      const offset = (node as Node)[OFFSET];
      return typeof offset === 'number' ? lines(offset) : pointer;
    },
  });
}

/** The CycloneDX JSON shape of a `<bom>`, limited to what {@link mapCycloneDxBom} reads. */
function toJsonBom(bom: Node, specVersion: string): Json {
  const version = attr(bom, 'version');
  const metadata = child(bom, 'metadata');
  return {
    bomFormat: 'CycloneDX',
    specVersion,
    serialNumber: attr(bom, 'serialNumber'),
    version: version !== undefined && /^\d+$/.test(version) ? Number(version) : version,
    metadata: metadata && {
      timestamp: text(metadata.timestamp),
      // 1.5+: <lifecycle><phase>build</phase></lifecycle>, or a custom <lifecycle><name>…</name><description>…
      lifecycles: items(metadata.lifecycles, 'lifecycle').map((l) => ({ phase: text(l.phase), name: text(l.name) })),
      tools: toTools(child(metadata, 'tools')),
      authors: items(metadata.authors, 'author').map(toContact),
      component: isNode(metadata.component) ? toComponent(metadata.component) : undefined,
      manufacture: toEntity(metadata.manufacture),
      manufacturer: toEntity(metadata.manufacturer),
      supplier: toEntity(metadata.supplier),
    },
    components: items(bom.components, 'component').map(toComponent),
    services: items(bom.services, 'service').map(toService),
    dependencies: items(bom.dependencies, 'dependency').map((d) => ({
      ref: attr(d, 'ref'),
      dependsOn: items(d, 'dependency').map((x) => attr(x, 'ref')),
      provides: items(d, 'provides').map((x) => attr(x, 'ref')),
      [OFFSET]: (d[META] as { startIndex?: number } | undefined)?.startIndex,
    })),
  };
}

function toComponent(c: Node): Json {
  return {
    type: attr(c, 'type'),
    'bom-ref': attr(c, 'bom-ref'),
    supplier: toEntity(c.supplier),
    manufacturer: toEntity(c.manufacturer),
    // <author> is text until 1.5; 1.6 adds <authors><author> contacts
    author: text(c.author),
    authors: items(c.authors, 'author').map(toContact),
    group: text(c.group),
    name: text(c.name),
    version: text(c.version),
    description: text(c.description),
    scope: text(c.scope),
    hashes: items(c.hashes, 'hash').map(toHash),
    licenses: toLicenses(child(c, 'licenses')),
    copyright: text(c.copyright),
    cpe: text(c.cpe),
    purl: text(c.purl),
    externalReferences: items(c.externalReferences, 'reference').map((r) => ({
      type: attr(r, 'type'),
      url: text(r.url),
      hashes: items(r.hashes, 'hash').map(toHash),
    })),
    components: items(c.components, 'component').map(toComponent),
  };
}

function toService(s: Node): Json {
  return {
    'bom-ref': attr(s, 'bom-ref'),
    provider: toEntity(s.provider),
    group: text(s.group),
    name: text(s.name),
    version: text(s.version),
    services: items(s.services, 'service').map(toService),
  };
}

/** `<tool>` list until 1.4; from 1.5 `<components>` and `<services>`, as the JSON `{components, services}`. */
function toTools(tools: Node | undefined): unknown {
  if (!tools) return undefined;
  if (tools.tool !== undefined) {
    return items(tools, 'tool').map((t) => ({ vendor: text(t.vendor), name: text(t.name), version: text(t.version) }));
  }
  return { components: items(tools.components, 'component').map(toComponent), services: items(tools.services, 'service').map(toService) };
}

/** `<license><id>|<name></license>` and `<expression>`; 1.6 puts `acknowledgement` on either. */
function toLicenses(licenses: Node | undefined): Json[] {
  if (!licenses) return [];
  const out: Json[] = items(licenses, 'license').map((l) => ({
    license: { id: text(l.id), name: text(l.name), acknowledgement: attr(l, 'acknowledgement') },
  }));
  for (const e of asList(licenses.expression)) out.push({ expression: text(e), acknowledgement: attr(e, 'acknowledgement') });
  return out;
}

function toEntity(v: unknown): Json | undefined {
  if (!isNode(v)) return undefined;
  return { name: text(v.name), url: asList(v.url).map(text), contact: asList(v.contact).filter(isNode).map(toContact) };
}

function toContact(c: Node): Json {
  return { name: text(c.name), email: text(c.email), phone: text(c.phone) };
}

function toHash(h: Node): Json {
  return { alg: attr(h, 'alg'), content: text(h) };
}

/** The `tag` children of a container element (`<components>` -> its `<component>`s). */
function items(container: unknown, tag: string): Node[] {
  return isNode(container) ? asList(container[tag]).filter(isNode) : [];
}

function child(node: Node, tag: string): Node | undefined {
  const v = node[tag];
  return isNode(v) ? v : undefined;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** Text content of an element: fast-xml-parser gives a string, or an object with '#text' / '#cdata' beside attributes. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return decodeXml(v);
  if (!isNode(v)) return undefined;
  const t = typeof v['#text'] === 'string' ? decodeXml(v['#text']) : '';
  const cdata = typeof v['#cdata'] === 'string' ? v['#cdata'] : '';
  return t + cdata;
}

function attr(node: unknown, name: string): string | undefined {
  const v = isNode(node) ? node[`@${name}`] : undefined;
  return typeof v === 'string' ? decodeXml(v) : undefined;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The predefined entities and character references (XML 1.0 sections 4.1 and 4.6); nothing else is expanded. */
function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g, (whole, dec: string, hex: string, name: string) => {
    if (name) return XML_ENTITIES[name]!;
    const code = dec ? Number(dec) : parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function lastTwo(jPath: string): string {
  const last = jPath.lastIndexOf('.');
  return jPath.slice(jPath.lastIndexOf('.', last - 1) + 1);
}

/**
 * `line N, column M` of offsets, scanning forward from the previous answer: the mapping asks in document order,
 * so locating every issue costs one pass over the text, not one per issue.
 */
function lineFinder(text: string): (offset: number) => string {
  let at = 0;
  let line = 1;
  let lineStart = 0;
  return (offset) => {
    if (offset < at) [at, line, lineStart] = [0, 1, 0];
    for (let i = text.indexOf('\n', at); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    at = offset;
    return `line ${line}, column ${offset - lineStart + 1}`;
  };
}
