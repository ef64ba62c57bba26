/**
 * @module
 * CycloneDX 1.4-1.6 JSON VEX and VDR (a BOM with `vulnerabilities`) onto the advisory model.
 *
 * - Document: serialNumber (documentId), version, metadata.timestamp (published); the publisher is the
 *   organisation the SBOM side takes as the document's supplier: metadata.supplier, else the subject's supplier,
 *   else metadata.manufacture (1.4/1.5) or metadata.manufacturer / the subject's manufacturer (1.6).
 * - Vulnerabilities: `id` plus `references[].id` (the first CVE among them is the id, src/model/advisory.ts),
 *   description (else detail) as summary, published, updated (modified), ratings of method CVSSv2/CVSSv3/CVSSv31/
 *   CVSSv4 (vector, score, source.name), cwes as `CWE-<n>`, advisories[].url as references.
 * - Products: each `affects[].ref` is resolved through the document's bom-refs (metadata.component, components
 *   and services, nested ones included) to ref, purl, cpe, name, version, vendor (supplier, else manufacturer) and
 *   hashes. A BOM-Link (`urn:cdx:...`) names a component of another BOM and stays a bare ref; any other ref that
 *   names nothing here is a DANGLING_REF warning. (Services have a provider where components have a supplier.)
 * - Statements, per `affects[]` entry:
 *   - the analysis (VEX): when `analysis.state` is given, one statement, statusOriginal = the state;
 *     when the entry lists versions, the statement covers those it calls affected (else the whole product);
 *   - the versions (VDR): one statement per `versions[]` entry, with its `version` (versions) or `range` (a vers
 *     URI, ranges), statusOriginal = its `status` (absent: `affected`, the schema's default);
 *   - neither: one statement `affected`, statusOriginal `affects` (the vulnerability lists the component in
 *     `affects`, which the spec defines as "the components or services that are affected").
 *   Every statement of the vulnerability carries the analysis: justification (all nine map 1:1), detail as
 *   impactStatement, response[] as remediations (category = the response), recommendation and workaround as
 *   actionStatement, lastUpdated (else firstIssued) as timestamp.
 *
 * | analysis.state         | status              | versions[].status | status       |
 * | ---------------------- | ------------------- | ----------------- | ------------ |
 * | resolved               | fixed               | affected          | affected     |
 * | resolved_with_pedigree | fixed               | unaffected        | not_affected |
 * | exploitable            | affected            | unknown           | unknown      |
 * | in_triage              | under_investigation |                   |              |
 * | false_positive         | not_affected        |                   |              |
 * | not_affected           | not_affected        |                   |              |
 *
 * Any other word is recorded with status unknown and an UNKNOWN_STATUS warning.
 */
import type { AdvisoryProduct, AdvisoryVulnerability, CvssScore, Remediation, VexJustification, VexStatement, VexStatus } from '../../model/advisory.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { arr, cvssBaseScore, isObject, joinTexts, pointer, primaryVulnerabilityId, str, strings, versionText, type JsonObject } from '../json-values.js';
import type { MappedAdvisory } from '../mapped-advisory.js';
import { parseVersionRange } from '../parse-version-range.js';

export const CYCLONEDX_ANALYSIS_STATES: Readonly<Record<string, VexStatus>> = {
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

export const CYCLONEDX_VERSION_STATUSES: Readonly<Record<string, VexStatus>> = {
  affected: 'affected',
  unaffected: 'not_affected',
  unknown: 'unknown',
};

export const CYCLONEDX_JUSTIFICATIONS: readonly VexJustification[] = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
];

const CVSS_METHODS: Record<string, string> = { CVSSv2: '2.0', CVSSv3: '3.0', CVSSv31: '3.1', CVSSv4: '4.0' };

/**
 * Maps one CycloneDX BOM with vulnerabilities (already detected, schema-checked or not). Never throws.
 *
 * @example
 * const { statements } = parseCycloneDxVex(JSON.parse(text));
 */
