/**
 * @module
 * CSAF 2.0 (OASIS, csaf-v2.0-os; any document category: csaf_security_advisory, csaf_vex, csaf_base, ...) onto
 * the advisory model. What the document says is recorded as it says it, never corrected: a CISA advisory whose
 * summary text belongs to another CVE keeps that text (../shared/data/tcpip-advisories.json notes such cases).
 *
 * Products (product_tree):
 * - branches, recursively: the nearest `vendor` branch gives the vendor, `product_name` the name,
 *   `product_version` the exact version, `product_version_range` a range (vers or vls, parse-version-range.ts)
 *   that the product's statements carry in `ranges`; the full_product_name's own `name` is the displayName.
 *   A product_version that reads as a range (CSAF 2.0 mandatory test 6.1.31, or a `vers:` URI) stays the exact
 *   version the document states, with an AMBIGUOUS_VERSION warning;
 * - full_product_names, and product_identification_helper everywhere: cpe, purl, hashes (file_hashes);
 * - relationships: the relationship's full_product_name is a product of its own whose `relationship` holds the
 *   category and both resolved ends (product_reference, relates_to_product_reference);
 * - product_groups: a group id stands for its product ids wherever flags, threats and remediations name groups.
 * A product_id defined twice (mandatory test 6.1.2) keeps its first definition (DUPLICATE_REF warning); one used
 * but never defined (6.1.1) becomes a product with only `ref` (DANGLING_REF warning, at its first use); a relationship that makes a
 * product part of itself (6.1.3) is cut where it comes round, with a warning. Other branch categories
 * (product_family, architecture, ...) name nothing in the model, and a range's bounds stay on the statements of the
 * range product itself, not on those of relationships built on it.
 *
 * Vulnerabilities: id = `cve`, else the first `ids[].text`; the other ids are aliases. `title`, notes of category
 * summary (else description, else details) as summary, `release_date` as published, `cwe.id`, references' urls,
 * and scores[].cvss_v3 / cvss_v2 (version, vectorString, baseScore; source = the publisher; productRefs = the
 * score's products).
 *
 * Statements: one per product id per product_status list, in the document's order, statusOriginal = the list's
 * name:
 *
 * | product_status       | status              | note                                                |
 * | -------------------- | ------------------- | --------------------------------------------------- |
 * | first_affected       | affected            |                                                     |
 * | known_affected       | affected            |                                                     |
 * | last_affected        | affected            | "subsequently released versions would contain a fix" |
 * | first_fixed          | fixed               |                                                     |
 * | fixed                | fixed               |                                                     |
 * | recommended          | fixed               | recommended: true ("have a fix ... vendor-recommended") |
 * | known_not_affected   | not_affected        |                                                     |
 * | under_investigation  | under_investigation |                                                     |
 * | (any other key)      | unknown             | UNKNOWN_STATUS warning                              |
 *
 * `recommended` maps to fixed because CSAF defines it as "These versions have a fix for the vulnerability and
 * are the vendor-recommended versions"; a product listed in both `fixed` and `recommended` gets one statement for
 * each, as the document has two entries. A product in two contradicting groups (affected, not affected, fixed,
 * under investigation: mandatory test 6.1.6) gets both statements and an INCONSISTENT_STATEMENT warning.
 *
 * Then, per vulnerability, onto every statement of each product they name (product_ids plus expanded group_ids):
 * - flags: label -> justification (vex-labels.ts), justificationOriginal = the label, timestamp = the flag's date.
 *   A second flag for the same product (6.1.33) is recorded as a warning only; a flag on a product with no status,
 *   or on one not listed as not affected, is an INCONSISTENT_STATEMENT warning (the justification still goes on
 *   its statements). A flag naming no product (6.1.32) is a MISSING_FIELD warning.
 * - threats of category `impact`: their details become impactStatement (several joined by a blank line).
 *   Threats naming no product, and other categories (exploit_status, target_set), are not product statements.
 * - remediations: each one (category, details, url, date) is added to remediations, and the details of all of
 *   them, in order, make actionStatement. A remediation naming no product (6.1.29) is a MISSING_FIELD warning.
 */
import type { AdvisoryProduct, AdvisoryVulnerability, AffectedRange, CvssScore, Remediation, VexStatement, VexStatus } from '../../model/advisory.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { describeValue } from '../../ingest/ajv-issue.js';
import { arr, cvssBaseScore, isObject, joinTexts, pointer, primaryVulnerabilityId, str, strings, type JsonObject } from '../json-values.js';
import type { MappedAdvisory } from '../mapped-advisory.js';
import { parseVersionRange } from '../parse-version-range.js';
import { justificationOfVexLabel } from '../vex-labels.js';

