/**
 * @module
 * Turns ajv errors into {@link SbomIssue}s that name the value and the rule, and keeps issue lists bounded so a
 * document with 100 000 broken packages still gets a readable answer.
 */
import type { ErrorObject } from 'ajv';
import { sbomIssue, type SbomIssue, type SbomIssueCode } from '../model/sbom-issue.js';

/** Most problems of one kind listed per document; the rest are summed up in one last issue. */
export const MAX_REPORTED_ISSUES = 1000;

/** Keeps the first {@link MAX_REPORTED_ISSUES} issues of a list and adds one issue, at `path`, counting the rest. */
export function capIssues(issues: SbomIssue[], code: SbomIssueCode, what: string, path = '/'): SbomIssue[] {
  if (issues.length <= MAX_REPORTED_ISSUES) return issues;
  const kept = issues.slice(0, MAX_REPORTED_ISSUES);
  kept.push(sbomIssue(code, path, `${issues.length - MAX_REPORTED_ISSUES} more ${what} not listed (${issues.length} in all)`, issues[0]!.severity));
  return kept;
}

/**
 * One SCHEMA_VIOLATION issue (severity `error`) per ajv error. The validator must run with `verbose: true` so the
 * offending value (`e.data`) can be quoted. `locate` turns the JSON pointer into the document's own location.
 */
export function ajvErrorToIssue(e: ErrorObject, schemaName: string, locate: (pointer: string) => string = (p) => p): SbomIssue {
  const pointer = e.instancePath === '' ? '/' : e.instancePath;
  const subject = `${e.instancePath === '' ? 'the document' : `'${e.instancePath}'`} ${describeValue(e.data)}`;
  const p = e.params as Record<string, unknown>;
  let rule: string;
  switch (e.keyword) {
    case 'required':
      rule = `has no required property '${String(p.missingProperty)}'`;
      break;
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = String(p.additionalProperty ?? p.unevaluatedProperty);
      return sbomIssue('SCHEMA_VIOLATION', locate(`${e.instancePath}/${escapePointer(extra)}`), `${subject} has property '${extra}', which ${schemaName} does not allow there`);
    }
    case 'enum':
      rule = `is not one of ${listValues(p.allowedValues as unknown[])}`;
      break;
    case 'const':
      rule = `is not ${describeValue(p.allowedValue)}`;
      break;
    case 'pattern':
      rule = `does not match pattern '${String(p.pattern)}'`;
      break;
    case 'format':
      rule = `does not match format '${String(p.format)}'`;
      break;
    case 'type':
      rule = `is not of type ${String(p.type)}`;
      break;
    case 'oneOf':
      rule = p.passingSchemas ? 'matches more than one of its allowed forms (oneOf), but must match exactly one' : 'matches none of its allowed forms (oneOf)';
      break;
    case 'anyOf':
      rule = 'matches none of its allowed forms (anyOf)';
      break;
    case 'minItems':
      rule = `has fewer than ${String(p.limit)} items`;
      break;
    default:
      rule = `breaks the '${e.keyword}' rule (${e.message ?? 'no detail'})`;
  }
  return sbomIssue('SCHEMA_VIOLATION', locate(pointer), `${subject} ${rule} (${schemaName})`);
}

/** A short, quoted rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 80 ? `${value.slice(0, 77)}...` : value}'`;
  if (Array.isArray(value)) return `(an array of ${value.length})`;
  if (typeof value === 'object') return '(an object)';
  return String(value);
}

function listValues(values: unknown[]): string {
  const shown = values.slice(0, 12).map((v) => describeValue(v)).join(', ');
  return values.length > 12 ? `${shown}, ... (${values.length} values)` : shown;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
