/**
 * @module
 * The ingest entry point: bytes in, a format-neutral {@link ParsedSbom} or every problem found out.
 * Pure: no database, no I/O. Storage never sees CycloneDX or SPDX.
 */
import type { Component, ParsedSbom, ParseResult, SbomFormat } from '../model/sbom.js';
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';
import { parseCycloneDxJson } from './cyclonedx/parse-cyclonedx-json.js';
import { parseCycloneDxXml } from './cyclonedx/parse-cyclonedx-xml.js';
import { decodeText, lineColumnAt } from './decode-text.js';
import { detectJsonFormat, detectTextFormat } from './detect-format.js';
import { readJsonText } from './read-json-text.js';

// Where the nesting limit is checked on JSON text; kept exported here, where callers have always found it.
export { jsonNestingDepth } from './read-json-text.js';
import { DEFAULT_INGEST_LIMITS, MAX_INDEXED_VALUE_BYTES, type IngestLimits, type ParseContext } from './ingest-limits.js';
import { parseSpdx3JsonLd } from './spdx/parse-spdx3-jsonld.js';
import { parseSpdxJson } from './spdx/parse-spdx-json.js';
import { parseSpdxRdf } from './spdx/parse-spdx-rdf.js';
import { parseSpdxTagValue } from './spdx/parse-spdx-tag-value.js';

export interface ParseOptions {
  /** Reject any schema violation instead of recording it (`?strict=true`, `--strict`). */
  strict?: boolean;
  limits?: Partial<IngestLimits>;
}

/** Spec versions read per format. SPDX 2.1 tag-value is read as 2.2 (a compatible subset) since real tools still emit it. */
export const SUPPORTED_SPEC_VERSIONS: Record<SbomFormat, readonly string[]> = {
  'cyclonedx-json': ['1.2', '1.3', '1.4', '1.5', '1.6'],
  'cyclonedx-xml': ['1.2', '1.3', '1.4', '1.5', '1.6'],
  'spdx-json': ['2.2', '2.3'],
  'spdx-tag-value': ['2.1', '2.2', '2.3'],
  'spdx-rdf': ['2.2', '2.3'],
  'spdx3-jsonld': ['3.0.0', '3.0.1'],
};

/**
 * Reads one SBOM. Never throws for bad input: a document that cannot be read as an SBOM (empty, not an SBOM,
 * truncated, unknown version, forbidden XML, beyond limits) comes back `ok: false` with every problem found;
 * one that can be read comes back `ok: true` with its schema verdict and problems, unless `strict` is set and
 * the schema was violated.
 *
 * @example
 * const r = await parseSbom(readFileSync('bom.json'), { strict: true });
 * if (!r.ok) console.error(r.issues.map((i) => `${i.path}: ${i.message}`));
 */