export const CSAF_PRODUCT_STATUSES: Readonly<Record<string, VexStatus>> = {
  first_affected: 'affected',
  known_affected: 'affected',
  last_affected: 'affected',
  first_fixed: 'fixed',
  fixed: 'fixed',
  recommended: 'fixed',
  known_not_affected: 'not_affected',
  under_investigation: 'under_investigation',
};

/** Words that make a product_version a range by CSAF 2.0 mandatory test 6.1.31 (whole words, lower case). */
const RANGE_WORDS = ['after', 'all', 'before', 'earlier', 'later', 'prior', 'versions'];

interface ProductDefinition {
  product: AdvisoryProduct;
  range?: AffectedRange;
}

interface Ancestry {
  vendor?: string;
  name?: string;
  version?: string;
  range?: AffectedRange;
}

/**
 * Maps one CSAF 2.0 document (already detected, schema-checked or not). Never throws.
 *
 * @example
 * const { statements } = parseCsaf(JSON.parse(readFileSync('icsma-19-274-01.json', 'utf8')));
 */
export function parseCsaf(doc: JsonObject): MappedAdvisory {
  const issues: SbomIssue[] = [];
  const document = isObject(doc.document) ? doc.document : {};
  const tracking = isObject(document.tracking) ? document.tracking : {};
  const publisher = isObject(document.publisher) ? document.publisher : {};
  const publisherName = str(publisher.name);
  const mapped: MappedAdvisory = {
    documentId: str(tracking.id),
    title: str(document.title),
    published: str(tracking.initial_release_date),
    modified: str(tracking.current_release_date),
    documentVersion: str(tracking.version),
    category: str(document.category),
    vulnerabilities: [],
    statements: [],
    issues,
  };
  if (publisherName) {
    mapped.publisher = { name: publisherName };
    if (str(publisher.namespace)) mapped.publisher.namespace = publisher.namespace as string;
    if (str(publisher.category)) mapped.publisher.category = publisher.category as string;
  }

  const tree = isObject(doc.product_tree) ? doc.product_tree : {};
  const products = readProducts(tree, issues);
  const groups = readGroups(tree, products, issues);
  const resolve = (id: string, at: string): ProductDefinition => {
    const found = products.get(id);
    if (found) return found;
    issues.push(sbomIssue('DANGLING_REF', at, `product_id '${id}' at ${at} is defined nowhere in the product_tree (CSAF 2.0 mandatory test 6.1.1); recorded with its id only`, 'warning'));
    const dangling: ProductDefinition = { product: { ref: id } };
    products.set(id, dangling);
    return dangling;
  };
  const expand = (item: JsonObject, at: string): { id: string; at: string }[] => {
    const targets = strings(item.product_ids).map((id, k) => ({ id, at: at + pointer('product_ids', k) }));
    strings(item.group_ids).forEach((g, k) => {
      const members = groups.get(g);
      const where = at + pointer('group_ids', k);
      if (!members) issues.push(sbomIssue('DANGLING_REF', where, `group_id '${g}' at ${where} names no product_group of this document`, 'warning'));
      else targets.push(...members.map((id) => ({ id, at: where })));
    });
    const seen = new Set<string>();
    return targets.filter((t) => !seen.has(t.id) && seen.add(t.id));
  };

  arr(doc.vulnerabilities).forEach((v, i) => {
    if (!isObject(v)) return;
    const at = pointer('vulnerabilities', i);
    const ids = primaryVulnerabilityId([...(str(v.cve) ? [v.cve as string] : []), ...arr(v.ids).flatMap((x) => (isObject(x) && str(x.text) ? [x.text as string] : []))]);
    if (!ids) {
      issues.push(sbomIssue('MISSING_FIELD', at, `vulnerability '${at}' has neither cve nor ids, so its statements cannot name it; none are recorded`, 'warning'));
      return;
    }
    mapped.vulnerabilities.push(vulnerabilityOf(v, at, ids, publisherName, issues));
    const statements = statementsOf(v, at, ids.id, resolve, issues);
    mapped.statements.push(...statements);
    applyDetails(v, at, statements, expand, issues);
  });
  return mapped;
}

