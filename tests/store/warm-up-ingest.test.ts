import { describe, expect, it } from 'vitest';
import { parseSbom } from '../../src/ingest/parse-sbom.js';
import { warmUpIngest } from '../../src/store/warm-up-ingest.js';

describe('warmUpIngest', () => {
  it('accepts its own document and leaves validation working as before', async () => {
    await expect(warmUpIngest()).resolves.toBeUndefined();
    const doc = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', bogus: 1 }] };
    const r = await parseSbom(Buffer.from(JSON.stringify(doc)));
    expect(r.ok && r.sbom.schemaValid).toBe(false);
  });
});
