/**
 * @module
 * Per-SBOM quality for procurement: how much of each minimum element a document carries, as a share of its
 * components, and which components miss it.
 *
 * The elements and their sources:
 * - NTIA, "The Minimum Elements For a Software Bill of Materials (SBOM)" (US Department of Commerce, July 2021),
 *   data fields and automation: supplier name, component name, version of the component, other unique identifiers,
 *   dependency relationship, author of SBOM data, timestamp.
 * - CISA, "2025 Minimum Elements for a Software Bill of Materials (SBOM)" (public comment draft, August 2025),
 *   the elements it adds to NTIA's: component hash, license, tool name, generation context (the lifecycle phase
 *   in which the SBOM was made: before, during or after build).
 *
 * How each is counted here. Component-scope elements count over the document's components without its subject(s)
 * (`is_subject`: the product the SBOM describes is not one of its own components). A value "is stated" when it is
 * not blank and not `NOASSERTION`.
 * - SUPPLIER: a supplier or a manufacturer name is stated.
 * - COMPONENT_NAME: the name is not blank.
 * - VERSION: a version is stated.
 * - UNIQUE_IDENTIFIER: a valid purl or CPE (those the normaliser could read), or at least one hash.
 * - DEPENDENCY_RELATIONSHIP: the component is an end of at least one edge of the document's graph, either side,
 *   any kind (CycloneDX `dependencies` and nesting, SPDX relationships between packages).
 * - COMPONENT_HASH: at least one hash.
 * - LICENSE: a licence expression, or a licence entry whose expression or name is stated and is not `NONE`.
 * Document-scope elements are 1 of 1 or 0 of 1:
 * - SBOM_AUTHOR: the document names at least one author (CycloneDX metadata.authors, else the subject's author;
 *   SPDX creators that are persons or organisations).
 * - TIMESTAMP: the document's creation time could be read as a date.
 * - TOOL_NAME: the document names at least one tool that made it.
 * - GENERATION_CONTEXT: the document states a lifecycle (CycloneDX 1.5+ metadata.lifecycles, SPDX 3 sbomType).
 *
 * A percent has one decimal and is null when there is nothing to count (a document without components): an empty
 * document does not cover 100% of anything. A set's percent is the mean of its elements' percents, and null as soon
 * as one of them is null, so that a document's few document-level fields cannot stand for components it lacks.
 *
 * Every figure comes from two set-based queries over all the documents asked for, whatever their number and size: the
 * graph's edges are unnested once per query, never per component.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';

type Db = Kysely<Database> | Transaction<Database>;

export type QualityElement =
  | 'SUPPLIER'
  | 'COMPONENT_NAME'
  | 'VERSION'
  | 'UNIQUE_IDENTIFIER'
  | 'DEPENDENCY_RELATIONSHIP'
  | 'SBOM_AUTHOR'
  | 'TIMESTAMP'
  | 'COMPONENT_HASH'
  | 'LICENSE'
  | 'TOOL_NAME'
  | 'GENERATION_CONTEXT';

/** NTIA 2021 minimum elements, or one of the elements CISA's 2025 draft adds to them. */
export type QualitySet = 'NTIA' | 'CISA_2025';

/** Whether an element is counted per component or once for the document. */
export type QualityScope = 'COMPONENT' | 'DOCUMENT';

export interface QualityElementScore {
  element: QualityElement;
  set: QualitySet;
  scope: QualityScope;
  /** Components (or, for a document-scope element, 0 or 1) that carry the element. */
  covered: number;
  /** Components counted (the document's components without its subject), or 1 for a document-scope element. */
  total: number;
  /** `covered / total` as a percentage with one decimal (0..100); null when `total` is 0. */
  percent: number | null;
}

export interface SbomQuality {
  sbomId: number;
  /** The document's components, its subject(s) not counted. */
  components: number;
  /** Every element, in the order of {@link QUALITY_ELEMENTS}. */
  elements: QualityElementScore[];
  /** Mean of the NTIA elements' percents (one decimal); null when one of them is null. */
  ntiaPercent: number | null;
  /** Mean of the CISA 2025 additions' percents (one decimal); null when one of them is null. */
  cisaPercent: number | null;
}

