import { describe, expect, it } from 'vitest';
import type { ParsedAdvisory, VexStatement } from '../../../src/model/advisory.js';
import { parseAdvisory } from '../../../src/advisories/parse-advisory.js';
import { parseCsaf } from '../../../src/advisories/csaf/parse-csaf.js';

type Json = Record<string, unknown>;

function csaf(extra: Json = {}, document: Json = {}): Json {
  return {
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      publisher: { category: 'vendor', name: 'Acme Medical', namespace: 'https://acme.example' },
      title: 'Acme pump and the Treck stack',
      tracking: {
        current_release_date: '2024-03-02T10:00:00.000Z',
        id: 'ACME-2024-001',
        initial_release_date: '2024-03-01T10:00:00.000Z',
        revision_history: [{ date: '2024-03-01T10:00:00.000Z', number: '1', summary: 'Initial version.' }],
        status: 'final',
        version: '2',
      },
      ...document,
    },
    ...extra,
  };
}

const version = (name: string, id: string, product: Json = {}) => ({ category: 'product_version', name, product: { name: `Treck TCP/IP ${name}`, product_id: id, ...product } });

/** Treck TCP/IP in several versions and a range, an Acme pump, a gateway, a relationship and a group. */
const productTree = {
  branches: [
    {
      category: 'vendor',
      name: 'Treck',
      branches: [
        {
          category: 'product_name',
          name: 'TCP/IP',
          branches: [
            version('6.0.1.41', 'V41'),
            version('6.0.1.50', 'V50'),
            version('6.0.1.60', 'V60'),
            version('6.0.1.66', 'V66'),
            version('6.0.1.67', 'V67'),
            version('6.0.1.70', 'V70'),
            { category: 'product_version_range', name: 'vers:generic/>=6.0.1.0|<6.0.1.66', product: { name: 'Treck TCP/IP 6.0.1.x before 6.0.1.66', product_id: 'RANGE' } },
          ],
        },
      ],
    },
    {
      category: 'vendor',
      name: 'Acme Medical',
      branches: [
        {
          category: 'product_name',
          name: 'Infusion Pump',
          branches: [
            version('2.1', 'PUMP', {
              name: 'Acme Infusion Pump 2.1',
              product_identification_helper: {
                purl: 'pkg:generic/acme/infusion-pump@2.1',
                cpe: 'cpe:2.3:h:acme:infusion_pump:2.1:*:*:*:*:*:*:*',
                hashes: [{ filename: 'pump-2.1.bin', file_hashes: [{ algorithm: 'sha256', value: 'a'.repeat(64) }] }],
              },
            }),
          ],
        },
      ],
    },
  ],
  full_product_names: [{ name: 'Acme Gateway 1.0', product_id: 'GATEWAY' }],
  relationships: [
    {
      category: 'default_component_of',
      full_product_name: { name: 'Treck TCP/IP 6.0.1.66 as part of Acme Infusion Pump 2.1', product_id: 'PUMP-TRECK' },
      product_reference: 'V66',
      relates_to_product_reference: 'PUMP',
    },
  ],
  product_groups: [{ group_id: 'ACME-DEVICES', product_ids: ['PUMP', 'GATEWAY'] }],
};

