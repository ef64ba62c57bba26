/**
 * @module
 * Schema verdict for SPDX 3.0.x JSON-LD: the SPDX 3.0.1 JSON schema (schemas/SOURCES.md; draft 2020-12, generated
 * by shacl2code), run by ajv. The verdict is the whole-document check; when it fails, each `@graph` element is
 * checked again against the schema of its own class so every issue can name the element and the property.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { ajvErrorToIssue, capIssues, describeValue } from '../ajv-issue.js';
import { linearAjvErrors } from '../linear-ajv-errors.js';

const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as (ajv: Ajv2020) => Ajv2020;

export const SPDX3_CONTEXT_3_0_1 = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';
const SPDX3_CONTEXT_3_0_0 = 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld';
const SCHEMA_KEY = 'spdx-3.0.1';
const SCHEMA_NAME = 'SPDX 3.0.1 JSON schema';
/** Issues listed per failing element; one broken value can fail dozens of anyOf branches. */
const ISSUES_PER_ELEMENT = 8;

export interface Spdx3Validation {
  valid: boolean;
  /** SCHEMA_VIOLATION issues (severity `error`), at most MAX_REPORTED_ISSUES plus a summary. */
  issues: SbomIssue[];
}

let schema: AnySchemaObject | undefined;
let validateDocument: ValidateFunction | undefined;
/** Second instance with allErrors on, built only for invalid documents: allErrors makes every anyOf branch run. */
let diagnostics: Ajv2020 | undefined;
const classValidators = new Map<string, ValidateFunction | undefined>();

/**
 * Validates an SPDX 3.0.0 or 3.0.1 JSON-LD document. SPDX publishes a JSON schema for 3.0.1 only (a corrections
 * release of 3.0.0), so a 3.0.0 document is checked against that, the closest schema there is, with its `@context`
 * (the 3.0.0 URL, which the schema's `const` would refuse) taken as the 3.0.1 one. The schema compiles on first
 * use and is cached; an invalid document costs a second, all-errors compile for the messages. Never throws for a
 * bad document.
 *
 * @example
 * const { valid, issues } = validateSpdx3Json(JSON.parse(text), '3.0.1');
 */
export function validateSpdx3Json(doc: Record<string, unknown>, specVersion: string): Spdx3Validation {
  const validate = documentValidator();
  const subject: Record<string, unknown> = specVersion === '3.0.0' && doc['@context'] === SPDX3_CONTEXT_3_0_0 ? { ...doc, '@context': SPDX3_CONTEXT_3_0_1 } : doc;
  const valid: boolean = validate(subject);
  if (valid) return { valid: true, issues: [] };

  const issues: SbomIssue[] = [];
  const context = subject['@context'];
  if (context !== SPDX3_CONTEXT_3_0_1) {
    issues.push(sbomIssue('SCHEMA_VIOLATION', '/@context', `'@context' ${describeValue(context)} is not the single string '${SPDX3_CONTEXT_3_0_1}' (${SCHEMA_NAME})`));
  }
  const graph = subject['@graph'];
  if (Array.isArray(graph)) {
    graph.forEach((element, i) => issues.push(...elementIssues(element, `/@graph/${i}`)));
  } else if (!('@graph' in subject)) {
    issues.push(...elementIssues(Object.fromEntries(Object.entries(subject).filter(([k]) => k !== '@context')), ''));
  } else {
    issues.push(sbomIssue('SCHEMA_VIOLATION', '/@graph', `'@graph' ${describeValue(graph)} is not an array (${SCHEMA_NAME})`));
  }
  if (issues.length === 0) {
    // Every element passes on its own; report what the whole-document check said.
    const all = diagnosticAjv().getSchema(SCHEMA_KEY)!;
    all(subject);
    issues.push(...reduceErrors(all.errors ?? [], ''));
  }
  return { valid: false, issues: capIssues(issues, 'SCHEMA_VIOLATION', 'schema violations') };
}

