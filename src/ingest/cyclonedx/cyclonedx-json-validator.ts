/**
 * @module
 * JSON Schema validation of CycloneDX JSON against the schemas shipped in `@cyclonedx/cyclonedx-library`, with an
 * own Ajv instance instead of the library's `JsonValidator`: that one stops at the first error and is quadratic
 * in the number of components (ajv's `uniqueItems` compares every pair of items; DEPENDENCIES.md 3.3).
 */
import { ajvErrorToIssue, capIssues, MAX_REPORTED_ISSUES } from '../ajv-issue.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type FuncKeywordDefinition, type SchemaObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { linearAjvErrors } from '../linear-ajv-errors.js';

/** Most problems of one kind listed per document; the rest are summed up in one last issue. */

export const CYCLONEDX_JSON_SPEC_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6'] as const;

export interface CycloneDxValidation {
  /** The schema verdict: no schema violation and no duplicate bom-ref. */
  valid: boolean;
  /** SCHEMA_VIOLATION and DUPLICATE_REF issues (severity `error`), at most {@link MAX_REPORTED_ISSUES} of each plus a summary. */
  issues: SbomIssue[];
}

export type CycloneDxJsonValidator = (doc: unknown) => CycloneDxValidation;

/**
 * A validator that does its work in steps: the document without its `components` and `dependencies`, then those a
 * few hundred at a time, yielding after each slice, so that the caller's event loop can go on (feed a COPY stream)
 * while a large document is validated. Its result equals the {@link CycloneDxJsonValidator}'s, issue for issue.
 */
export type CycloneDxJsonStepValidator = (doc: unknown, itemsPerStep?: number) => Generator<void, CycloneDxValidation>;

const require = createRequire(import.meta.url);
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;
const addFormats2019 = require('ajv-formats-draft2019') as (ajv: Ajv, options: { formats: string[] }) => Ajv;
const { fullFormats } = require('ajv-formats/dist/formats') as { fullFormats: Record<string, RegExp> };

const cache = new Map<string, CompiledValidators>();

interface CompiledValidators {
  whole: CycloneDxJsonValidator;
  inSteps: CycloneDxJsonStepValidator;
}

/**
 * The validator for one CycloneDX spec version (`1.2` to `1.6`), compiled on first use (about 0.3 s) and cached.
 * It uses the plain schema for every version, not the `-strict` variants of 1.2 and 1.3: the corpus verdicts
 * (MANIFEST.tsv) were made with the plain schemas. It never throws for a bad document.
 *
 * Besides the schema it checks what the schema cannot say in JSON: bom-refs of components and services (nested
 * ones and metadata.component included) are unique, as the spec and the XSD (`xs:unique name="bom-ref"`) require.
 *
 * @throws Error for a spec version with no schema (parse-sbom only calls it with supported versions).
 * @example
 * const { valid, issues } = getCycloneDxJsonValidator('1.6')(JSON.parse(text));
 */
export function getCycloneDxJsonValidator(specVersion: string): CycloneDxJsonValidator {
  return compiledValidators(specVersion).whole;
}

/**
 * {@link getCycloneDxJsonValidator} as a {@link CycloneDxJsonStepValidator}, from the same compiled schema.
 *
 * @throws Error for a spec version with no schema.
 * @example
 * const steps = getCycloneDxJsonStepValidator('1.6')(doc);
 * for (let step = steps.next(); !step.done; step = steps.next()) await new Promise(setImmediate);
 */
export function getCycloneDxJsonStepValidator(specVersion: string): CycloneDxJsonStepValidator {
  return compiledValidators(specVersion).inSteps;
}

function compiledValidators(specVersion: string): CompiledValidators {
  let validators = cache.get(specVersion);
  if (!validators) {
    if (!(CYCLONEDX_JSON_SPEC_VERSIONS as readonly string[]).includes(specVersion)) {
      throw new Error(`no CycloneDX JSON schema for spec version '${specVersion}'; supported: ${CYCLONEDX_JSON_SPEC_VERSIONS.join(', ')}`);
    }
    validators = compileValidators(specVersion);
    cache.set(specVersion, validators);
  }
  return validators;
}

