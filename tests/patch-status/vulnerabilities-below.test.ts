/**
 * vulnerabilitiesBelow (src/patch-status/vulnerabilities-below.ts): which vulnerabilities some statement names a
 * product for anywhere below a set of product versions, by purl, CPE, vendor and name, or as a catalogue stack. Its two
 * ways of answering (from the documents' products, for a few roots; from the statements' products, for many) must
 * answer alike, on each backend.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vulnerabilitiesBelow } from '../../src/patch-status/vulnerabilities-below.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';
import { ingestProduct, lwip, purlOf } from '../helpers/chain-world.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';

/** A CycloneDX VEX document with one vulnerability per product, each product as given (purl, CPE or name and supplier). */
function vex(publisher: string, entries: { id: string; product: Record<string, unknown> }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: `urn:uuid:${randomUUID()}`,
      version: 1,
      metadata: { timestamp: '2025-01-01T00:00:00Z', supplier: { name: publisher } },
      components: entries.map((e, i) => ({ type: 'library', 'bom-ref': `p-${i}`, ...e.product })),
      vulnerabilities: entries.map((e, i) => ({ id: e.id, affects: [{ ref: `p-${i}` }], analysis: { state: 'exploitable' } })),
    }),
  );
}

describe.each(BACKENDS)('vulnerabilitiesBelow, on %s', (backend) => {
  const testDb = useTestDb(backend);
  const db = () => testDb().db;

  it('finds statements by purl, CPE, vendor and name, and catalogue stack, at any depth below, the same both ways', async () => {
    // module (lwIP by purl, a CPE-only stack, a named part, lwIP again by name only) <- board <- device; a radio apart.
    const module = await ingestProduct(db(), {
      name: 'nw-module', version: '1.0', supplier: 'Northwind Wireless', purl: purlOf('northwind', 'nw-module', '1.0'),
      components: [
        lwip('2.1.2'),
        { name: 'netstack', version: '4.1', cpe: 'cpe:2.3:a:acme:netstack:4.1:*:*:*:*:*:*:*' },
        { name: 'tinytcp', version: '0.9', supplier: 'Tiny Co' },
      ],
    });
    const board = await ingestProduct(db(), {
      name: 'mb7', version: '3.0', supplier: 'Keystone Embedded', purl: purlOf('keystone', 'mb7', '3.0'),
      components: [{ name: 'nw-module', version: '1.0', supplier: 'Northwind Wireless', purl: purlOf('northwind', 'nw-module', '1.0') }],
    });
    const device = await ingestProduct(db(), {
      name: 'ip3000', version: '2.0', supplier: 'Medisyn Medical', purl: purlOf('medisyn', 'ip3000', '2.0'),
      components: [{ name: 'mb7', version: '3.0', supplier: 'Keystone Embedded', purl: purlOf('keystone', 'mb7', '3.0') }],
    });
    const radio = await ingestProduct(db(), { name: 'nw-radio', version: '5.0', supplier: 'Northwind Wireless', purl: purlOf('northwind', 'nw-radio', '5.0'), components: [{ name: 'fw-blob', version: '1' }] });
    const outcome = await ingestAdvisory(
      db(),
      vex('Coordinator', [
        { id: 'CVE-2099-0001', product: { name: 'lwip', purl: 'pkg:github/lwip-tcpip/lwip' } },
        { id: 'CVE-2099-0002', product: { name: 'netstack', cpe: 'cpe:2.3:a:acme:netstack:*:*:*:*:*:*:*:*' } },
        { id: 'CVE-2099-0003', product: { name: 'tinytcp', supplier: { name: 'Tiny Co.' } } },
        { id: 'CVE-2099-0004', product: { name: 'lwIP', supplier: { name: 'lwIP project' } } },
        { id: 'CVE-2099-0009', product: { name: 'other', purl: 'pkg:generic/other/thing' } },
      ]),
    );
    expect(outcome.status).toBe('accepted');

    const both = async (roots: number[], maxDepth = 10) => {
      const viaDocuments = await vulnerabilitiesBelow(db(), roots, maxDepth, { from: 'documents' });
      const viaStatements = await vulnerabilitiesBelow(db(), roots, maxDepth, { from: 'statements' });
      expect(viaStatements, `roots ${roots}`).toEqual(viaDocuments);
      return viaDocuments;
    };
    const everything = ['CVE-2099-0001', 'CVE-2099-0002', 'CVE-2099-0003', 'CVE-2099-0004'];
    expect(await both([module])).toEqual(everything);
    expect(await both([device])).toEqual(everything);
    expect(await both([device, board, module, radio])).toEqual(everything);
    // Two documents down is as far as the device's walk may go: the module, three down, is out of reach.
    expect(await both([device], 1)).toEqual([]);
    expect(await both([radio])).toEqual([]);
  });
});
