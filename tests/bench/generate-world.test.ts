import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedChains,
  MATCH_RULES,
  WORLD_FORMATS,
  writeWorld,
  type MatchRule,
  type WorldManifest,
  type WorldOptions,
  type WorldProductVersion,
} from '../../bench/generate-world.js';
import { parseSbom } from '../../src/ingest/parse-sbom.js';
import type { NormalisedComponent, NormalisedSbom } from '../../src/model/normalised-sbom.js';
import { normaliseSbom } from '../../src/normalise/normalise-sbom.js';
import { normaliseVendorName } from '../../src/normalise/normalise-vendor-name.js';

const LWIP = 'pkg:github/lwip-tcpip/lwip';
const TRECK = 'pkg:generic/treck/tcpip';

const dir = mkdtempSync(join(tmpdir(), 'patchpath-world-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: Omit<WorldOptions, 'outDir'> = {
  seed: 11,
  vendors: 24,
  productVersions: 150,
  componentsPerSbom: 4,
  maxDepth: 6,
  stackShare: 0.15,
  cycles: 3,
  diamonds: 3,
  openHops: 8,
};

let world: WorldManifest;
/** Every file of the world, parsed and normalised, by path. */
const sboms = new Map<string, NormalisedSbom>();
let byPurl: Map<string, WorldProductVersion>;

beforeAll(async () => {
  world = await writeWorld({ ...OPTIONS, outDir: join(dir, 'a') });
  byPurl = new Map(world.productVersions.map((pv) => [pv.purl, pv]));
  for (const file of world.files) {
    const r = await parseSbom(readFileSync(join(dir, 'a', file.path)));
    if (!r.ok) throw new Error(`${file.path}: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
    sboms.set(file.path, normaliseSbom(r.sbom));
  }
});

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

function componentByRef(pv: WorldProductVersion, ref: string): NormalisedComponent {
  const c = sboms.get(pv.file)!.components.find((x) => x.ref === ref);
  if (!c) throw new Error(`${pv.file} has no component '${ref}'`);
  return c;
}

function vendorKeyOf(pv: WorldProductVersion): string {
  return world.vendors.find((v) => v.slug === pv.vendor)!.key;
}

describe('writeWorld', () => {
  it('writes the same bytes for the same seed and other bytes for another seed', async () => {
    await writeWorld({ ...OPTIONS, outDir: join(dir, 'b') });
    await writeWorld({ ...OPTIONS, seed: OPTIONS.seed + 1, outDir: join(dir, 'c') });
    const a = filesUnder(join(dir, 'a'));
    expect(a).toHaveLength(OPTIONS.productVersions + 1);
    expect(filesUnder(join(dir, 'b'))).toEqual(a);
    for (const path of a) expect(readFileSync(join(dir, 'b', path)).equals(readFileSync(join(dir, 'a', path))), path).toBe(true);
    expect(readFileSync(join(dir, 'c', 'manifest.json')).equals(readFileSync(join(dir, 'a', 'manifest.json')))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'a', 'manifest.json'), 'utf8'))).toEqual(world);
  });

  it('writes every file schema-valid, in its declared format, spread over all five formats', async () => {
    expect(world.files).toHaveLength(OPTIONS.productVersions);
    for (const file of world.files) {
      const sbom = sboms.get(file.path)!;
      expect({ path: file.path, format: sbom.format, specVersion: sbom.specVersion, valid: sbom.schemaValid, issues: sbom.issues }).toEqual({
        path: file.path,
        format: file.format,
        specVersion: file.specVersion,
        valid: true,
        issues: [],
      });
    }
    for (const format of WORLD_FORMATS) expect(world.stats.filesByFormat[format], format).toBeGreaterThan(10);
  });

  it('gives each SBOM its product version as subject, supplied by its vendor', () => {
    for (const pv of world.productVersions) {
      const sbom = sboms.get(pv.file)!;
      expect(sbom.subjectIndexes, pv.file).toHaveLength(1);
      const subject = sbom.components[sbom.subjectIndexes[0]!]!;
      expect({ ref: subject.ref, purl: subject.purlIdentity?.key, cpe: subject.cpe, version: subject.version, name: subject.name }).toEqual({
        ref: pv.ref,
        purl: pv.purl,
        cpe: pv.cpe,
        version: pv.version,
        name: pv.name,
      });
      expect(subject.hashes).toContainEqual({ alg: 'SHA-256', value: pv.sha256 });
      expect(sbom.supplierVendor?.key, pv.file).toBe(vendorKeyOf(pv));
      expect(sbom.serialNumber).toBe(pv.serialNumber);
      expect(pv.purl).toBe(`pkg:generic/${pv.vendor}/${pv.product}@${pv.version}`);
    }
  });

  it('writes each use with the identity of its rule only, supplied by the used product vendor', () => {
    const seen = new Set<MatchRule>();
    for (const pv of world.productVersions) {
      const sbom = sboms.get(pv.file)!;
      for (const use of pv.uses) {
        const q = byPurl.get(use.purl)!;
        const c = componentByRef(pv, use.ref);
        seen.add(use.rule);
        expect(c.supplierVendor?.key, `${pv.file} ${use.ref}`).toBe(vendorKeyOf(q));
        expect(normaliseVendorName(use.supplier)).toBe(vendorKeyOf(q));
        const sha256 = c.hashes.filter((h) => h.alg === 'SHA-256').map((h) => h.value);
        const link = sbom.documentReferences.find((d) => d.id === c.ref)?.target;
        const identity = { purl: c.purlIdentity?.key, cpe: c.cpe, version: c.version, sha256, link };
        switch (use.rule) {
          case 'PURL':
            expect(identity.purl).toBe(q.purl);
            break;
          case 'CPE':
            expect(identity).toEqual({ purl: undefined, cpe: q.cpe, version: q.version, sha256: [], link: undefined });
            expect(c.name).not.toBe(q.name);
            break;
          case 'SUPPLIER_NAME_VERSION':
            expect(identity).toEqual({ purl: undefined, cpe: undefined, version: q.version, sha256: [], link: undefined });
            expect(c.name).toBe(q.name);
            break;
          case 'BOM_LINK':
            expect(identity).toEqual({ purl: undefined, cpe: undefined, version: undefined, sha256: [], link: `urn:cdx:${q.serialNumber.replace('urn:uuid:', '')}/1#${q.ref}` });
            expect(c.name).not.toBe(q.name);
            break;
          case 'HASH':
            expect(identity).toEqual({ purl: undefined, cpe: undefined, version: undefined, sha256: [q.sha256], link: undefined });
            break;
        }
      }
    }
    expect([...seen].sort()).toEqual([...MATCH_RULES].sort());
    for (const rule of MATCH_RULES) expect(world.stats.usesByRule[rule], rule).toBeGreaterThan(2);
  });

  it('matches every use to its product version by its rule, and no other component to any SBOM subject or product', () => {
    // A resolver in miniature: the explicit BOM-Link first, then purl, CPE, (supplier, name, version), SHA-256.
    const subjects = { link: new Map<string, string>(), purl: new Map<string, string>(), cpe: new Map<string, string>(), snv: new Map<string, string>(), hash: new Map<string, string>() };
    for (const pv of world.productVersions) {
      const sbom = sboms.get(pv.file)!;
      const s = sbom.components[sbom.subjectIndexes[0]!]!;
      if (sbom.serialNumber?.startsWith('urn:uuid:')) subjects.link.set(`urn:cdx:${sbom.serialNumber.slice(9)}/${sbom.documentVersion}#${s.ref}`, pv.purl);
      subjects.purl.set(s.purlIdentity!.key, pv.purl);
      subjects.cpe.set(s.cpe!, pv.purl);
      subjects.snv.set(`${s.supplierVendor!.key}\u0000${s.name}\u0000${s.version}`, pv.purl);
      for (const h of s.hashes) subjects.hash.set(h.value, pv.purl);
    }
    const matchOf = (sbom: NormalisedSbom, c: NormalisedComponent): { purl: string; rule: MatchRule } | undefined => {
      const link = sbom.documentReferences.find((d) => d.id === c.ref)?.target;
      const candidates: [MatchRule, string | undefined][] = [
        ['BOM_LINK', link && subjects.link.get(link)],
        ['PURL', c.purlIdentity && subjects.purl.get(c.purlIdentity.key)],
        ['CPE', c.cpe && subjects.cpe.get(c.cpe)],
        ['SUPPLIER_NAME_VERSION', c.supplierVendor && c.version !== undefined ? subjects.snv.get(`${c.supplierVendor.key}\u0000${c.name}\u0000${c.version}`) : undefined],
        ['HASH', c.hashes.map((h) => subjects.hash.get(h.value)).find((p) => p !== undefined)],
      ];
      const hit = candidates.find(([, purl]) => purl !== undefined);
      return hit && { purl: hit[1]!, rule: hit[0] };
    };
    // The same rules without the version (purl without @version, CPE part:vendor:product, supplier + name), which the
    // service uses to reach a product's other versions: they must lead nowhere but to the used product.
    const productOf = (pv: WorldProductVersion) => `${pv.vendor}/${pv.product}`;
    const products = { purl: new Map<string, string>(), cpe: new Map<string, string>(), sn: new Map<string, string>() };
    for (const pv of world.productVersions) {
      const sbom = sboms.get(pv.file)!;
      const s = sbom.components[sbom.subjectIndexes[0]!]!;
      products.purl.set(s.purlIdentity!.key.split('@')[0]!, productOf(pv));
      products.cpe.set(s.cpe!.split(':').slice(2, 5).join(':'), productOf(pv));
      products.sn.set(`${s.supplierVendor!.key}\u0000${s.name.toLowerCase()}`, productOf(pv));
    }
    const productsOf = (c: NormalisedComponent): Set<string> =>
      new Set(
        [
          c.purlIdentity && products.purl.get(c.purlIdentity.key.split('@')[0]!),
          c.cpe && products.cpe.get(c.cpe.split(':').slice(2, 5).join(':')),
          c.supplierVendor && products.sn.get(`${c.supplierVendor.key}\u0000${c.name.toLowerCase()}`),
        ].filter((p): p is string => p !== undefined),
      );

    for (const pv of world.productVersions) {
      const sbom = sboms.get(pv.file)!;
      const expected = new Map(pv.uses.map((u) => [u.ref, { purl: u.purl, rule: u.rule }]));
      for (const c of sbom.components) {
        if (c.isSubject) continue;
        const use = expected.get(c.ref);
        expect(matchOf(sbom, c), `${pv.file} ${c.ref}`).toEqual(use);
        const other = use === undefined || use.rule === 'BOM_LINK' || use.rule === 'HASH' ? [] : [productOf(byPurl.get(use.purl)!)];
        expect([...productsOf(c)], `${pv.file} ${c.ref}`).toEqual(other);
      }
      expect(sbom.components.length).toBe(1 + OPTIONS.componentsPerSbom + pv.uses.length + pv.targets.length + pv.openHops.length);
    }
  });

  it('spells vendor names in several ways that normalise to one vendor', () => {
    for (const vendor of world.vendors) {
      expect(vendor.names[0]).toBe(vendor.name);
      for (const name of vendor.names) expect(normaliseVendorName(name), name).toBe(vendor.key);
    }
    expect(new Set(world.vendors.map((v) => v.key)).size).toBe(world.vendors.length);
    const spellings = new Map<string, Set<string>>();
    for (const sbom of sboms.values()) {
      for (const c of sbom.components) if (c.supplier && c.supplierVendor) spellings.set(c.supplierVendor.key, (spellings.get(c.supplierVendor.key) ?? new Set()).add(c.supplier.name));
    }
    const spelledTwice = [...spellings.values()].filter((names) => names.size > 1);
    expect(spelledTwice.length).toBeGreaterThan(5);
    expect(world.vendors.filter((v) => v.productVersions > 0)).toHaveLength(OPTIONS.vendors);
  });

  it('marks as roots exactly the product versions that no product uses, all of them devices', () => {
    const used = new Set(world.productVersions.flatMap((pv) => pv.uses.map((u) => u.purl)));
    expect(world.roots).toEqual(world.productVersions.filter((pv) => !used.has(pv.purl)).map((pv) => pv.purl));
    expect(world.roots.every((r) => byPurl.get(r)!.level === 0)).toBe(true);
    expect(world.productVersions.filter((pv) => pv.level === 0).map((pv) => pv.purl)).toEqual(world.roots);
  });

  it('makes chains exactly maxDepth documents deep, and no deeper', () => {
    let deepest = 0;
    let deepestRoot = '';
    for (const root of world.roots) {
      const depth = longestWalk(root);
      if (depth > deepest) [deepest, deepestRoot] = [depth, root];
    }
    expect(deepest).toBe(OPTIONS.maxDepth);
    expect(world.stats.depth).toBe(OPTIONS.maxDepth);
    expect(expectedChains(world, deepestRoot, { targetPurlPrefix: LWIP, maxDepth: OPTIONS.maxDepth }).cut).toBe(false);
    expect(expectedChains(world, deepestRoot, { targetPurlPrefix: LWIP, maxDepth: OPTIONS.maxDepth - 1 }).cut).toBe(true);
  });

  it('makes the requested cycles, each reported by a walk from some root', () => {
    expect(world.cycles).toHaveLength(OPTIONS.cycles);
    const reported = world.roots.flatMap((r) => expectedChains(world, r, { targetPurlPrefix: LWIP, maxDepth: 20 }).cycles);
    for (const { members } of world.cycles) {
      expect(members.length).toBeGreaterThanOrEqual(2);
      members.forEach((m, i) => {
        const next = members[(i + 1) % members.length]!;
        expect(byPurl.get(m)!.uses.map((u) => u.purl)).toContain(next);
        // single-version products, so the walk comes back to the very same product version
        expect(world.productVersions.filter((pv) => pv.vendor === byPurl.get(m)!.vendor && pv.product === byPurl.get(m)!.product)).toHaveLength(1);
      });
      expect(reported.some(({ path }) => path.at(-1) === members[0] && path.slice(-members.length - 1).join() === [...members, members[0]].join())).toBe(true);
    }
  });

  it('makes the requested diamonds: one product version used by two products below one root', () => {
    expect(world.diamonds).toHaveLength(OPTIONS.diamonds);
    for (const { root, shared, users } of world.diamonds) {
      const chains = expectedChains(world, root, { targetPurlPrefix: shared, maxDepth: 20 }).chains;
      const via = new Set(chains.map((c) => c.path.at(-2)));
      expect(via.has(users[0]) && via.has(users[1])).toBe(true);
      expect(byPurl.get(users[0])!.product).not.toBe(byPurl.get(users[1])!.product);
    }
  });

  it('makes the requested open hops: components of other vendors, with no SBOM in the world', () => {
    const hops = world.productVersions.flatMap((pv) => pv.openHops.map((h) => ({ pv, h })));
    expect(hops).toHaveLength(OPTIONS.openHops);
    expect(world.stats.openHops).toBe(OPTIONS.openHops);
    for (const { pv, h } of hops) {
      const c = componentByRef(pv, h.ref);
      expect({ purl: c.purlIdentity?.key, vendor: c.supplierVendor?.key }).toEqual({ purl: h.purl, vendor: h.vendorKey });
      expect(h.vendorKey).not.toBe(vendorKeyOf(pv));
      expect(byPurl.has(h.purl)).toBe(false);
      expect(world.productVersions.some((q) => q.name === h.name)).toBe(false);
    }
    expect(hops.some(({ h }) => world.vendors.find((v) => v.key === h.vendorKey)!.role === 'silent')).toBe(true);
  });

  it('lets about stackShare of the product versions reach lwIP, and some reach Treck, whose chains end at its SBOM', () => {
    const reaching = world.productVersions.filter((pv) => expectedChains(world, pv.purl, { targetPurlPrefix: LWIP, maxDepth: 20 }).chains.length > 0);
    const share = reaching.length / world.productVersions.length;
    expect(Math.abs(share - OPTIONS.stackShare)).toBeLessThan(0.02);
    expect(world.stacks.find((s) => s.id === 'lwip')!.share).toBeCloseTo(share, 10);
    for (const pv of world.productVersions) {
      for (const t of pv.targets) {
        const c = componentByRef(pv, t.ref);
        expect({ purl: c.purlIdentity?.key, cpe: c.cpe, name: c.name, supplier: c.supplierVendor?.key }).toEqual({ purl: t.purl, cpe: t.cpe, name: 'lwIP', supplier: 'lwip project' });
      }
    }

    const treckSboms = world.productVersions.filter((pv) => pv.purl.startsWith(TRECK));
    expect(treckSboms.map((pv) => pv.version)).toEqual(['6.0.1.41', '6.0.1.66']);
    const treckChains = world.roots.flatMap((r) => expectedChains(world, r, { targetPurlPrefix: TRECK, maxDepth: 20 }).chains);
    expect(treckChains.length).toBeGreaterThan(0);
    for (const chain of treckChains) {
      expect(chain.path.at(-1)).toBe(chain.target);
      expect(chain.rules).toHaveLength(chain.path.length - 1);
    }
    expect(new Set(treckChains.map((c) => c.target))).toEqual(new Set(treckSboms.map((pv) => pv.purl)));
  });

  it('pins older product versions to older versions of what they use, and marks the latest', () => {
    const products = new Map<string, WorldProductVersion[]>();
    for (const pv of world.productVersions) products.set(`${pv.vendor}/${pv.product}`, [...(products.get(`${pv.vendor}/${pv.product}`) ?? []), pv]);
    expect([...products.values()].some((versions) => versions.length >= 3)).toBe(true);
    for (const versions of products.values()) expect(versions.filter((pv) => pv.latest)).toEqual([versions.at(-1)]);
    // Diamond uses are extra links between arbitrary versions, and one product's latest version may still carry
    // Treck 6.0.1.41 (a hop that has not integrated the fix): neither follows the pinning of the tree.
    const diamondUses = new Set(world.diamonds.map((d) => `${d.users[1]} ${d.shared}`));
    let olderPinsOlder = 0;
    for (const pv of world.productVersions) {
      for (const use of pv.uses) {
        if (diamondUses.has(`${pv.purl} ${use.purl}`) || use.purl.startsWith(TRECK)) continue;
        const q = byPurl.get(use.purl)!;
        if (pv.latest) expect(q.latest, `${pv.purl} uses ${q.purl}`).toBe(true);
        else if (!q.latest) olderPinsOlder++;
      }
    }
    expect(olderPinsOlder).toBeGreaterThan(0);
    // following the latest versions leads to the newer lwIP somewhere
    const newer = world.roots.some((r) => {
      const pinned = expectedChains(world, r, { targetPurlPrefix: `${LWIP}@STABLE-2_2_0`, maxDepth: 20 }).chains.length;
      return expectedChains(world, r, { targetPurlPrefix: `${LWIP}@STABLE-2_2_0`, maxDepth: 20, latest: true }).chains.length > pinned;
    });
    expect(newer).toBe(true);
  });

  it('writes a 200-version world in under three seconds', async () => {
    const started = performance.now();
    const small = await writeWorld({ seed: 5, vendors: 30, productVersions: 200, componentsPerSbom: 10, maxDepth: 8, stackShare: 0.05, cycles: 2, diamonds: 2, openHops: 10, outDir: join(dir, 'timed') });
    const ms = performance.now() - started;
    expect(small.files).toHaveLength(200);
    expect(ms).toBeLessThan(3_000);
  });

  it('refuses options that cannot make a world', async () => {
    const base = { ...OPTIONS, outDir: join(dir, 'refused') };
    await expect(writeWorld({ ...base, productVersions: 8 })).rejects.toThrow(/productVersions must be at least/);
    await expect(writeWorld({ ...base, vendors: 5 })).rejects.toThrow(/vendors must be at least maxDepth \+ 2/);
    await expect(writeWorld({ ...base, vendors: 200 })).rejects.toThrow(/use fewer vendors/);
    await expect(writeWorld({ ...base, stackShare: 1.5 })).rejects.toThrow(/stackShare must be between 0 and 1/);
    await expect(writeWorld({ ...base, formats: [] })).rejects.toThrow(/formats must be a non-empty list/);
  });
});

