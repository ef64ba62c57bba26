/**
 * @module
 * CycloneDX JSON (1.2 to 1.6) -> {@link ParsedSbom}, and {@link mapCycloneDxBom}, the one CycloneDX mapping: the XML
 * reader turns its tree into this JSON shape and maps it here, so both serialisations read the same way.
 */
import type { Component, DocumentReference, ExternalReference, Hash, License, ParseResult, ParsedSbom, Party, Relationship, Tool } from '../../model/sbom.js';
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import type { ParseContext } from '../ingest-limits.js';
import { capIssues, MAX_REPORTED_ISSUES } from '../ajv-issue.js';
import { getCycloneDxJsonValidator, pointerAt } from './cyclonedx-json-validator.js';

/**
 * Validates a parsed CycloneDX JSON document against the JSON schema of `ctx.specVersion`, then maps it.
 * A document that breaks its schema but can still be read comes back `ok: true` with `schemaValid: false` and
 * the violations in `issues`; only one that cannot be read as a BOM at all (wrong `bomFormat`, `components` not
 * an array, ...) comes back `ok: false`, with every problem found. Never throws for a bad document.
 *
 * @example
 * const r = await parseCycloneDxJson(JSON.parse(text), { limits: DEFAULT_INGEST_LIMITS, specVersion: '1.6' });
 * if (r.ok) console.log(r.sbom.components.length, r.sbom.schemaValid);
 */
export async function parseCycloneDxJson(doc: Record<string, unknown>, ctx: ParseContext): Promise<ParseResult> {
  const { valid, issues } = getCycloneDxJsonValidator(ctx.specVersion)(doc);
  return mapCycloneDxBom(doc, { format: 'cyclonedx-json', specVersion: ctx.specVersion, schemaValid: valid, issues });
}

export interface CycloneDxMapOptions {
  format: 'cyclonedx-json' | 'cyclonedx-xml';
  specVersion: string;
  /** The validator's verdict. */
  schemaValid: boolean;
  /** The validator's issues; the mapping adds its own after them. */
  issues: SbomIssue[];
  /**
   * Where a node of the JSON-shaped BOM sits in the original document, for the issues the mapping finds.
   * Defaults to the JSON pointer; the XML reader answers with a line.
   */
  locate?: (node: object, pointer: string) => string;
}

type Json = Record<string, unknown>;

/**
 * Maps a CycloneDX BOM in its JSON shape (1.2 to 1.6) to a {@link ParsedSbom}:
 * - metadata.component is the subject (`isSubject`, listed first in `components`, its ref in `subjectRefs`);
 * - every entry of `components`, nested ones included, becomes a component, with a CONTAINS edge from its parent;
 * - a component's ref is its bom-ref or, when it has none (or repeats one already taken), its JSON pointer
 *   (`#/components/3/components/0`, `#/metadata/component`), so refs are unique within the result;
 * - `dependencies` become DEPENDS_ON edges (1.6 `provides`: OTHER, originalType `provides`); a ref that names no
 *   component is a DANGLING_REF warning and makes no edge (refs of services are known but make no edge either);
 * - BOM-Links (`urn:cdx:serial/version#ref` in an externalReference of type `bom`) also become documentReferences.
 * Services are not components. Returns `ok: false` only for what cannot be read as a BOM.
 */
export function mapCycloneDxBom(bom: Json, options: CycloneDxMapOptions): ParseResult {
  const mapping = new CycloneDxMapping(bom, options);
  mapping.mapComponents(Infinity);
  return runSteps(mapping.finishInSteps(options));
}

/**
 * {@link mapCycloneDxBom} in steps, for a caller that stores the first components while later ones are still to be
 * read (src/store/stream-sbom.ts): {@link mapComponents} a few top-level entries at a time, then
 * {@link finishInSteps}, which maps `dependencies` and yields now and then so the caller's other work (a COPY
 * stream to feed) can go on. Run to the end, the steps give exactly what {@link mapCycloneDxBom} gives.
 */
