/**
 * @module
 * Reading values out of a parsed JSON document that may break its schema (lenient mode reads those too): every
 * accessor checks the type and answers `undefined` or `[]` instead of throwing.
 */

import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A non-empty string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The non-empty strings of an array, in order. */
export function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * A CVSS base score as a document states it: a number from 0 to 10, the range of every CVSS version (v2, v3.x and
 * v4.0 specifications, "Base Score"), else undefined, with a warning at `path` naming the value. A score of 2^64
 * was read and then refused by the stored column (numeric(3, 1)): a 500 for an advisory that is otherwise readable.
 */
export function cvssBaseScore(value: unknown, path: string, issues: SbomIssue[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && value >= 0 && value <= 10) return value;
  issues.push(sbomIssue('INVALID_SCORE', path, `CVSS base score ${JSON.stringify(value)?.slice(0, 40)} at ${path} is not a number from 0 to 10; the rating is kept without its score`, 'warning'));
  return undefined;
}

/** A JSON pointer from its reference tokens, escaped as RFC 6901 section 3 requires (`~` then `/`). */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const CVE = /^CVE-\d{4}-\d{4,}$/;

/**
 * The model's choice of primary id among the ids a document gives for one vulnerability, in the document's order:
 * the first CVE, else the first id. The others are its aliases (duplicates dropped, the primary never repeated).
 */
export function primaryVulnerabilityId(ids: readonly string[]): { id: string; aliases: string[] } | undefined {
  const unique = [...new Set(ids.filter((i) => i !== ''))];
  if (unique.length === 0) return undefined;
  const id = unique.find((i) => CVE.test(i)) ?? unique[0]!;
  return { id, aliases: unique.filter((i) => i !== id) };
}

/** Texts joined by a blank line, or undefined when there are none. */
export function joinTexts(texts: readonly (string | undefined)[]): string | undefined {
  const present = texts.filter((t): t is string => t !== undefined && t !== '');
  return present.length ? [...new Set(present)].join('\n\n') : undefined;
}

/** `version` as written: integers (OpenVEX, CycloneDX) become their decimal text. */
export function versionText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return str(value);
}
