/**
 * @module
 * SPDX 2.2 / 2.3 JSON -> {@link ParsedSbom}.
 */
import type { ParseResult } from '../../model/sbom.js';
import type { ParseContext } from '../ingest-limits.js';
import { mapSpdx2Document } from './map-spdx2-document.js';
import { getSpdxJsonValidator } from './spdx-json-validator.js';

/**
 * Validates a parsed SPDX 2 JSON document against the SPDX JSON schema of `ctx.specVersion` and the spec rules
 * the schema leaves out, then maps it. A document that breaks them but can still be read comes back `ok: true`
 * with `schemaValid: false` and every violation in `issues`; only one whose element lists cannot be read
 * (`packages` not an array, a package that is `null`, ...) comes back `ok: false`. Never throws for a bad document.
 *
 * @example
 * const r = await parseSpdxJson(JSON.parse(text), { limits: DEFAULT_INGEST_LIMITS, specVersion: '2.3' });
 * if (r.ok) console.log(r.sbom.subjectRefs, r.sbom.schemaValid);
 */
export async function parseSpdxJson(doc: Record<string, unknown>, ctx: ParseContext): Promise<ParseResult> {
  const { valid, issues } = getSpdxJsonValidator(ctx.specVersion)(doc);
  return mapSpdx2Document(doc, { format: 'spdx-json', specVersion: ctx.specVersion, schemaValid: valid, issues });
}
