/**
 * Advisory and VEX documents for end-to-end tests, one per format, written inline so every expected value can be
 * read off the document itself. The vulnerabilities are made up (CVE-2099-*): nothing here claims a real flaw.
 *
 * - OSV: CVE-2099-1001, filed by GitHub as GHSA-9v3m-4q8r-2xwp (the OSV id; the CVE is an alias).
 * - CSAF 2.0 csaf_vex: the same CVE-2099-1001 as the vendor Northwind Wireless describes it for its firmware.
 * - OpenVEX 0.2.0: CVE-2099-1002 with each of the statuses.
 * - CycloneDX 1.6 VEX/VDR: CVE-2099-1003..1006 (analysis states, a VDR version list, responses).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Json = Record<string, any>;

export const SHIPPED_DIR = fileURLToPath(new URL('../../src/advisories/data/', import.meta.url));
/** The shipped advisory set as `patchpath advisories load` names it: absolute paths, in name order. */
export const SHIPPED_FILES = readdirSync(SHIPPED_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => `${SHIPPED_DIR}${f}`);

/**
 * Statements a CycloneDX VEX/VDR document makes, counted from the document as the format defines them: per
 * `affects[]` entry, one for the analysis when it has a state, one per `versions[]` entry, else one for the entry.
 */
export function cycloneDxStatementCount(doc: Json): number {
  let n = 0;
  for (const v of doc.vulnerabilities as Json[]) {
    for (const a of (v.affects ?? []) as Json[]) {
      const versions = (a.versions ?? []).length;
      const analysed = v.analysis?.state !== undefined ? 1 : 0;
      n += analysed + versions || 1;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// OSV

export const OSV = {
  schema_version: '1.6.0',
  id: 'GHSA-9v3m-4q8r-2xwp',
  modified: '2026-02-01T00:00:00Z',
  published: '2026-01-15T00:00:00Z',
  aliases: ['CVE-2099-1001'],
  summary: 'tinydns resolver reads past its buffer on a crafted answer',
  details: 'A DNS answer whose name compression pointer points past the end of the packet makes the resolver read out of bounds.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H' }],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'tinydns', purl: 'pkg:npm/tinydns' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.2.1' }] }],
      versions: ['2.0.0', '2.1.0', '2.2.0'],
    },
    {
      package: { ecosystem: 'npm', name: 'tinydns-legacy', purl: 'pkg:npm/tinydns-legacy' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1.4.2' }] }],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-9v3m-4q8r-2xwp' }],
  database_specific: { cwe_ids: ['CWE-125'], severity: 'HIGH' },
};
/** affected[0] (affected + the fixed event's own statement) and affected[1]. */
export const OSV_STATEMENTS = 3;

// ---------------------------------------------------------------------------------------------------------------
// CSAF 2.0 VEX

export const CSAF = {
  document: {
    category: 'csaf_vex',
    csaf_version: '2.0',
    publisher: { category: 'vendor', name: 'Northwind Wireless Inc.', namespace: 'https://northwind.example' },
    title: 'NW-WM200 firmware: tinydns out-of-bounds read',
    tracking: {
      id: 'NW-VEX-2026-0007',
      status: 'final',
      version: '2',
      initial_release_date: '2026-01-20T00:00:00.000Z',
      current_release_date: '2026-02-03T00:00:00.000Z',
      revision_history: [
        { date: '2026-01-20T00:00:00.000Z', number: '1', summary: 'Initial release' },
        { date: '2026-02-03T00:00:00.000Z', number: '2', summary: 'Fix released' },
      ],
    },
  },
  product_tree: {
    branches: [
      {
        category: 'vendor',
        name: 'Northwind Wireless Inc.',
        branches: [
          {
            category: 'product_name',
            name: 'NW-WM200 firmware',
            branches: [
              { category: 'product_version', name: '4.2.1', product: { name: 'NW-WM200 firmware 4.2.1', product_id: 'CSAFPID-0001', product_identification_helper: { purl: 'pkg:generic/northwind-wireless/nw-wm200-firmware@4.2.1' } } },
              { category: 'product_version', name: '4.2.2', product: { name: 'NW-WM200 firmware 4.2.2', product_id: 'CSAFPID-0002' } },
              { category: 'product_version_range', name: 'vers:generic/>=4.0.0|<4.2.2', product: { name: 'NW-WM200 firmware 4.0.0 to before 4.2.2', product_id: 'CSAFPID-0003' } },
              { category: 'product_version', name: '4.3.0', product: { name: 'NW-WM200 firmware 4.3.0', product_id: 'CSAFPID-0004' } },
              { category: 'product_version', name: '3.9.0', product: { name: 'NW-WM200 firmware 3.9.0', product_id: 'CSAFPID-0005' } },
              { category: 'product_version', name: '5.0.0-beta1', product: { name: 'NW-WM200 firmware 5.0.0-beta1', product_id: 'CSAFPID-0006' } },
            ],
          },
        ],
      },
    ],
  },
  vulnerabilities: [
    {
      cve: 'CVE-2099-1001',
      title: 'Out-of-bounds read in the DNS resolver of NW-WM200 firmware',
      cwe: { id: 'CWE-126', name: 'Buffer Over-read' },
      notes: [{ category: 'summary', text: 'The firmware embeds tinydns; a crafted DNS answer can crash the module.' }],
      product_status: {
        known_affected: ['CSAFPID-0001', 'CSAFPID-0003'],
        fixed: ['CSAFPID-0002'],
        recommended: ['CSAFPID-0004'],
        known_not_affected: ['CSAFPID-0005'],
        under_investigation: ['CSAFPID-0006'],
      },
      scores: [
        {
          cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:L', baseScore: 8.2, baseSeverity: 'HIGH' },
          products: ['CSAFPID-0001', 'CSAFPID-0003'],
        },
      ],
      flags: [{ label: 'vulnerable_code_not_present', date: '2026-01-19T00:00:00.000Z', product_ids: ['CSAFPID-0005'] }],
      threats: [{ category: 'impact', details: 'Firmware 3.9.0 predates tinydns and uses the stack resolver.', product_ids: ['CSAFPID-0005'] }],
      remediations: [
        { category: 'vendor_fix', details: 'Update to firmware 4.2.2 or later.', url: 'https://northwind.example/support/nw-wm200', date: '2026-02-03T00:00:00.000Z', product_ids: ['CSAFPID-0001', 'CSAFPID-0003'] },
        { category: 'workaround', details: 'Point the module at a validating DNS forwarder.', product_ids: ['CSAFPID-0001'] },
      ],
    },
  ],
};
export const CSAF_STATEMENTS = 6;