function loadSchema(): AnySchemaObject {
  schema ??= JSON.parse(readFileSync(new URL('./schemas/spdx-3.0.1.schema.json', import.meta.url), 'utf8')) as AnySchemaObject;
  return schema;
}

function documentValidator(): ValidateFunction {
  if (!validateDocument) {
    const ajv = new Ajv2020({ strict: false, allErrors: false, useDefaults: false });
    addFormats(ajv);
    validateDocument = ajv.compile(loadSchema());
  }
  return validateDocument;
}

function diagnosticAjv(): Ajv2020 {
  if (!diagnostics) {
    diagnostics = new Ajv2020({ strict: false, allErrors: true, verbose: true, useDefaults: false, code: { process: linearAjvErrors } });
    addFormats(diagnostics);
    diagnostics.addSchema(loadSchema(), SCHEMA_KEY);
  }
  return diagnostics;
}

/** Issues of one `@graph` element, checked against the schema of the class its `type` names. */
function elementIssues(element: unknown, pointer: string): SbomIssue[] {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) {
    return [sbomIssue('SCHEMA_VIOLATION', pointer || '/', `element '${pointer}' ${describeValue(element)} is not an object (${SCHEMA_NAME})`)];
  }
  const type = (element as Record<string, unknown>).type;
  const validate = typeof type === 'string' ? classValidator(type) : undefined;
  if (!validate) {
    return [sbomIssue('SCHEMA_VIOLATION', `${pointer}/type`, `element '${pointer}' has type ${describeValue(type) || '(none)'}, which is not an SPDX 3.0.1 class (${SCHEMA_NAME})`)];
  }
  return validate(element) ? [] : reduceErrors(validate.errors ?? [], pointer).slice(0, ISSUES_PER_ELEMENT);
}

function classValidator(type: string): ValidateFunction | undefined {
  if (!classValidators.has(type)) {
    const defs = (loadSchema() as { $defs: Record<string, unknown> }).$defs;
    // Only the class definitions themselves (`software_Package`), not `_props` / `_derived` helpers or `prop_*`.
    const isClass = Object.hasOwn(defs, type) && !/_(props|derived)$/.test(type) && !type.startsWith('prop_') && !['IRI', 'BlankNode', 'BlankNodeOrIRI', 'anyURI', 'SHACLClass', 'AnyClass'].includes(type);
    classValidators.set(type, isClass ? diagnosticAjv().compile({ $ref: `${SCHEMA_KEY}#/$defs/${type}`, type: 'object', unevaluatedProperties: false }) : undefined);
  }
  return classValidators.get(type);
}

/**
 * ajv reports every failed branch of the schema's anyOf/oneOf (an IRI? a blank node? an inline object?). Keep the
 * leaf errors, one per path and message, and fold a path with many alternatives into one issue.
 */
function reduceErrors(errors: ErrorObject[], prefix: string): SbomIssue[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'allOf' || e.keyword === 'not' || e.keyword === 'if') continue;
    const list = byPath.get(e.instancePath) ?? [];
    if (!list.some((x) => x.message === e.message && JSON.stringify(x.params) === JSON.stringify(e.params))) list.push(e);
    byPath.set(e.instancePath, list);
  }
  const issues: SbomIssue[] = [];
  for (const [path, list] of byPath) {
    const relocated = list.map((e) => ({ ...e, instancePath: `${prefix}${e.instancePath}` }));
    if (list.length <= 2 || list.every((e) => e.keyword === 'required' || e.keyword === 'unevaluatedProperties')) {
      issues.push(...relocated.map((e) => ajvErrorToIssue(e, SCHEMA_NAME)));
    } else {
      const shown = [...new Set(list.map((e) => e.message ?? e.keyword))].slice(0, 3).join('; ');
      issues.push(sbomIssue('SCHEMA_VIOLATION', `${prefix}${path}` || '/', `'${prefix}${path}' ${describeValue(list[0]!.data)} matches none of the forms the schema allows there (${shown}; ${SCHEMA_NAME})`));
    }
  }
  return issues;
}
