import { describe, expect, it } from 'vitest';
import type { ParsedAdvisory } from '../../../src/model/advisory.js';
import { parseAdvisory } from '../../../src/advisories/parse-advisory.js';
import { parseOsv } from '../../../src/advisories/osv/parse-osv.js';

type Json = Record<string, unknown>;

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

function osv(extra: Json = {}): Json {
  return {
    schema_version: '1.6.0',
    id: 'GHSA-abcd-efgh-ijkl',
    modified: '2024-05-02T08:00:00Z',
    published: '2024-05-01T08:00:00Z',
    aliases: ['PYSEC-2024-17', 'CVE-2024-12345'],
    summary: 'Heap overflow in the DNS resolver',
    details: 'A crafted DNS answer overflows a heap buffer.',
    severity: [
      { type: 'CVSS_V3', score: V31 },
      { type: 'CVSS_V4', score: V40 },
    ],
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'dnsfoo', purl: 'pkg:pypi/dnsfoo' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.0' }, { introduced: '2.0.0' }, { fixed: '2.0.3' }] }],
        versions: ['1.0.0', '1.1.0', '2.0.0', '2.0.1'],
      },
      {
        package: { ecosystem: 'Go', name: 'github.com/acme/stack' },
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.2' }] },
          { type: 'GIT', repo: 'https://github.com/acme/stack', events: [{ introduced: 'a1b2c3' }, { limit: 'f9e8d7' }] },
        ],
      },
    ],
    references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-abcd-efgh-ijkl' }],
    database_specific: { cwe_ids: ['CWE-122'] },
    ...extra,
  };
}

async function parsed(doc: Json): Promise<ParsedAdvisory> {
  const r = await parseAdvisory(Buffer.from(JSON.stringify(doc)));
  if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.issues)}`);
  return r.advisory;
}

describe('parseOsv', () => {
  it('reads a schema-valid OSV record as one vulnerability named by its CVE, keeping every other id as an alias', async () => {
    const advisory = await parsed(osv());
    expect(advisory).toMatchObject({
      format: 'osv',
      specVersion: '1.6.0',
      documentId: 'GHSA-abcd-efgh-ijkl',
      title: 'Heap overflow in the DNS resolver',
      published: '2024-05-01T08:00:00Z',
      modified: '2024-05-02T08:00:00Z',
      schemaValid: true,
      issues: [],
    });
    expect(advisory.vulnerabilities).toEqual([
      {
        id: 'CVE-2024-12345',
        aliases: ['GHSA-abcd-efgh-ijkl', 'PYSEC-2024-17'],
        title: 'Heap overflow in the DNS resolver',
        summary: 'A crafted DNS answer overflows a heap buffer.',
        published: '2024-05-01T08:00:00Z',
        modified: '2024-05-02T08:00:00Z',
        cvss: [
          { version: '3.1', vector: V31 },
          { version: '4.0', vector: V40 },
        ],
        cwes: ['CWE-122'],
        references: ['https://github.com/advisories/GHSA-abcd-efgh-ijkl'],
      },
    ]);
  });

  it('names the vulnerability by the OSV id when no CVE is given', async () => {
    const advisory = await parsed(osv({ aliases: ['PYSEC-2024-17'] }));
    expect(advisory.vulnerabilities[0]).toMatchObject({ id: 'GHSA-abcd-efgh-ijkl', aliases: ['PYSEC-2024-17'] });
    expect(advisory.statements.every((s) => s.vulnerabilityId === 'GHSA-abcd-efgh-ijkl')).toBe(true);
  });

  it('makes one affected statement per affected package, with its versions and one range per interval', async () => {
    const { statements } = await parsed(osv());
    const affected = statements.filter((s) => s.status === 'affected');
    const events = JSON.stringify([{ introduced: '0' }, { fixed: '1.2.0' }, { introduced: '2.0.0' }, { fixed: '2.0.3' }]);
    expect(affected[0]).toEqual({
      vulnerabilityId: 'CVE-2024-12345',
      product: { ecosystem: 'PyPI', name: 'dnsfoo', purl: 'pkg:pypi/dnsfoo' },
      versions: ['1.0.0', '1.1.0', '2.0.0', '2.0.1'],
      ranges: [
        { scheme: 'ecosystem', vers: events, fixed: '1.2.0' },
        { scheme: 'ecosystem', vers: events, introduced: '2.0.0', fixed: '2.0.3' },
      ],
      status: 'affected',
      statusOriginal: 'affected',
      path: '/affected/0',
    });
    expect(affected[1]!.ranges).toEqual([
      { scheme: 'semver', vers: JSON.stringify([{ introduced: '1.0.0' }, { last_affected: '1.4.2' }]), introduced: '1.0.0', lastAffected: '1.4.2' },
      { scheme: 'git', vers: JSON.stringify([{ introduced: 'a1b2c3' }, { limit: 'f9e8d7' }]), repo: 'https://github.com/acme/stack', introduced: 'a1b2c3', limit: 'f9e8d7' },
    ]);
  });

  it('makes a fixed statement for each fixed event, and none for last_affected', async () => {
    const { statements } = await parsed(osv());
    expect(statements.filter((s) => s.status === 'fixed').map((s) => [s.product.name, s.versions, s.statusOriginal, s.path])).toEqual([
      ['dnsfoo', ['1.2.0'], 'fixed', '/affected/0/ranges/0/events/1'],
      ['dnsfoo', ['2.0.3'], 'fixed', '/affected/0/ranges/0/events/3'],
    ]);
    expect(statements).toHaveLength(4);
  });

  it('keeps CVSS v2 and per-package severities, and leaves Ubuntu ratings out', async () => {
    const doc = osv({ severity: undefined });
    (doc.affected as Json[])[0]!.severity = [
      { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
      { type: 'Ubuntu', score: 'high' },
    ];
    const advisory = await parsed(doc);
    expect(advisory.vulnerabilities[0]!.cvss).toEqual([{ version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }]);
    expect(advisory.schemaValid).toBe(true);
  });

  it('records a withdrawn record with its statements as written', async () => {
    const advisory = await parsed(osv({ withdrawn: '2024-06-01T00:00:00Z' }));
    expect(advisory.withdrawn).toBe('2024-06-01T00:00:00Z');
    expect(advisory.statements).toHaveLength(4);
  });

  it('reads a record that breaks the schema in lenient mode, with the violations located', async () => {
    const advisory = await parsed(osv({ id: 'ACME-1', severity: [{ type: 'CVSS_V9', score: 'x' }] }));
    expect(advisory.schemaValid).toBe(false);
    expect(advisory.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['/id', '/severity/0/type']));
    expect(advisory.statements).toHaveLength(4);
  });

  it('never throws on values of the wrong type', () => {
    const mapped = parseOsv({ id: 'X-1', modified: 1, aliases: 'CVE-1', affected: [null, { package: 3, ranges: [{ type: 'GIT', events: [5, { fixed: 7 }, { fixed: 'b' }] }], versions: [1, 'v'] }], severity: [{}] });
    expect(mapped.statements.map((s) => s.status)).toEqual(['affected', 'fixed']);
    expect(parseOsv({ modified: 'x' })).toMatchObject({ vulnerabilities: [], statements: [], issues: [expect.objectContaining({ code: 'MISSING_FIELD', path: '/id' })] });
  });
});
