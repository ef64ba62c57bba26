import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedChains, writeWorld, type WorldManifest } from '../../bench/generate-world.js';
import { resolveChains, type ChainResult } from '../../src/chains/resolve-chains.js';
import { findStack } from '../../src/chains/stack-catalogue.js';
import { stackExposure } from '../../src/chains/stack-exposure.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

const LWIP = 'pkg:github/lwip-tcpip/lwip';

/**
 * A generated world of every format, with cycles, diamonds, open hops and several versions per product, goes
 * through the real ingest path; the resolver must then find exactly the chains the generator's manifest implies,
 * from every device, pinned and latest, within and beyond the depth limit.
 */
describe.each(BACKENDS)('a generated vendor world on %s', (backend) => {
  let t: TestDb;
  let dir: string;
  let world: WorldManifest;
  /** Subject purl of each stored SBOM, and back. */
  const purlOf = new Map<number, string>();
  const sbomOf = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestDb(backend);
    dir = await mkdtemp(join(tmpdir(), 'patchpath-world-'));
    world = await writeWorld({ seed: 11, vendors: 24, productVersions: 90, componentsPerSbom: 3, maxDepth: 6, stackShare: 0.3, cycles: 2, diamonds: 3, openHops: 6, outDir: dir });
    for (const f of world.files) {
      const outcome = await ingestSbom(t.db, await readFile(join(dir, f.path)));
      expect(outcome.status, f.path).toBe('accepted');
      if (outcome.status === 'rejected') continue;
      purlOf.set(outcome.record.id, f.subjectPurl);
      sbomOf.set(f.subjectPurl, outcome.record.id);
    }
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The resolver's chains as the manifest writes them: subject purls of the documents crossed, and the rules. */
  function asManifestChains(result: ChainResult): string[] {
    return result.chains.map((c) => {
      const linked = c.steps.filter((s) => s.rule !== 'IN_DOCUMENT');
      return JSON.stringify({ path: linked.map((s) => purlOf.get(s.sbomId!)), rules: linked.slice(1).map((s) => s.rule) });
    }).sort();
  }

  function expected(root: string, maxDepth: number, latest: boolean): { chains: string[]; cycles: string[]; cut: boolean } {
    const e = expectedChains(world, root, { targetPurlPrefix: LWIP, maxDepth, latest });
    return {
      chains: e.chains.map((c) => JSON.stringify({ path: c.path, rules: c.rules })).sort(),
      cycles: e.cycles.map((c) => JSON.stringify(c.path)).sort(),
      cut: e.cut,
    };
  }

  it.each([
    ['pinned versions, no limit reached', 10, false],
    ['latest versions', 10, true],
    ['a depth limit that cuts', 3, false],
  ] as const)('finds from every device exactly the chains to lwIP the world holds (%s)', async (_, maxDepth, latest) => {
    const lwip = (await findStack(t.db, 'lwip'))!;
    expect(world.roots.length).toBeGreaterThan(3);
    let chains = 0;
    for (const root of world.roots) {
      const result = await resolveChains(t.db, { rootSbomId: sbomOf.get(root)!, maxDepth, choice: latest ? 'latest' : 'pinned', target: { kind: 'stacks', stackIds: [lwip.id] } });
      const want = expected(root, maxDepth, latest);
      expect(asManifestChains(result), `chains from ${root}`).toEqual(want.chains);
      expect(result.cycles.map((c) => JSON.stringify(c.sbomIds.map((id) => purlOf.get(id)))).sort(), `cycles from ${root}`).toEqual(want.cycles);
      expect(result.cut.length > 0, `cut from ${root}`).toBe(want.cut);
      chains += result.chains.length;
    }
    expect(chains).toBeGreaterThan(0);
  });

  it('finds every product version that reaches lwIP in the stack exposure, nearest tier first', async () => {
    const lwip = (await findStack(t.db, 'lwip'))!;
    const exposure = await stackExposure(t.db, { stackIds: [lwip.id], maxDepth: 10, choice: 'pinned' });
    const reaching = world.productVersions.filter((pv) => expectedChains(world, pv.purl, { targetPurlPrefix: LWIP, maxDepth: 10 }).chains.length > 0).map((pv) => pv.purl).sort();
    expect(exposure.products.map((p) => purlOf.get(p.sbomId)).sort()).toEqual(reaching);
    const depths = exposure.products.map((p) => p.depth);
    expect(depths).toEqual([...depths].sort((a, b) => a - b));
    // A product's depth is its shortest chain: documents crossed, plus one for the document listing lwIP.
    for (const p of exposure.products.slice(0, 20)) {
      const shortest = Math.min(...expectedChains(world, purlOf.get(p.sbomId)!, { targetPurlPrefix: LWIP, maxDepth: 10 }).chains.map((c) => c.path.length));
      expect(p.depth, purlOf.get(p.sbomId)).toBe(shortest);
    }
  });
});
