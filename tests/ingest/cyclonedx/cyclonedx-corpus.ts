/**
 * The corpus check shared by the CycloneDX JSON and XML parser tests (a helper, not a test file).
 */
import { expect } from 'vitest';
import type { Component, ParsedSbom, ParseResult } from '../../../src/model/sbom.js';
import { parseSbom } from '../../../src/ingest/parse-sbom.js';
import { readCorpusFile, type CorpusCase } from '../../helpers/corpus.js';

const byRef = (sbom: ParsedSbom) => new Map(sbom.components.map((c) => [c.ref, c]));

/**
 * MANIFEST counts the entries of `components`, nested ones included, and leaves metadata.component out with
 * everything nested in it (cyclonedx-gomod nests the main module's packages there).
 */
export function countOutsideSubject(sbom: ParsedSbom): number {
  const refs = byRef(sbom);
  const root = (c: Component): Component => (c.parentRef === undefined ? c : root(refs.get(c.parentRef)!));
  return sbom.components.filter((c) => !root(c).isSubject).length;
}

/**
 * One corpus file through parseSbom: the strict verdict is MANIFEST's; a real document is read in default mode
 * with `schemaValid` as MANIFEST says; the component count is MANIFEST's (`at most` where MANIFEST counts more
 * than the BOM's components, see the XML test).
 */
export async function checkCorpusCase(c: CorpusCase, count: 'exact' | 'at most'): Promise<void> {
  const bytes = readCorpusFile(c.path);
  const strict = await parseSbom(bytes, { strict: true });
  expect(strict.ok, JSON.stringify(strict.ok ? strict.sbom.issues.slice(0, 3) : strict.issues.slice(0, 3))).toBe(c.expected === 'valid');

  const lenient: ParseResult = await parseSbom(bytes);
  if (c.origin === 'real') {
    expect(lenient.ok, JSON.stringify(lenient.ok ? [] : lenient.issues.slice(0, 3))).toBe(true);
    if (lenient.ok) expect(lenient.sbom.schemaValid).toBe(c.expected === 'valid');
  }
  if (lenient.ok && c.components !== undefined) {
    if (count === 'exact') expect(countOutsideSubject(lenient.sbom)).toBe(c.components);
    else expect(countOutsideSubject(lenient.sbom)).toBeLessThanOrEqual(c.components);
  }
  if (!lenient.ok) expect(c.expected).toBe('invalid');
}