/** Longest walk below `root`, in documents, with no product version twice on a path. */
function longestWalk(root: string): number {
  const onPath = new Set<string>();
  const walk = (purl: string): number => {
    onPath.add(purl);
    let deepest = 0;
    for (const u of byPurl.get(purl)!.uses) if (!onPath.has(u.purl)) deepest = Math.max(deepest, 1 + walk(u.purl));
    onPath.delete(purl);
    return deepest;
  };
  return walk(root);
}

describe('expectedChains', () => {
  const D = 'pkg:generic/medisyn/ip3000@1.0.0';
  const B = 'pkg:generic/keystone/mb7@1.3.0';
  const M1 = 'pkg:generic/northwind/wm200@4.1.0';
  const M2 = 'pkg:generic/northwind/wm200@4.2.1';
  const C = 'pkg:generic/halvard/hsw@3.6.0';
  const T = 'pkg:generic/treck/tcpip@6.0.1.41';
  const OLD_LWIP = `${LWIP}@STABLE-2_1_2_RELEASE`;
  const NEW_LWIP = `${LWIP}@STABLE-2_2_0_RELEASE`;

  function pv(purl: string, uses: [string, MatchRule][], lwip?: string, latest = true): WorldProductVersion {
    const [, vendor, rest] = /^pkg:generic\/([^/]+)\/(.+)$/.exec(purl)!;
    const [product, version] = rest!.split('@') as [string, string];
    return {
      purl, vendor: vendor!, product, name: product, version, latest, level: 0, file: `${vendor}/${product}-${version}.cdx.json`, format: 'cyclonedx-json',
      cpe: '', sha256: '', ref: product, serialNumber: '', created: '',
      uses: uses.map(([to, rule]) => ({ ref: `use-${to}`, purl: to, rule, supplier: '' })),
      openHops: [],
      targets: lwip ? [{ ref: 'stack-lwip', stack: 'lwip', name: 'lwIP', version: '', purl: lwip, supplier: 'lwIP project' }] : [],
    };
  }

  /** Device D uses board B and module M 4.1.0; B uses M too (a diamond) and Treck; M and C use each other (a cycle). */
  const manifest = {
    productVersions: [
      pv(D, [[B, 'PURL'], [M1, 'CPE']]),
      pv(B, [[M1, 'HASH'], [T, 'SUPPLIER_NAME_VERSION']]),
      pv(M1, [[C, 'BOM_LINK']], OLD_LWIP, false),
      pv(M2, [], NEW_LWIP),
      pv(C, [[M1, 'PURL']]),
      pv(T, []),
    ],
  } as Pick<WorldManifest, 'productVersions'> as WorldManifest;

  it('lists every path to the target with the rule of each step, and the cycles the walk runs into', () => {
    expect(expectedChains(manifest, D, { targetPurlPrefix: LWIP, maxDepth: 6 })).toEqual({
      chains: [
        { path: [D, B, M1], target: OLD_LWIP, rules: ['PURL', 'HASH'] },
        { path: [D, M1], target: OLD_LWIP, rules: ['CPE'] },
      ],
      cycles: [{ path: [D, B, M1, C, M1] }, { path: [D, M1, C, M1] }],
      cut: false,
    });
  });

  it('ends a chain at the SBOM whose subject is the target, not one step above', () => {
    expect(expectedChains(manifest, D, { targetPurlPrefix: TRECK, maxDepth: 6 }).chains).toEqual([
      { path: [D, B, T], target: T, rules: ['PURL', 'SUPPLIER_NAME_VERSION'] },
    ]);
  });

  it('follows no use deeper than maxDepth and says the walk was cut', () => {
    expect(expectedChains(manifest, D, { targetPurlPrefix: LWIP, maxDepth: 1 })).toEqual({
      chains: [{ path: [D, M1], target: OLD_LWIP, rules: ['CPE'] }],
      cycles: [],
      cut: true,
    });
  });

  it('follows the latest version of a used product when asked, unless a BOM-Link or hash names the exact version', () => {
    expect(expectedChains(manifest, D, { targetPurlPrefix: LWIP, maxDepth: 6, latest: true })).toEqual({
      chains: [
        { path: [D, B, M1], target: OLD_LWIP, rules: ['PURL', 'HASH'] },
        { path: [D, B, M1, C, M2], target: NEW_LWIP, rules: ['PURL', 'HASH', 'BOM_LINK', 'PURL'] },
        { path: [D, M2], target: NEW_LWIP, rules: ['CPE'] },
      ],
      cycles: [],
      cut: false,
    });
  });

  it('refuses a root that is not in the world', () => {
    expect(() => expectedChains(manifest, 'pkg:generic/nobody/nothing@1', { targetPurlPrefix: LWIP, maxDepth: 6 })).toThrow(RangeError);
  });
});
