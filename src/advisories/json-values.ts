/**
 * @module
 * Reading values out of a parsed JSON document that may break its schema (lenient mode reads those too): every
 * accessor checks the type and answers `undefined` or `[]` instead of throwing.
 */

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
