/**
 * @module
 * OpenVEX (0.2.0, and the 0.0.x documents with context `https://openvex.dev/ns`) onto the advisory model.
 *
 * - Document: `@id`, `author` (publisher name) and `role` (publisher category), `timestamp` (published),
 *   `last_updated` (modified), `version`.
 * - Vulnerabilities: `vulnerability.name` plus `aliases` (0.0.1: a plain string); the id is the first CVE among
 *   them, else the name (src/model/advisory.ts); `description` is the summary and `@id` a reference. Statements
 *   about the same vulnerability share one entry.
 * - Statements: one per product of each statement (0.0.1: products as plain strings), statusOriginal = `status`:
 *
 * | status              | status              |
 * | ------------------- | ------------------- |
 * | not_affected        | not_affected        |
 * | affected            | affected            |
 * | fixed               | fixed               |
 * | under_investigation | under_investigation |
 * | (any other word)    | unknown, with an UNKNOWN_STATUS warning |
 *
 *   `justification` maps as in vex-labels.ts (justificationOriginal keeps the label), `impact_statement` ->
 *   impactStatement, `action_statement` -> actionStatement, `status_notes` -> statusNotes. The statement's
 *   `timestamp`, else the document's: the spec's inheritance rule ("Cascades down from the document").
 * - Products: `@id` is the ref, and also the purl (`pkg:`) or CPE (`cpe:`) when it is one; `identifiers.purl`,
 *   `identifiers.cpe23` (else `cpe22`) and `hashes` as written; `subcomponents` likewise, under the product.
 *   A statement with no products (OpenVEX lets them cascade from an encapsulating document, which a standalone
 *   document has not) is recorded once with an empty product and a MISSING_FIELD warning.
 * `supplier` ("of the product or subcomponent": which one is not said) is not mapped.
 */
import type { AdvisoryProduct, AdvisoryVulnerability, VexStatement, VexStatus } from '../../model/advisory.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { arr, isObject, pointer, primaryVulnerabilityId, str, strings, versionText, type JsonObject } from '../json-values.js';
import type { MappedAdvisory } from '../mapped-advisory.js';
import { justificationOfVexLabel } from '../vex-labels.js';

const STATUSES: readonly VexStatus[] = ['not_affected', 'affected', 'fixed', 'under_investigation'];

/**
 * Maps one OpenVEX document (already detected, schema-checked or not). Never throws.
 *
 * @example
 * const { statements } = parseOpenVex(JSON.parse(text));
 */
export function parseOpenVex(doc: JsonObject): MappedAdvisory {
  const issues: SbomIssue[] = [];
  const mapped: MappedAdvisory = {
    documentId: str(doc['@id']),
    published: str(doc.timestamp),
    modified: str(doc.last_updated),
    documentVersion: versionText(doc.version),
    vulnerabilities: [],
    statements: [],
    issues,
  };
  const author = str(doc.author);
  if (author) mapped.publisher = str(doc.role) ? { name: author, category: doc.role as string } : { name: author };

  const vulnerabilities = new Map<string, AdvisoryVulnerability>();
  arr(doc.statements).forEach((s, i) => {
    if (!isObject(s)) return;
    const at = pointer('statements', i);
    const vulnerability = vulnerabilityOf(s.vulnerability, vulnerabilities);
    if (!vulnerability) {
      issues.push(sbomIssue('MISSING_FIELD', at, `statement '${at}' names no vulnerability; it is not recorded`, 'warning'));
      return;
    }
    const written = str(s.status);
    const status = STATUSES.find((x) => x === written);
    if (!status) issues.push(sbomIssue('UNKNOWN_STATUS', `${at}/status`, `statement '${at}' has status '${written ?? ''}', which is not one of ${STATUSES.join(', ')}; it is recorded as unknown`, 'warning'));
    const base: Omit<VexStatement, 'product' | 'path'> = { vulnerabilityId: vulnerability.id, status: status ?? 'unknown', statusOriginal: written ?? '' };
    const label = str(s.justification);
    if (label) {
      base.justificationOriginal = label;
      const justification = justificationOfVexLabel(label);
      if (justification) base.justification = justification;
      else issues.push(sbomIssue('UNKNOWN_STATUS', `${at}/justification`, `statement '${at}' has justification '${label}', which OpenVEX does not define; it is kept as justificationOriginal only`, 'warning'));
    }
    if (str(s.impact_statement)) base.impactStatement = s.impact_statement as string;
    if (str(s.action_statement)) base.actionStatement = s.action_statement as string;
    if (str(s.status_notes)) base.statusNotes = s.status_notes as string;
    const timestamp = str(s.timestamp) ?? str(doc.timestamp);
    if (timestamp) base.timestamp = timestamp;

    const products = arr(s.products);
    if (products.length === 0) {
      issues.push(sbomIssue('MISSING_FIELD', at, `statement '${at}' about '${vulnerability.id}' names no products; it is recorded with an empty product`, 'warning'));
      mapped.statements.push({ ...base, product: {}, path: at });
    }
    products.forEach((p, j) => mapped.statements.push({ ...base, product: productOf(p), path: `${at}/products/${j}` }));
  });
  mapped.vulnerabilities = [...vulnerabilities.values()];
  return mapped;
}

function vulnerabilityOf(value: unknown, known: Map<string, AdvisoryVulnerability>): AdvisoryVulnerability | undefined {
  const names = typeof value === 'string' ? [value] : isObject(value) ? [...(str(value.name) ? [value.name as string] : []), ...strings(value.aliases)] : [];
  const ids = primaryVulnerabilityId(names);
  if (!ids) return undefined;
  let vulnerability = known.get(ids.id);
  if (!vulnerability) {
    vulnerability = { id: ids.id, aliases: [], cvss: [], cwes: [], references: [] };
    known.set(ids.id, vulnerability);
  }
  for (const alias of ids.aliases) if (!vulnerability.aliases.includes(alias)) vulnerability.aliases.push(alias);
  if (isObject(value)) {
    if (!vulnerability.summary && str(value.description)) vulnerability.summary = value.description as string;
    const iri = str(value['@id']);
    if (iri && !vulnerability.references.includes(iri)) vulnerability.references.push(iri);
  }
  return vulnerability;
}

function productOf(value: unknown): AdvisoryProduct {
  const component: JsonObject = typeof value === 'string' ? { '@id': value } : isObject(value) ? value : {};
  const product: AdvisoryProduct = {};
  const id = str(component['@id']);
  if (id) {
    product.ref = id;
    if (id.startsWith('pkg:')) product.purl = id;
    else if (/^cpe:/i.test(id)) product.cpe = id;
  }
  const identifiers = isObject(component.identifiers) ? component.identifiers : {};
  if (str(identifiers.purl)) product.purl = identifiers.purl as string;
  // `@cpe23`/`@cpe22`: the key spelling of early drafts of the 0.2.0 schema
  const cpe = str(identifiers.cpe23) ?? str(identifiers['@cpe23']) ?? str(identifiers.cpe22) ?? str(identifiers['@cpe22']);
  if (cpe) product.cpe = cpe;
  if (isObject(component.hashes)) {
    const hashes = Object.entries(component.hashes).flatMap(([alg, v]) => (str(v) ? [{ alg, value: v as string }] : []));
    if (hashes.length) product.hashes = hashes;
  }
  const subcomponents = arr(component.subcomponents);
  if (subcomponents.length) product.subcomponents = subcomponents.map(productOf);
  return product;
}
