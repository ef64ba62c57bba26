import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_STACKS, cpeProduct, findDerivedStacks, findStack, STACK_NAME_KEY_SQL, stackIdentifiers, stackNameKey, StackEntryError } from '../../src/chains/stack-catalogue.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

describe('the builtin stack catalogue', () => {
  it('names every stack the issue lists, each with a vendor and readable identifiers', () => {
    const ids = BUILTIN_STACKS.map((s) => s.id);
    for (const id of ['uip', 'contiki', 'picotcp', 'fnet', 'nut-net', 'lwip', 'cyclonetcp', 'nichestack', 'nucleus-net', 'netx', 'ipnet', 'treck', 'kasago']) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of BUILTIN_STACKS) {
      expect(s.vendor.trim(), s.id).not.toBe('');
      expect(() => stackIdentifiers(s), s.id).not.toThrow();
      expect(stackIdentifiers(s).length, s.id).toBeGreaterThan(0);
    }
  });

  it('backs every fact it states with a source URL', () => {
    for (const s of BUILTIN_STACKS) {
      const urls = Object.values(s.sources).flat();
      expect(urls.length, s.id).toBeGreaterThan(0);
      for (const url of urls) expect(url, s.id).toMatch(/^https?:\/\/\S+$/);
      if (s.purls.length) expect(s.sources.purls?.length, `${s.id} purls`).toBeGreaterThan(0);
      if (s.cpes.length) expect(s.sources.cpes?.length, `${s.id} cpes`).toBeGreaterThan(0);
      if (s.derivedFrom) {
        expect(s.sources.derivedFrom?.length, `${s.id} derivedFrom`).toBeGreaterThan(0);
        expect(BUILTIN_STACKS.map((x) => x.id), `${s.id} derivedFrom`).toContain(s.derivedFrom);
      }
    }
  });

  it('knows KASAGO as a rebrand of Treck', () => {
    const kasago = BUILTIN_STACKS.find((s) => s.id === 'kasago')!;
    expect([kasago.derivedFrom, kasago.relation]).toEqual(['treck', 'rebrand']);
  });

  it('refuses an entry whose purl has a version or whose CPE names no product, naming the field and value', () => {
    expect(() => stackIdentifiers({ name: 'x', aliases: [], purls: ['pkg:generic/acme/net@1.0'], cpes: [] })).toThrow(new StackEntryError('purls[0]', 'pkg:generic/acme/net@1.0', 'a catalogue purl names the product, without a version'));
    expect(() => stackIdentifiers({ name: 'x', aliases: [], purls: [], cpes: ['cpe:2.3:a:acme'] })).toThrow(StackEntryError);
    expect(cpeProduct('cpe:2.3:a:treck:tcp\\/ip:6.0.1.41:*:*:*:*:*:*:*')).toBe('a:treck:tcp\\/ip');
  });
});

describe.each(BACKENDS)('the stack catalogue stored on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds a stack by id, name or alias, whatever the case, and lists what derives from it', async () => {
    expect((await findStack(t.db, 'TRECK'))?.name).toBe('Treck TCP/IP');
    expect((await findStack(t.db, 'kasago tcp/ip middleware'))?.slug).toBe('kasago');
    expect((await findStack(t.db, '  lwIP '))?.slug).toBe('lwip');
    expect(await findStack(t.db, 'no such stack')).toBeUndefined();
    expect((await findDerivedStacks(t.db, 'treck')).map((s) => s.slug)).toEqual(['kasago']);
  });

  it('compares names in SQL exactly as in code', async () => {
    const names = ['lwIP', '  Treck TCP/IP\t', 'KASAGO TCP/IP middleware\n', 'Nut/OS', 'a  b', 'ÄÖ', ''];
    const rows = await sql<{ name: string; key: string }>`select c.name, ${STACK_NAME_KEY_SQL} as key from unnest(${names}::text[]) as c(name)`.execute(t.db);
    for (const r of rows.rows) expect(r.key, JSON.stringify(r.name)).toBe(stackNameKey(r.name));
  });
});
