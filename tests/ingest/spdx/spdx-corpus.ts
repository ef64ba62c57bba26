/**
 * The SPDX rows of the shared corpus (MANIFEST.tsv), run through parseSbom: one test per file, in strict mode
 * (the verdict MANIFEST gives) and in default mode (real documents are read, schemaValid follows MANIFEST, the
 * component count matches). Each SPDX reader's test file registers the rows of its own format.
 */
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/model/sbom.js';
import { parseSbom } from '../../../src/ingest/parse-sbom.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON, corpusCases, readCorpusFile, type CorpusCase } from '../../helpers/corpus.js';

function explain(result: ParseResult): string {
  const issues = result.ok ? result.sbom.issues : result.issues;
  return issues
    .slice(0, 5)
    .map((i) => `${i.severity} ${i.code} ${i.path}: ${i.message}`)
    .join('\n');
}

/** Registers one test per MANIFEST row of `manifestFormat` (`spdx-json`, `spdx-tv`, `spdx-rdf`, `spdx3-jsonld`). */
export function describeSpdxCorpus(manifestFormat: string): void {
  const cases = corpusCases().filter((c) => c.format === manifestFormat);
  describe.skipIf(!CORPUS_AVAILABLE)(`parseSbom on the ${manifestFormat} rows of the shared corpus${CORPUS_AVAILABLE ? '' : ` (${CORPUS_SKIP_REASON})`}`, () => {
    it('finds rows of this format in MANIFEST.tsv', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases)('classifies $path as MANIFEST says ($expected)', async (c: CorpusCase) => {
      const bytes = readCorpusFile(c.path);
      const strict = await parseSbom(bytes, { strict: true });
      expect(strict.ok, `strict verdict\n${explain(strict)}`).toBe(c.expected === 'valid');

      const lenient = await parseSbom(bytes);
      if (c.origin === 'real') expect(lenient.ok, `real documents are read in default mode\n${explain(lenient)}`).toBe(true);
      if (!lenient.ok) {
        // Only a spec case may be unreadable, and only an invalid one; it still says where.
        expect(c.expected).toBe('invalid');
        expect(lenient.issues.length).toBeGreaterThan(0);
        return;
      }
      expect(lenient.sbom.schemaValid, `default-mode schema verdict\n${explain(lenient)}`).toBe(c.expected === 'valid');
      if (c.components !== undefined) expect(lenient.sbom.components).toHaveLength(c.components);
    });
  });
}