function compileValidators(specVersion: string): CompiledValidators {
  const load = (file: string): SchemaObject => JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    verbose: true, // puts the offending value on each error, so messages can quote it
    useDefaults: false,
    addUsedSchema: false,
    // The shipped schemas are fixed and known to be valid draft-07: checking them against the meta-schema in every
    // process only costs start-up time.
    validateSchema: false,
    code: { regExp: fastRegExp, optimize: false, process: linearAjvErrors },
    loadSchema: (uri) => Promise.reject(new Error(`remote schemas are disabled: ${uri}`)),
    schemas: {
      'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': rewriteSchema(load('spdx.SNAPSHOT.schema.json')),
      'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': load('cryptography-defs.SNAPSHOT.schema.json'),
      'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': load('jsf-0.82.SNAPSHOT.schema.json'),
    },
  });
  addFormats(ajv);
  addFormats2019(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', isIriReference);
  ajv.addKeyword({ keyword: LINEAR_UNIQUE, type: 'array', schemaType: 'boolean', errors: true, validate: hasUniqueItems });
  ajv.addKeyword({ keyword: SET_ENUM, schemaType: 'array', errors: true, compile: compileSetEnum });
  const root = rewriteSchema(load(`bom-${specVersion}.SNAPSHOT.schema.json`)) as SchemaObject & { $id: string };
  // Added under its $id, so that its component and dependency definitions can be had as validators of their own.
  ajv.addSchema(root);
  const compiled = (ref: string): ValidateFunction => {
    const v = ajv.getSchema(ref);
    if (!v) throw new Error(`CycloneDX ${specVersion} JSON schema: cannot resolve '${ref}'`);
    return v;
  };
  const validate = compiled(root.$id);
  const parts: SchemaParts = {
    component: compiled(`${root.$id}#/definitions/component`),
    dependency: compiled(`${root.$id}#/definitions/dependency`),
    // The checks the `dependencies` array gets besides those of its items: only the (linear) uniqueness check.
    dependencyList: ajv.compile({ type: 'array', [LINEAR_UNIQUE]: true }),
  };
  const schemaName = `CycloneDX ${specVersion} JSON schema`;
  const verdict = (schemaOk: boolean, errors: readonly ErrorObject[], doc: unknown): CycloneDxValidation => {
    const schemaIssues = capIssues(errors.map((e) => ajvErrorToIssue(e, schemaName)), 'SCHEMA_VIOLATION', 'schema violations');
    const duplicates = capIssues(duplicateBomRefs(doc), 'DUPLICATE_REF', 'duplicate bom-refs');
    return { valid: schemaOk && duplicates.length === 0, issues: [...schemaIssues, ...duplicates] };
  };

  return {
    whole: function validateCycloneDxJson(doc) {
      const schemaOk = validate(doc);
      return verdict(schemaOk, validate.errors ?? [], doc);
    },
    inSteps: function* validateCycloneDxJsonInSteps(doc, itemsPerStep = 500) {
      const errors = yield* schemaErrorsInSteps(validate, parts, doc, itemsPerStep);
      return verdict(errors.length === 0, errors, doc);
    },
  };
}

interface SchemaParts {
  component: ValidateFunction;
  dependency: ValidateFunction;
  dependencyList: ValidateFunction;
}

/** Stands in for a list while the rest of the document is validated: not an array, so it fails the list's `type`. */
const LIST_PLACEHOLDER = Object.freeze({});

/**
 * The schema errors of `doc`, in the order one call of `validate` gives them, with the entries of `components` and
 * `dependencies` validated `itemsPerStep` at a time against their definitions. The document is validated first
 * with a placeholder in place of each list, which fails exactly one rule (`type: array`, the lists' only rule that
 * is not about their items or their uniqueness): the errors of the list's items go where that error stands.
 * `components` has no other rule (its `uniqueItems` is the bom-ref check, {@link rewriteSchema}); `dependencies`
 * is also checked for duplicate entries, as the whole-document validator does after the items.
 */
function* schemaErrorsInSteps(validate: ValidateFunction, parts: SchemaParts, doc: unknown, itemsPerStep: number): Generator<void, ErrorObject[]> {
  const lists: Array<{ key: 'components' | 'dependencies'; items: unknown[] }> = [];
  let shell = doc;
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    for (const key of ['components', 'dependencies'] as const) {
      const items = (doc as Record<string, unknown>)[key];
      if (!Array.isArray(items)) continue;
      if (shell === doc) shell = { ...(doc as Record<string, unknown>) };
      (shell as Record<string, unknown>)[key] = LIST_PLACEHOLDER;
      lists.push({ key, items });
    }
  }
  validate(shell);
  const shellErrors = [...(validate.errors ?? [])];
  if (lists.length === 0) return shellErrors;
  yield;

  const listErrors = new Map<string, ErrorObject[]>();
  for (const { key, items } of lists) {
    const errors: ErrorObject[] = [];
    const item = key === 'components' ? parts.component : parts.dependency;
    for (let i = 0; i < items.length; i++) {
      if (i > 0 && i % itemsPerStep === 0) yield;
      if (item(items[i])) continue;
      const at = `/${key}/${i}`;
      for (const e of item.errors!) errors.push({ ...e, instancePath: at + e.instancePath });
    }
    if (key === 'dependencies' && !parts.dependencyList(items)) {
      for (const e of parts.dependencyList.errors!) errors.push({ ...e, instancePath: `/${key}${e.instancePath}` });
    }
    listErrors.set(`/${key}`, errors);
    yield;
  }
  const errors: ErrorObject[] = [];
  for (const e of shellErrors) {
    const replaced = e.data === LIST_PLACEHOLDER && e.keyword === 'type' ? listErrors.get(e.instancePath) : undefined;
    // One at a time: a broken document can have more errors than a call takes arguments.
    if (replaced) for (const r of replaced) errors.push(r);
    else errors.push(e);
  }
  return errors;
}

