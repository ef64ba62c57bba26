import { describe, expect, it } from 'vitest';
import { parseSbom } from '../../src/ingest/parse-sbom.js';
import { warmUpValidators } from '../../src/ingest/warm-up-validators.js';

describe('warmUpValidators', () => {
  it('leaves the validators working as before', async () => {
    warmUpValidators();
    const doc = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', bogus: 1 }] };
    const r = await parseSbom(Buffer.from(JSON.stringify(doc)));
    expect(r.ok && r.sbom.schemaValid).toBe(false);
  });
});