export function parseCycloneDxVex(doc: JsonObject): MappedAdvisory {
  const issues: SbomIssue[] = [];
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const subject = isObject(metadata.component) ? metadata.component : {};
  const mapped: MappedAdvisory = {
    documentId: str(doc.serialNumber),
    documentVersion: versionText(doc.version),
    published: str(metadata.timestamp),
    vulnerabilities: [],
    statements: [],
    issues,
  };
  const publisher = [metadata.supplier, subject.supplier, metadata.manufacture, metadata.manufacturer, subject.manufacturer].map((o) => (isObject(o) ? str(o.name) : undefined)).find((n) => n);
  if (publisher) mapped.publisher = { name: publisher };

  const components = indexBomRefs(doc);
  arr(doc.vulnerabilities).forEach((v, i) => {
    if (!isObject(v)) return;
    const at = pointer('vulnerabilities', i);
    const ids = primaryVulnerabilityId([...(str(v.id) ? [v.id as string] : []), ...arr(v.references).flatMap((r) => (isObject(r) && str(r.id) ? [r.id as string] : []))]);
    if (!ids) {
      issues.push(sbomIssue('MISSING_FIELD', `${at}/id`, `vulnerability '${at}' has no id, so its statements cannot name it; none are recorded`, 'warning'));
      return;
    }
    mapped.vulnerabilities.push(vulnerabilityOf(v, at, ids, issues));
    mapped.statements.push(...statementsOf(v, at, ids.id, components, issues));
  });
  return mapped;
}

function vulnerabilityOf(v: JsonObject, at: string, ids: { id: string; aliases: string[] }, issues: SbomIssue[]): AdvisoryVulnerability {
  const cvss: CvssScore[] = [];
  arr(v.ratings).forEach((r, j) => {
    if (!isObject(r)) return;
    const version = CVSS_METHODS[String(r.method)];
    if (!version) return;
    const score: CvssScore = { version };
    if (str(r.vector)) score.vector = r.vector as string;
    const baseScore = cvssBaseScore(r.score, `${at}/ratings/${j}/score`, issues);
    if (baseScore !== undefined) score.baseScore = baseScore;
    if (isObject(r.source) && str(r.source.name)) score.source = r.source.name as string;
    cvss.push(score);
  });
  const vulnerability: AdvisoryVulnerability = {
    id: ids.id,
    aliases: ids.aliases,
    cvss,
    cwes: arr(v.cwes).flatMap((c) => (typeof c === 'number' && Number.isInteger(c) ? [`CWE-${c}`] : [])),
    references: arr(v.advisories).flatMap((a) => (isObject(a) && str(a.url) ? [a.url as string] : [])),
  };
  const summary = str(v.description) ?? str(v.detail);
  if (summary) vulnerability.summary = summary;
  if (str(v.published)) vulnerability.published = v.published as string;
  if (str(v.updated)) vulnerability.modified = v.updated as string;
  return vulnerability;
}

function statementsOf(v: JsonObject, at: string, vulnerabilityId: string, components: Map<string, AdvisoryProduct>, issues: SbomIssue[]): VexStatement[] {
  const analysis = isObject(v.analysis) ? v.analysis : {};
  const details = analysisDetails(v, analysis, at, issues);
  const state = str(analysis.state);
  const stateStatus = state === undefined ? undefined : CYCLONEDX_ANALYSIS_STATES[state];
  if (state !== undefined && !stateStatus) {
    issues.push(sbomIssue('UNKNOWN_STATUS', `${at}/analysis/state`, `analysis state '${state}' of vulnerability '${at}' is not one of ${Object.keys(CYCLONEDX_ANALYSIS_STATES).join(', ')}; it is recorded as unknown`, 'warning'));
  }
  const statements: VexStatement[] = [];
  arr(v.affects).forEach((a, j) => {
    if (!isObject(a)) return;
    const aat = `${at}/affects/${j}`;
    const product = productOf(str(a.ref), `${aat}/ref`, components, issues);
    const make = (status: VexStatus, statusOriginal: string, path: string): VexStatement => ({ vulnerabilityId, product, status, statusOriginal, ...details, path });
    const versions = arr(a.versions);
    if (state !== undefined) {
      // The analysis is about the versions the entry calls affected, when it lists versions: an exploitable state
      // beside `2.1.3 unaffected` does not make 2.1.3 exploitable. With no affected version listed, the whole product.
      const scoped = make(stateStatus ?? 'unknown', state, aat);
      const affected = versions.filter((e): e is JsonObject => isObject(e) && (str(e.status) ?? 'affected') === 'affected');
      const exact = affected.map((e) => str(e.version)).filter((x): x is string => x !== undefined);
      const ranges = affected.map((e) => str(e.range)).filter((x): x is string => x !== undefined).map((r) => parseVersionRange(r).range);
      if (exact.length) scoped.versions = exact;
      if (ranges.length) scoped.ranges = ranges;
      statements.push(scoped);
    }
    versions.forEach((entry, k) => {
      if (!isObject(entry)) return;
      const vat = `${aat}/versions/${k}`;
      const written = str(entry.status) ?? 'affected';
      const status = CYCLONEDX_VERSION_STATUSES[written];
      if (!status) issues.push(sbomIssue('UNKNOWN_STATUS', `${vat}/status`, `version status '${written}' at ${vat} is not one of affected, unaffected, unknown; it is recorded as unknown`, 'warning'));
      const statement = make(status ?? 'unknown', written, vat);
      const version = str(entry.version);
      const range = str(entry.range);
      if (version) statement.versions = [version];
      if (range) {
        const read = parseVersionRange(range);
        statement.ranges = [read.range];
        if (!read.readable) issues.push(sbomIssue('INVALID_VERSION_RANGE', `${vat}/range`, `range '${range}' at ${vat} is not a vers URI (vers:<scheme>/<constraints>); it is kept as written, with no bounds`, 'warning'));
      }
      statements.push(statement);
    });
    if (state === undefined && versions.length === 0) statements.push(make('affected', 'affects', aat));
  });
  return statements;
}