export class CycloneDxMapping {
  /** What makes the document unreadable as a BOM (`ok: false`); every such problem is collected, as one call would. */
  readonly unreadable: SbomIssue[] = [];
  /** BOM-Links found so far, in document order. */
  readonly documentReferences: DocumentReference[] = [];
  /** The document supplier, as {@link ParsedSbom.supplier} gives it (known before any component is mapped). */
  readonly supplier: Party | undefined;
  readonly #bom: Json;
  readonly #meta: Json;
  readonly #subject: Json | undefined;
  readonly #top: readonly unknown[];
  readonly #locate: NonNullable<CycloneDxMapOptions['locate']>;
  readonly #format: CycloneDxMapOptions['format'];
  readonly #specVersion: string;
  /** Every component mapped, when kept ({@link mapComponents} returns them either way). */
  readonly #components: Component[] | undefined;
  /** Each component's ref, by position: all that the dependencies need of them. */
  readonly #refOf: string[] = [];
  /** Each ref's position, so that dependencies can be deduplicated by number rather than by text. */
  readonly #refs = new Map<string, number>();
  readonly #relationships: Relationship[] = [];
  #subjectComponent: Component | undefined;
  #nextTop = -1;

  /**
   * @param keepComponents false when the caller takes the components from {@link mapComponents} and keeps them no
   *   longer than it needs them: the result then lists none, and a large document's components are never all held.
   */
  constructor(bom: Json, options: Pick<CycloneDxMapOptions, 'format' | 'specVersion' | 'locate'>, keepComponents = true) {
    this.#bom = bom;
    this.#format = options.format;
    this.#specVersion = options.specVersion;
    this.#locate = options.locate ?? ((_node: object, pointer: string) => pointer);
    this.#components = keepComponents ? [] : undefined;
    const unreadable = this.unreadable;
    if (bom.bomFormat !== 'CycloneDX') {
      unreadable.push(sbomIssue('NOT_AN_SBOM', '/bomFormat', bom.bomFormat === undefined ? "document has no bomFormat; a CycloneDX BOM has bomFormat 'CycloneDX'" : `bomFormat is ${describe(bom.bomFormat)}, not 'CycloneDX'`));
    }
    for (const key of ['components', 'dependencies', 'services'] as const) {
      if (bom[key] !== undefined && !Array.isArray(bom[key])) unreadable.push(notReadable(`/${key}`, bom[key], 'an array'));
    }
    const metadata = bom.metadata === undefined ? {} : bom.metadata;
    if (!isObject(metadata)) unreadable.push(notReadable('/metadata', metadata, 'an object'));
    this.#meta = isObject(metadata) ? metadata : {};
    if (this.#meta.component !== undefined && !isObject(this.#meta.component)) unreadable.push(notReadable('/metadata/component', this.#meta.component, 'an object'));
    this.#subject = isObject(this.#meta.component) ? this.#meta.component : undefined;
    this.#top = Array.isArray(bom.components) ? bom.components : NONE;
    this.supplier = documentSupplier(this.#meta, this.#subject);
  }

  /** Whether every component has been mapped. */
  get componentsMapped(): boolean {
    return this.#nextTop >= this.#top.length;
  }

  /**
   * Maps the subject (on the first call) and the next `count` entries of `components`, each with the components
   * nested in it, and returns them in document order, each component after the one that holds it. Positions
   * continue from the previous call: the n-th component returned overall is at position n.
   */
  mapComponents(count: number): Component[] {
    const mapped: Component[] = [];
    if (this.#nextTop === -1) {
      if (this.#subject) this.#addComponent(this.#subject, '/metadata/component', -1, undefined, true, mapped);
      this.#nextTop = 0;
    }
    const end = Math.min(this.#top.length, this.#nextTop + count);
    for (let i = this.#nextTop; i < end; i++) this.#addComponent(this.#top[i], '/components', i, undefined, false, mapped);
    this.#nextTop = end;
    return mapped;
  }

  /**
   * Component `c` at `pointerAt(base, index)`, then the components nested in it. The JSON pointer is built only when
   * needed (no bom-ref, children, a problem): most components need none.
   */
  #addComponent(c: unknown, base: string, index: number, parentRef: string | undefined, isSubject: boolean, mapped: Component[]): void {
    if (!isObject(c)) {
      this.unreadable.push(notReadable(pointerAt(base, index), c, 'an object'));
      return;
    }
    const refs = this.#refs;
    const bomRef = str(c['bom-ref']);
    const ref = bomRef !== undefined && !refs.has(bomRef) ? bomRef : `#${pointerAt(base, index)}`;
    refs.set(ref, this.#refOf.length);
    this.#refOf.push(ref);
    const component = toComponent(c, ref, parentRef, isSubject);
    mapped.push(component);
    this.#components?.push(component);
    if (isSubject) this.#subjectComponent = component;
    for (const link of component.externalReferences) {
      if (link.type === 'bom' && link.url.startsWith('urn:cdx:')) this.documentReferences.push({ id: ref, target: link.url, checksum: bomLinkChecksum(c, link.url) });
    }
    if (parentRef !== undefined) this.#relationships.push({ from: parentRef, to: ref, type: 'CONTAINS', originalType: 'components' });
    const children = c.components;
    if (children === undefined) return;
    if (!Array.isArray(children)) this.unreadable.push(notReadable(`${pointerAt(base, index)}/components`, children, 'an array'));
    else if (children.length) {
      const childBase = `${pointerAt(base, index)}/components`;
      for (let i = 0; i < children.length; i++) this.#addComponent(children[i], childBase, i, ref, false, mapped);
    }
  }

  /**
   * What the document says of itself: its identity, subject, supplier, authors, tools; and the warning about a
   * version that cannot be recorded, when there is one. Known once the first {@link mapComponents} call has mapped
   * the subject.
   */
  header(): CycloneDxHeader {
    if (this.#nextTop === -1) throw new Error('CycloneDxMapping.header: the subject is still to be mapped');
    const bom = this.#bom;
    const meta = this.#meta;
    const subjectComponent = this.#subjectComponent;
    const version = documentVersion(bom, this.#locate);
    return {
      format: this.#format,
      specVersion: this.#specVersion,
      serialNumber: str(bom.serialNumber),
      documentVersion: version.value,
      name: subjectComponent?.name || undefined,
      createdAt: str(meta.timestamp),
      authors: documentAuthors(meta, this.#subject),
      tools: toTools(meta.tools),
      lifecycles: toLifecycles(meta.lifecycles),
      subjectRefs: subjectComponent ? [subjectComponent.ref] : [],
      supplier: this.supplier,
      versionIssues: version.issues,
    };
  }

  /**
   * Maps the rest of the document once every component is mapped, yielding after every `entriesPerStep` dependency
   * entries, and returns the result with the validator's verdict: `schemaValid` and its issues, which come first.
   */
  *finishInSteps(verdict: { schemaValid: boolean; issues: SbomIssue[] }, entriesPerStep = Infinity): Generator<void, ParseResult> {
    if (!this.componentsMapped) throw new Error('CycloneDxMapping.finishInSteps: components are still to be mapped');
    if (this.unreadable.length) {
      return { ok: false, format: this.#format, specVersion: this.#specVersion, issues: [...this.unreadable, ...verdict.issues] };
    }
    const bom = this.#bom;
    const dangling = yield* mapDependencies(bom, this.#refs, this.#refOf, serviceRefs(bom), this.#relationships, this.#locate, entriesPerStep);
    const { versionIssues, ...header } = this.header();
    const sbom: ParsedSbom = {
      ...header,
      components: this.#components ?? [],
      relationships: this.#relationships,
      documentReferences: this.documentReferences,
      schemaValid: verdict.schemaValid,
      issues: [...verdict.issues, ...versionIssues, ...capIssues(dangling, 'DANGLING_REF', 'dangling refs', this.#format === 'cyclonedx-xml' ? '' : '/')],
    };
    return { ok: true, sbom };
  }
}

/** See {@link CycloneDxMapping.header}. */
export type CycloneDxHeader = Pick<ParsedSbom, 'format' | 'specVersion' | 'serialNumber' | 'documentVersion' | 'name' | 'createdAt' | 'authors' | 'tools' | 'lifecycles' | 'subjectRefs' | 'supplier'> & {
  versionIssues: SbomIssue[];
};

/** Runs the steps of a generator to its end and returns what it returns. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The document supplier: metadata.supplier, else the subject's supplier, else the manufacturer. */
function documentSupplier(meta: Json, subject: Json | undefined): Party | undefined {
  return toParty(meta.supplier) ?? toParty(subject?.supplier) ?? toParty(meta.manufacture) ?? toParty(meta.manufacturer) ?? toParty(subject?.manufacturer);
}

/**
 * The names of the vendors a normaliser meets in this BOM, in the order it meets them: the document supplier, then
 * each component's supplier and manufacturer, components in the order {@link CycloneDxMapping} maps them. Reads only
 * those fields, so that a caller can resolve every vendor before the first component row is written. Components
 * that {@link CycloneDxMapping} would find unreadable are passed over (such a document is not stored).
 */
export function cycloneDxVendorNames(bom: Json): (string | undefined)[] {
  const meta = isObject(bom.metadata) ? bom.metadata : {};
  const subject = isObject(meta.component) ? meta.component : undefined;
  const names: (string | undefined)[] = [documentSupplier(meta, subject)?.name];
  const visit = (c: unknown): void => {
    if (!isObject(c)) return;
    names.push(partyName(c.supplier), partyName(c.manufacturer));
    const children = c.components;
    if (Array.isArray(children)) for (let i = 0; i < children.length; i++) visit(children[i]);
  };
  if (subject) visit(subject);
  const top = Array.isArray(bom.components) ? bom.components : NONE;
  for (let i = 0; i < top.length; i++) visit(top[i]);
  return names;
}

/**
 * CycloneDX 1.5+ `metadata.lifecycles`: each entry a `phase` (design, pre-build, build, post-build, operations,
 * discovery, decommission) or a custom `name`; the CISA 2025 minimum elements' generation context. In the document's
 * order, each once; undefined when none is stated.
 */
function toLifecycles(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const seen = new Set<string>();
  for (const entry of value) {
    const phase = isObject(entry) ? (str(entry.phase) ?? str(entry.name))?.trim() : undefined;
    if (phase) seen.add(phase);
  }
  return seen.size ? [...seen] : undefined;
}

/** Largest document version stored (a PostgreSQL integer). */
const MAX_DOCUMENT_VERSION = 2_147_483_647;

/**
 * The BOM version as stored. The schema asks for an integer of any size, but one beyond a PostgreSQL integer (or not
 * a whole number at all) made the insert fail, a 500 for a document that was read; it is left out, with a warning.
 */
function documentVersion(bom: Json, locate: NonNullable<CycloneDxMapOptions['locate']>): { value?: number; issues: SbomIssue[] } {
  const value = bom.version;
  if (typeof value !== 'number') return { issues: [] };
  if (Number.isInteger(value) && Math.abs(value) <= MAX_DOCUMENT_VERSION) return { value, issues: [] };
  const message = `the document version ${value} is not a whole number from -${MAX_DOCUMENT_VERSION} to ${MAX_DOCUMENT_VERSION}, so it is not recorded (the stored original keeps it)`;
  return { issues: [sbomIssue('LIMIT_EXCEEDED', locate(bom, '/version'), message, 'warning')] };
}

function toComponent(c: Json, ref: string, parentRef: string | undefined, isSubject: boolean): Component {
  const cpe = str(c.cpe);
  return {
    ref,
    parentRef,
    type: str(c.type),
    group: str(c.group),
    name: str(c.name) ?? '',
    version: str(c.version),
    description: str(c.description),
    purl: str(c.purl),
    cpes: cpe ? [cpe] : [],
    supplier: toParty(c.supplier),
    manufacturer: toParty(c.manufacturer),
    // `author` (a string) until 1.5, `authors` (contacts) from 1.6
    author: str(c.author) ?? (c.authors === undefined ? undefined : joinNames(toContacts(c.authors)) || undefined),
    hashes: toHashes(c.hashes),
    licenses: toLicenses(c.licenses),
    copyright: str(c.copyright),
    externalReferences: toExternalReferences(c.externalReferences),
    scope: str(c.scope),
    isSubject,
  };
}

/**
 * `dependencies` as edges, in document order, each (from, to, field) once however often the document repeats it.
 * Nearly every component has one dependency entry, so repeats are first looked for within the entry, with a stamp
 * per (target, field) holding the last entry that linked it; only a component with more than one entry gets a Set
 * of the targets linked so far, built when its second entry comes. Yields after every `entriesPerStep` entries.
 */
function* mapDependencies(
  bom: Json,
  refs: ReadonlyMap<string, number>,
  refOf: readonly string[],
  services: Set<string>,
  out: Relationship[],
  locate: NonNullable<CycloneDxMapOptions['locate']>,
  entriesPerStep: number,
): Generator<void, SbomIssue[]> {
  const dangling: SbomIssue[] = [];
  const deps = Array.isArray(bom.dependencies) ? bom.dependencies : NONE;
  const reportDangling = (node: object, dependency: string, field: string, pointer: string, ref: string): void => {
    // Locating may cost a scan of the XML text; past the reporting cap only the count matters.
    const where = dangling.length < MAX_REPORTED_ISSUES ? locate(node, pointer) : pointer;
    dangling.push(sbomIssue('DANGLING_REF', where, `dependency ${dependency} names '${ref}' in ${field}, but no component in the BOM has that bom-ref`, 'warning'));
  };
  // A link is (target position, field): `target * 2 + field index`.
  const firstEntryOf = new Int32Array(refOf.length).fill(-1);
  const stamp = new Int32Array(refOf.length * 2);
  let linkedBefore: Map<number, Set<number>> | undefined;
  for (let i = 0, nextStep = entriesPerStep; i < deps.length; i++) {
    if (i === nextStep) {
      yield;
      nextStep += entriesPerStep;
    }
    const d = deps[i];
    const from = isObject(d) ? str(d.ref) : undefined;
    if (!from) continue; // the schema check has reported it
    const fromPosition = refs.get(from);
    if (fromPosition === undefined) {
      if (!services.has(from)) reportDangling(d as Json, `/dependencies/${i}`, 'ref', `/dependencies/${i}/ref`, from);
      continue;
    }
    let linked: Set<number> | undefined;
    if (firstEntryOf[fromPosition] === -1) firstEntryOf[fromPosition] = i;
    else {
      linkedBefore ??= new Map();
      linked = linkedBefore.get(fromPosition);
      if (linked === undefined) linkedBefore.set(fromPosition, (linked = linksOf(deps[firstEntryOf[fromPosition]!] as Json, refs)));
    }
    for (let f = 0; f < DEPENDENCY_FIELDS.length; f++) {
      const [field, type] = DEPENDENCY_FIELDS[f]!;
      const list = (d as Json)[field];
      if (!Array.isArray(list)) continue;
      for (let j = 0; j < list.length; j++) {
        const to = str(list[j]);
        if (!to) continue;
        const toPosition = refs.get(to);
        if (toPosition === undefined) {
          if (!services.has(to)) reportDangling(d as Json, `/dependencies/${i}`, field, `/dependencies/${i}/${field}/${j}`, to);
          continue;
        }
        const link = toPosition * 2 + f;
        if (linked === undefined) {
          if (stamp[link] === i + 1) continue;
          stamp[link] = i + 1;
        } else {
          if (linked.has(link)) continue;
          linked.add(link);
        }
        // The components' own ref strings, equal to the ones written here: Map lookups of them in later steps then
        // find the very key (hash known, no text compare), and the dependency section's copies can be freed.
        out.push({ from: refOf[fromPosition]!, to: refOf[toPosition]!, type, originalType: field });
      }
    }
  }
  return dangling;
}

/** The links (see {@link mapDependencies}) that one dependency entry makes. */
function linksOf(d: Json, refs: ReadonlyMap<string, number>): Set<number> {
  const links = new Set<number>();
  for (let f = 0; f < DEPENDENCY_FIELDS.length; f++) {
    for (const item of list(d[DEPENDENCY_FIELDS[f]![0]])) {
      const to = str(item);
      const toPosition = to ? refs.get(to) : undefined;
      if (toPosition !== undefined) links.add(toPosition * 2 + f);
    }
  }
  return links;
}

/** Dependency fields and the edge each makes; 1.6 `provides` (e.g. a crypto asset a component implements) has no edge type of its own. */
const DEPENDENCY_FIELDS = [['dependsOn', 'DEPENDS_ON'], ['provides', 'OTHER']] as const;

function serviceRefs(bom: Json): Set<string> {
  const refs = new Set<string>();
  const walk = (services: unknown): void => {
    for (const s of list(services)) {
      if (!isObject(s)) continue;
      const ref = str(s['bom-ref']);
      if (ref) refs.add(ref);
      walk(s.services);
    }
  };
  walk(bom.services);
  return refs;
}

/** metadata.authors; when the document names none, the subject's `authors` (1.6) or `author`. */
function documentAuthors(meta: Json, subject: Json | undefined): Party[] {
  const authors = toContacts(meta.authors);
  if (authors.length || !subject) return authors;
  const fromSubject = toContacts(subject.authors);
  if (fromSubject.length) return fromSubject;
  const author = str(subject.author);
  return author ? [{ name: author, kind: 'person' }] : [];
}

/** metadata.tools: the legacy array of {vendor, name, version}, or (1.5+) {components, services}. */
function toTools(tools: unknown): Tool[] {
  const out: Tool[] = [];
  if (Array.isArray(tools)) {
    for (const t of tools) {
      const name = isObject(t) ? str(t.name) : undefined;
      if (name) out.push({ name, vendor: str((t as Json).vendor), version: str((t as Json).version) });
    }
  } else if (isObject(tools)) {
    for (const t of [...list(tools.components), ...list(tools.services)]) {
      const name = isObject(t) ? str(t.name) : undefined;
      if (!name) continue;
      const tool = t as Json;
      // as the library's Tool.fromComponent: the vendor is the group, else the organisation behind the tool
      const vendor = str(tool.group) ?? toParty(tool.supplier)?.name ?? toParty(tool.manufacturer)?.name ?? toParty(tool.provider)?.name;
      out.push({ name, vendor, version: str(tool.version) });
    }
  }
  return out;
}

/** organizationalEntity: {name, url[], contact[]}. */
function toParty(v: unknown): Party | undefined {
  const name = partyName(v);
  if (!name) return undefined;
  const party = v as Json;
  const urls = mapList(party.url, str);
  const email = toContacts(party.contact).find((c) => c.email)?.email;
  return { name, kind: 'organization', urls: urls.length ? urls : undefined, email };
}

/** The name of an organizationalEntity, when it is one with a name: exactly when {@link toParty} gives a party. */
function partyName(v: unknown): string | undefined {
  return isObject(v) ? str(v.name) : undefined;
}

/** organizationalContact[]: {name, email, phone}. */
function toContacts(v: unknown): Party[] {
  return mapList(v, toContact);
}

function toContact(c: unknown): Party | undefined {
  if (!isObject(c)) return undefined;
  const email = str(c.email);
  const name = str(c.name) ?? email;
  return name ? { name, kind: 'person', email } : undefined;
}

function joinNames(parties: Party[]): string {
  return parties.map((p) => p.name).join(', ');
}

function toHashes(v: unknown): Hash[] {
  return mapList(v, toHash);
}

function toHash(h: unknown): Hash | undefined {
  if (!isObject(h)) return undefined;
  const alg = str(h.alg);
  const content = str(h.content);
  return alg && content ? { alg, value: content.toLowerCase() } : undefined;
}

function toLicenses(v: unknown): License[] {
  return mapList(v, toLicense);
}

/** `{license: {id | name}}` and `{expression}` entries; 1.6 `acknowledgement` gives the kind. */
function toLicense(entry: unknown): License | undefined {
  if (!isObject(entry)) return undefined;
  const license = isObject(entry.license) ? entry.license : undefined;
  const ack = str(license ? license.acknowledgement : entry.acknowledgement);
  const kind = ack === 'declared' || ack === 'concluded' ? ack : undefined;
  const expression = license ? str(license.id) : str(entry.expression);
  const name = license && !expression ? str(license.name) : undefined;
  return expression || name ? { expression, name, kind } : undefined;
}

function toExternalReferences(v: unknown): ExternalReference[] {
  return mapList(v, toExternalReference);
}

function toExternalReference(r: unknown): ExternalReference | undefined {
  if (!isObject(r)) return undefined;
  const type = str(r.type);
  const url = str(r.url);
  return type && url ? { type, url } : undefined;
}

function bomLinkChecksum(c: Json, url: string): Hash | undefined {
  const link = list(c.externalReferences).find((r) => isObject(r) && r.url === url) as Json | undefined;
  return link ? toHashes(link.hashes)[0] : undefined;
}

function notReadable(pointer: string, value: unknown, expected: string): SbomIssue {
  return sbomIssue('NOT_AN_SBOM', pointer, `${pointer} is ${describe(value)}, not ${expected}; the BOM cannot be read`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 80 ? `${v.slice(0, 77)}...` : v}'`;
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const NONE: readonly unknown[] = Object.freeze([]);

/** An array field, or an empty list (shared, read-only) when it is absent or not an array. */
function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : NONE;
}

/**
 * `f` of each item of an array field, without the items it gives no value for, in a new array. Made with `map`,
 * which sizes the array exactly: one filled by `push` keeps room for 17 items, which for a component's few short
 * lists (hashes, licences, references) was a third of the memory the mapping took and as much garbage-collector work.
 */
function mapList<T>(v: unknown, f: (item: unknown) => T | undefined): T[] {
  const items = list(v);
  if (items.length === 0) return [];
  const out = items.map(f);
  return out.includes(undefined) ? (out.filter((item) => item !== undefined) as T[]) : (out as T[]);
}
