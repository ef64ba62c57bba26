import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEMO_DIR = fileURLToPath(new URL('../../sboms/', import.meta.url));
export const demoSbom = (name: string) => readFileSync(`${DEMO_DIR}${name}`);

export const PUMP = 'infusion-pump-ip3000-2.4.0.cdx.json';
export const BOARD = 'medisyn-mainboard-mb7-1.3.0.cdx.xml';
export const MODULE = 'northwind-wm200-4.2.1.spdx.json';
export const MODULE_OLD = 'northwind-wm200-4.1.0.spdx';
export const MONITOR = 'tsurugi-bm700-3.1.0.spdx.json';
/** The devices the patch-status demo adds: the TX-40 telemetry before and after its FNET update, and the HB-2 badge. */
export const TELEMETRY_DEVICES = ['aldergrove-tx40-1.2.0.cdx.json', 'aldergrove-tx40-1.3.0.cdx.json', 'harbourlight-hb2-badge-2.0.1.cdx.json'];

/** A minimal CycloneDX 1.6 JSON document, with `extra` merged into its root. */
export function cdxJson(components: object[] = [], extra: object = {}): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { timestamp: '2026-11-01T00:00:00Z', component: { type: 'device', name: 'test-device', version: '1.0', supplier: { name: 'Test Vendor GmbH' } } },
    components,
    ...extra,
  });
}
