import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/parse-inventory.js';
import { writeInventoryCsv } from '../../src/inventory/write-inventory-csv.js';
import type { Device, DeviceMatch } from '../../src/model/inventory.js';

const at = new Date('2026-11-29T10:00:00Z');
const device = (id: number, values: Omit<Device, 'id' | 'operatorId' | 'createdAt' | 'updatedAt'>): Device => ({ id, operatorId: 1, createdAt: at, updatedAt: at, ...values });

describe('writeInventoryCsv', () => {
  const devices = [
    device(1, { assetTag: 'ICU-1', vendor: 'Acme, Inc.', model: 'X "pro"', firmwareVersion: '2.4.0', location: 'ICU,\nbed 1', segment: 'icu-vlan-20', criticality: 'high' }),
    device(2, { assetTag: 'ICU-2', purl: 'pkg:generic/acme/x@1.0', cpe: 'cpe:2.3:o:acme:x:1.0:*:*:*:*:*:*:*' }),
  ];
  const matches = new Map<number, DeviceMatch>([
    [1, { deviceId: 1, assetTag: 'ICU-1', reason: "no SBOM for firmware 2.4.0 of 'X \"pro\"' (known versions: 2.3.0)" }],
    [2, { deviceId: 2, assetTag: 'ICU-2', sbomId: 7, rule: 'PURL' }],
  ]);

  it('writes the columns an import reads, then the match', () => {
    expect(writeInventoryCsv(devices, matches)).toBe(
      'asset_tag,vendor,model,purl,cpe,firmware_version,location,segment,criticality,sbom_id,match_rule,unmatched_reason\n' +
        `ICU-1,"Acme, Inc.","X ""pro""",,,2.4.0,"ICU,\nbed 1",icu-vlan-20,high,,,"no SBOM for firmware 2.4.0 of 'X ""pro""' (known versions: 2.3.0)"\n` +
        'ICU-2,,,pkg:generic/acme/x@1.0,cpe:2.3:o:acme:x:1.0:*:*:*:*:*:*:*,,,,,7,PURL,\n',
    );
  });

  it('reads back as the same devices, the match columns ignored', () => {
    const r = parseInventory(writeInventoryCsv(devices, matches));
    expect(r).toMatchObject({ ok: true, ignoredFields: ['sbom_id', 'match_rule', 'unmatched_reason'] });
    const strip = ({ id: _i, operatorId: _o, createdAt: _c, updatedAt: _u, ...d }: Device) => d;
    expect(r.ok && r.rows.map(({ source: _s, ...d }) => d)).toEqual(devices.map(strip));
  });
});
