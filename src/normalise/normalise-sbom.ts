/**
 * @module
 * ParsedSbom -> NormalisedSbom: identities canonicalised, vendors keyed, licences checked, refs turned into
 * positions. Pure and linear in the document's size: refs are looked up in Maps, edges deduplicated with typed
 * arrays, and purl, CPE, licence and vendor results computed once per distinct string, since big SBOMs repeat
 * the same strings many times. Purls and CPEs already in canonical form, which are nearly all of them and mostly
 * distinct, are read directly instead (purl-identity.ts, cpe.ts): that costs less than remembering them.
 */
import type { NormalisedComponent, NormalisedEdge, NormalisedSbom, VendorRef } from '../model/normalised-sbom.js';
import type { Component, ParsedSbom, Party } from '../model/sbom.js';
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';
import { canonicalCpe, invalidCpeMessage, parseCpe, type CpeResult } from './cpe.js';
import { checkLicenseExpression, combineWithAnd, invalidLicenceMessage, statesNoLicence, type LicenseCheckResult } from './license-expression.js';
import { normaliseVendorName, vendorDisplayName } from './normalise-vendor-name.js';
import { canonicalPurlIdentity, invalidPurlMessage, purlIdentity, type PurlIdentityResult } from './purl-identity.js';

/** The SPDX 2 document's own SPDXID (SPDX 2.3 §6.3): relationships from it are about the document, not a component. */
const SPDX_DOCUMENT_REF = 'SPDXRef-DOCUMENT';

/**
 * Normalises one parsed SBOM. Problems in single values (an invalid purl, CPE or licence expression, a ref
 * that names no component) never reject the document: each becomes a `warning` appended to `issues`, and
 * `schemaValid` is left as the parser set it. Never throws for bad input.
 *
 * - Components keep every parsed field and gain `index`, `parentIndex`, `purlIdentity`, `cpe` (the first
 *   valid one, in CPE 2.3 form), `supplierVendor` (supplier, else manufacturer) and `licenseExpression`
 *   (the declared licence expressions, else the concluded ones, joined with AND when all are valid).
 * - Relationships become `edges` between positions; self-edges and exact duplicates are dropped, and so
 *   are relationships with an end that is not a component (a warning, unless that end is the document itself
 *   or lies in another document: `DocumentRef-x:...`, `urn:cdx:...`; those stay in `relationships`).
 * - `supplierVendor` of the document is `parsed.supplier`, else the vendor of the first subject that has one;
 *   `vendors` lists every vendor named, once per key, with the name as first written.
 *
 * @example
 * const parsed = await parseSbom(bytes);
 * if (parsed.ok) {
 *   const sbom = normaliseSbom(parsed.sbom);
 *   sbom.components[0].purlIdentity?.key; // 'pkg:npm/%40angular/core@1.0.0'
 * }
 */
export function normaliseSbom(parsed: ParsedSbom): NormalisedSbom {
  const normaliser = new SbomNormaliser(parsed.supplier);
  return normaliser.finish(parsed, normaliser.normalise(parsed.components));
}

/**
 * {@link normaliseSbom} a slice of components at a time, for a caller that stores each slice before the next is read
 * (src/store/stream-sbom.ts); {@link normaliseSbom} itself is one slice of every component. The slices, then
 * {@link finish}, give exactly what {@link normaliseSbom} gives for the components of every slice.
 */
export class SbomNormaliser {
  /** The document's vendor as the document names it (`parsed.supplier`); see {@link finish} for the fallback. */
  readonly documentSupplier: VendorRef | undefined;
  /** The warnings found so far, in the order {@link normaliseSbom} lists them. */
  readonly #issues: SbomIssue[] = [];
  readonly #vendors = new VendorRegistry();
  readonly #purls = new Memo<PurlIdentityResult>(purlIdentity);
  readonly #cpes = new Memo<CpeResult>(parseCpe);
  readonly #licences = new Memo<LicenceVerdict>(checkLicence);
  readonly #indexByRef = new Map<string, number>();
  #count = 0;

  constructor(supplier: Party | undefined) {
    this.documentSupplier = this.#vendors.vendorOf(supplier);
  }

  /**
   * The vendor a party of that name stands for. A caller that needs every vendor before the components (to resolve
   * their ids first) calls it with each supplier and manufacturer name in document order, which registers the
   * vendors as the components would.
   */
  vendorNamed(name: string | undefined): VendorRef | undefined {
    return name === undefined ? undefined : this.#vendors.vendorOf({ name });
  }

