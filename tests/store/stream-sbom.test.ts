/**
 * streamSbom stores a CycloneDX JSON document while reading it; it must store and answer exactly what reading it
 * whole and then storing it does (parseSbom -> normaliseSbom -> storeSbom, "one call" below). Each test runs the
 * same uploads through both into two databases and compares every stored row and every answer.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeCycloneDxBom } from '../../bench/generate-cyclonedx.js';
import { parseSbom, stageSbom } from '../../src/ingest/parse-sbom.js';
import type { IngestLimits } from '../../src/ingest/ingest-limits.js';
import { normaliseSbom } from '../../src/normalise/normalise-sbom.js';
import { compressInBackground } from '../../src/store/compress-in-background.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { findSbomBySha256 } from '../../src/store/sbom.repository.js';
import { storeSbom } from '../../src/store/store-sbom.js';
import { streamSbom } from '../../src/store/stream-sbom.js';
import { AccessError } from '../../src/access/access-error.js';
import { runAs, type Principal } from '../../src/access/principal.js';
import { ensureOrganisation } from '../../src/store/access.repository.js';
import { CORPUS_AVAILABLE, corpusCases, readCorpusFile } from '../helpers/corpus.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

type Answer = { status: string; record?: Record<string, unknown>; issues?: unknown };

/** The answer without what differs between two databases by nature: ids and times. */
function comparable(o: Awaited<ReturnType<typeof ingestSbom>>): Answer {
  if (o.status === 'rejected') return { status: o.status, issues: o.issues };
  const { id: _id, ingestedAt: _at, organisationId: _org, ...record } = o.record;
  return { status: o.status, record, issues: o.status === 'accepted' ? o.issues : undefined };
}

/** ingestSbom as it was before streaming: the document read whole, normalised, then stored. */
async function ingestInOneCall(t: TestDb, bytes: Buffer, options: { strict?: boolean; limits?: Partial<IngestLimits> } = {}) {
  const sha256 = sha(bytes);
  const existing = await findSbomBySha256(t.db, sha256);
  if (existing && (!options.strict || existing.schemaValid)) return { status: 'duplicate' as const, record: existing };
  const parsed = await parseSbom(bytes, options);
  if (!parsed.ok) return { status: 'rejected' as const, format: parsed.format, specVersion: parsed.specVersion, issues: parsed.issues };
  const sbom = normaliseSbom(parsed.sbom);
  const stored = await storeSbom(t.db, { bytes, encoded: compressInBackground(bytes), sha256, sbom, strict: options.strict ?? false });
  return stored.created ? { status: 'accepted' as const, record: stored.record, issues: sbom.issues } : { status: 'duplicate' as const, record: stored.record };
}

/** Whether streamSbom itself stores the document (rather than handing it back). */
async function streams(t: TestDb, bytes: Buffer, options: { strict?: boolean } = {}): Promise<boolean> {
  const staged = stageSbom(bytes, options);
  if (staged.kind !== 'cyclonedx-json') return false;
  const result = await streamSbom(t.db, staged, { bytes, encoded: compressInBackground(bytes), sha256: sha(bytes), strict: options.strict ?? false });
  return result !== undefined;
}

/**
 * Every row an upload writes, ids replaced by what they stand for (a document by its sha256, an organisation by its
 * name key) and times left out, sorted: two databases that stored the same documents give equal dumps.
 */
const auditBefore = new Map<TestDb, number>();

async function dump(t: TestDb): Promise<Record<string, string[]>> {
  const rows = async (q: string) => (await sql.raw<Record<string, unknown>>(q).execute(t.db)).rows;
  const shaOf = new Map((await rows('select id, sha256 from sbom')).map((r) => [Number(r.id), r.sha256]));
  const keyOf = new Map((await rows('select id, name_key from organisation')).map((r) => [Number(r.id), r.name_key]));
  const tables = ['sbom', 'sbom_content', 'sbom_issue', 'sbom_document_reference', 'component', 'component_hash', 'component_edge', 'sbom_subject', 'sbom_subject_hash', 'component_link', 'component_stack', 'organisation', 'organisation_alias'];
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const data = table === 'sbom_content' ? 'sbom_id, seq, md5(data) as data' : '*';
    out[table] = (await rows(`select ${data} from ${table}`))
      .map((r) => {
        const row: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) {
          if ((k === 'id' && (table === 'sbom' || table === 'organisation')) || k === 'ingested_at' || k === 'created_at') continue;
          row[k] = /(^|_)sbom_id$/.test(k) ? shaOf.get(Number(v)) : /(^|_)(organisation|supplier)_id$/.test(k) && v !== null ? keyOf.get(Number(v)) : v;
        }
        return JSON.stringify(row);
      })
      .sort();
  }
  // audit_log is append-only, and kept across tests: only this test's entries
  out.audit = (await rows(`select action, target_type, target_id, detail from audit_log where action = 'sbom.ingest' and id > ${auditBefore.get(t) ?? 0}`))
    .map((r) => JSON.stringify({ ...r, target_id: shaOf.get(Number(r.target_id)) }))
    .sort();
  return out;
}