/**
 * RFC 3987 IRI-reference. ajv-formats has only `uri-reference`, so non-ASCII characters are percent-encoded first
 * (the IRI-to-URI mapping of RFC 3987 section 3.1). ajv-formats' pattern lets a colon into the first segment of a
 * relative reference, which RFC 3986 section 4.2 forbids (`git@github.com:org/repo` is not a reference), so that
 * rule is checked here. The library and the spec's harness accept any string; the corpus's sbom-utility case
 * `cdx-1-4-validate-err-components-format-iri-reference.json` is invalid only through this rule.
 */
function isIriReference(value: string): boolean {
  // An unpaired surrogate is no character at all, and encodeURIComponent throws on it (URIError): not an IRI.
  if (!value.isWellFormed()) return false;
  const uri = value.replace(/[^\x00-\x7f]/gu, (c) => encodeURIComponent(c));
  if (!fullFormats['uri-reference']!.test(uri)) return false;
  return /^[a-z][a-z0-9+.-]*:/i.test(uri) || !/^[^/?#]*:/.test(uri);
}

/**
 * The pattern of a hash's `content` in every CycloneDX schema: 32, 40, 64, 96 or 128 hex digits. As a regular
 * expression V8 tries each length in turn, about 0.4 µs a hash, a fifth of the time of validating a whole BOM.
 */
const HASH_CONTENT_PATTERN = '^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$';

/**
 * ajv's regular-expression engine (`code.regExp`), with the hash-content pattern answered by {@link isHashContent}.
 * Every other pattern is a RegExp, as ajv's default engine makes it.
 */
function fastRegExp(pattern: string, flags: string): { test(s: string): boolean } {
  if (pattern === HASH_CONTENT_PATTERN) return { test: isHashContent, toString: () => `/${pattern}/${flags}` } as { test(s: string): boolean };
  return new RegExp(pattern, flags);
}
// ajv writes this into the source of standalone validators only; none is made here.
fastRegExp.code = 'new RegExp';

/**
 * {@link HASH_CONTENT_PATTERN} without backtracking: a length of 32, 40, 64, 96 or 128 UTF-16 units, each a hex
 * digit. The same strings match: the pattern's alternatives differ only in length, and a hex digit is one unit
 * whether or not the `u` flag reads the string by code points.
 */
export function isHashContent(s: string): boolean {
  const n = s.length;
  if (n !== 32 && n !== 40 && n !== 64 && n !== 96 && n !== 128) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))) return false;
  }
  return true;
}

const LINEAR_UNIQUE = 'x-uniqueItemsLinear';
const SET_ENUM = 'x-enumSet';

/**
 * Two rewrites of the shipped schemas, neither of which changes a verdict:
 * - `uniqueItems` on `components` and `services` arrays is dropped: the bom-ref check stands in for it there, and
 *   comparing every pair of 500 000 components is what made the library's validator take minutes. Elsewhere it
 *   becomes {@link hasUniqueItems}, which does the same job in linear time.
 * - a long enum of strings (the ~700 SPDX licence ids) becomes a Set lookup: ajv tests such an enum with one
 *   `===` per value, hundreds of comparisons for every licence of every component.
 */
function rewriteSchema(node: unknown): any {
  if (Array.isArray(node)) return node.map(rewriteSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'uniqueItems') {
      const itemRef = (node as { items?: { $ref?: string } }).items?.$ref ?? '';
      if (value === true && !/\/(component|service)$/.test(itemRef)) out[LINEAR_UNIQUE] = true;
    } else if (key === 'enum' && Array.isArray(value) && value.length > 32 && value.every((v) => typeof v === 'string')) {
      out[SET_ENUM] = value;
    } else out[key] = rewriteSchema(value);
  }
  return out;
}

type DataValidateFunction = ReturnType<NonNullable<FuncKeywordDefinition['compile']>>;

function compileSetEnum(values: string[]): DataValidateFunction {
  const allowed = new Set(values);
  const check: DataValidateFunction = (data: unknown) => {
    if (typeof data === 'string' && allowed.has(data)) return true;
    check.errors = [{ keyword: 'enum', message: 'must be equal to one of the allowed values', params: { allowedValues: values } }];
    return false;
  };
  return check;
}

