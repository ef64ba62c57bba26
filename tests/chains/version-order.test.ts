import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVersions, isVersionInRange, versionSortKey } from '../../src/chains/version-order.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

describe('version order', () => {
  it('orders firmware, stack and git-tag versions as their vendors mean them', () => {
    const shuffled = ['6.0.1.66', 'v10.4.3', '2.10', '2.1', '2.1-rc1', 'STABLE-2_1_2_RELEASE', '2.9', '4.2.1', '2.1.1', '6.0.1.41', '2.2.0-beta', '2.2.0'];
    expect([...shuffled].sort(compareVersions)).toEqual(['2.1-rc1', '2.1', '2.1.1', 'STABLE-2_1_2_RELEASE', '2.2.0-beta', '2.2.0', '2.9', '2.10', '4.2.1', '6.0.1.41', '6.0.1.66', 'v10.4.3']);
  });

  it('reads release words and leading zeros as no difference', () => {
    expect(compareVersions('STABLE-2_1_2_RELEASE', '2.1.2')).toBe(0);
    expect(compareVersions('V10.4.3', '10.4.3')).toBe(0);
    expect(compareVersions('1.02', '1.2')).toBe(0);
  });

  it('checks ranges as advisories give them: introduced inclusive, fixed exclusive, lastAffected inclusive', () => {
    expect(isVersionInRange('2.1.3', { fixed: '2.2.0' })).toBe(true);
    expect(isVersionInRange('2.2.0', { fixed: '2.2.0' })).toBe(false);
    expect(isVersionInRange('2.0.0', { introduced: '2.0.0', lastAffected: '2.1.3' })).toBe(true);
    expect(isVersionInRange('2.1.4', { introduced: '2.0.0', lastAffected: '2.1.3' })).toBe(false);
    expect(isVersionInRange('1.9', { introduced: '2.0.0' })).toBe(false);
  });

  it('is a total order consistent with its key', () => {
    const version = fc.array(fc.oneof(fc.integer({ min: 0, max: 10_000 }).map(String), fc.constantFrom('rc', 'beta', 'release', 'v', 'patch', 'p')), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a))).toBe(0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe.each(BACKENDS)('version_sort_key in SQL on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives the same key as versionSortKey, so the database and the code order versions alike', async () => {
    const samples = fc.sample(fc.stringMatching(/^[vV]?[0-9]{1,4}([._-][0-9A-Za-z]{1,8}){0,5}$/), 300);
    samples.push('STABLE-2_1_2_RELEASE', '2.2.0-rc1', '007', '0', '', 'final', 'x', '1.0.0-SNAPSHOT', '6.0.1.41', '99999999999999999999.1');
    const rows = await sql<{ v: string; k: string }>`select v, version_sort_key(v) as k from unnest(${samples}::text[]) as v`.execute(t.db);
    for (const r of rows.rows) expect(r.k, `version '${r.v}'`).toBe(versionSortKey(r.v));
  });
});