// ---------------------------------------------------------------------------------------------------------------
// OpenVEX 0.2.0

export const OPENVEX = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://medisyn.example/vex/2026-0003',
  author: 'Medisyn Devices GmbH',
  timestamp: '2026-03-01T00:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { name: 'CVE-2099-1002', aliases: ['GHSA-2c4f-7h8j-k9m3'] },
      products: [{ '@id': 'pkg:generic/medisyn/ip3000-firmware@2.4.0' }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      impact_statement: 'The pump never resolves names; the resolver is never called.',
    },
    {
      vulnerability: { name: 'CVE-2099-1002' },
      products: [{ '@id': 'pkg:generic/medisyn/ip3000-firmware@2.3.0' }, { '@id': 'pkg:generic/medisyn/ip3000-firmware@2.3.1' }],
      status: 'affected',
      action_statement: 'Update the pump firmware to 2.4.0.',
    },
    {
      vulnerability: { name: 'CVE-2099-1002' },
      products: [{ '@id': 'pkg:generic/medisyn/ip3000-firmware@2.4.0-rc1' }],
      status: 'fixed',
    },
    {
      vulnerability: { name: 'CVE-2099-1002' },
      products: [{ '@id': 'pkg:generic/medisyn/ip4000-firmware@1.0.0' }],
      status: 'under_investigation',
      status_notes: 'Being checked by the platform team.',
    },
  ],
};
export const OPENVEX_STATEMENTS = 5;

// ---------------------------------------------------------------------------------------------------------------
// CycloneDX 1.6 VEX / VDR

