/**
 * The shared corpus (../shared/corpus): real SBOMs and the specifications' own valid/invalid examples, read
 * in place and never copied into the project. Tests that need it skip, saying why, when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const CORPUS_AVAILABLE = existsSync(join(CORPUS_DIR, 'MANIFEST.tsv'));
export const CORPUS_SKIP_REASON = `../shared/corpus is absent (looked in ${CORPUS_DIR}); corpus tests need the shared corpus beside the project`;

export interface CorpusCase {
  path: string;
  format: string;
  specVersion: string;
  expected: 'valid' | 'invalid';
  /** Blank in MANIFEST when the file cannot be parsed. */
  components: number | undefined;
  /** `spec`: a conformance/test-suite case; `real`: a real-world document. */
  origin: 'spec' | 'real';
}

export function corpusCases(): CorpusCase[] {
  if (!CORPUS_AVAILABLE) return [];
  const lines = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((line) => {
    const [path, format, specVersion, expected, components] = line.split('\t');
    return {
      path: path!,
      format: format!,
      specVersion: specVersion!,
      expected: expected as 'valid' | 'invalid',
      components: components === '' || components === undefined ? undefined : Number(components),
      origin: path!.startsWith('real/') ? 'real' : 'spec',
    };
  });
}

export function readCorpusFile(path: string): Buffer {
  return readFileSync(join(CORPUS_DIR, path));
}