/** A component that misses an element. */
export interface QualityMissingComponent {
  sbomId: number;
  index: number;
  ref: string;
  name: string;
  version?: string;
}

export interface QualityElementDefinition {
  element: QualityElement;
  set: QualitySet;
  scope: QualityScope;
}

/** The elements in the order they are reported: NTIA's as the 2021 report lists them, then CISA 2025's additions. */
export const QUALITY_ELEMENTS: readonly QualityElementDefinition[] = [
  { element: 'SUPPLIER', set: 'NTIA', scope: 'COMPONENT' },
  { element: 'COMPONENT_NAME', set: 'NTIA', scope: 'COMPONENT' },
  { element: 'VERSION', set: 'NTIA', scope: 'COMPONENT' },
  { element: 'UNIQUE_IDENTIFIER', set: 'NTIA', scope: 'COMPONENT' },
  { element: 'DEPENDENCY_RELATIONSHIP', set: 'NTIA', scope: 'COMPONENT' },
  { element: 'SBOM_AUTHOR', set: 'NTIA', scope: 'DOCUMENT' },
  { element: 'TIMESTAMP', set: 'NTIA', scope: 'DOCUMENT' },
  { element: 'COMPONENT_HASH', set: 'CISA_2025', scope: 'COMPONENT' },
  { element: 'LICENSE', set: 'CISA_2025', scope: 'COMPONENT' },
  { element: 'TOOL_NAME', set: 'CISA_2025', scope: 'DOCUMENT' },
  { element: 'GENERATION_CONTEXT', set: 'CISA_2025', scope: 'DOCUMENT' },
];

type ComponentElement = 'SUPPLIER' | 'COMPONENT_NAME' | 'VERSION' | 'UNIQUE_IDENTIFIER' | 'DEPENDENCY_RELATIONSHIP' | 'COMPONENT_HASH' | 'LICENSE';
type DocumentElement = Exclude<QualityElement, ComponentElement>;
/** The elements that a component's own columns decide. */
type ColumnElement = 'SUPPLIER' | 'COMPONENT_NAME' | 'VERSION' | 'LICENSE';

/** Result column of the component query for each component-scope element. */
const COMPONENT_COLUMNS: Record<ComponentElement, string> = {
  SUPPLIER: 'supplier',
  COMPONENT_NAME: 'component_name',
  VERSION: 'version',
  UNIQUE_IDENTIFIER: 'unique_identifier',
  DEPENDENCY_RELATIONSHIP: 'dependency_relationship',
  COMPONENT_HASH: 'component_hash',
  LICENSE: 'license',
};

/** Whether a text column states a value: not null, not blank, none of `none` (compared in upper case). Never null. */
function stated(column: RawBuilder<unknown>, none: string[] = ['NOASSERTION']): RawBuilder<boolean> {
  return sql<boolean>`coalesce(upper(btrim(${column})) not in (${sql.join(['', ...none])}), false)`;
}

/** When component `c` carries an element that its own columns decide (never null, so `not` of it is safe). */
const COLUMN_CONDITIONS: Record<ColumnElement, RawBuilder<boolean>> = {
  SUPPLIER: sql<boolean>`(${stated(sql.ref('c.supplier_name'))} or ${stated(sql.ref('c.manufacturer_name'))})`,
  COMPONENT_NAME: stated(sql.ref('c.name'), []),
  VERSION: stated(sql.ref('c.version')),
  LICENSE: sql<boolean>`(${stated(sql.ref('c.license_expression'), ['NOASSERTION', 'NONE'])} or (c.licenses <> '[]'::jsonb and exists (
    select 1 from jsonb_array_elements(c.licenses) as x(license)
    where ${stated(sql`coalesce(x.license ->> 'expression', x.license ->> 'name')`, ['NOASSERTION', 'NONE'])})))`,
};

/** A valid purl or CPE (the normaliser keeps only those it could read): a unique identifier without a hash. */
const IDENTIFIED = sql<boolean>`(c.purl_key is not null or c.cpe is not null)`;

/** Component `c` has a hash. Only ever a top-level condition, so that it becomes a (semi or anti) join, not a subplan. */
const HAS_HASH = sql<boolean>`exists (select 1 from component_hash h where h.sbom_id = c.sbom_id and h.idx = c.idx)`;