/**
 * ajv's `uniqueItems` in linear time. Primitive items are looked up as they are; objects are bucketed by their
 * first string property, and only objects that share a bucket are compared by their JSON text. Two equal objects
 * whose keys come in a different order are therefore not seen as duplicates (ajv would say they are); documents
 * do not write the same item twice with its keys reordered.
 */
const hasUniqueItems: SchemaValidateFunction = (_schema: boolean, data: unknown[]) => {
  if (data.length < 2) return true;
  if (data.length <= SMALL_ARRAY && data.every(isPrimitive)) return hasUniquePrimitives(data);
  const primitives = new Map<unknown, number>();
  const buckets = new Map<string | undefined, number>();
  let byText: Map<string, number> | undefined;
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    let duplicateOf: number | undefined;
    if (typeof item !== 'object' || item === null) {
      duplicateOf = primitives.get(item);
      if (duplicateOf === undefined) primitives.set(item, i);
    } else {
      const bucket = firstString(item);
      const first = buckets.get(bucket);
      if (first === undefined) {
        buckets.set(bucket, i);
        continue;
      }
      byText ??= new Map();
      const firstText = JSON.stringify(data[first]);
      if (!byText.has(firstText)) byText.set(firstText, first);
      const text = JSON.stringify(item);
      duplicateOf = byText.get(text);
      if (duplicateOf === undefined) byText.set(text, i);
    }
    if (duplicateOf !== undefined) {
      hasUniqueItems.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ${duplicateOf} and ${i} are identical)`, params: { i: duplicateOf, j: i } }];
      return false;
    }
  }
  return true;
};

/** Below this length comparing every pair of primitives costs less than the Maps: most `dependsOn` lists are short. */
const SMALL_ARRAY = 16;

/** {@link hasUniqueItems} for a short array of primitives, reporting the same pair: the first repeat and the item it repeats. */
function hasUniquePrimitives(data: unknown[]): boolean {
  for (let i = 1; i < data.length; i++) {
    for (let j = 0; j < i; j++) {
      // SameValueZero, as the Map of the general case compares
      if (data[j] === data[i] || (data[j] !== data[j] && data[i] !== data[i])) {
        hasUniqueItems.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ${j} and ${i} are identical)`, params: { i: j, j: i } }];
        return false;
      }
    }
  }
  return true;
}

function isPrimitive(item: unknown): boolean {
  return typeof item !== 'object' || item === null;
}

function firstString(item: object): string | undefined {
  for (const key in item) {
    const value = (item as Record<string, unknown>)[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Pointers are only worked out once a duplicate is found (a second walk), so the common case builds no strings. */
function duplicateBomRefs(doc: unknown): SbomIssue[] {
  const seen = new Set<string>();
  let found = false;
  walkBomRefs(doc, (ref) => {
    if (seen.has(ref)) found = true;
    else seen.add(ref);
  });
  if (!found) return [];
  const firstUse = new Map<string, string>();
  const issues: SbomIssue[] = [];
  walkBomRefs(doc, (ref, base, index) => {
    const here = pointerAt(base, index);
    const first = firstUse.get(ref);
    if (first === undefined) firstUse.set(ref, here);
    else issues.push(sbomIssue('DUPLICATE_REF', `${here}/bom-ref`, `bom-ref '${ref}' at ${here} is already used by ${first}; bom-refs must be unique within a BOM`));
  });
  return issues;
}

/**
 * Calls `visit` with the bom-ref of metadata.component, every component and every service, nested ones included,
 * and where it sits (`pointerAt(base, index)`).
 */
function walkBomRefs(doc: unknown, visit: (ref: string, base: string, index: number) => void): void {
  const visitItem = (item: unknown, base: string, index: number): void => {
    if (item === null || typeof item !== 'object') return;
    const { 'bom-ref': ref, components, services } = item as Record<string, unknown>;
    if (typeof ref === 'string') visit(ref, base, index);
    if (Array.isArray(components) && components.length) visitAll(components, `${pointerAt(base, index)}/components`);
    if (Array.isArray(services) && services.length) visitAll(services, `${pointerAt(base, index)}/services`);
  };
  const visitAll = (list: unknown[], base: string): void => {
    for (let i = 0; i < list.length; i++) visitItem(list[i], base, i);
  };
  if (doc === null || typeof doc !== 'object') return;
  const { metadata, components, services } = doc as Record<string, unknown>;
  if (metadata !== null && typeof metadata === 'object') visitItem((metadata as Record<string, unknown>).component, '/metadata/component', -1);
  if (Array.isArray(components)) visitAll(components, '/components');
  if (Array.isArray(services)) visitAll(services, '/services');
}

/** `index` -1 stands for `base` itself (metadata.component). */
export function pointerAt(base: string, index: number): string {
  return index < 0 ? base : `${base}/${index}`;
}
