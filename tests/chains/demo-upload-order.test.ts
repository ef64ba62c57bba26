import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { findProductSbom } from '../../src/chains/find-product.js';
import { loadChainComponents, resolveChains } from '../../src/chains/resolve-chains.js';
import { purlIdentity } from '../../src/normalise/purl-identity.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { permutations } from '../helpers/chain-world.js';
import { demoSbom } from '../helpers/demo-sboms.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

/** The demo's six-vendor chain, device first (sboms/README.md). */
const CHAIN = [
  'infusion-pump-ip3000-2.4.0.cdx.json',
  'medisyn-mainboard-mb7-1.3.0.cdx.xml',
  'northwind-wm200-4.2.1.spdx.json',
  'halvard-hsw-wlan-driver-3.7.2.spdx3.json',
  'skerryos-5.3.1.cdx.json',
  'lwip-2.1.3.cdx.json',
];
const PUMP = purlIdentity('pkg:generic/medisyn/ip3000-firmware@2.4.0');

describe.each(BACKENDS)('upload order of the demo chain on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  /** The pump's chains, named by product and rule (SBOM ids differ from one order to the next). */
  async function pumpChains(): Promise<string[]> {
    if (!PUMP.ok) throw new Error(PUMP.message);
    const root = await findProductSbom(t.db, PUMP.identity);
    const result = await resolveChains(t.db, { rootSbomId: root! });
    const components = await loadChainComponents(t.db, result);
    return result.chains.map((c) => c.steps.map((s) => { const k = components.get(`${s.component.sbomId}:${s.component.index}`)!; return `${k.name}@${k.version}/${s.rule}`; }).join(' > ')).sort();
  }

  it('gives the same chains for every one of the 720 upload orders', { timeout: 900_000 }, async () => {
    const bytes = new Map(CHAIN.map((f) => [f, demoSbom(f)]));
    let first: string[] | undefined;
    let orders = 0;
    for (const order of permutations(CHAIN)) {
      // Forget the documents (vendors and the catalogue stay): cheaper than a full reset, 720 times.
      await sql`delete from component_stack; delete from component_link; delete from sbom_subject_hash; delete from sbom_subject;
        delete from component_edge; delete from component_hash; delete from component; delete from sbom_document_reference;
        delete from sbom_issue; delete from sbom_content; delete from sbom`.execute(t.db);
      for (const f of order) expect((await ingestSbom(t.db, bytes.get(f)!)).status, f).toBe('accepted');
      const chains = await pumpChains();
      if (first === undefined) first = chains;
      else expect(chains, `upload order ${order.join(', ')}`).toEqual(first);
      orders++;
    }
    expect(orders).toBe(720);
    // The six-vendor chain is among them, with every rule of the demo README.
    expect(first).toContain(
      'ip3000-firmware@2.4.0/ROOT > mb7-firmware@1.3.0/BOM_LINK > nw-wm200-firmware@4.2.1/CPE > hsw-wlan-driver@3.7.2/PURL > skerryos@5.3.1/SUPPLIER_NAME_VERSION > lwIP@2.1.3/BOM_LINK',
    );
  });
});