function readProducts(tree: JsonObject, issues: SbomIssue[]): Map<string, ProductDefinition> {
  const products = new Map<string, ProductDefinition>();
  const define = (fpn: unknown, at: string, ancestry: Ancestry): void => {
    if (!isObject(fpn)) return;
    const id = str(fpn.product_id);
    if (!id) return;
    if (products.has(id)) {
      issues.push(sbomIssue('DUPLICATE_REF', `${at}/product_id`, `product_id '${id}' at ${at} is defined more than once (CSAF 2.0 mandatory test 6.1.2); the first definition is used`, 'warning'));
      return;
    }
    const product: AdvisoryProduct = { ref: id, ...identityOf(fpn) };
    if (ancestry.vendor) product.vendor = ancestry.vendor;
    if (ancestry.name) product.name = ancestry.name;
    if (ancestry.version) product.version = ancestry.version;
    const definition: ProductDefinition = { product };
    if (ancestry.range) definition.range = ancestry.range;
    products.set(id, definition);
  };
  const walk = (branches: unknown, at: string, ancestry: Ancestry): void => {
    arr(branches).forEach((b, i) => {
      if (!isObject(b)) return;
      const here = `${at}/${i}`;
      const name = str(b.name);
      const next: Ancestry = { ...ancestry };
      if (name !== undefined) {
        if (b.category === 'vendor') next.vendor = name;
        else if (b.category === 'product_name') next.name = name;
        else if (b.category === 'product_version') {
          next.version = name;
          if (readsAsRange(name)) {
            issues.push(sbomIssue('AMBIGUOUS_VERSION', `${here}/name`, `product_version '${name}' at ${here} reads as a version range (CSAF 2.0 mandatory test 6.1.31), which belongs in a product_version_range branch; it is recorded as the exact version the document states`, 'warning'));
          }
        } else if (b.category === 'product_version_range') {
          const read = parseVersionRange(name);
          next.range = read.range;
          if (!read.readable) {
            issues.push(sbomIssue('INVALID_VERSION_RANGE', `${here}/name`, `product_version_range '${name}' at ${here} is neither vers nor vls (CSAF 2.0 section 3.1.2.3.2); it is kept as written, with no bounds`, 'warning'));
          }
        }
      }
      if (b.product !== undefined) define(b.product, `${here}/product`, next);
      walk(b.branches, `${here}/branches`, next);
    });
  };
  walk(tree.branches, '/product_tree/branches', {});
  arr(tree.full_product_names).forEach((fpn, i) => define(fpn, pointer('product_tree', 'full_product_names', i), {}));

  // Relationships may build on each other, so their ends are resolved once every product is known.
  const relationships: { id: string; category: string; from: string; to: string; at: string }[] = [];
  arr(tree.relationships).forEach((r, i) => {
    if (!isObject(r) || !isObject(r.full_product_name)) return;
    const at = pointer('product_tree', 'relationships', i);
    const id = str(r.full_product_name.product_id);
    define(r.full_product_name, `${at}/full_product_name`, {});
    const from = str(r.product_reference);
    const to = str(r.relates_to_product_reference);
    if (id && from && to) relationships.push({ id, category: str(r.category) ?? '', from, to, at });
  });
  for (const r of relationships) {
    for (const [role, ref] of [['product_reference', r.from], ['relates_to_product_reference', r.to]] as const) {
      if (!products.has(ref)) {
        issues.push(sbomIssue('DANGLING_REF', `${r.at}/${role}`, `relationship '${r.at}' has ${role} '${ref}', which is defined nowhere in the product_tree (CSAF 2.0 mandatory test 6.1.1)`, 'warning'));
      }
    }
  }
  const byId = new Map(relationships.map((r) => [r.id, r]));
  const resolving = new Set<string>();
  const productOf = (id: string): AdvisoryProduct => {
    const definition = products.get(id);
    const relationship = byId.get(id);
    if (!definition) return { ref: id };
    if (resolving.has(id)) {
      // A product that is (through other relationships) a part of itself: CSAF 2.0 mandatory test 6.1.3. The inner
      // mention is a copy without its relationship, so the result stays a tree (and serialisable).
      issues.push(sbomIssue('INCONSISTENT_STATEMENT', relationship!.at, `relationship '${relationship!.at}' makes product '${id}' part of itself (circular definition, CSAF 2.0 mandatory test 6.1.3); the inner mention is recorded without its relationship`, 'warning'));
      return { ...definition.product };
    }
    if (relationship && !definition.product.relationship) {
      resolving.add(id);
      definition.product.relationship = { category: relationship.category, product: productOf(relationship.from), relatesTo: productOf(relationship.to) };
      resolving.delete(id);
    }
    return definition.product;
  };
  for (const r of relationships) productOf(r.id);
  return products;
}

