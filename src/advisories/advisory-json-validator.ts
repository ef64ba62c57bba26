/**
 * @module
 * Schema verdict for advisories, with own Ajv instances over the formats' official JSON schemas carried in
 * schemas/ (schemas/SOURCES.md): CSAF 2.0 with FIRST's CVSS 2.0/3.0/3.1 schemas it refers to, OSV, OpenVEX
 * 0.2.0. CycloneDX VEX/VDR goes through the SBOM side's CycloneDX validator, the same schemas. OpenVEX before
 * 0.2.0 has no published schema: its mandatory fields are checked by hand.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AdvisoryFormat } from '../model/advisory.js';
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';
import { ajvErrorToIssue, capIssues, describeValue } from '../ingest/ajv-issue.js';
import { getCycloneDxJsonValidator } from '../ingest/cyclonedx/cyclonedx-json-validator.js';
import { arr, isObject, pointer } from './json-values.js';
import { VEX_LABEL_JUSTIFICATIONS } from './vex-labels.js';
import { linearAjvErrors } from '../ingest/linear-ajv-errors.js';

const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;
const { fullFormats } = require('ajv-formats/dist/formats') as { fullFormats: { uri: (value: string) => boolean } };

export interface AdvisoryValidation {
  /** No schema violation (and, for OpenVEX before 0.2.0, no missing mandatory field). */
  valid: boolean;
  /** SCHEMA_VIOLATION (and MISSING_FIELD) issues of severity `error`, at most MAX_REPORTED_ISSUES plus a summary. */
  issues: SbomIssue[];
}

interface CompiledSchema {
  name: string;
  validate: ValidateFunction;
}

const compiled = new Map<string, CompiledSchema>();

/** The OpenVEX spec version whose JSON schema is carried; earlier documents are checked by hand. */
export const OPENVEX_SCHEMA_VERSION = '0.2.0';
export const OPENVEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;

/**
 * Validates one advisory document of a detected format and supported spec version. Schemas compile on first use
 * (CSAF about 0.2 s) and are cached. Never throws for a bad document.
 *
 * @throws Error for a CycloneDX spec version with no schema (parseAdvisory only passes 1.4-1.6).
 *
 * @example
 * const { valid, issues } = validateAdvisoryJson('csaf', '2.0', JSON.parse(text));
 */
export function validateAdvisoryJson(format: AdvisoryFormat, specVersion: string | undefined, doc: Record<string, unknown>): AdvisoryValidation {
  switch (format) {
    case 'cyclonedx-vex':
      return getCycloneDxJsonValidator(specVersion!)(doc);
    case 'openvex':
      return specVersion === OPENVEX_SCHEMA_VERSION ? runSchema('openvex', doc) : checkEarlyOpenVex(doc);
    default:
      return runSchema(format, doc);
  }
}

function runSchema(format: 'csaf' | 'osv' | 'openvex', doc: unknown): AdvisoryValidation {
  let schema = compiled.get(format);
  if (!schema) {
    schema = compile(format);
    compiled.set(format, schema);
  }
  if (schema.validate(doc)) return { valid: true, issues: [] };
  const errors = usefulErrors(schema.validate.errors ?? []);
  return { valid: false, issues: capIssues(errors.map((e) => ajvErrorToIssue(e, schema.name)), 'SCHEMA_VIOLATION', 'schema violations') };
}

/**
 * An `if`/`then` error only says that the `then` part failed, and that part's own errors are reported beside it,
 * naming the missing property; so the `if` errors are dropped.
 */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((e) => e.keyword !== 'if');
  return kept.length ? kept : errors;
}

