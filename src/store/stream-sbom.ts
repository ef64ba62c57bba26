/**
 * @module
 * Stores a CycloneDX JSON document while it is still being read. Node and the PostgreSQL server are two processes:
 * reading (mapping, normalising, validating) and writing one after the other, each waited for the other about half
 * of a large upload (README, "Benchmark"). Here the component rows go to the server slice by slice as they are
 * mapped and normalised, and the rest of the reading (dependencies, edges, the schema verdict) is done while the
 * server writes, in steps that leave the event loop free to keep feeding it.
 *
 * The result is what `parseSbom -> normaliseSbom -> storeSbom` stores and answers, row for row and issue for issue.
 * Whenever the document turns out to be one those would answer differently (one to refuse, one the uploader may not
 * publish), this rolls back and hands it back to them: {@link streamSbom} then returns undefined.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { currentPrincipal } from '../access/principal.js';
import { linkSbom } from '../chains/link-sbom.js';
import { getCycloneDxJsonStepValidator, getCycloneDxJsonValidator, type CycloneDxValidation } from '../ingest/cyclonedx/cyclonedx-json-validator.js';
import { CycloneDxMapping, cycloneDxVendorNames } from '../ingest/cyclonedx/parse-cyclonedx-json.js';
import { oversizedValues, type StagedCycloneDxJson } from '../ingest/parse-sbom.js';
import type { NormalisedComponent, NormalisedSbom } from '../model/normalised-sbom.js';
import type { SbomIssue } from '../model/sbom-issue.js';
import { SbomNormaliser } from '../normalise/normalise-sbom.js';
import { mayWriteFor } from './access.repository.js';
import { chunked, copyText } from './bulk-insert.js';
import { upsertVendors } from './organisation.repository.js';
import { sbomRowToRecord } from './sbom.repository.js';
import {
  COMPONENT_COLUMNS,
  componentLines,
  EDGE_COLUMNS,
  edgeLines,
  edgeRows,
  HASH_COLUMNS,
  hashLines,
  insertContent,
  insertDocumentReferences,
  insertIssues,
  insertSbomRow,
  ownerFields,
  recordIngest,
  sbomRow,
  settleDuplicate,
  totalsRow,
  type StoreSbomInput,
  type StoreSbomResult,
} from './store-sbom.js';

/**
 * Top-level entries of `components` mapped, normalised and written per slice. A slice is 5 to 10 ms of work and
 * under a megabyte of COPY text: the server, which takes about as long to store it, has the previous slices
 * queued in the socket buffers meanwhile.
 */
const COMPONENTS_PER_SLICE = 1000;
/** Entries validated, or dependency entries mapped, per step of the work done while the server writes. */
const ITEMS_PER_STEP = 1000;
const DEPENDENCIES_PER_STEP = 5000;
/** Longest run of such steps between two turns of the event loop. */
const TURN_MS = 12;

export type StreamSbomInput = Omit<StoreSbomInput, 'sbom'>;

export type StreamSbomResult = StoreSbomResult & { issues: SbomIssue[] };

/** Thrown inside the transaction to roll it back and hand the document back to the one-call path. */
class HandBack extends Error {
  constructor(reason: string) {
    super(`stream-sbom: handed back (${reason})`);
  }
}

/**
 * Stores `staged` as `parseSbom -> normaliseSbom -> storeSbom` would, reading and writing at once, and returns what
 * they would return with the document's issues; or returns undefined, having stored nothing, when the document is
 * one to take through them instead: one that is refused (unreadable, beyond a limit, schema-invalid in strict
 * mode) or that the uploader may not publish, so that they give the answer and its reasons.
 *
 * @throws what storeSbom throws on operational failure (database down); nothing was stored.
 */