export async function parseSbom(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParseResult> {
  const staged = stageSbom(bytes, options);
  return staged.kind === 'cyclonedx-json' ? staged.parse() : staged.result;
}

/**
 * A CycloneDX JSON document that {@link stageSbom} has read (decoded, JSON-parsed, detected, its version checked)
 * and left for its caller to validate and map in steps (store/stream-sbom.ts stores components as they are mapped).
 * `parse()` finishes it as {@link parseSbom} does, in one call: what the steps must come to, and the way out when a
 * problem found on the way means they cannot.
 */
export interface StagedCycloneDxJson {
  kind: 'cyclonedx-json';
  doc: Record<string, unknown>;
  specVersion: string;
  /** Content after the end of the JSON document: an issue that comes first and makes the document schema-invalid. */
  trailing?: SbomIssue;
  limits: IngestLimits;
  strict: boolean;
  parse(): Promise<ParseResult>;
}

/**
 * The start of {@link parseSbom}: CycloneDX JSON comes back {@link StagedCycloneDxJson}, read as far as its
 * components; every other document, and every one rejected before that point, comes back parsed.
 */
export function stageSbom(bytes: Uint8Array, options: ParseOptions = {}): StagedCycloneDxJson | { kind: 'parsed'; result: Promise<ParseResult> } {
  const limits = { ...DEFAULT_INGEST_LIMITS, ...options.limits };
  const strict = options.strict ?? false;
  const parsed = (result: ParseResult | Promise<ParseResult>) => ({ kind: 'parsed' as const, result: Promise.resolve(result) });
  if (bytes.byteLength > limits.maxBytes) {
    return parsed(reject([sbomIssue('LIMIT_EXCEEDED', '', `document is ${bytes.byteLength} bytes, above the limit of ${limits.maxBytes} bytes`)]));
  }
  const read = readDocument(bytes, limits);
  if (read.kind === 'rejected') return parsed(reject(read.issues));
  if (read.kind === 'text') return parsed(parseTextDocument(read.text, limits, strict));
  const detection = detectJsonFormat(read.doc);
  if (detection.kind !== 'json') return parsed(reject([sbomIssue('NOT_AN_SBOM', '', `document is JSON but not an SBOM: ${detection.kind === 'unknown' ? detection.reason : ''}`)]));
  const versionIssue = checkSpecVersion(detection.format, detection.specVersion, detection.format === 'spdx-json' ? '/spdxVersion' : detection.format === 'cyclonedx-json' ? '/specVersion' : '/@context');
  if (versionIssue) return parsed(reject([versionIssue], detection.format, detection.specVersion));
  const ctx: ParseContext = { limits, specVersion: detection.specVersion! };
  const { doc } = detection;
  const { trailing } = read;
  const parse = async () =>
    finishJson(
      detection.format === 'cyclonedx-json' ? await parseCycloneDxJson(doc, ctx) : detection.format === 'spdx-json' ? await parseSpdxJson(doc, ctx) : await parseSpdx3JsonLd(doc, ctx),
      trailing,
      limits,
      strict,
    );
  if (detection.format !== 'cyclonedx-json') return parsed(parse());
  return { kind: 'cyclonedx-json', doc, specVersion: ctx.specVersion, trailing, limits, strict, parse };
}

/**
 * Bytes -> text, and for JSON text -> parsed value. A function of its own so that nothing refers to the text of a
 * JSON document once it is parsed: the garbage collector can then free it (as big as the document) while the
 * document is validated, mapped and normalised.
 */
function readDocument(
  bytes: Uint8Array,
  limits: IngestLimits,
): { kind: 'json'; doc: unknown; trailing?: SbomIssue } | { kind: 'text'; text: string } | { kind: 'rejected'; issues: SbomIssue[] } {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { kind: 'rejected', issues: [decoded.issue] };
  const text = decoded.text;
  if (text.trim() === '') return { kind: 'rejected', issues: [sbomIssue('EMPTY_DOCUMENT', '', 'document is empty; expected a CycloneDX or SPDX SBOM')] };

  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return { kind: 'text', text };
  return readJsonText(text, limits.maxDepth);
}

function finishJson(result: ParseResult, trailing: SbomIssue | undefined, limits: IngestLimits, strict: boolean): ParseResult {
  if (trailing && result.ok) {
    result.sbom.schemaValid = false;
    result.sbom.issues.unshift(trailing);
  }
  return finish(result, limits, strict);
}

async function parseTextDocument(text: string, limits: IngestLimits, strict: boolean): Promise<ParseResult> {
  const isXml = text.trimStart().startsWith('<');
  if (isXml) {
    const forbidden = forbiddenXmlConstructs(text);
    if (forbidden.length) return reject(forbidden);
    const depth = xmlNestingDepth(text, limits.maxDepth);
    if (depth.exceededAt !== undefined) {
      const { line, column } = lineColumnAt(text, depth.exceededAt);
      return reject([sbomIssue('LIMIT_EXCEEDED', `line ${line}, column ${column}`, `XML element nesting goes deeper than the limit of ${limits.maxDepth} levels`)]);
    }
  }
  const detection = detectTextFormat(text);
  if (detection.kind === 'unknown') return reject([sbomIssue('NOT_AN_SBOM', '', `document is not an SBOM: ${detection.reason}`)]);
  const where = detection.format === 'cyclonedx-xml' ? '/bom/@xmlns' : detection.format === 'spdx-rdf' ? 'spdx:specVersion' : 'SPDXVersion';
  const versionIssue = checkSpecVersion(detection.format, detection.specVersion, where);
  if (versionIssue) return reject([versionIssue], detection.format, detection.specVersion);
  const ctx: ParseContext = { limits, specVersion: detection.specVersion! };
  const result =
    detection.format === 'cyclonedx-xml' ? await parseCycloneDxXml(text, ctx)
    : detection.format === 'spdx-rdf' ? await parseSpdxRdf(text, ctx)
    : await parseSpdxTagValue(text, ctx);
  return finish(result, limits, strict);
}

function finish(result: ParseResult, limits: IngestLimits, strict: boolean): ParseResult {
  if (!result.ok) return result;
  const { sbom } = result;
  if (sbom.components.length > limits.maxComponents) {
    return reject([sbomIssue('LIMIT_EXCEEDED', '', `document has ${sbom.components.length} components, above the limit of ${limits.maxComponents}`)], sbom.format, sbom.specVersion);
  }
  const oversized = oversizedValues(sbom);
  if (oversized.length) return reject(oversized, sbom.format, sbom.specVersion);
  if (strict && !sbom.schemaValid) {
    const schemaIssues = sbom.issues.filter((i) => i.severity === 'error');
    return reject(schemaIssues.length ? schemaIssues : sbom.issues, sbom.format, sbom.specVersion);
  }
  return result;
}

function reject(issues: SbomIssue[], format?: SbomFormat, specVersion?: string): ParseResult {
  return { ok: false, format, specVersion, issues };
}

function checkSpecVersion(format: SbomFormat, version: string | undefined, path: string): SbomIssue | undefined {
  const supported = SUPPORTED_SPEC_VERSIONS[format];
  if (version === undefined) {
    return sbomIssue('UNSUPPORTED_SPEC_VERSION', path, `${format} document declares no readable spec version; supported: ${supported.join(', ')}`);
  }
  if (!supported.includes(version)) {
    return sbomIssue('UNSUPPORTED_SPEC_VERSION', path, `${format} spec version '${version}' is not supported; supported: ${supported.join(', ')}`);
  }
  return undefined;
}


/** Whether a value is longer than {@link MAX_INDEXED_VALUE_BYTES}; a UTF-16 unit is at most 3 UTF-8 bytes. */
const tooLong = (s: string | undefined): boolean => s !== undefined && s.length > MAX_INDEXED_VALUE_BYTES / 3 && Buffer.byteLength(s) > MAX_INDEXED_VALUE_BYTES;

/**
 * The values that go into an index, each at most {@link MAX_INDEXED_VALUE_BYTES} long. A longer one was read and
 * then refused by PostgreSQL (`index row requires 10016 bytes`): a 500 after the work, instead of a clear 422.
 * Also run on a part of a document (a slice of its components, the document references found with them): any
 * issue then means the whole document is refused.
 */
export function oversizedValues(sbom: Pick<ParsedSbom, 'serialNumber' | 'supplier' | 'documentReferences' | 'components'> & { relationships?: ParsedSbom['relationships'] }): SbomIssue[] {
  const issues: SbomIssue[] = [];
  const short = (s: string) => (tooLong(s) ? `${s.slice(0, 40)}...` : s);
  const check = (path: string, what: string, value: string | undefined) => {
    if (value === undefined || !tooLong(value) || issues.length >= 10) return;
    const message = `${what} of ${Buffer.byteLength(value)} bytes ('${value.slice(0, 40)}...'); names, versions, identifiers and references are limited to ${MAX_INDEXED_VALUE_BYTES} bytes`;
    issues.push(sbomIssue('LIMIT_EXCEEDED', path, message));
  };
  check('', 'the document has a serial number (document namespace)', sbom.serialNumber);
  check('', 'the document has a supplier name', sbom.supplier?.name);
  for (const r of sbom.documentReferences) {
    check('', 'a document reference has an id', r.id);
    check('', 'a document reference has a target', r.target);
  }
  // Path and message are made only for a value that is too long: nearly every component has none.
  const checkComponent = (c: Component, field: string, value: string | undefined) => {
    if (value === undefined || !tooLong(value)) return;
    const path = c.ref.startsWith('#/') ? short(c.ref.slice(1)) : `ref:${short(c.ref)}`;
    check(path, `component '${short(c.ref.replace(/^#\//, '/'))}' has ${field}`, value);
  };
  for (const c of sbom.components) {
    checkComponent(c, 'a ref', c.ref);
    checkComponent(c, 'a name', c.name);
    checkComponent(c, 'a version', c.version);
    checkComponent(c, 'a purl', c.purl);
    for (const cpe of c.cpes) checkComponent(c, 'a CPE', cpe);
    checkComponent(c, 'a supplier name', c.supplier?.name);
    checkComponent(c, 'a manufacturer name', c.manufacturer?.name);
    for (const h of c.hashes) if (tooLong(h.value)) checkComponent(c, `a ${short(h.alg)} hash`, h.value);
    if (issues.length >= 10) break;
  }
  // A relationship's own word (an SPDX relationshipType the spec does not know, kept as written) is part of the
  // edge table's key. CycloneDX's words are fixed, so a caller reading CycloneDX JSON slice by slice passes none.
  for (const r of sbom.relationships ?? []) {
    if (issues.length >= 10) break;
    if (tooLong(r.originalType)) check(`ref:${short(r.from)}`, `a relationship from '${short(r.from)}' to '${short(r.to)}' has a type`, r.originalType);
  }
  return issues;
}

/** Depth of element nesting; comments, CDATA and processing instructions are skipped. */
export function xmlNestingDepth(text: string, max: number): { exceededAt?: number } {
  let depth = 0;
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      const close = text.startsWith('<!--', i) ? text.indexOf('-->', i) : text.startsWith('<![CDATA[', i) ? text.indexOf(']]>', i) : text.indexOf('>', i);
      if (close === -1) return {};
      i = close;
    } else if (next === 0x3f /* ? */) {
      const close = text.indexOf('?>', i);
      if (close === -1) return {};
      i = close;
    } else if (next === 0x2f /* / */) depth--;
    else {
      const close = text.indexOf('>', i);
      if (close === -1) return {};
      if (text.charCodeAt(close - 1) !== 0x2f) {
        if (++depth > max) return { exceededAt: i };
      }
      i = close;
    }
  }
  return {};
}

/**
 * A DOCTYPE can declare entities (XXE: `<!ENTITY x SYSTEM "file:///etc/passwd">`; billion laughs). No SBOM
 * format needs one, so any DOCTYPE or ENTITY declaration rejects the document before an XML parser sees it.
 */
function forbiddenXmlConstructs(text: string): SbomIssue[] {
  const issues: SbomIssue[] = [];
  for (const m of text.matchAll(/<!(DOCTYPE|ENTITY)\b/gi)) {
    const { line, column } = lineColumnAt(text, m.index);
    issues.push(sbomIssue('FORBIDDEN_XML_CONSTRUCT', `line ${line}, column ${column}`, `XML contains '<!${m[1]}'; DOCTYPE and entity declarations are refused (XXE and entity-expansion protection)`));
    if (issues.length >= 10) break;
  }
  return issues;
}
