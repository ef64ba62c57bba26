/** The demo hospital's device list (sboms/inventory/), and what it answers on the demo SBOMs (README "Hospital inventories"). */
import { readFileSync } from 'node:fs';
import { DEMO_DIR } from './demo-sboms.js';

export const DEMO_INVENTORY_PATH = `${DEMO_DIR}inventory/st-elsewhere-devices.csv`;
export const DEMO_INVENTORY = readFileSync(DEMO_INVENTORY_PATH, 'utf8');
export const HOSPITAL = 'St. Elsewhere Hospital';
/** Devices the list names, and those the demo SBOMs match (every demo SBOM loaded). */
export const DEMO_DEVICES = 17;
export const DEMO_MATCHED = 11;

/** The devices of the list that no demo SBOM matches, in list order, with their line and the reason. */
export const DEMO_UNMATCHED = [
  { assetTag: 'SEH-ONC-0202', line: 6, reason: "no SBOM for firmware 2.3.1 of 'ip3000-firmware' (known versions: 2.4.0)" },
  { assetTag: 'SEH-ED-0301', line: 7, reason: "vendor 'Medisyn Medical GmbH' has published no SBOM for model 'IP3000' (its SBOMs describe: ip3000-firmware)" },
  { assetTag: 'SEH-ICU-0112', line: 10, reason: "no firmware version given for 'bm700-firmware' (known versions: 3.1.0)" },
  { assetTag: 'SEH-RAD-0401', line: 11, reason: "no SBOM describes vendor 'Velmora Imaging AB' product 'VX-220 ultrasound' (no vendor by that name)" },
  { assetTag: 'SEH-LAB-0501', line: 12, reason: "no SBOM describes vendor 'Corvane Diagnostics Ltd' product 'CD-900 blood gas analyser' (no vendor by that name)" },
  {
    assetTag: 'SEH-FAC-0601',
    line: 13,
    reason: "no SBOM describes purl product 'pkg:generic/thermiq/tq10-firmware'; no SBOM describes vendor 'Thermiq Sensorik GmbH' product 'TQ-10 vaccine fridge monitor' (no vendor by that name)",
  },
];

/** The list's first device as every door gives it back (REST names the vendor `vendor`, GraphQL `vendorName`). */
export const DEMO_FIRST_DEVICE = {
  assetTag: 'SEH-ICU-0101',
  model: 'ip3000-firmware',
  purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0',
  cpe: null,
  firmwareVersion: '2.4.0',
  location: 'ICU, bed 1',
  segment: 'icu-vlan-20',
  matchRule: 'PURL',
  unmatchedReason: null,
};