export async function streamSbom(db: Kysely<Database>, staged: StagedCycloneDxJson, input: StreamSbomInput): Promise<StreamSbomResult | undefined> {
  const { doc, specVersion, trailing, limits, strict } = staged;
  // Strict mode stores only a schema-valid document, so its verdict comes before any write.
  let verdict: CycloneDxValidation | undefined;
  if (strict) {
    verdict = getCycloneDxJsonValidator(specVersion)(doc);
    if (!verdict.valid || trailing) return undefined;
  }
  const mapping = new CycloneDxMapping(doc, { format: 'cyclonedx-json', specVersion }, false);
  if (mapping.unreadable.length) return undefined;
  // Every vendor is known before the first component row, which carries its vendor's id.
  const normaliser = new SbomNormaliser(mapping.supplier);
  for (const name of cycloneDxVendorNames(doc)) normaliser.vendorNamed(name);
  const vendors = normaliser.vendors;

  // The subject alone (the document's owner may be its supplier), before any other component: the rest are mapped
  // once the transaction is under way. The mapping keeps none of the components it gives (keepComponents false):
  // they are normalised in place.
  let firstSlice: NormalisedComponent[] | undefined = normaliser.normalise(mapping.mapComponents(0), true);
  const { versionIssues: _versionIssues, ...header } = mapping.header();
  if (mapping.unreadable.length || oversizedValues({ serialNumber: header.serialNumber, supplier: header.supplier, documentReferences: [], components: [] }).length) return undefined;
  const subject = firstSlice[0]?.isSubject ? firstSlice[0] : undefined;
  const supplierVendor = normaliser.documentSupplier ?? subject?.supplierVendor;

  const work = new BackgroundWork();
  try {
    const outcome = await db.transaction().execute(async (trx) => {
      const vendorIds = await upsertVendors(trx, vendors);
      const ownerId = supplierVendor ? (vendorIds.get(supplierVendor.key) ?? null) : null;
      const principal = currentPrincipal();
      // A refusal is storeSbom's to give, with its message, after the document has been read as parseSbom reads it.
      if (principal && !(await mayWriteFor(trx, principal, ownerId))) throw new HandBack('refused uploader');
      // The verdict and the counts are known at the end; the row is completed then, in this transaction.
      const inserted = await insertSbomRow(trx, sbomRow(input, header, subject, ownerId, { schemaValid: false, componentCount: 0, relationshipCount: 0, issueCount: 0 }));
      if (!inserted) return { duplicate: true as const };
      const owner = { sbomId: inserted.id, ownerId };

      const fields = ownerFields(owner);
      const hashChunks: Buffer[] = [];
      let documentReferencesChecked = 0;
      // A slice's COPY text, its hash rows put by for the next COPY; a slice with what parseSbom refuses ends it all.
      const rowsOf = (slice: NormalisedComponent[]): string => {
        if (normaliser.componentCount > limits.maxComponents) throw new HandBack('too many components');
        const documentReferences = mapping.documentReferences.slice(documentReferencesChecked);
        documentReferencesChecked = mapping.documentReferences.length;
        if (mapping.unreadable.length || oversizedValues({ serialNumber: undefined, supplier: undefined, documentReferences, components: slice }).length) throw new HandBack('refused document');
        // Encoded at once: held as text until its COPY, each slice's hash lines were thousands of string pieces that
        // the garbage collector copied and promoted, a third of its pauses while the component rows were made.
        const hashes = hashLines(fields, slice);
        if (hashes) hashChunks.push(Buffer.from(hashes));
        return componentLines(fields, slice, vendorIds);
      };
      // Read and written at once: each slice is mapped and normalised when the COPY stream asks for more.
      // No slice is held while the generator waits for the stream: the garbage collector would copy it.
      const takeFirstSlice = () => {
        const first = firstSlice!;
        firstSlice = undefined;
        return first;
      };
      const slices = (function* componentChunks(): Generator<string> {
        yield rowsOf(takeFirstSlice());
        while (!mapping.componentsMapped) yield rowsOf(normaliser.normalise(mapping.mapComponents(COMPONENTS_PER_SLICE), true));
        // Every row made: the rest of the reading goes on while the server stores them.
        work.startGraph(graphSteps());
      })();

      // Dependencies and edges, once every component is mapped.
      function* graphSteps(): Generator<void, { sbom: NormalisedSbom; edgeChunks: string[] }> {
        const parsed = yield* mapping.finishInSteps({ schemaValid: true, issues: [] }, DEPENDENCIES_PER_STEP);
        if (!parsed.ok) throw new HandBack('refused document');
        yield;
        const sbom = normaliser.finish(parsed.sbom, [], subject ? [subject] : []);
        yield;
        const rows = edgeRows(sbom.edges);
        const edgeChunks: string[] = [];
        for (const chunk of chunked(rows, (r, start, end) => edgeLines(fields, r, start, end))) {
          edgeChunks.push(chunk);
          yield;
        }
        return { sbom, edgeChunks };
      }

      // The original bytes first: the server stores them while the first slices are made, which the COPY then
      // starts with. Stored last, they were a tenth of a second in which only the server worked.
      const ahead = await makeWhile(insertContent(trx, owner, input), slices);
      // The verdict needs only the document: it is worked out from now on, in the turns of the event loop that the
      // COPY streams leave (they make and send their rows whenever the socket takes more).
      if (!verdict) work.startVerdict(getCycloneDxJsonStepValidator(specVersion)(doc, ITEMS_PER_STEP));
      await copyText(trx, 'component', COMPONENT_COLUMNS, chain(ahead, slices));
      if (hashChunks.length) await copyText(trx, 'component_hash', HASH_COLUMNS, hashChunks);
      const { sbom, edgeChunks } = await work.graph();
      if (edgeChunks.length) await copyText(trx, 'component_edge', EDGE_COLUMNS, edgeChunks);
      // Checks of what was assumed before the first row: they hold for every document read to this point.
      if (normaliser.vendors.length !== vendors.length || sbom.supplierVendor !== supplierVendor) throw new HandBack('vendors differ from the first pass');
      // What does not wait for the schema verdict is written while the validation ends: the document references, the
      // counts (stitching reads them), and the stitching itself.
      await insertDocumentReferences(trx, owner, sbom.documentReferences);
      const counts = { component_count: normaliser.componentCount - sbom.subjectIndexes.length, relationship_count: sbom.edges.length };
      await trx.updateTable('sbom').set(counts).where('id', '=', inserted.id).execute();
      await linkSbom(trx, inserted.id);
      const validation = verdict ?? (await work.verdict());
      // As parseSbom puts them: content after the JSON first, the validator's issues, then the mapping's and the
      // normaliser's warnings (sbom.issues, made with an empty verdict).
      const issues = trailing ? [trailing, ...validation.issues, ...sbom.issues] : [...validation.issues, ...sbom.issues];
      await insertIssues(trx, owner, issues);
      const totals = { schemaValid: validation.valid && !trailing, componentCount: counts.component_count, relationshipCount: counts.relationship_count, issueCount: issues.length };
      const row = await trx.updateTable('sbom').set(totalsRow(totals)).where('id', '=', inserted.id).returningAll().executeTakeFirstOrThrow();
      await recordIngest(trx, input, { format: header.format, specVersion: header.specVersion, supplierVendor }, subject, row);
      return { duplicate: false as const, record: sbomRowToRecord(row), issues };
    });
    const settled = await settleDuplicate(db, input.sha256, outcome);
    return { ...settled, issues: outcome.duplicate ? [] : outcome.issues };
  } catch (e) {
    if (e instanceof HandBack) return undefined;
    throw e;
  } finally {
    work.stop();
  }
}

