/**
 * @module
 * The advisory entry point: bytes in, a format-neutral {@link ParsedAdvisory} (statements with the document's
 * own status and justification words beside the model's) or every problem found out. Pure: no database, no I/O.
 * Storage and matching never see OSV, CSAF, OpenVEX or CycloneDX.
 */
import type { AdvisoryFormat, AdvisoryParseResult, AdvisoryProduct, ParsedAdvisory } from '../model/advisory.js';
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';
import { capIssues } from '../ingest/ajv-issue.js';
import { decodeText } from '../ingest/decode-text.js';
import { DEFAULT_INGEST_LIMITS, MAX_INDEXED_VALUE_BYTES } from '../ingest/ingest-limits.js';
import { OPENVEX_SCHEMA_VERSION, validateAdvisoryJson } from './advisory-json-validator.js';
import { parseCsaf } from './csaf/parse-csaf.js';
import { parseCycloneDxVex } from './cyclonedx/parse-cyclonedx-vex.js';
import { detectAdvisoryFormat } from './detect-advisory-format.js';
import { readJsonText } from '../ingest/read-json-text.js';
import type { JsonObject } from './json-values.js';
import type { MappedAdvisory } from './mapped-advisory.js';
import { parseOpenVex } from './openvex/parse-openvex.js';
import { parseOsv } from './osv/parse-osv.js';

export interface AdvisoryParseOptions {
  /** Reject a document that breaks its format's schema instead of recording the violations. */
  strict?: boolean;
  /** Largest document accepted, in bytes (default: the SBOM limit, src/ingest/ingest-limits.ts). */
  maxBytes?: number;
  /** Deepest nesting of JSON arrays and objects (default: the SBOM limit). */
  maxDepth?: number;
}

/** Spec versions read per format; `undefined` stands for a document that declares none (read as the format's 1.x / 0.0.x). */
const SUPPORTED: Record<AdvisoryFormat, { versions: string; accepts: (v: string | undefined) => boolean; path: string }> = {
  csaf: { versions: '2.0', accepts: (v) => v === '2.0', path: '/document/csaf_version' },
  osv: { versions: '1.x (schema_version absent: 1.0.0, as the OSV spec says)', accepts: (v) => v === undefined || /^1(\.\d+){0,2}$/.test(v), path: '/schema_version' },
  openvex: { versions: `${OPENVEX_SCHEMA_VERSION} and 0.0.x (context https://openvex.dev/ns)`, accepts: (v) => v === undefined || v === OPENVEX_SCHEMA_VERSION || /^0\.0\.\d+$/.test(v), path: '/@context' },
  'cyclonedx-vex': { versions: '1.4, 1.5, 1.6', accepts: (v) => v === '1.4' || v === '1.5' || v === '1.6', path: '/specVersion' },
};

const MAPPERS: Record<AdvisoryFormat, (doc: JsonObject) => MappedAdvisory> = {
  osv: parseOsv,
  csaf: parseCsaf,
  openvex: parseOpenVex,
  'cyclonedx-vex': parseCycloneDxVex,
};

/**
 * Reads one advisory or VEX document: OSV JSON, CSAF 2.0, OpenVEX or CycloneDX VEX/VDR, told apart by content
 * (detect-advisory-format.ts). Never throws for bad input. A document that cannot be read as an advisory
 * (empty, not JSON, truncated, too large or deep, no advisory, unsupported version) comes back `ok: false` with
 * every problem found, each located (JSON pointer, `line L, column C` or `byte N`). One that can be read comes
 * back `ok: true` with its schema verdict (`schemaValid`) and all issues, errors and warnings; with `strict`, a
 * schema violation rejects it instead, with the errors.
 *
 * @example
 * const r = await parseAdvisory(readFileSync('icsa-20-343-01.json'));
 * if (r.ok) for (const s of r.advisory.statements) console.log(s.vulnerabilityId, s.product.name, s.status, s.statusOriginal);
 * else console.error(r.issues.map((i) => `${i.path}: ${i.message}`));
 */
export async function parseAdvisory(bytes: Uint8Array, options: AdvisoryParseOptions = {}): Promise<AdvisoryParseResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_INGEST_LIMITS.maxBytes;
  const maxDepth = options.maxDepth ?? DEFAULT_INGEST_LIMITS.maxDepth;
  if (bytes.byteLength > maxBytes) {
    return { ok: false, issues: [sbomIssue('LIMIT_EXCEEDED', '', `document is ${bytes.byteLength} bytes, above the limit of ${maxBytes} bytes`)] };
  }
  const read = readJson(bytes, maxDepth);
  if (read.kind === 'rejected') return { ok: false, issues: read.issues };

  const detection = detectAdvisoryFormat(read.doc);
  if (detection.kind === 'unknown') return { ok: false, issues: [sbomIssue('NOT_AN_ADVISORY', '', `document is JSON but not an advisory: ${detection.reason}`)] };
  const { format, specVersion, doc } = detection;
  const supported = SUPPORTED[format];
  if (!supported.accepts(specVersion)) {
    const issue = sbomIssue('UNSUPPORTED_SPEC_VERSION', supported.path, `${format} spec version ${specVersion === undefined ? '(none declared)' : `'${specVersion}'`} is not supported; supported: ${supported.versions}`);
    return { ok: false, format, specVersion, issues: [issue] };
  }

  const validation = validateAdvisoryJson(format, specVersion, doc);
  const mapped = MAPPERS[format](doc);
  const oversized = oversizedValues(mapped);
  if (oversized.length) return { ok: false, format, specVersion, issues: oversized };
  const schemaIssues = read.trailing ? [read.trailing, ...validation.issues] : validation.issues;
  const schemaValid = validation.valid && !read.trailing;
  if (options.strict && !schemaValid) return { ok: false, format, specVersion, issues: schemaIssues };

  const { issues: mappingIssues, ...fields } = mapped;
  const advisory: ParsedAdvisory = { format, specVersion, ...fields, schemaValid, issues: [...schemaIssues, ...capEachCode(mappingIssues)] };
  return { ok: true, advisory: withoutUndefined(advisory) };
}

