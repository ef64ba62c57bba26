import { describe, expect, it } from 'vitest';
import { vendorNetwork } from '../../src/chains/vendor-network.js';
import { normaliseVendorName } from '../../src/normalise/normalise-vendor-name.js';
import { vendorMetrics, type Unavailable, type VendorMetrics } from '../../src/scorecards/vendor-metrics.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';
import { findOrganisationByKey } from '../../src/store/organisation.repository.js';
import { ingestProduct, lwip, purlOf, type Product } from '../helpers/chain-world.js';
import { baseWorld, board, CVE, device, LWIP_PURL, module, modulePurl, NOW, stackAdvisory } from '../helpers/patch-world.js';
import { ingestVex, vexDocument, type Claim } from '../helpers/vex-world.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';

const CVE2 = 'CVE-2099-2002';

/** `metric` is available; its value and the rest, for expectations. */
function available<M extends { value: unknown }>(metric: M | Unavailable): M {
  if (metric.value === null) throw new Error(`expected a value, got null: ${(metric as Unavailable).reason}`);
  return metric as M;
}

describe.each(BACKENDS)('vendorMetrics, on %s', (backend) => {
  const testDb = useTestDb(backend);
  const db = () => testDb().db;

  async function vendorId(name: string): Promise<number> {
    return (await findOrganisationByKey(db(), normaliseVendorName(name)!))!.id;
  }
  async function metricsOf(...names: string[]): Promise<VendorMetrics[]> {
    const ids = await Promise.all(names.map(vendorId));
    const all = await vendorMetrics(db(), ids, { now: NOW });
    return ids.map((id) => all.get(id)!);
  }
  /** A CycloneDX VEX/VDR whose vulnerabilities carry a CVSS score and, optionally, a publication date. */
  async function scoredAdvisory(publisher: string, claims: (Claim & { cvss?: number; published?: string })[], timestamp?: string): Promise<number> {
    const doc = JSON.parse(vexDocument(publisher, claims, timestamp).toString('utf8')) as { vulnerabilities: Record<string, unknown>[] };
    claims.forEach((c, i) => {
      if (c.cvss !== undefined) doc.vulnerabilities[i]!.ratings = [{ score: c.cvss, method: 'CVSSv31', severity: c.cvss >= 9 ? 'critical' : c.cvss >= 7 ? 'high' : 'medium' }];
      if (c.published) doc.vulnerabilities[i]!.published = c.published;
    });
    const outcome = await ingestAdvisory(db(), Buffer.from(JSON.stringify(doc)));
    if (outcome.status === 'rejected') throw new Error(`test advisory rejected: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
    return outcome.record.id;
  }

  describe('freshness', () => {
    it('gives the median age of each product\'s newest SBOM, and calls a product stale when another document names a newer version', async () => {
      await ingestProduct(db(), module('1.0', '2.1.2', '2024-01-10T00:00:00Z'));
      const module11 = await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
      const radio = await ingestProduct(db(), { name: 'nw-radio', version: '5.0', supplier: 'Northwind Wireless', purl: purlOf('northwind', 'nw-radio', '5.0'), timestamp: '2025-05-02T00:00:00Z' });
      await ingestProduct(db(), board('3.0', '1.0', '2024-02-01T00:00:00Z'));
      // Keystone's newer board lists module 1.2, of which Northwind has published no SBOM.
      const board31 = await ingestProduct(db(), board('3.1', '1.2', '2025-05-01T00:00:00Z'));

      const [northwind, keystone] = await metricsOf('Northwind Wireless', 'Keystone Embedded');
      const fresh = available(northwind!.freshness);
      expect(fresh.value).toEqual({ medianAgeDays: 61, currentShare: 0.5 }); // ages 92 and 30
      expect(fresh.counts).toEqual({ products: 2, current: 1, stale: 1 });
      expect(fresh.evidence).toEqual([
        { name: 'nw-module', newestSbomId: module11, version: '1.1', ageDays: 92, latestKnownVersion: '1.2', latestNamedIn: [board31], current: false },
        { name: 'nw-radio', newestSbomId: radio, version: '5.0', ageDays: 30, latestKnownVersion: '5.0', latestNamedIn: [radio], current: true },
      ]);
      expect(available(keystone!.freshness)).toMatchObject({ value: { medianAgeDays: 31, currentShare: 1 }, counts: { products: 1, current: 1 } });
    });

    it('calls a product stale when its newest SBOM re-issues an older version', async () => {
      await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
      const reissue = await ingestProduct(db(), module('1.0', '2.1.2', '2025-04-01T00:00:00Z'));
      const [northwind] = await metricsOf('Northwind Wireless');
      expect(available(northwind!.freshness).evidence).toMatchObject([{ newestSbomId: reissue, version: '1.0', ageDays: 61, latestKnownVersion: '1.1', current: false }]);
    });
  });

  describe('VEX coverage and timeliness', () => {
    async function twoVulnerabilities() {
      await baseWorld(db()); // CVE-2099-2001, stated by the lwIP project on 2024-12-01
      // CVE-2099-2002 was published on 2024-11-01, though the lwIP project's statement is dated 2025-01-01.
      await scoredAdvisory('lwIP project', [{ ...stackAdvisory, vulnerability: CVE2, at: '2025-01-01T00:00:00Z', published: '2024-11-01T00:00:00Z' }]);
    }

    it('counts the vulnerabilities reaching its products that the vendor has spoken about, and how long it took', async () => {
      await twoVulnerabilities();
      const northwindVex = await ingestVex(db(), 'Northwind Wireless', [
        { vulnerability: CVE, purl: modulePurl('1.0'), state: 'not_affected', justification: 'code_not_reachable', at: '2025-01-15T00:00:00Z' },
      ]);
      let [northwind, keystone] = await metricsOf('Northwind Wireless', 'Keystone Embedded');
      expect(available(northwind!.vexCoverage)).toEqual({
        value: { share: 0.5 },
        counts: { reaching: 2, covered: 1 },
        evidence: { covered: [{ vulnerabilityId: CVE, advisoryIds: [northwindVex] }], uncovered: [CVE2] },
      });
      expect(available(northwind!.vexTimeliness)).toMatchObject({
        value: { medianDays: 45, worstDays: 45 },
        evidence: [{ vulnerabilityId: CVE, days: 45, advisoryId: northwindVex }],
      });
      expect(available(keystone!.vexCoverage)).toMatchObject({ value: { share: 0 }, counts: { reaching: 2, covered: 0 }, evidence: { uncovered: [CVE, CVE2] } });
      expect(keystone!.vexTimeliness).toEqual({ value: null, reason: 'it has published no statement about a vulnerability that reaches its products' });

      // Counted from the vulnerability's publication (2024-11-01), not from the lwIP project's later statement.
      await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE2, purl: modulePurl('1.0'), state: 'exploitable', at: '2025-01-30T00:00:00Z' }], '2025-01-30T00:00:00Z');
      [northwind] = await metricsOf('Northwind Wireless');
      expect(available(northwind!.vexCoverage).value).toEqual({ share: 1 });
      const timeliness = available(northwind!.vexTimeliness);
      expect(timeliness.evidence.map((e) => `${e.vulnerabilityId} ${e.publishedAt.toISOString().slice(0, 10)} ${e.days}`)).toEqual([`${CVE} 2024-12-01 45`, `${CVE2} 2024-11-01 90`]);
      expect(timeliness.value).toEqual({ medianDays: 68, worstDays: 90 });
    });

    it("does not count a vendor's statement about another vendor's product", async () => {
      await twoVulnerabilities();
      await ingestVex(db(), 'Medisyn Medical', [{ vulnerability: CVE, purl: `${LWIP_PURL}@2.1.2`, state: 'exploitable', at: '2025-01-02T00:00:00Z' }]);
      const [medisyn] = await metricsOf('Medisyn Medical');
      expect(available(medisyn!.vexCoverage)).toMatchObject({ value: { share: 0 }, counts: { reaching: 2, covered: 0 } });
    });
  });

  describe('patch latency', () => {
    it('gives median and worst days from the fix below to each integration, one per product version, and the hops still waiting', async () => {
      const device20 = await baseWorld(db());
      // A second Keystone board on the same module: the module's integration counts once.
      const mb8 = await ingestProduct(db(), { name: 'mb8', version: '1.0', supplier: 'Keystone Embedded', purl: purlOf('keystone', 'mb8', '1.0'), timestamp: '2024-02-01T00:00:00Z', components: [{ name: 'nw-module', version: '1.0', supplier: 'Northwind Wireless', purl: modulePurl('1.0') }] });
      await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z')); // 90 days after the fix in lwIP
      await ingestProduct(db(), board('3.1', '1.1', '2025-05-01T00:00:00Z')); // 61 days after the module's

      const [northwind, keystone, medisyn] = await metricsOf('Northwind Wireless', 'Keystone Embedded', 'Medisyn Medical');
      const nw = available(northwind!.patchLatency);
      expect(nw.value).toEqual({ medianDays: 90, worstDays: 90 });
      expect(nw.counts).toEqual({ integrations: 1, waiting: 0 });
      expect(nw.evidence.integrations).toMatchObject([{ vulnerabilityId: CVE, name: 'nw-module', version: '1.0', days: 90 }]);

      // mb7 3.0 integrated in 61 days; mb8 1.0 still waits, 92 days since the module's fix: the worst so far.
      const ks = available(keystone!.patchLatency);
      expect(ks.value).toEqual({ medianDays: 61, worstDays: 92 });
      expect(ks.counts).toEqual({ integrations: 1, waiting: 1 });
      expect(ks.evidence.waiting).toEqual([{ vulnerabilityId: CVE, sbomId: mb8, listedIn: null, name: 'mb8', version: '1.0', days: 92 }]);

      // Medisyn has integrated nothing: no median, and the worst is its wait so far.
      expect(available(medisyn!.patchLatency)).toEqual({
        value: { medianDays: null, worstDays: 31 },
        counts: { integrations: 0, waiting: 1 },
        evidence: { integrations: [], waiting: [{ vulnerabilityId: CVE, sbomId: device20, listedIn: null, name: 'ip3000', version: '2.0', days: 31 }] },
      });
    });

    it('says so when no fix has become available below its products', async () => {
      await ingestVex(db(), 'lwIP project', [{ ...stackAdvisory, versions: [{ range: 'vers:generic/<=2.1.2', status: 'affected' }] }]);
      await ingestProduct(db(), module('1.0', '2.1.2', '2024-01-10T00:00:00Z'));
      const [northwind] = await metricsOf('Northwind Wireless');
      expect(northwind!.patchLatency).toEqual({ value: null, reason: 'no fix has become available below its products yet' });
      expect(available(northwind!.vexCoverage).counts).toEqual({ reaching: 1, covered: 0 });
    });
  });

  describe('open critical and high vulnerabilities', () => {
    it('counts what the current version of each product is affected by, critical and high apart, not what a claim or a fix covers', async () => {
      const affectedLwip = { purl: LWIP_PURL, at: '2024-12-01T00:00:00Z', state: 'exploitable', versions: stackAdvisory.versions };
      await scoredAdvisory('lwIP project', [
        { ...affectedLwip, vulnerability: 'CVE-2099-3001', cvss: 9.8 },
        { ...affectedLwip, vulnerability: 'CVE-2099-3002', cvss: 7.5 },
        { ...affectedLwip, vulnerability: 'CVE-2099-3003', cvss: 5.0 },
        { ...affectedLwip, vulnerability: 'CVE-2099-3004' },
      ]);
      await ingestProduct(db(), module('1.0', '2.1.2', '2024-01-10T00:00:00Z'));
      await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
      const mb7 = await ingestProduct(db(), board('3.0', '1.0', '2024-02-01T00:00:00Z'));
      await ingestProduct(db(), { name: 'mb9', version: '1.0', supplier: 'Keystone Embedded', purl: purlOf('keystone', 'mb9', '1.0'), timestamp: '2025-04-01T00:00:00Z', components: [{ name: 'nw-module', version: '1.1', supplier: 'Northwind Wireless', purl: modulePurl('1.1') }] });
      await ingestProduct(db(), device('2.0', '3.0', '2024-03-01T00:00:00Z'));
      await ingestProduct(db(), { name: 'ip3000', version: '2.1', supplier: 'Medisyn Medical', purl: purlOf('medisyn', 'ip3000', '2.1'), timestamp: '2025-04-02T00:00:00Z', components: [{ name: 'mb9', version: '1.0', supplier: 'Keystone Embedded', purl: purlOf('keystone', 'mb9', '1.0') }] });
      // Keystone says MB7 3.0 is not affected by the high one.
      await ingestVex(db(), 'Keystone Embedded', [{ vulnerability: 'CVE-2099-3002', purl: purlOf('keystone', 'mb7', '3.0'), state: 'not_affected', justification: 'code_not_reachable', at: '2025-01-10T00:00:00Z' }]);

      const [northwind, keystone, medisyn] = await metricsOf('Northwind Wireless', 'Keystone Embedded', 'Medisyn Medical');
      // Module 1.1 (its current version) has the fixed lwIP; 1.0 does not count.
      expect(available(northwind!.openVulnerabilities)).toMatchObject({ value: { critical: 0, high: 0 }, counts: { unscored: 0, currentSboms: 1 }, evidence: [] });
      // MB7 3.0 is current (mb9 is another product): critical 3001; 3002 is claimed not affected; 3003 is medium; 3004 has no score.
      expect(available(keystone!.openVulnerabilities)).toEqual({
        value: { critical: 1, high: 0 },
        counts: { critical: 1, high: 0, unscored: 1, currentSboms: 2 },
        evidence: [{ vulnerabilityId: 'CVE-2099-3001', sbomId: mb7, cvss: 9.8 }, { vulnerabilityId: 'CVE-2099-3004', sbomId: mb7, cvss: null }],
      });
      // The pump's current firmware, 2.1, carries the fixed module.
      expect(available(medisyn!.openVulnerabilities).value).toEqual({ critical: 0, high: 0 });

      // Without the claim, the high one is open on MB7 3.0.
      await ingestVex(db(), 'Keystone Embedded', [{ vulnerability: 'CVE-2099-3002', purl: purlOf('keystone', 'mb7', '3.0'), state: 'exploitable', at: '2025-02-10T00:00:00Z' }], '2025-02-10T00:00:00Z');
      const [keystoneAgain] = await metricsOf('Keystone Embedded');
      expect(available(keystoneAgain!.openVulnerabilities).value).toEqual({ critical: 1, high: 1 });
    });
  });

  describe('chain visibility', () => {
    it("gives the share of other vendors' components in its current SBOMs that their supplier has documented, with the open hops' suppliers", async () => {
      const crypto = (version: string) => ({ name: 'tinycrypt', version, supplier: 'Cipher Labs', purl: purlOf('cipher', 'tinycrypt', version) });
      await ingestProduct(db(), { ...crypto('1.0'), timestamp: '2024-01-01T00:00:00Z' });
      // The older module had an undocumented part from another supplier: only the current SBOM counts.
      await ingestProduct(db(), { ...module('0.9', '2.1.1', '2023-06-01T00:00:00Z'), components: [{ name: 'old-radio', version: '1', supplier: 'Old Supplier' }] });
      const current = await ingestProduct(db(), {
        ...module('1.0', '2.1.2', '2024-01-10T00:00:00Z'),
        components: [
          lwip('2.1.2'), // the lwIP project published no SBOM: an open hop
          crypto('1.0'), // documented by Cipher Labs
          { name: 'nw-bootloader', version: '3', supplier: 'Northwind Wireless' }, // its own part
          { name: 'zlib', version: '1.3' }, // no supplier named
        ],
      });
      await ingestProduct(db(), board('3.0', '1.0', '2024-02-01T00:00:00Z'));

      const [northwind, keystone, cipher] = await metricsOf('Northwind Wireless', 'Keystone Embedded', 'Cipher Labs');
      expect(available(northwind!.chainVisibility)).toEqual({
        value: { share: 0.5 },
        counts: { components: 2, documented: 1, open: 1 },
        evidence: { currentSbomIds: [current], openSuppliers: [{ supplierId: await vendorId('lwIP project'), components: 1, sbomIds: [current] }] },
      });
      expect(available(keystone!.chainVisibility)).toMatchObject({ value: { share: 1 }, counts: { components: 1, documented: 1, open: 0 } });
      expect(cipher!.chainVisibility).toEqual({ value: null, reason: 'no component of its current SBOMs names another vendor as its supplier' });
    });
  });

  describe('tiers below', () => {
    it('gives the deepest chain below its current products, an open hop at the bottom counting as a tier, as vendorNetwork counts distance', async () => {
      const device20 = await baseWorld(db());
      const [northwind, keystone, medisyn] = await metricsOf('Northwind Wireless', 'Keystone Embedded', 'Medisyn Medical');
      const deepest = available(medisyn!.tiersBelow);
      expect(deepest.value).toEqual({ tiers: 3 });
      expect(deepest.evidence).toMatchObject({ rootSbomId: device20, endsOpen: true });
      expect(deepest.evidence.path).toHaveLength(3);
      expect(available(keystone!.tiersBelow).value).toEqual({ tiers: 2 });
      expect(available(northwind!.tiersBelow).value).toEqual({ tiers: 1 });

      const network = await vendorNetwork(db(), await vendorId('Medisyn Medical'), { maxDepth: 10, choice: 'pinned' });
      expect(Math.max(...network.suppliers.map((s) => s.distance))).toBe(3);
    });

    it('ends a walk at a cycle', async () => {
      const a: Product = { name: 'a', version: '1', supplier: 'Loop A', purl: purlOf('loop-a', 'a', '1'), components: [{ name: 'b', version: '1', supplier: 'Loop B', purl: purlOf('loop-b', 'b', '1') }] };
      const b: Product = { name: 'b', version: '1', supplier: 'Loop B', purl: purlOf('loop-b', 'b', '1'), components: [{ name: 'a', version: '1', supplier: 'Loop A', purl: purlOf('loop-a', 'a', '1') }] };
      const aId = await ingestProduct(db(), a);
      const bId = await ingestProduct(db(), b);
      const [loopA] = await metricsOf('Loop A');
      expect(available(loopA!.tiersBelow)).toEqual({ value: { tiers: 1 }, counts: { currentSboms: 1 }, evidence: { rootSbomId: aId, path: [aId, bId], endsOpen: false } });
    });
  });

  describe('no data', () => {
    it('gives null with a reason for every metric of a vendor without an SBOM, or unknown', async () => {
      await baseWorld(db());
      const lwipProject = await vendorId('lwIP project');
      const all = await vendorMetrics(db(), [lwipProject, 987_654], { now: NOW });
      for (const id of [lwipProject, 987_654]) {
        const m = all.get(id)!;
        expect(m.vendorId).toBe(id);
        for (const metric of [m.freshness, m.vexCoverage, m.vexTimeliness, m.patchLatency, m.openVulnerabilities, m.chainVisibility, m.tiersBelow]) {
          expect(metric).toEqual({ value: null, reason: 'no SBOM' });
        }
      }
    });

    it('gives null with a reason where a vendor with SBOMs has no evidence, and never a good-looking zero', async () => {
      await ingestProduct(db(), { name: 'empty-fw', version: '1.0', supplier: 'Quiet Vendor', purl: purlOf('quiet', 'empty-fw', '1.0'), timestamp: '2025-05-01T00:00:00Z' });
      await ingestProduct(db(), module('1.0', '2.1.2', '2024-01-10T00:00:00Z'));
      const [quiet, northwind] = await metricsOf('Quiet Vendor', 'Northwind Wireless');
      expect(available(quiet!.freshness).value).toEqual({ medianAgeDays: 31, currentShare: 1 });
      expect(quiet!.vexCoverage).toEqual({ value: null, reason: 'no vulnerability reaches its products' });
      expect(quiet!.vexTimeliness).toEqual({ value: null, reason: 'no vulnerability reaches its products' });
      expect(quiet!.patchLatency).toEqual({ value: null, reason: 'no vulnerability reaches its products' });
      expect(quiet!.openVulnerabilities).toEqual({ value: null, reason: 'its current SBOMs list no components: nothing to check' });
      expect(quiet!.chainVisibility).toEqual({ value: null, reason: 'no component of its current SBOMs names another vendor as its supplier' });
      expect(quiet!.tiersBelow).toEqual({ value: null, reason: 'its current SBOMs list no components: nothing to check' });
      // With components but no advisory loaded, "no open vulnerabilities" would be a claim without evidence.
      expect(northwind!.openVulnerabilities).toEqual({ value: null, reason: 'no advisory is loaded: nothing to check its products against' });
    });

    it('still shows where the fix waits at a supplier that published no SBOM', async () => {
      await ingestVex(db(), 'lwIP project', [stackAdvisory]);
      const mb9 = await ingestProduct(db(), {
        name: 'mb9', version: '1.0', supplier: 'Keystone Embedded', purl: purlOf('keystone', 'mb9', '1.0'), timestamp: '2024-02-01T00:00:00Z',
        components: [{ name: 'wm-module', version: '2.0', supplier: 'Other Wireless', components: [lwip('2.1.2')] }],
      });
      const [other] = await metricsOf('Other Wireless');
      expect(other!.freshness).toEqual({ value: null, reason: 'no SBOM' });
      expect(other!.patchLatency).toEqual({
        value: { medianDays: null, worstDays: 182 },
        counts: { integrations: 0, waiting: 1 },
        evidence: { integrations: [], waiting: [{ vulnerabilityId: CVE, sbomId: null, listedIn: mb9, name: 'wm-module', version: '2.0', days: 182 }] },
      });
    });
  });

  it('answers many vendors in one call exactly as one at a time', async () => {
    await baseWorld(db());
    await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
    await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE, purl: modulePurl('1.0'), state: 'exploitable', at: '2025-01-15T00:00:00Z' }]);
    const names = ['Medisyn Medical', 'Keystone Embedded', 'Northwind Wireless', 'lwIP project'];
    const together = await metricsOf(...names);
    for (const [i, name] of names.entries()) expect(await metricsOf(name)).toEqual([together[i]]);
  });
});