const vulnerability = {
  cve: 'CVE-2020-11901',
  ids: [{ system_name: 'Treck', text: 'TRECK-2020-01' }],
  title: 'DNS resolver heap overflow',
  cwe: { id: 'CWE-20', name: 'Improper Input Validation' },
  notes: [
    { category: 'description', text: 'The longer description.' },
    { category: 'summary', text: 'The DNS resolver mishandles compressed names.' },
  ],
  release_date: '2020-06-16T00:00:00.000Z',
  references: [{ category: 'external', summary: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-11901' }],
  scores: [
    {
      products: ['RANGE'],
      cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 8.1, baseSeverity: 'HIGH' },
      cvss_v2: { version: '2.0', vectorString: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', baseScore: 9.3 },
    },
  ],
  product_status: {
    first_affected: ['V41'],
    known_affected: ['RANGE'],
    last_affected: ['V60'],
    first_fixed: ['V66'],
    fixed: ['V67'],
    recommended: ['V70'],
    known_not_affected: ['PUMP-TRECK', 'PUMP', 'GATEWAY'],
    under_investigation: ['V50'],
  },
  flags: [
    { label: 'component_not_present', group_ids: ['ACME-DEVICES'] },
    { label: 'vulnerable_code_not_in_execute_path', product_ids: ['PUMP-TRECK'], date: '2024-02-28T00:00:00.000Z' },
  ],
  threats: [
    { category: 'impact', details: 'The pump never resolves names.', product_ids: ['PUMP-TRECK'] },
    { category: 'exploit_status', details: 'Public exploit code exists.' },
  ],
  remediations: [
    { category: 'vendor_fix', details: 'Update the stack to 6.0.1.67 or later.', url: 'https://treck.example/fix', product_ids: ['RANGE', 'V60'], date: '2020-06-16T00:00:00.000Z' },
    { category: 'mitigation', details: 'Block DNS responses from untrusted servers at the perimeter.', product_ids: ['RANGE'] },
  ],
};

async function parsed(doc: Json, strict = false): Promise<ParsedAdvisory> {
  const r = await parseAdvisory(Buffer.from(JSON.stringify(doc)), { strict });
  if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.issues)}`);
  return r.advisory;
}

const byRef = (statements: VexStatement[], ref: string) => statements.filter((s) => s.product.ref === ref);

describe('parseCsaf', () => {
  it('reads the document metadata of a schema-valid csaf_vex document', async () => {
    const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    expect(advisory).toMatchObject({
      format: 'csaf',
      specVersion: '2.0',
      documentId: 'ACME-2024-001',
      title: 'Acme pump and the Treck stack',
      category: 'csaf_vex',
      publisher: { name: 'Acme Medical', namespace: 'https://acme.example', category: 'vendor' },
      published: '2024-03-01T10:00:00.000Z',
      modified: '2024-03-02T10:00:00.000Z',
      documentVersion: '2',
      schemaValid: true,
    });
    expect(advisory.issues).toEqual([]);
  });

  it('maps every product_status list to one statement per product, keeping the list name', async () => {
    const { statements } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    expect(statements.map((s) => [s.product.ref, s.statusOriginal, s.status, s.recommended ?? false])).toEqual([
      ['V41', 'first_affected', 'affected', false],
      ['RANGE', 'known_affected', 'affected', false],
      ['V60', 'last_affected', 'affected', false],
      ['V66', 'first_fixed', 'fixed', false],
      ['V67', 'fixed', 'fixed', false],
      ['V70', 'recommended', 'fixed', true],
      ['PUMP-TRECK', 'known_not_affected', 'not_affected', false],
      ['PUMP', 'known_not_affected', 'not_affected', false],
      ['GATEWAY', 'known_not_affected', 'not_affected', false],
      ['V50', 'under_investigation', 'under_investigation', false],
    ]);
    expect(statements.every((s) => s.vulnerabilityId === 'CVE-2020-11901')).toBe(true);
    expect(statements[1]!.path).toBe('/vulnerabilities/0/product_status/known_affected/0');
  });

  it('names products from their vendor, product_name and product_version branches and their identification helper', async () => {
    const { statements } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    expect(byRef(statements, 'V41')[0]!.product).toEqual({ ref: 'V41', displayName: 'Treck TCP/IP 6.0.1.41', vendor: 'Treck', name: 'TCP/IP', version: '6.0.1.41' });
    expect(byRef(statements, 'PUMP')[0]!.product).toEqual({
      ref: 'PUMP',
      displayName: 'Acme Infusion Pump 2.1',
      vendor: 'Acme Medical',
      name: 'Infusion Pump',
      version: '2.1',
      purl: 'pkg:generic/acme/infusion-pump@2.1',
      cpe: 'cpe:2.3:h:acme:infusion_pump:2.1:*:*:*:*:*:*:*',
      hashes: [{ alg: 'sha256', value: 'a'.repeat(64) }],
    });
    expect(byRef(statements, 'GATEWAY')[0]!.product).toEqual({ ref: 'GATEWAY', displayName: 'Acme Gateway 1.0' });
  });

  it('puts a product_version_range on the statements of its product, with the bounds vers gives', async () => {
    const { statements } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    const [range] = byRef(statements, 'RANGE');
    expect(range!.product).toEqual({ ref: 'RANGE', displayName: 'Treck TCP/IP 6.0.1.x before 6.0.1.66', vendor: 'Treck', name: 'TCP/IP' });
    expect(range!.ranges).toEqual([{ scheme: 'vers', vers: 'vers:generic/>=6.0.1.0|<6.0.1.66', introduced: '6.0.1.0', fixed: '6.0.1.66' }]);
  });

  it('resolves a relationship into the combined product with both of its ends', async () => {
    const { statements } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    const product = byRef(statements, 'PUMP-TRECK')[0]!.product;
    expect(product).toMatchObject({
      ref: 'PUMP-TRECK',
      displayName: 'Treck TCP/IP 6.0.1.66 as part of Acme Infusion Pump 2.1',
      relationship: {
        category: 'default_component_of',
        product: { ref: 'V66', vendor: 'Treck', name: 'TCP/IP', version: '6.0.1.66' },
        relatesTo: { ref: 'PUMP', vendor: 'Acme Medical', name: 'Infusion Pump', version: '2.1' },
      },
    });
    expect(product.vendor).toBeUndefined();
  });

  it('expands product groups in flags and gives each flagged statement its justification, label and date', async () => {
    const { statements } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    for (const ref of ['PUMP', 'GATEWAY']) {
      expect(byRef(statements, ref)[0]).toMatchObject({ justification: 'component_not_present', justificationOriginal: 'component_not_present' });
    }
    expect(byRef(statements, 'PUMP-TRECK')[0]).toMatchObject({
      justification: 'code_not_reachable',
      justificationOriginal: 'vulnerable_code_not_in_execute_path',
      timestamp: '2024-02-28T00:00:00.000Z',
      impactStatement: 'The pump never resolves names.',
    });
  });

  it('maps each of the five CSAF flag labels onto the model, keeping the label', async () => {
    const labels = {
      component_not_present: 'component_not_present',
      vulnerable_code_not_present: 'code_not_present',
      vulnerable_code_not_in_execute_path: 'code_not_reachable',
      vulnerable_code_cannot_be_controlled_by_adversary: 'vulnerable_code_cannot_be_controlled_by_adversary',
      inline_mitigations_already_exist: 'protected_by_mitigating_control',
    };
    const ids = ['V41', 'V50', 'V60', 'V66', 'V67'];
    const v = {
      cve: 'CVE-2020-11896',
      product_status: { known_not_affected: ids },
      flags: Object.keys(labels).map((label, i) => ({ label, product_ids: [ids[i]] })),
    };
    const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [v] }));
    expect(advisory.schemaValid).toBe(true);
    expect(advisory.statements.map((s) => [s.justificationOriginal, s.justification])).toEqual(Object.entries(labels));
  });

  it('adds remediations to the products they name and joins their details into the action statement', async () => {
    const { statements } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    expect(byRef(statements, 'RANGE')[0]).toMatchObject({
      remediations: [
        { category: 'vendor_fix', details: 'Update the stack to 6.0.1.67 or later.', url: 'https://treck.example/fix', date: '2020-06-16T00:00:00.000Z' },
        { category: 'mitigation', details: 'Block DNS responses from untrusted servers at the perimeter.' },
      ],
      actionStatement: 'Update the stack to 6.0.1.67 or later.\n\nBlock DNS responses from untrusted servers at the perimeter.',
    });
    expect(byRef(statements, 'V60')[0]!.remediations).toHaveLength(1);
    expect(byRef(statements, 'V41')[0]!.remediations).toBeUndefined();
  });

  it('reads the vulnerability: CVE first, other ids as aliases, summary note, CWE, scores per product', async () => {
    const { vulnerabilities } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }));
    expect(vulnerabilities).toEqual([
      {
        id: 'CVE-2020-11901',
        aliases: ['TRECK-2020-01'],
        title: 'DNS resolver heap overflow',
        summary: 'The DNS resolver mishandles compressed names.',
        published: '2020-06-16T00:00:00.000Z',
        cwes: ['CWE-20'],
        references: ['https://nvd.nist.gov/vuln/detail/CVE-2020-11901'],
        cvss: [
          { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 8.1, source: 'Acme Medical', productRefs: ['RANGE'] },
          { version: '2.0', vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', baseScore: 9.3, source: 'Acme Medical', productRefs: ['RANGE'] },
        ],
      },
    ]);
  });

  it('names a vulnerability without a CVE by its first id', async () => {
    const v = { ids: [{ system_name: 'Acme', text: 'ACME-BUG-7' }, { system_name: 'GitHub', text: 'GHSA-aaaa-bbbb-cccc' }], product_status: { known_affected: ['PUMP'] } };
    const { vulnerabilities, statements } = await parsed(csaf({ product_tree: productTree, vulnerabilities: [v] }));
    expect(vulnerabilities[0]).toMatchObject({ id: 'ACME-BUG-7', aliases: ['GHSA-aaaa-bbbb-cccc'] });
    expect(statements[0]!.vulnerabilityId).toBe('ACME-BUG-7');
  });

  it('reads csaf_security_advisory and csaf_base documents the same way', async () => {
    for (const category of ['csaf_security_advisory', 'csaf_base']) {
      const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [vulnerability] }, { category }));
      expect(advisory).toMatchObject({ category, schemaValid: true });
      expect(advisory.statements).toHaveLength(10);
    }
  });

  describe('records what the document says, with a warning, where it breaks a CSAF rule', () => {
    it('keeps a product_version that reads as a range as the exact version written (mandatory test 6.1.31)', async () => {
      const tree = { branches: [{ category: 'vendor', name: 'Wind River', branches: [{ category: 'product_name', name: 'VxWorks', branches: [version('vers:all/*', 'ALL'), version('prior to 6.9', 'PRIOR')] }] }] };
      const advisory = await parsed(csaf({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2019-12256', product_status: { known_affected: ['ALL', 'PRIOR'] } }] }));
      expect(advisory.statements.map((s) => [s.product.version, s.ranges])).toEqual([
        ['vers:all/*', undefined],
        ['prior to 6.9', undefined],
      ]);
      expect(advisory.issues).toEqual([
        expect.objectContaining({ code: 'AMBIGUOUS_VERSION', severity: 'warning', path: '/product_tree/branches/0/branches/0/branches/0/name', message: expect.stringMatching(/^product_version 'vers:all\/\*' .* reads as a version range/) }),
        expect.objectContaining({ code: 'AMBIGUOUS_VERSION', path: '/product_tree/branches/0/branches/0/branches/1/name' }),
      ]);
      expect(advisory.schemaValid).toBe(true);
    });

    it('keeps a product_version_range that is neither vers nor vls as written, with no bounds', async () => {
      const tree = { branches: [{ category: 'product_name', name: 'Accent MRI', branches: [{ category: 'product_version_range', name: '< august 28', product: { name: 'Accent MRI: manufactured prior to August 28', product_id: 'MRI' } }] }] };
      const advisory = await parsed(csaf({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2017-12712', product_status: { known_affected: ['MRI'] } }] }));
      expect(advisory.statements[0]!.ranges).toEqual([{ scheme: 'generic', vers: '< august 28' }]);
      expect(advisory.issues).toEqual([expect.objectContaining({ code: 'INVALID_VERSION_RANGE', severity: 'warning', path: '/product_tree/branches/0/branches/0/name' })]);
    });

    it('records a product id that is defined nowhere with its id only (6.1.1)', async () => {
      const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { known_affected: ['NOWHERE'] } }] }));
      expect(advisory.statements[0]!.product).toEqual({ ref: 'NOWHERE' });
      expect(advisory.issues).toEqual([expect.objectContaining({ code: 'DANGLING_REF', path: '/vulnerabilities/0/product_status/known_affected/0' })]);
    });

    it('keeps the first of two definitions of one product id (6.1.2)', async () => {
      const tree = { full_product_names: [{ name: 'First', product_id: 'P' }, { name: 'Second', product_id: 'P' }] };
      const advisory = await parsed(csaf({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { fixed: ['P'] } }] }));
      expect(advisory.statements[0]!.product.displayName).toBe('First');
      expect(advisory.issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_REF', path: '/product_tree/full_product_names/1/product_id' })]);
    });

    it('records a product in contradicting status groups twice, with a warning (6.1.6)', async () => {
      const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { known_affected: ['PUMP'], known_not_affected: ['PUMP'], recommended: ['PUMP'] } }] }));
      expect(advisory.statements.map((s) => s.status)).toEqual(['affected', 'not_affected', 'fixed']);
      expect(advisory.issues).toEqual([expect.objectContaining({ code: 'INCONSISTENT_STATEMENT', path: '/vulnerabilities/0/product_status/known_not_affected/0' })]);
    });

    it('puts a flag on an affected product as the document says, and warns', async () => {
      const v = { cve: 'CVE-2020-11901', product_status: { known_affected: ['PUMP'] }, flags: [{ label: 'vulnerable_code_not_present', product_ids: ['PUMP', 'GATEWAY'] }] };
      const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [v] }));
      expect(advisory.statements[0]).toMatchObject({ status: 'affected', justification: 'code_not_present' });
      expect(advisory.issues.map((i) => [i.code, i.path])).toEqual([
        ['INCONSISTENT_STATEMENT', '/vulnerabilities/0/flags/0/product_ids/0'],
        ['INCONSISTENT_STATEMENT', '/vulnerabilities/0/flags/0/product_ids/1'],
      ]);
    });

    it('records an unknown product_status list with status unknown, keeping its name', async () => {
      const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { known_affcted: ['PUMP'] } }] }));
      expect(advisory.statements[0]).toMatchObject({ status: 'unknown', statusOriginal: 'known_affcted' });
      expect(advisory.issues).toEqual([expect.objectContaining({ code: 'UNKNOWN_STATUS', path: '/vulnerabilities/0/product_status/known_affcted' })]);
    });

    it('records no statement for a vulnerability with neither cve nor ids', async () => {
      const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [{ title: 'Unnamed', product_status: { known_affected: ['PUMP'] } }] }));
      expect(advisory).toMatchObject({ vulnerabilities: [], statements: [] });
      expect(advisory.issues).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', path: '/vulnerabilities/0' })]);
    });

    it('warns of a remediation that names no product (6.1.29)', async () => {
      const v = { cve: 'CVE-2020-11901', product_status: { known_affected: ['PUMP'] }, remediations: [{ category: 'workaround', details: 'Unplug it.' }] };
      const advisory = await parsed(csaf({ product_tree: productTree, vulnerabilities: [v] }));
      expect(advisory.statements[0]!.remediations).toBeUndefined();
      expect(advisory.issues).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', path: '/vulnerabilities/0/remediations/0' })]);
    });
  });

  it('never throws on values of the wrong type', () => {
    const odd = { document: { csaf_version: '2.0', tracking: 3, publisher: 'x' }, product_tree: { branches: [null, { branches: 'x', product: 5 }], relationships: [{ full_product_name: { product_id: 'R' }, product_reference: 'R', relates_to_product_reference: 'R' }] }, vulnerabilities: [{ cve: 'CVE-2020-0001', product_status: { known_affected: 'R', fixed: [1, 'R'] }, flags: [{ label: 7 }], scores: [{ cvss_v3: [] }] }] };
    const mapped = parseCsaf(odd);
    expect(mapped.statements).toHaveLength(1);
    expect(mapped.statements[0]!.product.relationship?.category).toBe('');
    expect(() => JSON.stringify(mapped)).not.toThrow();
  });

  it('keeps a circular relationship (6.1.3) a tree, and warns', async () => {
    const tree = {
      full_product_names: [{ name: 'Stack', product_id: 'S' }],
      relationships: [
        { category: 'default_component_of', full_product_name: { name: 'A', product_id: 'A' }, product_reference: 'S', relates_to_product_reference: 'B' },
        { category: 'installed_on', full_product_name: { name: 'B', product_id: 'B' }, product_reference: 'A', relates_to_product_reference: 'S' },
      ],
    };
    const advisory = await parsed(csaf({ product_tree: tree, vulnerabilities: [{ cve: 'CVE-2020-11901', product_status: { known_affected: ['A', 'B'] } }] }));
    expect(() => JSON.stringify(advisory)).not.toThrow();
    expect(advisory.statements[0]!.product).toMatchObject({ ref: 'A', relationship: { product: { ref: 'S' }, relatesTo: { ref: 'B', relationship: { product: { ref: 'A' } } } } });
    expect(advisory.statements[0]!.product.relationship!.relatesTo.relationship!.product.relationship).toBeUndefined();
    expect(advisory.issues).toEqual([expect.objectContaining({ code: 'INCONSISTENT_STATEMENT', path: '/product_tree/relationships/0', message: expect.stringMatching(/circular definition/) })]);
  });
});