export const CDX_VEX = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: 'urn:uuid:5b1b7c1e-2f3a-4c5d-8e9f-0a1b2c3d4e5f',
  version: 3,
  metadata: {
    timestamp: '2026-03-02T00:00:00Z',
    component: { type: 'device', 'bom-ref': 'device', name: 'ip3000', version: '2.4.0', supplier: { name: 'Medisyn Devices GmbH' } },
  },
  components: [
    { type: 'library', 'bom-ref': 'lwip', name: 'lwIP', version: '2.1.2', purl: 'pkg:generic/lwip@2.1.2', cpe: 'cpe:2.3:a:lwip_project:lwip:2.1.2:*:*:*:*:*:*:*', supplier: { name: 'lwIP project' } },
  ],
  vulnerabilities: [
    {
      'bom-ref': 'v-1003',
      id: 'CVE-2099-1003',
      ratings: [{ source: { name: 'Medisyn PSIRT' }, score: 9.1, severity: 'critical', method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' }],
      cwes: [787],
      description: 'lwIP IPv6 reassembly writes past a buffer.',
      analysis: { state: 'not_affected', justification: 'requires_configuration', detail: 'IPv6 is disabled in the pump build.', lastUpdated: '2026-03-01T12:00:00Z' },
      affects: [{ ref: 'lwip' }],
    },
    {
      'bom-ref': 'v-1004',
      id: 'CVE-2099-1004',
      cwes: [400],
      description: 'lwIP TCP resource exhaustion.',
      recommendation: 'Update the pump firmware to 2.5.0.',
      workaround: 'Restrict the service port to the clinical VLAN.',
      analysis: { state: 'exploitable', response: ['update', 'workaround_available'], detail: 'Reachable on the service port.' },
      affects: [{ ref: 'device' }],
    },
    {
      'bom-ref': 'v-1005',
      id: 'CVE-2099-1005',
      description: 'lwIP DHCP option parsing flaw.',
      affects: [
        {
          ref: 'lwip',
          versions: [
            { range: 'vers:generic/>=2.0.0|<=2.1.3', status: 'affected' },
            { version: '2.2.0', status: 'unaffected' },
          ],
        },
      ],
    },
    {
      'bom-ref': 'v-1006',
      id: 'CVE-2099-1006',
      description: 'lwIP SNMP agent flaw.',
      analysis: { state: 'in_triage' },
      affects: [{ ref: 'device' }],
    },
  ],
};
export const CDX_VEX_STATEMENTS = 5;

/** The nine CycloneDX justifications, one vulnerability each (CVE-2099-2001..2009), all not_affected. */
export const CDX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;

export const CDX_JUSTIFICATION_DOC = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: 'urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  version: 1,
  metadata: { component: { type: 'device', 'bom-ref': 'device', name: 'mb7-mainboard', version: '1.3.0', supplier: { name: 'Medisyn Devices GmbH' } } },
  vulnerabilities: CDX_JUSTIFICATIONS.map((j, i) => ({
    id: `CVE-2099-${2001 + i}`,
    analysis: { state: i === 0 ? 'false_positive' : 'not_affected', justification: j },
    affects: [{ ref: 'device' }],
  })),
};

/** The five OpenVEX / CSAF labels and the model's word for each (CVE-2099-3001..3005). */
export const VEX_LABELS: [label: string, justification: string][] = [
  ['component_not_present', 'COMPONENT_NOT_PRESENT'],
  ['vulnerable_code_not_present', 'CODE_NOT_PRESENT'],
  ['vulnerable_code_not_in_execute_path', 'CODE_NOT_REACHABLE'],
  ['vulnerable_code_cannot_be_controlled_by_adversary', 'VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY'],
  ['inline_mitigations_already_exist', 'PROTECTED_BY_MITIGATING_CONTROL'],
];

export const OPENVEX_LABEL_DOC = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://medisyn.example/vex/labels',
  author: 'Medisyn Devices GmbH',
  timestamp: '2026-03-05T00:00:00Z',
  version: 1,
  statements: VEX_LABELS.map(([label], i) => ({
    vulnerability: { name: `CVE-2099-${3001 + i}` },
    products: [{ '@id': 'pkg:generic/medisyn/mb7-mainboard@1.3.0' }],
    status: 'not_affected',
    justification: label,
  })),
};

/** An OpenVEX document that breaks its schema: a status word OpenVEX does not define. */
export const OPENVEX_BAD_STATUS = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://medisyn.example/vex/2026-0099',
  author: 'Medisyn Devices GmbH',
  timestamp: '2026-03-09T00:00:00Z',
  version: 1,
  statements: [{ vulnerability: { name: 'CVE-2099-1009' }, products: [{ '@id': 'pkg:generic/medisyn/ip3000-firmware@2.4.0' }], status: 'maybe' }],
};

export const json = (doc: object) => JSON.stringify(doc, null, 2);

/** The shipped advisory files, parsed. */
export const shippedDoc = (path: string): Json => JSON.parse(readFileSync(path, 'utf8'));

/** The five CSAF flag labels, one vulnerability each (CVE-2099-4001..4005), on one known_not_affected product. */
export const CSAF_LABEL_DOC = {
  document: {
    ...CSAF.document,
    title: 'MB7 mainboard: not affected by the tinydns family',
    tracking: { ...CSAF.document.tracking, id: 'NW-VEX-2026-0008' },
  },
  product_tree: {
    branches: [
      {
        category: 'vendor',
        name: 'Northwind Wireless Inc.',
        branches: [{ category: 'product_name', name: 'NW-WM100 firmware', branches: [{ category: 'product_version', name: '1.0.0', product: { name: 'NW-WM100 firmware 1.0.0', product_id: 'WM100-1.0.0' } }] }],
      },
    ],
  },
  vulnerabilities: VEX_LABELS.map(([label], i) => ({
    cve: `CVE-2099-${4001 + i}`,
    product_status: { known_not_affected: ['WM100-1.0.0'] },
    flags: [{ label, product_ids: ['WM100-1.0.0'] }],
  })),
};
