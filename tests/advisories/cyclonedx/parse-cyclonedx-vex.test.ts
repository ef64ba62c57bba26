import { describe, expect, it } from 'vitest';
import type { ParsedAdvisory } from '../../../src/model/advisory.js';
import { parseAdvisory } from '../../../src/advisories/parse-advisory.js';
import { parseCycloneDxVex } from '../../../src/advisories/cyclonedx/parse-cyclonedx-vex.js';

type Json = Record<string, unknown>;

const treck = {
  'bom-ref': 'treck-tcpip',
  type: 'library',
  name: 'tcpip',
  version: '6.0.1.66',
  supplier: { name: 'Treck Inc.' },
  purl: 'pkg:generic/treck/tcpip@6.0.1.66',
  cpe: 'cpe:2.3:a:treck:tcp\\/ip:6.0.1.66:*:*:*:*:*:*:*',
  hashes: [{ alg: 'SHA-256', content: 'c'.repeat(64) }],
};

function vex(vulnerabilities: Json[], specVersion = '1.5'): Json {
  return {
    bomFormat: 'CycloneDX',
    specVersion,
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 3,
    metadata: {
      timestamp: '2024-03-01T10:00:00Z',
      supplier: { name: 'Acme Medical' },
      component: { 'bom-ref': 'pump', type: 'device', name: 'Infusion Pump', version: '2.1' },
    },
    components: [treck],
    vulnerabilities,
  };
}

const affects = [{ ref: 'treck-tcpip' }];