/** Makes items of `items`, one per turn of the event loop, while `pending` runs; gives them once it has settled (or its error). */
async function makeWhile<T>(pending: Promise<unknown>, items: Iterator<T>): Promise<T[]> {
  const made: T[] = [];
  let settled = false;
  pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await nextTurn();
    if (settled) break;
    const next = items.next();
    if (next.done) break;
    made.push(next.value);
  }
  await pending;
  return made;
}

/** `first`, then the rest of `rest`. */
function* chain<T>(first: readonly T[], rest: Iterator<T>): Generator<T> {
  yield* first;
  for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
}

/**
 * The reading done in the turns of the event loop that the COPY streams leave while the server stores rows: the
 * streams make or send their data as soon as the socket takes more, so a turn comes round when the socket is full.
 * The schema verdict, and the dependency graph (whose edges are the next COPY) ahead of it once every component
 * is mapped.
 */
class BackgroundWork {
  #graph: Deferred<{ sbom: NormalisedSbom; edgeChunks: string[] }> | undefined;
  #verdict: Deferred<CycloneDxValidation> | undefined;
  #running = false;
  #stopped = false;

  startVerdict(validation: Generator<void, CycloneDxValidation>): void {
    this.#verdict = new Deferred(validation);
    // Not awaited: it cannot reject (a step's error fails its own Deferred, which the transaction awaits).
    void this.#run();
  }

  startGraph(graph: Generator<void, { sbom: NormalisedSbom; edgeChunks: string[] }>): void {
    this.#graph = new Deferred(graph);
    void this.#run();
  }

  graph(): Promise<{ sbom: NormalisedSbom; edgeChunks: string[] }> {
    if (!this.#graph) throw new Error('stream-sbom: the component rows are not all made');
    return this.#graph.promise;
  }

  verdict(): Promise<CycloneDxValidation> {
    if (!this.#verdict) throw new Error('stream-sbom: no validation was started');
    return this.#verdict.promise;
  }

  /** Ends the work at its next step (the transaction is over). */
  stop(): void {
    this.#stopped = true;
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    for (;;) {
      await nextTurn();
      // Steps for up to TURN_MS: a turn comes when no COPY stream asks for data, so the socket holds a backlog for
      // the server (the kernel buffers take megabytes); a 256 MB document's verdict took one step a turn too long.
      const turnEnds = performance.now() + TURN_MS;
      let next: Pick<Deferred<unknown>, 'settled' | 'step' | 'fail'> | undefined;
      do {
        next = [this.#graph, this.#verdict].find((d) => d !== undefined && !d.settled);
        if (next === undefined) break;
        if (this.#stopped) next.fail(new Error('stream-sbom: stopped'));
        else next.step();
      } while (performance.now() < turnEnds);
      if (next === undefined) break;
    }
    this.#running = false;
  }
}

/** The steps of a generator, and a promise of what it returns. */
class Deferred<T> {
  readonly promise: Promise<T>;
  settled = false;
  #resolve!: (value: T) => void;
  #reject!: (e: unknown) => void;

  constructor(private readonly steps: Generator<void, T>) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Awaited by the transaction; when it fails first, nobody awaits this, and its end must not surface.
    this.promise.catch(() => {});
  }

  step(): void {
    try {
      const r = this.steps.next();
      if (!r.done) return;
      this.settled = true;
      this.#resolve(r.value);
    } catch (e) {
      this.fail(e);
    }
  }

  fail(e: unknown): void {
    this.settled = true;
    this.#reject(e);
  }
}
