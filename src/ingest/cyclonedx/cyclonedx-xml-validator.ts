/**
 * @module
 * XSD validation of CycloneDX XML through the library's `Validation.XmlValidator` (libxmljs2 over the shipped
 * `bom-1.x.SNAPSHOT.xsd` + `spdx.SNAPSHOT.xsd`). The library parses with `noent: false, dtdload: false, nonet: true`:
 * no entity expansion, no DTD load, no network; parse-sbom has refused any DOCTYPE before this runs anyway.
 */
import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import { MissingOptionalDependencyError, XmlValidator } from '@cyclonedx/cyclonedx-library/Validation';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { capIssues } from '../ajv-issue.js';
import { lineColumnAt } from '../decode-text.js';
import type { CycloneDxValidation } from './cyclonedx-json-validator.js';

export const CYCLONEDX_XML_SPEC_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6'] as const;

export interface CycloneDxXmlValidation extends CycloneDxValidation {
  /**
   * False when libxml2 could not parse the text at all, or was not given it (text it would spend memory or time on
   * out of all proportion); `issues` then holds the syntax error or the limit.
   */
  wellFormed: boolean;
}

export type CycloneDxXmlValidator = (text: string) => Promise<CycloneDxXmlValidation>;

/** What libxmljs2 puts on a validation or syntax error (the library's own type is `any`). */
interface LibxmlError {
  message?: string;
  line?: number | null;
  column?: number | null;
}

const cache = new Map<string, CycloneDxXmlValidator>();

/**
 * The XSD validator for one CycloneDX spec version (`1.2` to `1.6`); the schema is loaded on first use and cached.
 * Each XSD error becomes a SCHEMA_VIOLATION at `line N` (libxml2 gives no column for them), with libxml2's
 * message minus the namespace noise. Resolves `wellFormed: false` with a SYNTAX_ERROR when libxml2 cannot parse the
 * text; never rejects for a bad document.
 *
 * @throws Error for a spec version with no XSD. Rejects with the library's MissingOptionalDependencyError when
 *   libxmljs2 is not installed (an operational failure, not a verdict on the document).
 * @example
 * const { wellFormed, valid, issues } = await getCycloneDxXmlValidator('1.4')(xmlText);
 */
export function getCycloneDxXmlValidator(specVersion: string): CycloneDxXmlValidator {
  let validator = cache.get(specVersion);
  if (!validator) {
    const version = Object.values(Version).find((v) => v === specVersion);
    if (!version || !(CYCLONEDX_XML_SPEC_VERSIONS as readonly string[]).includes(version)) {
      throw new Error(`no CycloneDX XSD for spec version '${specVersion}'; supported: ${CYCLONEDX_XML_SPEC_VERSIONS.join(', ')}`);
    }
    validator = createValidator(new XmlValidator(version));
    cache.set(specVersion, validator);
  }
  return validator;
}

function createValidator(xsd: XmlValidator): CycloneDxXmlValidator {
  return async function validateCycloneDxXml(text) {
    const refusal = beforeLibxml2(text);
    if (refusal) return { wellFormed: false, valid: false, issues: [refusal] };
    let errors: LibxmlError[] | null;
    try {
      errors = (await xsd.validate(text)) as LibxmlError[] | null;
    } catch (e) {
      if (e instanceof MissingOptionalDependencyError) throw e;
      // libxmljs2 throws its parse error (it carries line and column) when the text is not well-formed XML.
      const err = e as LibxmlError;
      return { wellFormed: false, valid: false, issues: [sbomIssue('SYNTAX_ERROR', location(err), `XML is not well-formed: ${cleanMessage(err.message)}`)] };
    }
    if (!errors) return { wellFormed: true, valid: true, issues: [] };
    const issues = errors.map((err) => sbomIssue('SCHEMA_VIOLATION', location(err), cleanMessage(err.message)));
    return { wellFormed: true, valid: false, issues: capIssues(issues, 'SCHEMA_VIOLATION', 'schema violations', '') };
  };
}

/**
 * What libxml2 must not be given, as the issue that refuses it: text on which it would spend memory or time out of
 * all proportion to its size (below). Undefined for any other text.
 */
