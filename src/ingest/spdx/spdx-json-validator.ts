/**
 * @module
 * Schema verdict for SPDX 2.2 / 2.3 JSON: the specification's own JSON schemas (schemas/SOURCES.md), run by ajv,
 * plus the spec rules no schema states ({@link checkSpdx2SpecRules}: SPDXID format, document SPDXID, created
 * timestamp). Warnings of those rules are passed on but do not change the verdict.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { ajvErrorToIssue, capIssues, MAX_REPORTED_ISSUES } from '../ajv-issue.js';
import { checkSpdx2SpecRules } from './spdx2-spec-rules.js';
import { linearAjvErrors } from '../linear-ajv-errors.js';

const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;

/**
 * The schema file per spec version. 2.2 is draft-07; the 2.3 file is draft 2019-09 (it uses `deprecated`), so it
 * needs ajv's 2019 class.
 */
const SCHEMAS: Record<string, { file: string; draft2019: boolean }> = {
  '2.2': { file: 'spdx-2.2.schema.json', draft2019: false },
  '2.3': { file: 'spdx-2.3.schema.json', draft2019: true },
};

export interface SpdxJsonValidation {
  /** No schema violation and no spec-rule violation. */
  valid: boolean;
  /** SCHEMA_VIOLATION issues (and the rules' warnings), at most MAX_REPORTED_ISSUES of each kind plus a summary. */
  issues: SbomIssue[];
}

export type SpdxJsonValidator = (doc: unknown) => SpdxJsonValidation;

const cache = new Map<string, SpdxJsonValidator>();

/**
 * The validator for SPDX JSON `2.2` or `2.3`, compiled on first use and cached. It never throws for a bad document.
 *
 * @throws Error for a spec version with no schema (parse-sbom only calls it with supported versions).
 * @example
 * const { valid, issues } = getSpdxJsonValidator('2.3')(JSON.parse(text));
 */
export function getSpdxJsonValidator(specVersion: string): SpdxJsonValidator {
  let validator = cache.get(specVersion);
  if (!validator) {
    const entry = SCHEMAS[specVersion];
    if (!entry) throw new Error(`no SPDX JSON schema for spec version '${specVersion}'; supported: ${Object.keys(SCHEMAS).join(', ')}`);
    validator = compile(specVersion, entry.file, entry.draft2019);
    cache.set(specVersion, validator);
  }
  return validator;
}

function compile(specVersion: string, file: string, draft2019: boolean): SpdxJsonValidator {
  const schema = JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as AnySchemaObject;
  const build = (allErrors: boolean): ValidateFunction => {
    const options = { strict: false, allErrors, verbose: allErrors, useDefaults: false, addUsedSchema: false, code: { process: linearAjvErrors } } as const;
    const ajv = draft2019 ? new Ajv2019(options) : new Ajv(options);
    addFormats(ajv as Ajv);
    return ajv.compile(schema);
  };
  // The verdict comes from a stop-at-first-error validator: with allErrors on, ajv walks every package even of a
  // valid document more slowly (100 000 packages: about 30 ms against 270 ms). Only an invalid document pays for
  // the all-errors run that lists every violation.
  const verdict = build(false);
  let diagnostics: ValidateFunction | undefined;
  const schemaName = `SPDX ${specVersion} JSON schema`;
  return (doc) => {
    let schemaIssues: SbomIssue[] = [];
    if (!verdict(doc)) {
      diagnostics ??= build(true);
      diagnostics(doc);
      const errors = diagnostics.errors ?? [];
      // Only the listed ones become issues: a tool that leaves one required field out of 100 000 packages makes
      // 100 000 errors.
      schemaIssues = errors.slice(0, MAX_REPORTED_ISSUES).map((e) => ajvErrorToIssue(e, schemaName));
      if (errors.length > MAX_REPORTED_ISSUES) {
        schemaIssues.push(sbomIssue('SCHEMA_VIOLATION', '/', `${errors.length - MAX_REPORTED_ISSUES} more schema violations not listed (${errors.length} in all)`));
      }
    }
    const ruleIssues =
      typeof doc === 'object' && doc !== null && !Array.isArray(doc)
        ? checkSpdx2SpecRules(doc as Record<string, unknown>, { locate: (p) => p, mandatoryFields: false, serialisation: 'JSON' })
        : [];
    return {
      valid: schemaIssues.length === 0 && !ruleIssues.some((i) => i.severity === 'error'),
      issues: [...schemaIssues, ...capIssues(ruleIssues, 'SCHEMA_VIOLATION', 'spec-rule violations')],
    };
  };
}