/**
 * `(sbom_id, idx)` of the documents' components (subjects left out) that are an end of no edge: the components,
 * minus every edge's source, minus every edge's targets. Set differences, so that the plan is linear whatever the
 * planner guesses of the unnested targets (an anti-join on them can turn into a scan of all edges per component),
 * and each edge row is unnested once.
 */
function unlinked(ids: RawBuilder<unknown>, after?: number): RawBuilder<unknown> {
  return sql`select sbom_id, idx from component where sbom_id = any(${ids}) and not is_subject${after === undefined ? sql`` : sql` and idx > ${after}`}
    except select sbom_id, from_idx from component_edge where sbom_id = any(${ids})
    except select sbom_id, unnest(to_idx) from component_edge where sbom_id = any(${ids})`;
}

interface ComponentCounts {
  sbom_id: number;
  components: number;
  [column: string]: number;
}

interface DocumentFlags {
  id: number;
  has_author: boolean;
  has_timestamp: boolean;
  has_tool: boolean;
  has_lifecycle: boolean;
}

/**
 * The quality of each document asked for, by id; ids of documents that do not exist (or that the caller may not
 * see) are left out. Two queries whatever the number and size of the documents: one over the `sbom` rows, one over
 * their components, hashes and edges, each table read once or twice and the edges unnested once.
 *
 * @example
 * const q = (await sbomQuality(db, [5])).get(5);
 * q?.elements.find((e) => e.element === 'SUPPLIER'); // { set: 'NTIA', scope: 'COMPONENT', covered: 3, total: 4, percent: 75, ... }
 */
export async function sbomQuality(db: Db, sbomIds: readonly number[]): Promise<Map<number, SbomQuality>> {
  const unique = [...new Set(sbomIds)];
  if (unique.length === 0) return new Map();
  const ids = sql`${unique}::bigint[]`;
  const documents = await sql<DocumentFlags>`
    select id,
      jsonb_array_length(authors) > 0 as has_author,
      document_created_at is not null as has_timestamp,
      jsonb_array_length(tools) > 0 as has_tool,
      cardinality(lifecycles) > 0 as has_lifecycle
    from sbom where id = any(${ids})`.execute(db);
  if (documents.rows.length === 0) return new Map();
  const columns = Object.keys(COLUMN_CONDITIONS) as ColumnElement[];
  // Three counts per document, joined on the document: its components' own columns, those with a hash (a semi-join
  // on component_hash), and those in no edge (unlinked).
  const counts = await sql<ComponentCounts>`
    select b.sbom_id, b.components, ${sql.join(columns.map((e) => sql.ref(`b.${COMPONENT_COLUMNS[e]}`)))},
      b.identified + coalesce(h.hashed_only, 0) as unique_identifier,
      coalesce(h.hashed, 0) as component_hash,
      b.components - coalesce(u.unlinked, 0) as dependency_relationship
    from (
      select c.sbom_id, count(*)::int as components,
        ${sql.join(columns.map((e) => sql`count(*) filter (where ${COLUMN_CONDITIONS[e]})::int as ${sql.ref(COMPONENT_COLUMNS[e])}`))},
        count(*) filter (where ${IDENTIFIED})::int as identified
      from component c
      where c.sbom_id = any(${ids}) and not c.is_subject
      group by c.sbom_id
    ) b
    left join (
      select c.sbom_id, count(*)::int as hashed, count(*) filter (where not ${IDENTIFIED})::int as hashed_only
      from component c
      where c.sbom_id = any(${ids}) and not c.is_subject and ${HAS_HASH}
      group by c.sbom_id
    ) h on h.sbom_id = b.sbom_id
    left join (
      select sbom_id, count(*)::int as unlinked from (${unlinked(ids)}) as unlinked group by sbom_id
    ) u on u.sbom_id = b.sbom_id`.execute(db);
  const countsOf = new Map(counts.rows.map((r) => [Number(r.sbom_id), r]));

  const result = new Map<number, SbomQuality>();
  for (const doc of documents.rows) {
    const sbomId = Number(doc.id);
    const row = countsOf.get(sbomId);
    const components = row?.components ?? 0;
    const elements = QUALITY_ELEMENTS.map(({ element, set, scope }): QualityElementScore => {
      const [covered, total] =
        scope === 'COMPONENT' ? [row?.[COMPONENT_COLUMNS[element as ComponentElement]] ?? 0, components] : [documentFlag(doc, element as DocumentElement) ? 1 : 0, 1];
      return { element, set, scope, covered, total, percent: percentOf(covered, total) };
    });
    result.set(sbomId, { sbomId, components, elements, ntiaPercent: meanPercent(elements, 'NTIA'), cisaPercent: meanPercent(elements, 'CISA_2025') });
  }
  return result;
}