function analysisDetails(v: JsonObject, analysis: JsonObject, at: string, issues: SbomIssue[]): Partial<VexStatement> {
  const details: Partial<VexStatement> = {};
  const justification = str(analysis.justification);
  if (justification) {
    details.justificationOriginal = justification;
    const known = CYCLONEDX_JUSTIFICATIONS.find((j) => j === justification);
    if (known) details.justification = known;
    else issues.push(sbomIssue('UNKNOWN_STATUS', `${at}/analysis/justification`, `analysis justification '${justification}' of vulnerability '${at}' is not one of CycloneDX's nine; it is kept as justificationOriginal only`, 'warning'));
  }
  if (str(analysis.detail)) details.impactStatement = analysis.detail as string;
  const responses = strings(analysis.response);
  if (responses.length) details.remediations = responses.map((category): Remediation => ({ category }));
  const action = joinTexts([str(v.recommendation), str(v.workaround)]);
  if (action) details.actionStatement = action;
  const timestamp = str(analysis.lastUpdated) ?? str(analysis.firstIssued);
  if (timestamp) details.timestamp = timestamp;
  return details;
}

function productOf(ref: string | undefined, at: string, components: Map<string, AdvisoryProduct>, issues: SbomIssue[]): AdvisoryProduct {
  if (ref === undefined) return {};
  const found = components.get(ref);
  if (found) return found;
  if (!ref.startsWith('urn:cdx:')) {
    issues.push(sbomIssue('DANGLING_REF', at, `affects ref '${ref}' at ${at} names no component or service of this document and is no BOM-Link; recorded with its ref only`, 'warning'));
  }
  return { ref };
}

/** bom-ref -> product for metadata.component, components and services, nested ones included; the first use wins. */
function indexBomRefs(doc: JsonObject): Map<string, AdvisoryProduct> {
  const index = new Map<string, AdvisoryProduct>();
  const visit = (item: unknown): void => {
    if (!isObject(item)) return;
    const ref = str(item['bom-ref']);
    if (ref && !index.has(ref)) index.set(ref, productOfComponent(ref, item));
    arr(item.components).forEach(visit);
    arr(item.services).forEach(visit);
  };
  if (isObject(doc.metadata)) visit(doc.metadata.component);
  arr(doc.components).forEach(visit);
  arr(doc.services).forEach(visit);
  return index;
}

function productOfComponent(ref: string, c: JsonObject): AdvisoryProduct {
  const product: AdvisoryProduct = { ref };
  if (str(c.purl)) product.purl = c.purl as string;
  if (str(c.cpe)) product.cpe = c.cpe as string;
  if (str(c.name)) product.name = c.name as string;
  if (str(c.version)) product.version = c.version as string;
  const vendor = [c.supplier, c.manufacturer, c.provider].map((o) => (isObject(o) ? str(o.name) : undefined)).find((n) => n);
  if (vendor) product.vendor = vendor;
  const hashes = arr(c.hashes).flatMap((h) => (isObject(h) && str(h.alg) && str(h.content) ? [{ alg: h.alg as string, value: h.content as string }] : []));
  if (hashes.length) product.hashes = hashes;
  return product;
}