  /** Every vendor named so far, once per key, with the name as first written. */
  get vendors(): VendorRef[] {
    return this.#vendors.all();
  }

  /** How many components have been normalised. */
  get componentCount(): number {
    return this.#count;
  }

  /**
   * The next components, in document order: positions continue from the previous call. A ref names the first
   * component that has it; a parentRef names a component of this slice or of an earlier one (the parsers list a
   * component after the one that holds it). With `inPlace` the components themselves become the normalised ones
   * (for a caller that owns them and keeps them no longer): a copy each is a tenth of the time normalising takes.
   */
  normalise(slice: readonly Component[], inPlace = false): NormalisedComponent[] {
    const start = this.#count;
    const indexByRef = this.#indexByRef;
    const issues = this.#issues;
    const vendors = this.#vendors;
    // Of components sharing a ref (the parser reports those) the first keeps it: backwards, in one Map call each,
    // when no earlier slice has taken a ref.
    if (start === 0) for (let k = slice.length - 1; k >= 0; k--) indexByRef.set(slice[k]!.ref, k);
    else {
      for (let k = 0; k < slice.length; k++) {
        const ref = slice[k]!.ref;
        if (!indexByRef.has(ref)) indexByRef.set(ref, start + k);
      }
    }
    const out = new Array<NormalisedComponent>(slice.length);
    for (let k = 0; k < slice.length; k++) {
      const c = slice[k]!;
      const i = start + k;
      // Object.assign, not a spread: on Node 20 it is several times faster for half a million components.
      const n = (inPlace ? c : Object.assign({}, c)) as NormalisedComponent;
      n.index = i;

      if (c.parentRef !== undefined) {
        const parentIndex = indexByRef.get(c.parentRef);
        if (parentIndex === undefined) {
          issues.push(sbomIssue('DANGLING_REF', issuePath(c.ref), `${where(c)} is nested in '${displayRef(c.parentRef)}', which is no component of this document`, 'warning'));
        } else if (parentIndex !== i) n.parentIndex = parentIndex;
      }

      if (c.purl !== undefined) {
        const identity = canonicalPurlIdentity(c.purl);
        if (identity !== undefined) n.purlIdentity = identity;
        else {
          const r = this.#purls.get(c.purl);
          if (r.ok) n.purlIdentity = r.identity;
          else issues.push(sbomIssue('INVALID_PURL', issuePath(c.ref), invalidPurlMessage(c.purl, r.reason, where(c)), 'warning'));
        }
      }

      for (const cpe of c.cpes) {
        const r = canonicalCpe(cpe) ?? this.#cpes.get(cpe);
        if (!r.ok) issues.push(sbomIssue('INVALID_CPE', issuePath(c.ref), invalidCpeMessage(cpe, r.reason, where(c)), 'warning'));
        else if (n.cpe === undefined) n.cpe = r.cpe23;
      }

      const supplierVendor = vendors.vendorOf(c.supplier);
      const manufacturerVendor = vendors.vendorOf(c.manufacturer);
      if (supplierVendor ?? manufacturerVendor) n.supplierVendor = supplierVendor ?? manufacturerVendor;

      if (c.licenses.length > 0) {
        const expression = licenceExpressionOf(c, this.#licences, issues);
        if (expression !== undefined) n.licenseExpression = expression;
      }

      out[k] = n;
    }
    this.#count += slice.length;
    return out;
  }

  /**
   * The document once every component is normalised: subjects and edges resolved, the warnings after the parser's
   * issues. `components` are the normalised components, all of them, or none when the caller has stored them
   * already: then `subjects` must hold those of `parsed.subjectRefs` (the supplier fallback reads them).
   */
  finish(parsed: Omit<ParsedSbom, 'components'>, components: NormalisedComponent[], subjects?: readonly NormalisedComponent[]): NormalisedSbom {
    // As the parsed document was, less what is normalised here (relationships stay, as parsed).
    const { components: _components, supplier: _supplier, ...rest } = parsed as ParsedSbom;
    const indexByRef = this.#indexByRef;
    const issues = this.#issues;
    const subjectIndexes: number[] = [];
    const subjectSeen = new Set<number>();
    for (const ref of parsed.subjectRefs) {
      const index = indexByRef.get(ref);
      if (index === undefined) {
        issues.push(sbomIssue('DANGLING_REF', issuePath(ref), `the document names '${displayRef(ref)}' as its subject, but it is no component of this document`, 'warning'));
      } else if (!subjectSeen.has(index)) {
        subjectSeen.add(index);
        subjectIndexes.push(index);
      }
    }

    const edges = edgesOf(parsed, indexByRef, this.#count, issues);

    const byIndex = (index: number) => components[index] ?? subjects?.find((c) => c.index === index);
    let supplierVendor = this.documentSupplier;
    for (let k = 0; supplierVendor === undefined && k < subjectIndexes.length; k++) supplierVendor = byIndex(subjectIndexes[k]!)?.supplierVendor;

    const result: NormalisedSbom = {
      ...rest,
      issues: [...parsed.issues, ...issues],
      components,
      edges,
      subjectIndexes,
      vendors: this.#vendors.all(),
    };
    if (supplierVendor !== undefined) result.supplierVendor = supplierVendor;
    return result;
  }
}

/**
 * The component's licence expression: its declared expressions, or its concluded ones when none is declared,
 * deduplicated and joined with AND; undefined when that group is empty or holds an invalid expression. Every
 * invalid expression, in either group, is reported. Free-text licence names are not expressions and are
 * skipped, as are NOASSERTION and NONE.
 */
function licenceExpressionOf(c: Component, licences: Memo<LicenceVerdict>, issues: SbomIssue[]): string | undefined {
  // Most components state one licence: no grouping needed.
  if (c.licenses.length === 1) {
    const r = verdictOf(c, c.licenses[0]!.expression, licences, issues);
    return r?.ok ? r.expression : undefined;
  }
  const groups = { declared: new LicenceGroup(), concluded: new LicenceGroup() };
  for (const licence of c.licenses) {
    const r = verdictOf(c, licence.expression, licences, issues);
    if (r !== null) groups[licence.kind ?? 'declared'].add(r);
  }
  const group = groups.declared.stated ? groups.declared : groups.concluded;
  return group.stated && !group.invalid ? combineWithAnd(group.valid) : undefined;
}

/** A licence expression's check, or null when the licence states none (no expression, NOASSERTION, NONE). */
type LicenceVerdict = LicenseCheckResult | null;

function checkLicence(expression: string): LicenceVerdict {
  return statesNoLicence(expression) ? null : checkLicenseExpression(expression);
}

function verdictOf(c: Component, expression: string | undefined, licences: Memo<LicenceVerdict>, issues: SbomIssue[]): LicenceVerdict {
  if (expression === undefined) return null;
  const r = licences.get(expression);
  if (r !== null && !r.ok) issues.push(sbomIssue('INVALID_LICENSE', issuePath(c.ref), invalidLicenceMessage(expression, r.suggestion, where(c)), 'warning'));
  return r;
}

class LicenceGroup {
  readonly valid: Array<{ expression: string; conjunction?: 'and' | 'or' }> = [];
  invalid = false;

  get stated(): boolean {
    return this.invalid || this.valid.length > 0;
  }

  add(checked: LicenseCheckResult): void {
    if (!checked.ok) this.invalid = true;
    else if (!this.valid.some((v) => v.expression === checked.expression)) this.valid.push(checked);
  }
}

/**
 * Relationships as edges between positions, in document order, without self-edges and exact duplicates.
 * Duplicates are found without a (from, to) map, which costs more than the rest of this function at half a
 * million edges: visiting edges grouped by source (a stable counting sort) lets one stamp per target tell
 * whether the current source already has an edge to it.
 */
function edgesOf(parsed: Pick<ParsedSbom, 'relationships' | 'serialNumber'>, indexByRef: ReadonlyMap<string, number>, componentCount: number, issues: SbomIssue[]): NormalisedEdge[] {
  const relationships = parsed.relationships;
  const count = relationships.length;
  const from = new Int32Array(count).fill(-1);
  const to = new Int32Array(count);
  const isDocumentItself = (ref: string) => ref === SPDX_DOCUMENT_REF || ref === parsed.serialNumber;
  // Relationships come grouped by source (a CycloneDX dependency entry, an SPDX element's relationships), so the
  // source's position is looked up once per run rather than once per edge.
  let lastFrom: string | undefined;
  let lastFromIndex: number | undefined;
  for (let e = 0; e < count; e++) {
    const r = relationships[e]!;
    if (r.from !== lastFrom) lastFromIndex = indexByRef.get((lastFrom = r.from));
    const fromIndex = lastFromIndex;
    const toIndex = indexByRef.get(r.to);
    if (fromIndex !== undefined && toIndex !== undefined) {
      if (fromIndex !== toIndex) {
        from[e] = fromIndex;
        to[e] = toIndex;
      }
      continue;
    }
    for (const end of [r.from, r.to]) {
      if (indexByRef.has(end) || isDocumentItself(end) || isInAnotherDocument(end)) continue;
      issues.push(sbomIssue('DANGLING_REF', issuePath(end), `relationship ${r.originalType} from '${displayRef(r.from)}' to '${displayRef(r.to)}' names '${displayRef(end)}', which is no component of this document; the edge is left out`, 'warning'));
    }
  }

  const bucketStart = new Int32Array(componentCount + 1);
  for (let e = 0; e < count; e++) if (from[e]! >= 0) bucketStart[from[e]! + 1]!++;
  for (let v = 0; v < componentCount; v++) bucketStart[v + 1]! += bucketStart[v]!;
  const bySource = new Int32Array(bucketStart[componentCount]!);
  const fillAt = bucketStart.slice(0, componentCount);
  for (let e = 0; e < count; e++) if (from[e]! >= 0) bySource[fillAt[from[e]!]!++] = e;

  const lastSourceTo = new Int32Array(componentCount).fill(-1);
  const firstEdgeTo = new Int32Array(componentCount);
  const nextSameEnds = new Int32Array(count).fill(-1);
  const duplicate = new Uint8Array(count);
  for (let v = 0; v < componentCount; v++) {
    for (let k = bucketStart[v]!; k < bucketStart[v + 1]!; k++) {
      const e = bySource[k]!;
      const t = to[e]!;
      if (lastSourceTo[t] !== v) {
        lastSourceTo[t] = v;
        firstEdgeTo[t] = e;
        continue;
      }
      // Same source and target as a kept edge: a duplicate only if type and original word match too. The
      // chain holds one edge per distinct relationship word between the two, so it stays a few long.
      const { type, originalType } = relationships[e]!;
      let kept = firstEdgeTo[t]!;
      for (;;) {
        const same = relationships[kept]!;
        if (same.type === type && same.originalType === originalType) {
          duplicate[e] = 1;
          break;
        }
        if (nextSameEnds[kept] === -1) {
          nextSameEnds[kept] = e;
          break;
        }
        kept = nextSameEnds[kept]!;
      }
    }
  }

  const edges: NormalisedEdge[] = [];
  for (let e = 0; e < count; e++) {
    if (from[e]! < 0 || duplicate[e] === 1) continue;
    const r = relationships[e]!;
    edges.push({ fromIndex: from[e]!, toIndex: to[e]!, type: r.type, originalType: r.originalType });
  }
  return edges;
}

/** One {@link VendorRef} per key, named as first written; the same object is shared by every mention. */
class VendorRegistry {
  private readonly byKey = new Map<string, VendorRef>();
  private readonly byName = new Map<string, VendorRef | null>();

  vendorOf(party: Party | undefined): VendorRef | undefined {
    if (party === undefined) return undefined;
    let vendor = this.byName.get(party.name);
    if (vendor === undefined) {
      const key = normaliseVendorName(party.name);
      vendor = key === undefined ? null : (this.byKey.get(key) ?? { name: vendorDisplayName(party.name)!, key });
      if (vendor !== null) this.byKey.set(key!, vendor);
      this.byName.set(party.name, vendor);
    }
    return vendor ?? undefined;
  }

  all(): VendorRef[] {
    return [...this.byKey.values()];
  }
}

/** Results by input string, so repeated purls, CPEs and licences are parsed once per document. */
class Memo<T extends object | null> {
  private readonly cache = new Map<string, T>();
  constructor(private readonly compute: (s: string) => T) {}

  get(s: string): T {
    let r = this.cache.get(s);
    if (r === undefined) {
      r = this.compute(s);
      this.cache.set(s, r);
    }
    return r;
  }
}

function where(c: Component): string {
  return `component '${displayRef(c.ref)}'`;
}

/** Refs the parser made up are JSON pointers (`#/components/3`); shown without '#', as the uploader's tools show them. */
function displayRef(ref: string): string {
  return ref.startsWith('#/') ? ref.slice(1) : ref;
}

/** An issue path the uploader can find: the JSON pointer of a made-up ref, else `ref:<bom-ref or SPDXID>`. */
function issuePath(ref: string): string {
  return ref.startsWith('#/') ? ref.slice(1) : `ref:${ref}`;
}

/** SPDX 2 `DocumentRef-x:SPDXRef-y` and CycloneDX BOM-Links point into other documents, which are resolved later. */
function isInAnotherDocument(ref: string): boolean {
  return /^DocumentRef-[^:]+:/.test(ref) || ref.startsWith('urn:cdx:');
}
