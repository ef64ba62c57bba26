/** Whole documents through the real entry point (parseSbom), for parser tests. */
import { parseSbom, type ParseOptions } from '../../src/ingest/parse-sbom.js';
import type { ParsedSbom, ParseResult } from '../../src/model/sbom.js';

/** Text is sent as is; anything else as its JSON. */
export async function parseDocument(doc: unknown, options: ParseOptions = {}): Promise<ParseResult> {
  return parseSbom(Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)), options);
}

/** The parsed SBOM; a rejection fails the test with every problem listed. */
export async function parsedDocument(doc: unknown): Promise<ParsedSbom> {
  const r = await parseDocument(doc);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.sbom;
}
