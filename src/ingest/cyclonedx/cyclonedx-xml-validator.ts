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

function location(err: LibxmlError): string {
  if (!err.line) return '';
  return err.column ? `line ${err.line}, column ${err.column}` : `line ${err.line}`;
}

/** `Element '{http://cyclonedx.org/schema/bom/1.4}component', attribute 'type': ...` -> `Element 'component', ...`. */
function cleanMessage(message: string | undefined): string {
  return (message ?? 'unknown libxml2 error').replace(/\{http:\/\/cyclonedx\.org\/schema\/[^}]*\}/g, '').trim();
}
