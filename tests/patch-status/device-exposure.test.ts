import { describe, expect, it } from 'vitest';
import { affectedDevices } from '../../src/patch-status/device-exposure.js';
import { importInventory } from '../../src/store/store-inventory.js';
import { findVulnerability } from '../../src/store/vulnerability.repository.js';
import { ingestProduct } from '../helpers/chain-world.js';
import { baseWorld, board, CVE, device, devicePurl, module, modulePurl, NOW } from '../helpers/patch-world.js';
import { ingestVex } from '../helpers/vex-world.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';

describe.each(BACKENDS)('my devices affected by a vulnerability, on %s', (backend) => {
  const testDb = useTestDb(backend);
  const db = () => testDb().db;

  const inventory = [
    { assetTag: 'ICU-PUMP-1', purl: devicePurl('2.0'), segment: 'icu-vlan-20', criticality: 'high' as const },
    { assetTag: 'ICU-PUMP-2', vendor: 'Medisyn Medical', model: 'ip3000', firmwareVersion: '2.1', segment: 'icu-vlan-20', criticality: 'critical' as const },
    { assetTag: 'ICU-MONITOR-1', vendor: 'Tsurugi Bedside', model: 'bm700', firmwareVersion: '3.1.0', segment: 'icu-vlan-20', criticality: 'critical' as const },
    { assetTag: 'ICU-PRINTER', vendor: 'Acme Print', model: 'lp1', firmwareVersion: '1.0', segment: 'icu-vlan-20', criticality: 'low' as const },
    { assetTag: 'WARD-PUMP-1', purl: devicePurl('2.0'), segment: 'ward-vlan-30', criticality: 'medium' as const },
  ];

  async function answer() {
    const imported = await importInventory(db(), { operator: 'St. Elsewhere Hospital', rows: inventory });
    const vulnerability = (await findVulnerability(db(), CVE))!;
    const result = await affectedDevices(db(), { operatorId: imported.operator.id, vulnerabilities: [vulnerability], now: NOW });
    return {
      result,
      lines: result.devices.map((d) => `${d.device.assetTag}: ${d.verdicts[0]!.status} ${d.action}${d.verdicts[0]!.updateTo ? ` to ${d.verdicts[0]!.updateTo.version}` : ''}`),
    };
  }

  it('no fixed firmware yet: ISOLATE, critical devices first, with the devices sharing the segment (critical first)', async () => {
    await baseWorld(db());
    const { result, lines } = await answer();
    expect(lines).toEqual(['ICU-PUMP-1: AFFECTED ISOLATE', 'WARD-PUMP-1: AFFECTED ISOLATE']);
    const icu = result.devices[0]!;
    expect(icu.sameSegment.map((d) => d.device.assetTag)).toEqual(['ICU-MONITOR-1', 'ICU-PUMP-2', 'ICU-PRINTER']);
    expect(icu.verdicts[0]!.chains[0]!.stuck).toMatchObject({ hop: 1, days: 182 });
    expect(result.devices[1]!.sameSegment).toEqual([]);
    // Devices with no SBOM matched come back apart, with the reason.
    expect(result.unmatched.map((u) => u.device.assetTag).sort()).toEqual(['ICU-MONITOR-1', 'ICU-PRINTER', 'ICU-PUMP-2']);
    expect(result.unmatched.every((u) => u.match.reason)).toBe(true);
  });

  it('once fixed firmware exists: UPDATE to it; a device already on it is DEPLOYED', async () => {
    await baseWorld(db());
    await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
    await ingestProduct(db(), board('3.1', '1.1', '2025-05-01T00:00:00Z'));
    await ingestProduct(db(), device('2.1', '3.1', '2025-05-20T00:00:00Z'));
    const { result, lines } = await answer();
    expect(lines).toEqual(['ICU-PUMP-1: AFFECTED UPDATE to 2.1', 'WARD-PUMP-1: AFFECTED UPDATE to 2.1', 'ICU-PUMP-2: DEPLOYED NONE']);
    expect(result.devices[0]!.sameSegment).toEqual([]);
    expect(result.devices[0]!.verdicts[0]!.chains[0]!.status).toBe('FIXED');
  });

  it("a supplier's NOT_AFFECTED claim for the version inside: NOT_AFFECTED, no action", async () => {
    await baseWorld(db());
    await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE, purl: modulePurl('1.0'), state: 'not_affected', justification: 'requires_configuration', at: '2025-01-15T00:00:00Z' }]);
    const { lines } = await answer();
    expect(lines).toEqual(['ICU-PUMP-1: NOT_AFFECTED NONE', 'WARD-PUMP-1: NOT_AFFECTED NONE']);
  });

  it('answers from the inventory and SBOMs as they are now: a re-import or a new SBOM counts at once', async () => {
    await baseWorld(db());
    let { result } = await answer();
    expect(result.devices[0]!.sameSegment.map((d) => d.device.assetTag)).toEqual(['ICU-MONITOR-1', 'ICU-PUMP-2', 'ICU-PRINTER']);
    const operatorId = result.devices[0]!.device.operatorId;
    const vulnerability = (await findVulnerability(db(), CVE))!;
    await importInventory(db(), { operator: 'St. Elsewhere Hospital', rows: inventory.map((d) => (d.assetTag === 'ICU-PRINTER' ? { ...d, segment: 'office-vlan-90' } : d)) });
    result = await affectedDevices(db(), { operatorId, vulnerabilities: [vulnerability], now: NOW });
    expect(result.devices[0]!.sameSegment.map((d) => d.device.assetTag)).toEqual(['ICU-MONITOR-1', 'ICU-PUMP-2']);
    await ingestProduct(db(), device('2.1', '3.0', '2025-05-20T00:00:00Z'));
    result = await affectedDevices(db(), { operatorId, vulnerabilities: [vulnerability], now: NOW });
    // ICU-PUMP-2 (firmware 2.1) is matched now, and as affected as the others.
    expect(result.devices.map((d) => d.device.assetTag).sort()).toEqual(['ICU-PUMP-1', 'ICU-PUMP-2', 'WARD-PUMP-1']);
  });
});