async function parsed(doc: Json): Promise<ParsedAdvisory> {
  const r = await parseAdvisory(Buffer.from(JSON.stringify(doc)));
  if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.issues)}`);
  return r.advisory;
}

describe('parseCycloneDxVex', () => {
  it('maps each analysis state onto the model, keeping the state, for a schema-valid VEX', async () => {
    const states = {
      resolved: 'fixed',
      resolved_with_pedigree: 'fixed',
      exploitable: 'affected',
      in_triage: 'under_investigation',
      false_positive: 'not_affected',
      not_affected: 'not_affected',
    };
    const advisory = await parsed(vex(Object.keys(states).map((state, i) => ({ id: `CVE-2020-1190${i}`, analysis: { state }, affects }))));
    expect(advisory).toMatchObject({
      format: 'cyclonedx-vex',
      specVersion: '1.5',
      documentId: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      documentVersion: '3',
      published: '2024-03-01T10:00:00Z',
      publisher: { name: 'Acme Medical' },
      schemaValid: true,
      issues: [],
    });
    expect(advisory.statements.map((s) => [s.statusOriginal, s.status])).toEqual(Object.entries(states));
  });

  it('maps all nine justifications 1:1, keeping the original', async () => {
    const justifications = ['code_not_present', 'code_not_reachable', 'requires_configuration', 'requires_dependency', 'requires_environment', 'protected_by_compiler', 'protected_at_runtime', 'protected_at_perimeter', 'protected_by_mitigating_control'];
    const advisory = await parsed(vex(justifications.map((justification, i) => ({ id: `CVE-2021-3100${i}`, analysis: { state: 'not_affected', justification }, affects }))));
    expect(advisory.schemaValid).toBe(true);
    expect(advisory.statements.map((s) => [s.justificationOriginal, s.justification])).toEqual(justifications.map((j) => [j, j]));
  });

  it('resolves the affected component by bom-ref and carries the whole analysis', async () => {
    const v = {
      id: 'CVE-2020-11901',
      references: [{ id: 'GHSA-aaaa-bbbb-cccc', source: { name: 'GitHub', url: 'https://github.com/advisories' } }],
      ratings: [
        { method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 8.1, source: { name: 'NVD' } },
        { method: 'OWASP', score: 5 },
      ],
      cwes: [20, 787],
      description: 'DNS resolver heap overflow.',
      recommendation: 'Update the pump to firmware 2.2.',
      workaround: 'Block DNS at the perimeter.',
      advisories: [{ url: 'https://treck.example/advisory' }],
      published: '2020-06-16T00:00:00Z',
      updated: '2020-07-01T00:00:00Z',
      analysis: { state: 'exploitable', detail: 'The resolver is reachable from the network.', response: ['update', 'workaround_available'], firstIssued: '2024-02-01T00:00:00Z', lastUpdated: '2024-02-15T00:00:00Z' },
      affects,
    };
    const advisory = await parsed(vex([v]));
    expect(advisory.schemaValid).toBe(true);
    expect(advisory.vulnerabilities).toEqual([
      {
        id: 'CVE-2020-11901',
        aliases: ['GHSA-aaaa-bbbb-cccc'],
        summary: 'DNS resolver heap overflow.',
        published: '2020-06-16T00:00:00Z',
        modified: '2020-07-01T00:00:00Z',
        cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 8.1, source: 'NVD' }],
        cwes: ['CWE-20', 'CWE-787'],
        references: ['https://treck.example/advisory'],
      },
    ]);
    expect(advisory.statements).toEqual([
      {
        vulnerabilityId: 'CVE-2020-11901',
        product: {
          ref: 'treck-tcpip',
          purl: 'pkg:generic/treck/tcpip@6.0.1.66',
          cpe: 'cpe:2.3:a:treck:tcp\\/ip:6.0.1.66:*:*:*:*:*:*:*',
          name: 'tcpip',
          version: '6.0.1.66',
          vendor: 'Treck Inc.',
          hashes: [{ alg: 'SHA-256', value: 'c'.repeat(64) }],
        },
        status: 'affected',
        statusOriginal: 'exploitable',
        impactStatement: 'The resolver is reachable from the network.',
        remediations: [{ category: 'update' }, { category: 'workaround_available' }],
        actionStatement: 'Update the pump to firmware 2.2.\n\nBlock DNS at the perimeter.',
        timestamp: '2024-02-15T00:00:00Z',
        path: '/vulnerabilities/0/affects/0',
      },
    ]);
  });

  it('makes one statement per affects version entry, with its version or vers range and status', async () => {
    const v = {
      id: 'CVE-2020-11896',
      affects: [
        {
          ref: 'treck-tcpip',
          versions: [
            { version: '6.0.1.66', status: 'unaffected' },
            { range: 'vers:generic/>=6.0.1.0|<6.0.1.66', status: 'affected' },
            { range: 'vers:generic/<6.0.1.0' },
            { version: '5.0', status: 'unknown' },
          ],
        },
      ],
    };
    const advisory = await parsed(vex([v]));
    expect(advisory.schemaValid).toBe(true);
    expect(advisory.statements.map((s) => [s.status, s.statusOriginal, s.versions, s.ranges, s.path])).toEqual([
      ['not_affected', 'unaffected', ['6.0.1.66'], undefined, '/vulnerabilities/0/affects/0/versions/0'],
      ['affected', 'affected', undefined, [{ scheme: 'vers', vers: 'vers:generic/>=6.0.1.0|<6.0.1.66', introduced: '6.0.1.0', fixed: '6.0.1.66' }], '/vulnerabilities/0/affects/0/versions/1'],
      ['affected', 'affected', undefined, [{ scheme: 'vers', vers: 'vers:generic/<6.0.1.0', fixed: '6.0.1.0' }], '/vulnerabilities/0/affects/0/versions/2'],
      ['unknown', 'unknown', ['5.0'], undefined, '/vulnerabilities/0/affects/0/versions/3'],
    ]);
  });

  it('reads an affects entry with neither analysis nor versions as affected (VDR)', async () => {
    const advisory = await parsed(vex([{ id: 'CVE-2020-11897', affects: [{ ref: 'pump' }] }]));
    expect(advisory.statements).toEqual([
      { vulnerabilityId: 'CVE-2020-11897', product: { ref: 'pump', name: 'Infusion Pump', version: '2.1' }, status: 'affected', statusOriginal: 'affects', path: '/vulnerabilities/0/affects/0' },
    ]);
  });

  it('keeps a BOM-Link as a bare ref and warns of a ref that names nothing', async () => {
    const link = 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#treck-tcpip';
    const advisory = await parsed(vex([{ id: 'CVE-2020-11898', analysis: { state: 'in_triage' }, affects: [{ ref: link }, { ref: 'nowhere' }] }]));
    expect(advisory.statements.map((s) => s.product)).toEqual([{ ref: link }, { ref: 'nowhere' }]);
    expect(advisory.issues).toEqual([expect.objectContaining({ code: 'DANGLING_REF', severity: 'warning', path: '/vulnerabilities/0/affects/1/ref' })]);
  });

  it('reads CycloneDX 1.4 and 1.6 VEX too', async () => {
    for (const specVersion of ['1.4', '1.6']) {
      const advisory = await parsed(vex([{ id: 'CVE-2020-11901', analysis: { state: 'not_affected', justification: 'code_not_present' }, affects }], specVersion));
      expect(advisory).toMatchObject({ specVersion, schemaValid: true, statements: [expect.objectContaining({ status: 'not_affected', justification: 'code_not_present' })] });
    }
  });

  it('records an unknown state in lenient mode as unknown, keeping the word', async () => {
    const advisory = await parsed(vex([{ id: 'CVE-2020-11901', analysis: { state: 'patched' }, affects }]));
    expect(advisory.schemaValid).toBe(false);
    expect(advisory.statements[0]).toMatchObject({ status: 'unknown', statusOriginal: 'patched' });
    expect(advisory.issues.map((i) => [i.code, i.path])).toEqual([
      ['SCHEMA_VIOLATION', '/vulnerabilities/0/analysis/state'],
      ['UNKNOWN_STATUS', '/vulnerabilities/0/analysis/state'],
    ]);
  });

  it('never throws on values of the wrong type', () => {
    const mapped = parseCycloneDxVex({ bomFormat: 'CycloneDX', components: [3, { 'bom-ref': 'a', components: 'x' }], vulnerabilities: [null, { affects: [{ ref: 'a' }] }, { id: 'CVE-2020-1', analysis: [], affects: [5, { ref: 7, versions: [null, { status: 3 }] }] }] });
    expect(mapped.statements.map((s) => [s.status, s.product])).toEqual([['affected', {}]]);
    expect(mapped.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'MISSING_FIELD', path: '/vulnerabilities/1/id' })]));
  });
});