async function generated(components: number, edit?: (doc: { components: Record<string, unknown>[] } & Record<string, unknown>) => void): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'stream-sbom-'));
  try {
    await writeCycloneDxBom(join(dir, 'bom.json'), { components, seed: 3 });
    const bytes = await readFile(join(dir, 'bom.json'));
    if (!edit) return bytes;
    const doc = JSON.parse(bytes.toString('utf8'));
    edit(doc);
    return Buffer.from(JSON.stringify(doc));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each(BACKENDS)('streamSbom on %s', (backend) => {
  let oneCall: TestDb;
  let streamed: TestDb;
  beforeAll(async () => {
    [oneCall, streamed] = await Promise.all([createTestDb(backend), createTestDb(backend)]);
  });
  afterAll(async () => {
    await Promise.all([oneCall.close(), streamed.close()]);
  });
  beforeEach(async () => {
    for (const t of [oneCall, streamed]) {
      await t.reset();
      auditBefore.set(t, Number((await sql<{ n: number }>`select coalesce(max(id), 0) as n from audit_log`.execute(t.db)).rows[0]!.n));
    }
  });

  it('stores a 6,500-component document (many slices, dependencies, hashes, licences) row for row as one call does', { timeout: 120_000 }, async () => {
    const bytes = await generated(6_500, (doc) => {
      // warnings of every kind the normaliser gives, and a schema violation, spread over several slices
      doc.components[10]!.purl = 'pkg:npm/';
      doc.components[2_321]!.cpe = 'cpe:not-a-cpe';
      doc.components[4_777]!.licenses = [{ expression: 'MIT OR Nonsense-1.0' }];
      doc.components[6_000]!.type = 'gadget';
      (doc.dependencies as { ref: string; dependsOn: string[] }[])[5_500]!.dependsOn.push('no-such-ref');
    });
    const a = comparable(await ingestInOneCall(oneCall, bytes));
    expect(a.status).toBe('accepted');
    expect(await streams(streamed, bytes)).toBe(true);
    const rows = await dump(streamed);
    expect(rows).toEqual(await dump(oneCall));
    expect([rows.component!.length, rows.sbom_issue!.length, rows.audit!.length]).toEqual([6_501, 5, 1]);
    expect(rows.component_hash!.length).toBeGreaterThan(6_500);
    expect(rows.component_edge!.length).toBe(6_501);
    // and ingestSbom, which streams it, answers as one call does
    await streamed.reset();
    expect(comparable(await ingestSbom(streamed.db, bytes))).toEqual(a);
  });

  it('hands back, storing nothing, a document found to be refused after its first slices were written', async () => {
    const cases: Array<[string, Buffer, Partial<IngestLimits>?]> = [
      ['a component that is not an object', await generated(3_000, (doc) => void ((doc.components as unknown[])[2_500] = 'not a component'))],
      ['a name beyond the index limit', await generated(3_000, (doc) => void (doc.components[2_600]!.name = 'n'.repeat(2_000)))],
      ['a BOM-Link beyond the index limit', await generated(3_000, (doc) => void (doc.components[2_700]!.externalReferences = [{ type: 'bom', url: `urn:cdx:${'x'.repeat(2_000)}/1#a` }]))],
      ['more components than the limit', await generated(3_000), { maxComponents: 2_500 }],
    ];
    for (const [what, bytes, limits] of cases) {
      const staged = stageSbom(bytes, { limits });
      expect(staged.kind, what).toBe('cyclonedx-json');
      const result = await streamSbom(streamed.db, staged as Extract<typeof staged, { kind: 'cyclonedx-json' }>, { bytes, sha256: sha(bytes), strict: false });
      expect(result, what).toBeUndefined();
      expect(await dump(streamed), what).toEqual(await dump(oneCall));
      const a = comparable(await ingestInOneCall(oneCall, bytes, { limits }));
      expect(a.status, what).toBe('rejected');
      expect(comparable(await ingestSbom(streamed.db, bytes, { limits })), what).toEqual(a);
    }
  });

  it('stores a document with content after its JSON as one call does, the junk reported first', async () => {
    const bytes = Buffer.concat([await generated(1_500), Buffer.from('\n<footer>junk</footer>')]);
    const a = comparable(await ingestInOneCall(oneCall, bytes));
    expect(await streams(streamed, bytes)).toBe(true);
    expect(a.status).toBe('accepted');
    expect(await dump(streamed)).toEqual(await dump(oneCall));
    await streamed.reset();
    expect(comparable(await ingestSbom(streamed.db, bytes))).toEqual(a);
  });

  describe('as a vendor', () => {
    async function vendor(t: TestDb, name: string): Promise<Principal> {
      const org = await ensureOrganisation(t.db, name, 'vendor');
      return { tokenId: null, organisationId: org.id, organisationName: org.name, role: 'vendor' };
    }

    it('stores its own product\'s document under row-level security as one call does', async () => {
      const bytes = await generated(3_000);
      const a = comparable(await runAs(await vendor(oneCall, 'Patchpath Bench Corp'), () => ingestInOneCall(oneCall, bytes)));
      expect(a.status).toBe('accepted');
      const me = await vendor(streamed, 'Patchpath Bench Corp');
      expect(await runAs(me, () => streams(streamed, bytes))).toBe(true);
      expect(await dump(streamed)).toEqual(await dump(oneCall));
      await streamed.reset();
      const again = await vendor(streamed, 'Patchpath Bench Corp');
      expect(comparable(await runAs(again, () => ingestSbom(streamed.db, bytes)))).toEqual(a);
    });

    it("refuses another vendor's document with the same answer, storing nothing", async () => {
      const bytes = await generated(3_000);
      const refusal = (p: Promise<unknown>) => p.then(() => 'stored', (e: unknown) => (e instanceof AccessError ? `${e.status} ${e.message}` : String(e)));
      const a = await refusal(runAs(await vendor(oneCall, 'Northwind Wireless Inc.'), () => ingestInOneCall(oneCall, bytes)));
      expect(a).toMatch(/^403 the document's subject 'bench-app-3 1.0.0' is supplied by 'Patchpath Bench Corp'/);
      const other = await vendor(streamed, 'Northwind Wireless Inc.');
      expect(await runAs(other, () => streams(streamed, bytes))).toBe(false);
      expect(await refusal(runAs(other, () => ingestSbom(streamed.db, bytes)))).toBe(a);
      expect(await dump(streamed)).toEqual(await dump(oneCall));
    });
  });

  describe.skipIf(!CORPUS_AVAILABLE)('on the corpus', () => {
    const cases = corpusCases().filter((c) => c.format === 'cyclonedx-json');

    it('answers and stores every CycloneDX JSON document as one call does, streaming every one it accepts', { timeout: 300_000 }, async () => {
      const differences: string[] = [];
      let streamedCount = 0;
      for (const c of cases) {
        const bytes = readCorpusFile(c.path);
        const a = comparable(await ingestInOneCall(oneCall, bytes));
        const accepted = await streams(streamed, bytes);
        if (accepted) streamedCount++;
        if (accepted !== (a.status === 'accepted')) differences.push(`${c.path}: one call ${a.status}, streamed ${accepted ? 'stored' : 'handed back'}`);
        if (!accepted) {
          const b = comparable(await ingestSbom(streamed.db, bytes));
          if (JSON.stringify(b) !== JSON.stringify(a)) differences.push(`${c.path}: answers differ`);
        }
      }
      expect(differences).toEqual([]);
      expect(streamedCount).toBeGreaterThan(50);
      expect(await dump(streamed)).toEqual(await dump(oneCall));
    });

    it('answers every CycloneDX JSON document in strict mode as one call does, storing the valid ones', { timeout: 300_000 }, async () => {
      const differences: string[] = [];
      for (const c of cases) {
        const bytes = readCorpusFile(c.path);
        const a = comparable(await ingestInOneCall(oneCall, bytes, { strict: true }));
        const b = comparable(await ingestSbom(streamed.db, bytes, { strict: true }));
        if (JSON.stringify(b) !== JSON.stringify(a)) differences.push(`${c.path}: one call ${a.status}, streamed ${b.status}`);
      }
      expect(differences).toEqual([]);
      expect(await dump(streamed)).toEqual(await dump(oneCall));
    });
  });
});