function documentFlag(doc: DocumentFlags, element: DocumentElement): boolean {
  switch (element) {
    case 'SBOM_AUTHOR':
      return doc.has_author;
    case 'TIMESTAMP':
      return doc.has_timestamp;
    case 'TOOL_NAME':
      return doc.has_tool;
    case 'GENERATION_CONTEXT':
      return doc.has_lifecycle;
  }
}

function percentOf(covered: number, total: number): number | null {
  return total === 0 ? null : Math.round((covered * 1000) / total) / 10;
}

/** The mean of a set's element percents as reported (so it can be checked from them), one decimal. */
function meanPercent(elements: QualityElementScore[], set: QualitySet): number | null {
  const percents = elements.filter((e) => e.set === set).map((e) => e.percent);
  if (percents.some((p) => p === null)) return null;
  return Math.round(((percents as number[]).reduce((a, b) => a + b, 0) / percents.length) * 10) / 10;
}

/**
 * The components of one document that miss `element`, in document order, keyset-paginated on their position:
 * `after` is the last `index` of the previous page. Document-scope elements (SBOM_AUTHOR, TIMESTAMP, TOOL_NAME,
 * GENERATION_CONTEXT) are missed by the document, not by components: the list is empty.
 *
 * @example
 * const page = await sbomQualityMissing(db, 5, 'SUPPLIER', { first: 50 });
 * const next = await sbomQualityMissing(db, 5, 'SUPPLIER', { first: 50, after: page.at(-1)?.index });
 */
export async function sbomQualityMissing(db: Db, sbomId: number, element: QualityElement, page: { first: number; after?: number }): Promise<QualityMissingComponent[]> {
  if (!(element in COMPONENT_COLUMNS) || page.first <= 0) return [];
  const after = page.after ?? -1;
  const select = sql`select c.sbom_id, c.idx, c.bom_ref, c.name, c.version from component c`;
  const where = sql`c.sbom_id = ${sbomId} and not c.is_subject and c.idx > ${after}`;
  let query: RawBuilder<MissingRow>;
  switch (element as ComponentElement) {
    case 'DEPENDENCY_RELATIONSHIP':
      // The page is cut from the set difference first, then its few components are looked up by key.
      query = sql<MissingRow>`${select}
        join (select idx from (${unlinked(sql`${[sbomId]}::bigint[]`, after)}) as unlinked order by idx limit ${page.first}) as m on c.idx = m.idx
        where c.sbom_id = ${sbomId}
        order by c.idx`;
      break;
    case 'COMPONENT_HASH':
      query = sql<MissingRow>`${select} where ${where} and not ${HAS_HASH} order by c.idx limit ${page.first}`;
      break;
    case 'UNIQUE_IDENTIFIER':
      query = sql<MissingRow>`${select} where ${where} and not ${IDENTIFIED} and not ${HAS_HASH} order by c.idx limit ${page.first}`;
      break;
    default:
      query = sql<MissingRow>`${select} where ${where} and not ${COLUMN_CONDITIONS[element as ColumnElement]} order by c.idx limit ${page.first}`;
  }
  const { rows } = await query.execute(db);
  return rows.map((r) => ({ sbomId: Number(r.sbom_id), index: r.idx, ref: r.bom_ref, name: r.name, ...(r.version === null ? {} : { version: r.version }) }));
}

interface MissingRow {
  sbom_id: number;
  idx: number;
  bom_ref: string;
  name: string;
  version: string | null;
}
