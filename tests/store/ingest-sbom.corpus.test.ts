/**
 * The shared corpus through the whole ingest path (parse, normalise, store) on each database: every
 * specification case is classified in strict mode exactly as MANIFEST.tsv says, every real-world SBOM is
 * stored in default mode with MANIFEST's schema verdict, the files that are not SBOMs are rejected, and a
 * rejection leaves no row behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON, corpusCases, readCorpusFile } from '../helpers/corpus.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

const SBOM_FORMATS = new Set(['cyclonedx-json', 'cyclonedx-xml', 'spdx-json', 'spdx-tv', 'spdx-rdf', 'spdx3-jsonld', 'unknown']);
const cases = corpusCases().filter((c) => SBOM_FORMATS.has(c.format));

async function sbomCount(t: TestDb): Promise<number> {
  return Number((await t.db.selectFrom('sbom').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

describe.skipIf(!CORPUS_AVAILABLE).each(BACKENDS)(`corpus through ingestSbom on %s ${CORPUS_AVAILABLE ? '' : `(skipped: ${CORPUS_SKIP_REASON})`}`, (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.close());

  it('classifies every specification case in strict mode as MANIFEST says, storing only the valid ones', async () => {
    const wrong: string[] = [];
    let accepted = 0;
    for (const c of cases.filter((c) => c.origin === 'spec')) {
      const before = await sbomCount(t);
      const outcome = await ingestSbom(t.db, readCorpusFile(c.path), { strict: true });
      const ok = outcome.status !== 'rejected';
      if (ok !== (c.expected === 'valid')) wrong.push(`${c.path}: expected ${c.expected}, got ${outcome.status}`);
      if (outcome.status === 'accepted') accepted++;
      if (!ok && (await sbomCount(t)) !== before) wrong.push(`${c.path}: rejected but stored`);
    }
    expect(wrong).toEqual([]);
    expect(await sbomCount(t)).toBe(accepted);
  });

  it('stores every real-world SBOM in default mode with the schema verdict MANIFEST gives, and rejects the rest', async () => {
    const wrong: string[] = [];
    for (const c of cases.filter((c) => c.origin === 'real')) {
      const outcome = await ingestSbom(t.db, readCorpusFile(c.path));
      if (c.format === 'unknown') {
        if (outcome.status !== 'rejected') wrong.push(`${c.path}: not an SBOM, but ${outcome.status}`);
        continue;
      }
      if (outcome.status === 'rejected') wrong.push(`${c.path}: rejected: ${outcome.issues[0]?.message}`);
      else if (outcome.record.schemaValid !== (c.expected === 'valid')) wrong.push(`${c.path}: schemaValid ${outcome.record.schemaValid}, MANIFEST says ${c.expected}`);
    }
    expect(wrong).toEqual([]);
  });
});
