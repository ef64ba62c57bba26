import type { AdvisoryFormat } from '../model/advisory.js';
import { isObject } from './json-values.js';

/** What a parsed JSON document says it is, before any schema check. */
export type AdvisoryDetection =
  | { kind: 'advisory'; format: AdvisoryFormat; specVersion: string | undefined; doc: Record<string, unknown> }
  | { kind: 'unknown'; reason: string };

const OPENVEX_CONTEXT = /^https:\/\/openvex\.dev\/ns(?:\/v(\d+(?:\.\d+)*))?\/?$/;

/**
 * Fields of an OSV record besides `id` and `modified` (OSV schema 1.x, "Format overview"): an object with `id`,
 * `modified` and one of these is read as OSV.
 */
const OSV_FIELDS = ['schema_version', 'published', 'withdrawn', 'aliases', 'related', 'upstream', 'summary', 'details', 'severity', 'affected', 'references', 'credits', 'database_specific'];

/**
 * Tells the advisory format and declared spec version of a parsed JSON document, from its content only:
 * - CSAF: `document.csaf_version`;
 * - OpenVEX: `@context` starting `https://openvex.dev/ns`; the version is the context's (`/ns/v0.2.0`), none for
 *   the unversioned `https://openvex.dev/ns` of the 0.0.x specs;
 * - CycloneDX VEX/VDR: `bomFormat: "CycloneDX"` with a `vulnerabilities` array (without one it is an SBOM);
 * - OSV: a string `id`, `modified` and at least one other OSV field; `schema_version` is the spec version.
 */
export function detectAdvisoryFormat(doc: unknown): AdvisoryDetection {
  if (!isObject(doc)) {
    return { kind: 'unknown', reason: `the top-level JSON value is ${Array.isArray(doc) ? 'an array' : doc === null ? 'null' : `a ${typeof doc}`}, not an object` };
  }
  if (isObject(doc.document) && 'csaf_version' in doc.document) {
    const v = doc.document.csaf_version;
    return { kind: 'advisory', format: 'csaf', specVersion: typeof v === 'string' ? v : undefined, doc };
  }
  const contexts = Array.isArray(doc['@context']) ? doc['@context'] : [doc['@context']];
  const openVexContext = contexts.find((c): c is string => typeof c === 'string' && c.startsWith('https://openvex.dev/ns'));
  if (openVexContext !== undefined) {
    const m = OPENVEX_CONTEXT.exec(openVexContext);
    return { kind: 'advisory', format: 'openvex', specVersion: m ? m[1] : openVexContext, doc };
  }
  if (doc.bomFormat === 'CycloneDX') {
    if (!Array.isArray(doc.vulnerabilities)) {
      return { kind: 'unknown', reason: "it is a CycloneDX BOM without a 'vulnerabilities' array: an SBOM, not VEX or VDR (upload it as an SBOM)" };
    }
    return { kind: 'advisory', format: 'cyclonedx-vex', specVersion: typeof doc.specVersion === 'string' ? doc.specVersion : undefined, doc };
  }
  if (typeof doc.id === 'string' && 'modified' in doc && OSV_FIELDS.some((f) => f in doc)) {
    return { kind: 'advisory', format: 'osv', specVersion: typeof doc.schema_version === 'string' ? doc.schema_version : undefined, doc };
  }
  if ('spdxVersion' in doc || 'SPDXID' in doc) return { kind: 'unknown', reason: 'it is an SPDX document: an SBOM, not an advisory (upload it as an SBOM)' };
  return {
    kind: 'unknown',
    reason: "the JSON object has none of document.csaf_version (CSAF), an OpenVEX @context, bomFormat 'CycloneDX' with vulnerabilities (CycloneDX VEX/VDR), or id and modified (OSV)",
  };
}
