/**
 * Purls, CPEs and licence expressions as real SBOMs write them: collected from the corpus's CycloneDX and SPDX
 * JSON documents by field name, so that the normalise units can be tried on them before any parser exists.
 */
import { corpusCases, readCorpusFile } from '../helpers/corpus.js';

export interface CorpusValues {
  purls: Set<string>;
  cpes: Set<string>;
  licences: Set<string>;
}

let cached: CorpusValues | undefined;

/** Distinct values from every readable JSON SBOM in the corpus (empty sets when the corpus is absent). */
export function corpusValues(): CorpusValues {
  if (cached) return cached;
  const values: CorpusValues = { purls: new Set(), cpes: new Set(), licences: new Set() };
  for (const c of corpusCases()) {
    if (c.format !== 'cyclonedx-json' && c.format !== 'spdx-json') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(readCorpusFile(c.path).toString('utf8'));
    } catch {
      continue; // the corpus holds deliberately broken files; they have nothing to offer here
    }
    collect(doc, undefined, undefined, values);
  }
  cached = values;
  return values;
}

function collect(value: unknown, key: string | undefined, parent: Record<string, unknown> | undefined, into: CorpusValues): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, key, parent, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, k, value as Record<string, unknown>, into);
  } else if (typeof value === 'string') {
    const referenceType = typeof parent?.referenceType === 'string' ? parent.referenceType : '';
    if (key === 'purl' || (key === 'referenceLocator' && referenceType === 'purl')) into.purls.add(value);
    else if (key === 'cpe' || (key === 'referenceLocator' && /^cpe2[23]Type$/.test(referenceType))) into.cpes.add(value);
    else if (key === 'expression' || key === 'licenseConcluded' || key === 'licenseDeclared') into.licences.add(value);
  }
}
