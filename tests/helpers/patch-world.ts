/**
 * A three-vendor chain over lwIP with dates, for patch-status tests: device ip3000 (Medisyn Medical) -> board mb7
 * (Keystone Embedded) -> module nw-module (Northwind Wireless) -> lwIP. CVE-2099-2001 (made up) affects lwIP below
 * 2.1.3; the lwIP project says so, and that 2.1.3 is unaffected, on 2024-12-01.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { ingestProduct, lwip, purlOf, type Product } from './chain-world.js';
import { ingestVex, type Claim } from './vex-world.js';

export const CVE = 'CVE-2099-2001';
export const LWIP_PURL = 'pkg:github/lwip-tcpip/lwip';
export const NOW = new Date('2025-06-01T00:00:00Z');

export const modulePurl = (version: string) => purlOf('northwind', 'nw-module', version);
export const boardPurl = (version: string) => purlOf('keystone', 'mb7', version);
export const devicePurl = (version: string) => purlOf('medisyn', 'ip3000', version);

export const module = (version: string, lwipVersion: string, timestamp: string): Product => ({
  name: 'nw-module', version, supplier: 'Northwind Wireless', purl: modulePurl(version), timestamp, components: [lwip(lwipVersion)],
});
export const board = (version: string, moduleVersion: string, timestamp: string): Product => ({
  name: 'mb7', version, supplier: 'Keystone Embedded', purl: boardPurl(version), timestamp,
  components: [{ name: 'nw-module', version: moduleVersion, supplier: 'Northwind Wireless', purl: modulePurl(moduleVersion) }],
});
export const device = (version: string, boardVersion: string, timestamp: string): Product => ({
  name: 'ip3000', version, supplier: 'Medisyn Medical', purl: devicePurl(version), timestamp,
  components: [{ name: 'mb7', version: boardVersion, supplier: 'Keystone Embedded', purl: boardPurl(boardVersion) }],
});

export const stackAdvisory: Claim = {
  vulnerability: CVE, purl: LWIP_PURL, at: '2024-12-01T00:00:00Z', state: 'exploitable',
  versions: [{ range: 'vers:generic/<2.1.3', status: 'affected' }, { version: '2.1.3', status: 'unaffected' }],
};

/** The advisory and the first release of each tier (module 1.0 with lwIP 2.1.2, board 3.0, device 2.0); the device's SBOM id. */
export async function baseWorld(db: Kysely<Database>): Promise<number> {
  await ingestVex(db, 'lwIP project', [stackAdvisory]);
  await ingestProduct(db, module('1.0', '2.1.2', '2024-01-10T00:00:00Z'));
  await ingestProduct(db, board('3.0', '1.0', '2024-02-01T00:00:00Z'));
  return ingestProduct(db, device('2.0', '3.0', '2024-03-01T00:00:00Z'));
}
