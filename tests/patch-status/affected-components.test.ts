import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { componentsOfStatements, coverage } from '../../src/patch-status/affected-components.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';
import { findComponents } from '../../src/store/component.repository.js';
import { findVulnerability, listStatementsOfVulnerability } from '../../src/store/vulnerability.repository.js';
import { ingestProduct, lwip } from '../helpers/chain-world.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

describe('how a statement covers a version', () => {
  const none = { versions: [], ranges: [] };
  it('reads exact versions as versions, ranges with inclusive and exclusive bounds, and vers:*', () => {
    expect(coverage({ ...none, version: 'V2.1' }, '2.1')).toBe('exact');
    expect(coverage({ ...none, versions: ['1.0', '2.0'] }, '2.1')).toBeUndefined();
    expect(coverage({ ...none, ranges: [{ scheme: 'vers', fixed: '6.0.1.66', vers: 'vers:generic/<6.0.1.66' }] }, '6.0.1.41')).toBe('range');
    expect(coverage({ ...none, ranges: [{ scheme: 'vers', fixed: '6.0.1.66', vers: 'vers:generic/<6.0.1.66' }] }, '6.0.1.66')).toBeUndefined();
    expect(coverage({ ...none, ranges: [{ scheme: 'vers', lastAffected: '4.0.1' }] }, '4.0.1')).toBe('range');
    expect(coverage({ ...none, ranges: [{ scheme: 'semver', introduced: '0', fixed: '2.2.0' }] }, '2.1.3')).toBe('range');
    expect(coverage({ ...none, ranges: [{ scheme: 'vers', vers: 'vers:generic/*' }] }, '9.9')).toBe('all-versions');
  });

  it('covers every version when the statement names none, and says unknown rather than guessing', () => {
    expect(coverage(none, '1.0')).toBe('all-versions');
    expect(coverage(none, undefined)).toBe('all-versions');
    expect(coverage({ ...none, ranges: [{ scheme: 'generic', vers: '< august 28' }] }, '1.0')).toBe('unknown');
    expect(coverage({ ...none, versions: ['1.0'] }, undefined)).toBe('unknown');
  });
});

const cdxVdr = (vulnerabilities: object[], components: object[]) =>
  Buffer.from(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, serialNumber: `urn:uuid:${crypto.randomUUID()}`, components, vulnerabilities }));

describe.each(BACKENDS)('components a vulnerability covers, on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.reset();
  });

  async function covered(id: string) {
    const v = (await findVulnerability(t.db, id))!;
    const statements = await listStatementsOfVulnerability(t.db, v.filedIds, 1000);
    const found = await componentsOfStatements(t.db, statements);
    const components = await findComponents(t.db, found.map((f) => f.component));
    return found.map((f, i) => `${components[i]!.name}@${f.version}: ${f.statements.map((s) => `${s.status}/${s.versionMatch}/${s.matchedBy}`).join(', ')}`).sort();
  }

  it('finds components by purl, by CPE and as a catalogue stack under another name, within the version range', async () => {
    await ingestProduct(t.db, {
      name: 'board', version: '1', supplier: 'Keystone',
      components: [
        { name: 'tcpip', version: '6.0.1.41', supplier: 'Treck Inc.', purl: 'pkg:generic/treck/tcpip@6.0.1.41' },
        { name: 'Treck TCP/IP', version: '6.0.1.28', supplier: 'Treck Inc.', cpe: 'cpe:2.3:a:treck:tcp\\/ip:6.0.1.28:*:*:*:*:*:*:*' },
        // no purl, no CPE: recognised by the catalogue under one of Treck's names
        { name: 'Treck', version: '6.0.1.50' },
        { name: 'Treck TCP/IP', version: '6.0.1.67', purl: 'pkg:generic/treck/tcpip@6.0.1.67' },
        lwip('2.1.3'),
      ],
    });
    const outcome = await ingestAdvisory(
      t.db,
      cdxVdr(
        [{ id: 'CVE-2020-11896', affects: [{ ref: 'treck', versions: [{ range: 'vers:generic/<6.0.1.66', status: 'affected' }, { version: '6.0.1.66', status: 'unaffected' }] }] }],
        [{ type: 'library', 'bom-ref': 'treck', name: 'Treck TCP/IP', purl: 'pkg:generic/treck/tcpip', cpe: 'cpe:2.3:a:treck:tcp\\/ip:*:*:*:*:*:*:*:*' }],
      ),
    );
    expect(outcome.status).toBe('accepted');
    expect(await covered('CVE-2020-11896')).toEqual([
      'Treck TCP/IP@6.0.1.28: affected/range/cpe',
      'Treck@6.0.1.50: affected/range/stack',
      'tcpip@6.0.1.41: affected/range/purl',
    ]);
  });

  it('finds a vendor\'s product by supplier and name, and a not_affected statement for one exact version only', async () => {
    await ingestProduct(t.db, { name: 'pump', version: '1', supplier: 'Medisyn', components: [{ name: 'wifi-fw', version: '4.2.1', supplier: 'Northwind Wireless, Inc.' }, { name: 'wifi-fw', version: '4.1.0', supplier: 'Northwind Wireless Inc' }] });
    const vex = {
      '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://northwind.example/vex/1', author: 'Northwind Wireless Inc.', timestamp: '2026-03-01T00:00:00Z', version: 1,
      statements: [
        { vulnerability: { name: 'CVE-2099-1000' }, products: [{ '@id': 'pkg:generic/northwind/wifi-fw@4.2.1', identifiers: { purl: 'pkg:generic/northwind/wifi-fw@4.2.1' } }], status: 'not_affected', justification: 'vulnerable_code_not_present' },
      ],
    };
    expect((await ingestAdvisory(t.db, Buffer.from(JSON.stringify(vex)))).status).toBe('accepted');
    // The purl names no stored component (the pump lists the module without one): nothing is found by it.
    expect(await covered('CVE-2099-1000')).toEqual([]);

    const csafLike = cdxVdr(
      [{ id: 'CVE-2099-1001', affects: [{ ref: 'fw', versions: [{ version: '4.1.0', status: 'affected' }] }] }],
      [{ type: 'firmware', 'bom-ref': 'fw', name: 'wifi-fw', supplier: { name: 'NORTHWIND WIRELESS INC.' } }],
    );
    expect((await ingestAdvisory(t.db, csafLike)).status).toBe('accepted');
    expect(await covered('CVE-2099-1001')).toEqual(['wifi-fw@4.1.0: affected/exact/vendor-name']);
  });
});