/**
 * Bytes -> parsed JSON, as the SBOM side reads JSON (src/ingest/parse-sbom.ts): UTF-8 or UTF-16 with a byte-order
 * mark, the nesting limit checked on the text before JSON.parse can recurse, a syntax error located by line and
 * column, and a complete document followed by junk read with the junk recorded.
 */
function readJson(bytes: Uint8Array, maxDepth: number): { kind: 'json'; doc: unknown; trailing?: SbomIssue } | { kind: 'rejected'; issues: SbomIssue[] } {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { kind: 'rejected', issues: [decoded.issue] };
  const text = decoded.text;
  if (text.trim() === '') {
    return { kind: 'rejected', issues: [sbomIssue('EMPTY_DOCUMENT', '', 'document is empty; expected an OSV, CSAF 2.0, OpenVEX or CycloneDX VEX JSON document')] };
  }
  if (text.trimStart().startsWith('<')) {
    return { kind: 'rejected', issues: [sbomIssue('UNSUPPORTED_FORMAT', 'line 1, column 1', 'document is XML; advisories are read as JSON only (OSV, CSAF 2.0, OpenVEX, CycloneDX VEX JSON)')] };
  }
  return readJsonText(text, maxDepth);
}

const tooLong = (s: string | undefined): boolean => s !== undefined && s.length > MAX_INDEXED_VALUE_BYTES / 3 && Buffer.byteLength(s) > MAX_INDEXED_VALUE_BYTES;

/**
 * Ids, names and identities are indexed, so each is at most MAX_INDEXED_VALUE_BYTES long (as in an SBOM,
 * src/ingest/ingest-limits.ts). A longer one was read and then refused by PostgreSQL (`index row requires 10016
 * bytes`): a 500 after the work, instead of a clear 422.
 */
function oversizedValues(a: MappedAdvisory): SbomIssue[] {
  const issues: SbomIssue[] = [];
  const reported = new Set<string>();
  const check = (path: string, what: string, value: string | undefined) => {
    if (value === undefined || !tooLong(value) || issues.length >= 10 || reported.has(value)) return;
    reported.add(value);
    const message = `${what} of ${Buffer.byteLength(value)} bytes ('${value.slice(0, 40)}...'); ids, names and product identities are limited to ${MAX_INDEXED_VALUE_BYTES} bytes`;
    issues.push(sbomIssue('LIMIT_EXCEEDED', path, message));
  };
  check('', 'the document has an id', a.documentId);
  check('', 'the document has a version', a.documentVersion);
  check('', 'the publisher has a name', a.publisher?.name);
  const checkProduct = (path: string, p: AdvisoryProduct) => {
    check(path, 'the product has a ref', p.ref);
    check(path, 'the product has a purl', p.purl);
    check(path, 'the product has a CPE', p.cpe);
    check(path, 'the product has a vendor name', p.vendor);
    check(path, 'the product has a name', p.name);
    check(path, 'the product has a version', p.version);
    if (p.relationship) for (const q of [p.relationship.product, p.relationship.relatesTo]) checkProduct(path, q);
  };
  // Statements first: they have a place in the document; a vulnerability already reported there is not repeated.
  for (const st of a.statements) {
    check(st.path, 'the statement names a vulnerability', st.vulnerabilityId);
    checkProduct(st.path, st.product);
    if (issues.length >= 10) break;
  }
  for (const v of a.vulnerabilities) {
    check('', 'a vulnerability has an id', v.id);
    for (const alias of v.aliases) check('', `vulnerability '${v.id.slice(0, 40)}' has an alias`, alias);
  }
  return issues;
}

/** At most MAX_REPORTED_ISSUES issues of each code, plus one that counts the rest (a product list of 100 000 dangling ids). */
function capEachCode(issues: SbomIssue[]): SbomIssue[] {
  const byCode = new Map<SbomIssue['code'], SbomIssue[]>();
  for (const issue of issues) {
    const list = byCode.get(issue.code);
    if (list) list.push(issue);
    else byCode.set(issue.code, [issue]);
  }
  return [...byCode].flatMap(([code, list]) => capIssues(list, code, `${code} issues`));
}

/** Drops keys whose value is undefined, so a parsed advisory compares and serialises as what the document said. */
function withoutUndefined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}
