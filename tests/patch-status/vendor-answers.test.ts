import { describe, expect, it } from 'vitest';
import { getCycloneDxJsonValidator } from '../../src/ingest/cyclonedx/cyclonedx-json-validator.js';
import { productVex } from '../../src/patch-status/product-vex.js';
import { vendorPatchStatus } from '../../src/patch-status/vendor-patch-status.js';
import { vulnerabilityTimeline } from '../../src/patch-status/vulnerability-timeline.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';
import { findOrganisationByKey } from '../../src/store/organisation.repository.js';
import { normaliseVendorName } from '../../src/normalise/normalise-vendor-name.js';
import { findVulnerability, listStatementsOfAdvisory } from '../../src/store/vulnerability.repository.js';
import { ingestProduct } from '../helpers/chain-world.js';
import { baseWorld, board, CVE, device, module, modulePurl, NOW } from '../helpers/patch-world.js';
import { ingestVex } from '../helpers/vex-world.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';

describe.each(BACKENDS)("vendors' answers and a vulnerability's timeline, on %s", (backend) => {
  const testDb = useTestDb(backend);
  const db = () => testDb().db;

  async function vendorView(name: string) {
    const vendor = (await findOrganisationByKey(db(), normaliseVendorName(name)!))!;
    const vulnerability = (await findVulnerability(db(), CVE))!;
    return vendorPatchStatus(db(), { vendorId: vendor.id, vulnerabilities: [vulnerability], now: NOW });
  }
  const hop = (h: { name: string; version?: string }) => `${h.name}@${h.version}`;

  it('a board vendor sees its affected product, the supplier it waits on, and then the customer that waits on it', async () => {
    await baseWorld(db());
    let view = await vendorView('Keystone Embedded');
    expect(view.products.map((p) => `${p.verdict.status} ${p.verdict.action}`)).toEqual(['AFFECTED ISOLATE']);
    expect(view.waitingOnSuppliers.map((w) => `${hop(w.waiting)} waits on ${hop(w.waitingAt)} for ${w.days} days`)).toEqual(['mb7@3.0 waits on nw-module@1.0 for 182 days']);
    expect(view.customersWaiting).toEqual([]);

    await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
    view = await vendorView('Keystone Embedded');
    expect(view.waitingOnSuppliers).toEqual([]);
    expect(view.customersWaiting.map((w) => `${hop(w.waiting)} waits on ${hop(w.waitingAt)} for ${w.days} days`)).toEqual(['ip3000@2.0 waits on mb7@3.0 for 92 days']);
  });

  it("the timeline: the fix released, each hop's integration with its latency, the statements, and where it waits now", async () => {
    await baseWorld(db());
    await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
    await ingestProduct(db(), board('3.1', '1.1', '2025-05-01T00:00:00Z'));
    const vulnerability = (await findVulnerability(db(), CVE))!;
    const timeline = await vulnerabilityTimeline(db(), { vulnerability, now: NOW });
    const lines = timeline.events.map((e) => `${e.date.toISOString().slice(0, 10)} ${e.kind} ${e.hop ? hop(e.hop) : e.statement!.publisherName}`);
    expect(lines).toEqual([
      '2024-12-01 FIX_RELEASED lwIP@2.1.2',
      '2024-12-01 STATEMENT lwIP project',
      '2024-12-01 STATEMENT lwIP project',
      '2024-12-01 STATEMENT lwIP project',
      '2025-03-01 INTEGRATED nw-module@1.0',
      '2025-05-01 INTEGRATED mb7@3.0',
    ]);
    expect(timeline.waiting.map((w) => `${hop(w.hop)} ${w.days}`)).toEqual(['ip3000@2.0 31']);
    expect(timeline.chainCounts).toEqual({ NOT_AFFECTED: 0, FIXED: 0, STUCK: 1, NO_FIX: 0 });
    expect(timeline.latency).toEqual([
      { hop: 1, integrations: 1, medianDays: 90, worstDays: 90 },
      { hop: 2, integrations: 1, medianDays: 61, worstDays: 61 },
    ]);
  });

  describe('a VEX document for one product version', () => {
    async function vexOf(sbomId: number) {
      const doc = (await productVex(db(), { sbomId, now: NOW }))!;
      expect(getCycloneDxJsonValidator('1.6')(doc).valid).toBe(true);
      return doc as { vulnerabilities: { id: string; analysis: Record<string, unknown>; recommendation?: string; affects: unknown[] }[] };
    }

    it('says exploitable with the stuck hop while no fix exists, update once one does, and resolved for the fixed version', async () => {
      const root = await baseWorld(db());
      let doc = await vexOf(root);
      expect(doc.vulnerabilities).toHaveLength(1);
      expect(doc.vulnerabilities[0]).toMatchObject({ id: CVE, analysis: { state: 'exploitable' }, affects: [{ ref: 'product', versions: [{ version: '2.0', status: 'affected' }] }] });
      expect(doc.vulnerabilities[0]!.analysis.detail).toContain('the fix waits at Northwind Wireless nw-module 1.0 since 2024-12-01');

      await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
      await ingestProduct(db(), board('3.1', '1.1', '2025-05-01T00:00:00Z'));
      const fixed = await ingestProduct(db(), device('2.1', '3.1', '2025-05-20T00:00:00Z'));
      doc = await vexOf(root);
      expect(doc.vulnerabilities[0]).toMatchObject({ analysis: { state: 'exploitable', response: ['update'] } });
      expect(doc.vulnerabilities[0]!.recommendation).toContain('Update to ip3000 2.1');
      doc = await vexOf(fixed);
      expect(doc.vulnerabilities[0]).toMatchObject({ analysis: { state: 'resolved' }, affects: [{ versions: [{ version: '2.1', status: 'unaffected' }] }] });
    });

    it("carries a supplier's NOT_AFFECTED claim with its justification, and patchpath reads the document back as VEX", async () => {
      const root = await baseWorld(db());
      await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE, purl: modulePurl('1.0'), state: 'not_affected', justification: 'requires_configuration', at: '2025-01-15T00:00:00Z' }]);
      const doc = await vexOf(root);
      expect(doc.vulnerabilities[0]).toMatchObject({ analysis: { state: 'not_affected', justification: 'requires_configuration' } });
      expect(doc.vulnerabilities[0]!.analysis.detail).toContain('Northwind Wireless stated on 2025-01-15');
      const back = await ingestAdvisory(db(), Buffer.from(JSON.stringify(doc)));
      expect(back.status).toBe('accepted');
      if (back.status !== 'accepted') return;
      const statements = await listStatementsOfAdvisory(db(), back.record.id, 10);
      expect(statements.map((s) => `${s.status} ${s.purl}`)).toContain(`not_affected pkg:generic/medisyn/ip3000@2.0`);
    });
  });
});