function beforeLibxml2(text: string): SbomIssue | undefined {
  const at = (offset: number) => lineColumnAt(text, offset);
  const hyphens = doubleHyphenInComment(text);
  if (hyphens !== undefined) {
    const { line, column } = at(hyphens);
    return sbomIssue('SYNTAX_ERROR', `line ${line}, column ${column}`, `XML is not well-formed: a comment holds '--' at line ${line}, column ${column}, which XML 1.0 (section 2.5) does not allow inside a comment`);
  }
  const crowded = crowdedElement(text);
  if (crowded) {
    const { line, column } = at(crowded.offset);
    return sbomIssue('LIMIT_EXCEEDED', `line ${line}, column ${column}`, `the element at line ${line}, column ${column} has ${crowded.attributes} attributes, above the limit of ${MAX_ATTRIBUTES} (a CycloneDX element has a handful)`);
  }
  return undefined;
}

/**
 * Most attributes one element may have. A CycloneDX element has a handful (a component: type, bom-ref, mime-type,
 * isExternal); libxml2 compares each attribute of an element with every other one, so one element of 32,000
 * attributes (400 KB) took 3.6 s, and 64,000 took 36 s.
 */
export const MAX_ATTRIBUTES = 64;

/**
 * A start tag longer than this may hold more than {@link MAX_ATTRIBUTES} attributes (each takes at least ` a=""`);
 * an attribute value holds no `<` (XML 1.0 section 3.1), so such a tag lies in a run of this many characters without one.
 */
const CROWDED_SPAN = new RegExp(`<[^<]{${MAX_ATTRIBUTES * 5},}`, 'g');

/**
 * The first element with more than {@link MAX_ATTRIBUTES} attributes: where its `<` is, and how many it has. Only
 * the rare long runs without a `<` are looked at (one native scan of the text finds them), and in each only its
 * start tag, up to the first `>` outside quotes: an attribute is a `=` outside quotes.
 */
export function crowdedElement(text: string): { offset: number; attributes: number } | undefined {
  CROWDED_SPAN.lastIndex = 0;
  for (let m = CROWDED_SPAN.exec(text); m !== null; m = CROWDED_SPAN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const kind = text.charCodeAt(start + 1);
    if (kind === 0x21 /* ! */ || kind === 0x3f /* ? */ || kind === 0x2f /* / */) continue;
    let attributes = 0;
    let quote = 0;
    for (let i = start + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3d /* = */) attributes++;
      else if (c === 0x3e /* > */) break;
    }
    if (attributes > MAX_ATTRIBUTES) return { offset: start, attributes };
  }
  return undefined;
}

/**
 * Where the first `--` inside a comment is (XML 1.0 section 2.5: a comment holds no `--` and does not end in `-`), as
 * an offset into `text`; undefined when no comment holds one. Checked before libxml2 sees the text: libxml2 reports
 * every `--` of a comment, each report carrying the whole comment read so far, and libxmljs2 keeps every report. A
 * comment of 16,000 `a--` (55 KB) took 0.5 GB, and a larger upload ended the process out of memory (found by the
 * XML mutation property). `<!--` inside a CDATA section or a processing instruction opens no comment: those are
 * skipped.
 */
export function doubleHyphenInComment(text: string): number | undefined {
  let comment = text.indexOf('<!--');
  let cdata = comment === -1 ? -1 : text.indexOf('<![CDATA[');
  let pi = comment === -1 ? -1 : text.indexOf('<?');
  while (comment !== -1) {
    let resume: number;
    if (cdata !== -1 && cdata < comment) {
      const end = text.indexOf(']]>', cdata + 9);
      if (end === -1) return undefined; // the rest is CDATA (libxml2 stops there)
      resume = end + 3;
    } else if (pi !== -1 && pi < comment) {
      const end = text.indexOf('?>', pi + 2);
      if (end === -1) return undefined;
      resume = end + 2;
    } else {
      const end = text.indexOf('-->', comment + 4);
      const hyphens = text.indexOf('--', comment + 4);
      // An unclosed comment runs to the end of the text, and libxml2 reports each `--` in it too.
      if (hyphens !== -1 && (end === -1 || hyphens < end)) return hyphens;
      if (end === -1) return undefined;
      resume = end + 3;
    }
    if (comment < resume) comment = text.indexOf('<!--', resume);
    if (cdata !== -1 && cdata < resume) cdata = text.indexOf('<![CDATA[', resume);
    if (pi !== -1 && pi < resume) pi = text.indexOf('<?', resume);
  }
  return undefined;
}

function location(err: LibxmlError): string {
  if (!err.line) return '';
  return err.column ? `line ${err.line}, column ${err.column}` : `line ${err.line}`;
}

/** `Element '{http://cyclonedx.org/schema/bom/1.4}component', attribute 'type': ...` -> `Element 'component', ...`. */
function cleanMessage(message: string | undefined): string {
  return (message ?? 'unknown libxml2 error').replace(/\{http:\/\/cyclonedx\.org\/schema\/[^}]*\}/g, '').trim();
}