function identityOf(fpn: JsonObject): AdvisoryProduct {
  const product: AdvisoryProduct = {};
  if (str(fpn.name)) product.displayName = fpn.name as string;
  const helper = isObject(fpn.product_identification_helper) ? fpn.product_identification_helper : {};
  if (str(helper.purl)) product.purl = helper.purl as string;
  if (str(helper.cpe)) product.cpe = helper.cpe as string;
  const hashes = arr(helper.hashes).flatMap((h) =>
    isObject(h) ? arr(h.file_hashes).flatMap((fh) => (isObject(fh) && str(fh.algorithm) && str(fh.value) ? [{ alg: fh.algorithm as string, value: fh.value as string }] : [])) : [],
  );
  if (hashes.length) product.hashes = hashes;
  return product;
}

function readsAsRange(version: string): boolean {
  const lower = version.toLowerCase();
  return lower.startsWith('vers:') || /[<>]/.test(lower) || lower.split(/\s+/).some((w) => RANGE_WORDS.includes(w));
}

function readGroups(tree: JsonObject, products: Map<string, ProductDefinition>, issues: SbomIssue[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  arr(tree.product_groups).forEach((g, i) => {
    const id = isObject(g) ? str(g.group_id) : undefined;
    if (!id || !isObject(g)) return;
    const at = pointer('product_tree', 'product_groups', i);
    if (groups.has(id)) {
      issues.push(sbomIssue('DUPLICATE_REF', `${at}/group_id`, `group_id '${id}' at ${at} is defined more than once (CSAF 2.0 mandatory test 6.1.4); the first definition is used`, 'warning'));
      return;
    }
    const members = strings(g.product_ids);
    members.forEach((m, k) => {
      if (!products.has(m)) issues.push(sbomIssue('DANGLING_REF', `${at}/product_ids/${k}`, `product_group '${id}' names product_id '${m}', which is defined nowhere in the product_tree (CSAF 2.0 mandatory test 6.1.1)`, 'warning'));
    });
    groups.set(id, members);
  });
  return groups;
}

function vulnerabilityOf(v: JsonObject, at: string, ids: { id: string; aliases: string[] }, publisher: string | undefined, issues: SbomIssue[]): AdvisoryVulnerability {
  const notes = arr(v.notes).filter(isObject);
  const notesOf = (category: string) => joinTexts(notes.filter((n) => n.category === category).map((n) => str(n.text)));
  const cvss: CvssScore[] = [];
  arr(v.scores).forEach((s, j) => {
    if (!isObject(s)) return;
    for (const [key, fallbackVersion] of [['cvss_v3', undefined], ['cvss_v2', '2.0']] as const) {
      const c = s[key];
      if (!isObject(c)) continue;
      const score: CvssScore = { version: str(c.version) ?? fallbackVersion ?? '3.x' };
      if (str(c.vectorString)) score.vector = c.vectorString as string;
      const baseScore = cvssBaseScore(c.baseScore, `${at}/scores/${j}/${key}/baseScore`, issues);
      if (baseScore !== undefined) score.baseScore = baseScore;
      if (publisher) score.source = publisher;
      const products = strings(s.products);
      if (products.length) score.productRefs = products;
      cvss.push(score);
    }
  });
  const cwe = isObject(v.cwe) ? str(v.cwe.id) : undefined;
  const vulnerability: AdvisoryVulnerability = {
    id: ids.id,
    aliases: ids.aliases,
    cvss,
    cwes: cwe ? [cwe] : [],
    references: arr(v.references).flatMap((r) => (isObject(r) && str(r.url) ? [r.url as string] : [])),
  };
  if (str(v.title)) vulnerability.title = v.title as string;
  const summary = notesOf('summary') ?? notesOf('description') ?? notesOf('details');
  if (summary) vulnerability.summary = summary;
  if (str(v.release_date)) vulnerability.published = v.release_date as string;
  return vulnerability;
}

function statementsOf(v: JsonObject, at: string, vulnerabilityId: string, resolve: (id: string, at: string) => ProductDefinition, issues: SbomIssue[]): VexStatement[] {
  const statements: VexStatement[] = [];
  const productStatus = isObject(v.product_status) ? v.product_status : {};
  const groupOf = new Map<string, { group: VexStatus; key: string; path: string }>();
  for (const [key, list] of Object.entries(productStatus)) {
    const known = Object.hasOwn(CSAF_PRODUCT_STATUSES, key);
    const ids = strings(list);
    if (!known) {
      issues.push(sbomIssue('UNKNOWN_STATUS', at + pointer('product_status', key), `product_status '${key}' of vulnerability '${at}' is not one of ${Object.keys(CSAF_PRODUCT_STATUSES).join(', ')}; its ${ids.length} products are recorded with status unknown`, 'warning'));
    }
    ids.forEach((id, k) => {
      const path = at + pointer('product_status', key, k);
      const group = known && key !== 'recommended' ? CSAF_PRODUCT_STATUSES[key]! : undefined;
      const earlier = group ? groupOf.get(id) : undefined;
      if (group && earlier && earlier.group !== group) {
        issues.push(sbomIssue('INCONSISTENT_STATEMENT', path, `product '${id}' is ${key} at ${path} but ${earlier.key} at ${earlier.path} in the same vulnerability (contradicting product status groups, CSAF 2.0 mandatory test 6.1.6); both are recorded`, 'warning'));
      } else if (group && !earlier) groupOf.set(id, { group, key, path });
      const definition = resolve(id, path);
      const statement: VexStatement = { vulnerabilityId, product: definition.product, status: known ? CSAF_PRODUCT_STATUSES[key]! : 'unknown', statusOriginal: key, path };
      if (definition.range) statement.ranges = [definition.range];
      if (key === 'recommended') statement.recommended = true;
      statements.push(statement);
    });
  }
  return statements;
}

type Expand = (item: JsonObject, at: string) => { id: string; at: string }[];

function applyDetails(v: JsonObject, at: string, statements: VexStatement[], expand: Expand, issues: SbomIssue[]): void {
  const byProduct = new Map<string, VexStatement[]>();
  for (const s of statements) {
    const list = byProduct.get(s.product.ref!);
    if (list) list.push(s);
    else byProduct.set(s.product.ref!, [s]);
  }

  arr(v.flags).forEach((f, i) => {
    if (!isObject(f)) return;
    const fat = `${at}/flags/${i}`;
    const label = str(f.label);
    const targets = expand(f, fat);
    if (targets.length === 0) {
      issues.push(sbomIssue('MISSING_FIELD', fat, `flag '${fat}' ${describeValue(label)} names no product_ids or group_ids (CSAF 2.0 mandatory test 6.1.32); it applies to nothing`, 'warning'));
    }
    if (label === undefined) return;
    const justification = justificationOfVexLabel(label);
    if (!justification) issues.push(sbomIssue('UNKNOWN_STATUS', `${fat}/label`, `flag label '${label}' at ${fat} is no CSAF 2.0 flag label; it is kept as justificationOriginal with no justification`, 'warning'));
    for (const t of targets) {
      const own = byProduct.get(t.id);
      if (!own) {
        issues.push(sbomIssue('INCONSISTENT_STATEMENT', t.at, `flag '${label}' at ${fat} names product '${t.id}', which has no product_status in vulnerability '${at}'; no statement carries it`, 'warning'));
        continue;
      }
      for (const s of own) {
        if (s.justificationOriginal !== undefined) {
          issues.push(sbomIssue('INCONSISTENT_STATEMENT', t.at, `product '${t.id}' has a second flag '${label}' at ${fat} in vulnerability '${at}' (CSAF 2.0 mandatory test 6.1.33); the first, '${s.justificationOriginal}', is kept`, 'warning'));
          continue;
        }
        if (s.status !== 'not_affected') {
          issues.push(sbomIssue('INCONSISTENT_STATEMENT', t.at, `flag '${label}' at ${fat} justifies product '${t.id}' as not affected, but vulnerability '${at}' lists it as ${s.statusOriginal}; both are recorded`, 'warning'));
        }
        if (justification) s.justification = justification;
        s.justificationOriginal = label;
        if (str(f.date)) s.timestamp = f.date as string;
      }
    }
  });

  arr(v.threats).forEach((th, i) => {
    if (!isObject(th) || th.category !== 'impact') return;
    const details = str(th.details);
    if (!details) return;
    for (const t of expand(th, `${at}/threats/${i}`)) {
      for (const s of byProduct.get(t.id) ?? []) s.impactStatement = joinTexts([s.impactStatement, details]);
    }
  });

  arr(v.remediations).forEach((r, i) => {
    if (!isObject(r)) return;
    const rat = `${at}/remediations/${i}`;
    const targets = expand(r, rat);
    if (targets.length === 0) {
      issues.push(sbomIssue('MISSING_FIELD', rat, `remediation '${rat}' names no product_ids or group_ids (CSAF 2.0 mandatory test 6.1.29); it applies to nothing`, 'warning'));
      return;
    }
    const remediation: Remediation = { category: str(r.category) ?? '' };
    if (str(r.details)) remediation.details = r.details as string;
    if (str(r.url)) remediation.url = r.url as string;
    if (str(r.date)) remediation.date = r.date as string;
    for (const t of targets) {
      for (const s of byProduct.get(t.id) ?? []) {
        (s.remediations ??= []).push(remediation);
        s.actionStatement = joinTexts([s.actionStatement, remediation.details]);
      }
    }
  });
}
