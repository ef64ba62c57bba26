import { describe, expect, it } from 'vitest';
import type { ParsedAdvisory } from '../../../src/model/advisory.js';
import { parseAdvisory } from '../../../src/advisories/parse-advisory.js';
import { parseOpenVex } from '../../../src/advisories/openvex/parse-openvex.js';

type Json = Record<string, unknown>;

const PUMP = 'pkg:generic/acme/infusion-pump@2.1';

function openvex(statements: Json[], extra: Json = {}): Json {
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://acme.example/vex/2024-001',
    author: 'Acme Medical PSIRT',
    role: 'Document Creator',
    timestamp: '2024-03-01T10:00:00Z',
    last_updated: '2024-03-02T10:00:00Z',
    version: 2,
    statements,
    ...extra,
  };
}

async function parsed(doc: Json): Promise<ParsedAdvisory> {
  const r = await parseAdvisory(Buffer.from(JSON.stringify(doc)));
  if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.issues)}`);
  return r.advisory;
}

describe('parseOpenVex', () => {
  it('reads the document and one statement per product, keeping each status word', async () => {
    const doc = openvex([
      { vulnerability: { name: 'CVE-2020-11901' }, products: [{ '@id': PUMP }], status: 'not_affected', justification: 'component_not_present' },
      { vulnerability: { name: 'CVE-2020-11896' }, products: [{ '@id': PUMP }, { '@id': 'pkg:generic/acme/gateway@1.0' }], status: 'affected', action_statement: 'Update to firmware 2.2.' },
      { vulnerability: { name: 'CVE-2020-11897' }, products: [{ '@id': PUMP }], status: 'fixed' },
      { vulnerability: { name: 'CVE-2020-11898' }, products: [{ '@id': PUMP }], status: 'under_investigation', timestamp: '2024-02-20T00:00:00Z' },
    ]);
    const advisory = await parsed(doc);
    expect(advisory).toMatchObject({
      format: 'openvex',
      specVersion: '0.2.0',
      documentId: 'https://acme.example/vex/2024-001',
      publisher: { name: 'Acme Medical PSIRT', category: 'Document Creator' },
      published: '2024-03-01T10:00:00Z',
      modified: '2024-03-02T10:00:00Z',
      documentVersion: '2',
      schemaValid: true,
      issues: [],
    });
    expect(advisory.statements.map((s) => [s.vulnerabilityId, s.product.purl, s.status, s.statusOriginal, s.path])).toEqual([
      ['CVE-2020-11901', PUMP, 'not_affected', 'not_affected', '/statements/0/products/0'],
      ['CVE-2020-11896', PUMP, 'affected', 'affected', '/statements/1/products/0'],
      ['CVE-2020-11896', 'pkg:generic/acme/gateway@1.0', 'affected', 'affected', '/statements/1/products/1'],
      ['CVE-2020-11897', PUMP, 'fixed', 'fixed', '/statements/2/products/0'],
      ['CVE-2020-11898', PUMP, 'under_investigation', 'under_investigation', '/statements/3/products/0'],
    ]);
    expect(advisory.statements[1]!.actionStatement).toBe('Update to firmware 2.2.');
    // the statement's own timestamp, else the document's (OpenVEX inheritance)
    expect(advisory.statements.map((s) => s.timestamp)).toEqual(['2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z', '2024-02-20T00:00:00Z']);
  });

  it('maps each of the five justifications onto the model, keeping the label, and keeps impact statements and notes', async () => {
    const labels = {
      component_not_present: 'component_not_present',
      vulnerable_code_not_present: 'code_not_present',
      vulnerable_code_not_in_execute_path: 'code_not_reachable',
      vulnerable_code_cannot_be_controlled_by_adversary: 'vulnerable_code_cannot_be_controlled_by_adversary',
      inline_mitigations_already_exist: 'protected_by_mitigating_control',
    };
    const doc = openvex(
      Object.keys(labels).map((justification, i) => ({
        vulnerability: { name: `CVE-2020-1190${i}` },
        products: [{ '@id': PUMP }],
        status: 'not_affected',
        justification,
        impact_statement: `Reason ${i}.`,
        status_notes: `Checked by build ${i}.`,
      })),
    );
    const advisory = await parsed(doc);
    expect(advisory.schemaValid).toBe(true);
    expect(advisory.statements.map((s) => [s.justificationOriginal, s.justification])).toEqual(Object.entries(labels));
    expect(advisory.statements[2]).toMatchObject({ impactStatement: 'Reason 2.', statusNotes: 'Checked by build 2.' });
  });

  it('reads product identifiers, hashes and subcomponents', async () => {
    const doc = openvex([
      {
        vulnerability: { name: 'CVE-2020-11901' },
        products: [
          {
            '@id': 'https://acme.example/products/pump',
            identifiers: { purl: PUMP, cpe23: 'cpe:2.3:h:acme:infusion_pump:2.1:*:*:*:*:*:*:*' },
            hashes: { 'sha-256': 'b'.repeat(64) },
            subcomponents: [{ '@id': 'pkg:generic/treck/tcpip@6.0.1.66' }, { identifiers: { cpe22: 'cpe:/a:treck:tcp_ip:6.0.1.66' } }],
          },
        ],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
      },
    ]);
    const advisory = await parsed(doc);
    expect(advisory.schemaValid).toBe(true);
    expect(advisory.statements[0]!.product).toEqual({
      ref: 'https://acme.example/products/pump',
      purl: PUMP,
      cpe: 'cpe:2.3:h:acme:infusion_pump:2.1:*:*:*:*:*:*:*',
      hashes: [{ alg: 'sha-256', value: 'b'.repeat(64) }],
      subcomponents: [{ ref: 'pkg:generic/treck/tcpip@6.0.1.66', purl: 'pkg:generic/treck/tcpip@6.0.1.66' }, { cpe: 'cpe:/a:treck:tcp_ip:6.0.1.66' }],
    });
  });

  it('merges the statements about one vulnerability into one entry, named by its CVE alias', async () => {
    const doc = openvex([
      { vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2020-11901', name: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2020-11901'], description: 'DNS resolver overflow.' }, products: [{ '@id': PUMP }], status: 'fixed' },
      { vulnerability: { name: 'CVE-2020-11901', aliases: ['TRECK-1'] }, products: [{ '@id': PUMP }], status: 'fixed' },
    ]);
    const advisory = await parsed(doc);
    expect(advisory.vulnerabilities).toEqual([
      { id: 'CVE-2020-11901', aliases: ['GHSA-aaaa-bbbb-cccc', 'TRECK-1'], summary: 'DNS resolver overflow.', cvss: [], cwes: [], references: ['https://nvd.nist.gov/vuln/detail/CVE-2020-11901'] },
    ]);
    expect(advisory.statements.map((s) => s.vulnerabilityId)).toEqual(['CVE-2020-11901', 'CVE-2020-11901']);
  });

  it('reads an OpenVEX 0.0.1 document, whose vulnerability and products are plain strings', async () => {
    const doc = {
      '@context': 'https://openvex.dev/ns',
      '@id': 'https://acme.example/vex/old',
      author: 'Acme',
      timestamp: '2023-01-08T18:02:03Z',
      version: '1',
      statements: [{ vulnerability: 'CVE-2023-12345', products: [PUMP], subcomponents: ['pkg:generic/treck/tcpip'], status: 'fixed' }],
    };
    const advisory = await parsed(doc);
    expect(advisory).toMatchObject({ format: 'openvex', schemaValid: true, issues: [], documentVersion: '1' });
    expect(advisory.specVersion).toBeUndefined();
    expect(advisory.statements).toEqual([
      { vulnerabilityId: 'CVE-2023-12345', product: { ref: PUMP, purl: PUMP }, status: 'fixed', statusOriginal: 'fixed', timestamp: '2023-01-08T18:02:03Z', path: '/statements/0/products/0' },
    ]);
  });

  it('checks the mandatory fields of a 0.0.x document by hand', async () => {
    const advisory = await parsed({ '@context': 'https://openvex.dev/ns', author: 'Acme', statements: [{ vulnerability: 'CVE-2023-1', products: [PUMP], status: 'broken' }] });
    expect(advisory.schemaValid).toBe(false);
    expect(advisory.issues.map((i) => [i.code, i.path, i.severity])).toEqual([
      ['MISSING_FIELD', '/', 'error'],
      ['MISSING_FIELD', '/', 'error'],
      ['MISSING_FIELD', '/', 'error'],
      ['SCHEMA_VIOLATION', '/statements/0/status', 'error'],
      ['UNKNOWN_STATUS', '/statements/0/status', 'warning'],
    ]);
    expect(advisory.statements[0]).toMatchObject({ status: 'unknown', statusOriginal: 'broken' });
  });

  it('records a statement without products once, with an empty product and a warning', async () => {
    const advisory = await parsed(openvex([{ vulnerability: { name: 'CVE-2020-11901' }, status: 'under_investigation' }]));
    expect(advisory.statements).toEqual([expect.objectContaining({ product: {}, path: '/statements/0' })]);
    expect(advisory.issues).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', severity: 'warning', path: '/statements/0' })]);
  });

  it('never throws on values of the wrong type', () => {
    const mapped = parseOpenVex({ statements: [null, { vulnerability: 5, status: 'fixed' }, { vulnerability: { name: 'CVE-2020-1' }, products: [7, null, { hashes: 'x', subcomponents: [3] }], justification: 9 }] });
    expect(mapped.statements).toHaveLength(3);
    expect(mapped.statements.every((s) => s.status === 'unknown')).toBe(true);
  });
});
