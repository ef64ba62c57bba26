/**
 * @module
 * OSV 1.x (https://ossf.github.io/osv-schema/) onto the advisory model. One OSV record is one vulnerability:
 * - the vulnerability id is the first CVE among `id` and `aliases`, else the OSV `id`; every other id is an alias;
 *   `summary` is the title, `details` the summary, `severity` (and `affected[].severity`) CVSS_V2/V3/V4 vectors
 *   the scores (`Ubuntu` ratings are no CVSS and are left out), `database_specific.cwe_ids` the CWEs;
 * - each `affected[]` entry is one statement, status `affected` (statusOriginal `affected`, the field's name), for
 *   its package (ecosystem, name, purl) with its `versions[]` and its ranges;
 * - each range is cut into intervals in event order (`introduced` opens one, `fixed` or `last_affected` closes
 *   it; `limit` bounds them all), one AffectedRange each with the whole events list as JSON in `vers`. OSV's
 *   `introduced: "0"` ("from the beginning", OSV spec "affected[].ranges[].events") leaves `introduced` absent;
 * - each `fixed` event is also a statement of its own: status `fixed` (statusOriginal `fixed`) for that one
 *   version, since the event says that version contains the fix. `last_affected` says nothing of a fix.
 */
import type { AdvisoryProduct, AdvisoryVulnerability, AffectedRange, CvssScore, VexStatement } from '../../model/advisory.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { arr, isObject, pointer, primaryVulnerabilityId, str, strings, type JsonObject } from '../json-values.js';
import type { MappedAdvisory } from '../mapped-advisory.js';

const RANGE_SCHEMES: Record<string, AffectedRange['scheme']> = { SEMVER: 'semver', ECOSYSTEM: 'ecosystem', GIT: 'git' };

/**
 * Maps one OSV record (already detected, schema-checked or not). Never throws; a record with no usable `id` has
 * no vulnerability and no statements.
 *
 * @example
 * const { vulnerabilities, statements } = parseOsv(JSON.parse(text));
 */
export function parseOsv(doc: JsonObject): MappedAdvisory {
  const issues: SbomIssue[] = [];
  const osvId = str(doc.id);
  const ids = primaryVulnerabilityId([...(osvId ? [osvId] : []), ...strings(doc.aliases)]);
  const mapped: MappedAdvisory = {
    documentId: osvId,
    title: str(doc.summary),
    published: str(doc.published),
    modified: str(doc.modified),
    withdrawn: str(doc.withdrawn),
    vulnerabilities: [],
    statements: [],
    issues,
  };
  if (!ids) {
    issues.push(sbomIssue('MISSING_FIELD', '/id', 'the OSV record has no id, so its statements cannot name a vulnerability; none are recorded', 'warning'));
    return mapped;
  }
  const affected = arr(doc.affected);
  mapped.vulnerabilities.push(vulnerabilityOf(doc, ids, affected));
  affected.forEach((entry, i) => {
    if (isObject(entry)) mapped.statements.push(...statementsOf(entry, i, ids.id));
  });
  return mapped;
}

function vulnerabilityOf(doc: JsonObject, ids: { id: string; aliases: string[] }, affected: unknown[]): AdvisoryVulnerability {
  const cvss: CvssScore[] = [];
  const seen = new Set<string>();
  for (const list of [doc.severity, ...affected.map((a) => (isObject(a) ? a.severity : undefined))]) {
    for (const s of arr(list)) {
      const score = isObject(s) ? cvssOf(s) : undefined;
      if (score && !seen.has(`${score.version} ${score.vector}`)) {
        seen.add(`${score.version} ${score.vector}`);
        cvss.push(score);
      }
    }
  }
  const databaseSpecific = isObject(doc.database_specific) ? doc.database_specific : {};
  return {
    id: ids.id,
    aliases: ids.aliases,
    title: str(doc.summary),
    summary: str(doc.details),
    published: str(doc.published),
    modified: str(doc.modified),
    cvss,
    cwes: strings(databaseSpecific.cwe_ids),
    references: arr(doc.references).flatMap((r) => (isObject(r) && str(r.url) ? [r.url as string] : [])),
  };
}

function cvssOf(severity: JsonObject): CvssScore | undefined {
  const vector = str(severity.score);
  if (!vector) return undefined;
  let version: string | undefined;
  if (severity.type === 'CVSS_V2') version = '2.0';
  else if (severity.type === 'CVSS_V3') version = /^CVSS:(3\.[01])\//.exec(vector)?.[1] ?? '3.x';
  else if (severity.type === 'CVSS_V4') version = '4.0';
  if (!version) return undefined;
  const score: CvssScore = { version, vector };
  const source = str(severity.source);
  if (source) score.source = source;
  return score;
}

function statementsOf(entry: JsonObject, i: number, vulnerabilityId: string): VexStatement[] {
  const pkg = isObject(entry.package) ? entry.package : {};
  const product: AdvisoryProduct = {};
  if (str(pkg.ecosystem)) product.ecosystem = pkg.ecosystem as string;
  if (str(pkg.name)) product.name = pkg.name as string;
  if (str(pkg.purl)) product.purl = pkg.purl as string;

  const ranges: AffectedRange[] = [];
  const fixedStatements: VexStatement[] = [];
  arr(entry.ranges).forEach((r, j) => {
    if (!isObject(r)) return;
    const scheme = RANGE_SCHEMES[String(r.type)] ?? 'ecosystem';
    const repo = str(r.repo);
    ranges.push(...intervalsOf(r, scheme, repo));
    arr(r.events).forEach((e, k) => {
      const fixed = isObject(e) ? str(e.fixed) : undefined;
      if (fixed === undefined) return;
      fixedStatements.push({
        vulnerabilityId,
        product: { ...product },
        versions: [fixed],
        status: 'fixed',
        statusOriginal: 'fixed',
        path: pointer('affected', i, 'ranges', j, 'events', k),
      });
    });
  });

  const statement: VexStatement = { vulnerabilityId, product, status: 'affected', statusOriginal: 'affected', path: pointer('affected', i) };
  const versions = strings(entry.versions);
  if (versions.length) statement.versions = versions;
  if (ranges.length) statement.ranges = ranges;
  return [statement, ...fixedStatements];
}

/**
 * One interval per `introduced`, in the document's event order. The OSV spec evaluates events sorted by the
 * ecosystem's version order, which a parser cannot know for every ecosystem; `vers` keeps the events as written.
 */
function intervalsOf(range: JsonObject, scheme: AffectedRange['scheme'], repo: string | undefined): AffectedRange[] {
  const events = arr(range.events).filter(isObject);
  const written = JSON.stringify(range.events ?? []);
  const limit = events.map((e) => str(e.limit)).find((l) => l !== undefined);
  const intervals: AffectedRange[] = [];
  let open: AffectedRange | undefined;
  const start = (): AffectedRange => {
    const r: AffectedRange = { scheme, vers: written };
    if (repo) r.repo = repo;
    if (limit) r.limit = limit;
    intervals.push(r);
    return r;
  };
  for (const e of events) {
    const introduced = str(e.introduced);
    const fixed = str(e.fixed);
    const lastAffected = str(e.last_affected);
    if (introduced !== undefined) {
      open = start();
      if (introduced !== '0') open.introduced = introduced;
    } else if (fixed !== undefined || lastAffected !== undefined) {
      const r = open ?? start();
      if (fixed !== undefined) r.fixed = fixed;
      else r.lastAffected = lastAffected;
      open = undefined;
    }
  }
  return intervals;
}
