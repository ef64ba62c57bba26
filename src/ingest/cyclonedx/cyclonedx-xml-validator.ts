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
  /** False when libxml2 could not parse the text at all; `issues` then holds its syntax error. */
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
    const hyphens = doubleHyphenInComment(text);
    if (hyphens !== undefined) {
      const { line, column } = lineColumnAt(text, hyphens);
      return { wellFormed: false, valid: false, issues: [sbomIssue('SYNTAX_ERROR', `line ${line}, column ${column}`, `XML is not well-formed: a comment holds '--' at line ${line}, column ${column}, which XML 1.0 (section 2.5) does not allow inside a comment`)] };
    }
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
