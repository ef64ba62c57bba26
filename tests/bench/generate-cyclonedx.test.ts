import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateComponentCount, writeCycloneDxBom, writeCycloneDxBomOfSize } from '../../bench/generate-cyclonedx.js';
import { parseSbom } from '../../src/ingest/parse-sbom.js';

const dir = mkdtempSync(join(tmpdir(), 'patchpath-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeCycloneDxBom', () => {
  it('writes a schema-valid CycloneDX 1.6 SBOM with exactly the requested components and a dependency entry for each', async () => {
    const path = join(dir, 'bom-2000.json');
    const written = await writeCycloneDxBom(path, { components: 2_000, seed: 42 });
    const bytes = readFileSync(path);
    expect(written).toEqual({ path, components: 2_000, bytes: bytes.length });

    const result = await parseSbom(bytes, { strict: true });
    if (!result.ok) throw new Error(result.issues.slice(0, 20).map((i) => `${i.path}: ${i.message}`).join('\n'));
    expect(result.sbom.schemaValid).toBe(true);
    expect(result.sbom.specVersion).toBe('1.6');
    expect(result.sbom.components.filter((c) => !c.isSubject)).toHaveLength(2_000);

    const doc = JSON.parse(bytes.toString('utf8')) as { components: { 'bom-ref': string }[]; dependencies: { ref: string; dependsOn: string[] }[] };
    expect(doc.components).toHaveLength(2_000);
    const dependencyRefs = new Set(doc.dependencies.map((d) => d.ref));
    expect(doc.components.every((c) => dependencyRefs.has(c['bom-ref']))).toBe(true);
    expect(doc.dependencies.filter((d) => d.ref !== 'bench-subject').every((d) => d.dependsOn.length === 3)).toBe(true);
  });

  it('writes the same bytes for the same seed and other bytes for another seed', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `seed-${n}.json`));
    await writeCycloneDxBom(a!, { components: 300, seed: 7 });
    await writeCycloneDxBom(b!, { components: 300, seed: 7 });
    await writeCycloneDxBom(c!, { components: 300, seed: 8 });
    expect(readFileSync(a!).equals(readFileSync(b!))).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(c!))).toBe(false);
  });

  it('writes a valid document with no components at all', async () => {
    const path = join(dir, 'empty.json');
    await writeCycloneDxBom(path, { components: 0 });
    const result = await parseSbom(readFileSync(path), { strict: true });
    expect(result.ok && result.sbom.schemaValid).toBe(true);
  });
});

describe('writeCycloneDxBomOfSize', () => {
  it('lands within 2 % of the target size', async () => {
    const target = 4 * 1024 * 1024;
    const path = join(dir, 'bom-4m.json');
    const written = await writeCycloneDxBomOfSize(path, target, { seed: 3 });
    expect(written.components).toBe(estimateComponentCount(target, { seed: 3 }));
    expect(Math.abs(statSync(path).size - target) / target).toBeLessThan(0.02);
  });
});