function compile(format: 'csaf' | 'osv' | 'openvex'): CompiledSchema {
  const load = (file: string): AnySchemaObject => JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as AnySchemaObject;
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, useDefaults: false, addUsedSchema: false, validateSchema: false, code: { process: linearAjvErrors } });
  addFormats(ajv);
  ajv.addFormat('iri', isIri);
  if (format === 'csaf') {
    // The CSAF schema refers to FIRST's CVSS schemas by URL; their own $id carries a date (`...cvss-v3.1.json?20190610`),
    // so each is registered under the URL the CSAF schema uses.
    ajv.addSchema(load('cvss-v2.0.schema.json'), 'https://www.first.org/cvss/cvss-v2.0.json');
    ajv.addSchema(load('cvss-v3.0.schema.json'), 'https://www.first.org/cvss/cvss-v3.0.json');
    ajv.addSchema(load('cvss-v3.1.schema.json'), 'https://www.first.org/cvss/cvss-v3.1.json');
    return { name: 'CSAF 2.0 JSON schema', validate: ajv.compile(load('csaf-2.0.schema.json')) };
  }
  if (format === 'osv') return { name: 'OSV JSON schema', validate: ajv.compile(load('osv.schema.json')) };
  return { name: `OpenVEX ${OPENVEX_SCHEMA_VERSION} JSON schema`, validate: ajv.compile(load('openvex-0.2.0.schema.json')) };
}

/**
 * RFC 3987 IRI (absolute: a scheme is required). ajv-formats has no `iri`, and ajv-formats-draft2019's wants an
 * IANA-registered scheme, which refuses the purls (`pkg:oci/...`) OpenVEX itself uses as product @id. Non-ASCII
 * characters are percent-encoded first (the IRI-to-URI mapping of RFC 3987 section 3.1), then the URI is checked.
 */
function isIri(value: string): boolean {
  // An unpaired surrogate is no character at all, and encodeURIComponent throws on it (URIError): not an IRI.
  if (!value.isWellFormed()) return false;
  return fullFormats.uri(value.replace(/[^\x00-\x7f]/gu, (c) => encodeURIComponent(c)));
}

const EARLY_OPENVEX = 'OpenVEX before 0.2.0, which has no JSON schema: mandatory fields checked by hand';

/**
 * OpenVEX 0.0.x (context `https://openvex.dev/ns`): the fields its spec marks required. 0.0.1 wrote the
 * vulnerability and products as plain strings, so both a string and a struct with `name` are accepted.
 */
function checkEarlyOpenVex(doc: Record<string, unknown>): AdvisoryValidation {
  const issues: SbomIssue[] = [];
  for (const field of ['@id', 'author', 'timestamp', 'version', 'statements']) {
    if (!(field in doc)) issues.push(sbomIssue('MISSING_FIELD', '/', `the document has no required property '${field}' (${EARLY_OPENVEX})`));
  }
  const statements = doc.statements;
  if ('statements' in doc && (!Array.isArray(statements) || statements.length === 0)) {
    issues.push(sbomIssue('SCHEMA_VIOLATION', '/statements', `'/statements' ${describeValue(statements)} is not a non-empty array of statements (${EARLY_OPENVEX})`));
  }
  arr(statements).forEach((s, i) => {
    const at = pointer('statements', i);
    if (!isObject(s)) {
      issues.push(sbomIssue('SCHEMA_VIOLATION', at, `'${at}' ${describeValue(s)} is not a statement object (${EARLY_OPENVEX})`));
      return;
    }
    const v = s.vulnerability;
    if (!(typeof v === 'string' && v !== '') && !(isObject(v) && typeof v.name === 'string' && v.name !== '')) {
      issues.push(sbomIssue('MISSING_FIELD', at, `statement '${at}' names no vulnerability (a string, or a struct with 'name') (${EARLY_OPENVEX})`));
    }
    if (!(OPENVEX_STATUSES as readonly unknown[]).includes(s.status)) {
      issues.push(sbomIssue('SCHEMA_VIOLATION', `${at}/status`, `'${at}/status' ${describeValue(s.status) || '(absent)'} is not one of ${OPENVEX_STATUSES.map((x) => `'${x}'`).join(', ')} (${EARLY_OPENVEX})`));
    }
    if ('justification' in s && !(typeof s.justification === 'string' && Object.hasOwn(VEX_LABEL_JUSTIFICATIONS, s.justification))) {
      issues.push(sbomIssue('SCHEMA_VIOLATION', `${at}/justification`, `'${at}/justification' ${describeValue(s.justification)} is not one of ${Object.keys(VEX_LABEL_JUSTIFICATIONS).map((x) => `'${x}'`).join(', ')} (${EARLY_OPENVEX})`));
    }
  });
  return { valid: issues.length === 0, issues: capIssues(issues, 'SCHEMA_VIOLATION', 'problems') };
}
