/**
 * The PGlite dialect's own bytea encoding and decoding: bytes go in as bytea and come back byte for byte, whatever their
 * values and however they sit in their buffer; text in bytea's input syntax too, as pg sends it. Run on both
 * databases, so the embedded one is held to what the real server does.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';

describe.each(BACKENDS)('bytea parameters on %s', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(backend);
  });
  afterAll(() => t.close());

  const roundTrip = async (bytes: Uint8Array) => {
    const { rows } = await sql<{ data: Uint8Array; length: number; md5: string }>`select ${bytes}::bytea as data, length(${bytes}::bytea) as length, md5(${bytes}::bytea) as md5`.execute(t.db);
    return rows[0]!;
  };

  it('stores every byte value, and an empty value, as given', async () => {
    const every = Uint8Array.from({ length: 256 * 4 }, (_, i) => i % 256);
    const r = await roundTrip(every);
    expect(Number(r.length)).toBe(every.length);
    // A Buffer, as pg gives it: callers may use its methods on either database.
    expect(Buffer.isBuffer(r.data)).toBe(true);
    expect(Buffer.from(r.data).equals(Buffer.from(every))).toBe(true);
    expect(Number((await roundTrip(new Uint8Array(0))).length)).toBe(0);
  });

  it('takes only the viewed part of a larger buffer', async () => {
    const whole = Buffer.from('0123456789abcdef');
    const view = whole.subarray(4, 10);
    const r = await roundTrip(view);
    expect(Buffer.from(r.data).toString()).toBe('456789');
  });

  it("reads text as bytea's input syntax, as the real server does", async () => {
    expect(Buffer.from((await roundTrip('\\x00ff41' as unknown as Uint8Array)).data)).toEqual(Buffer.from([0, 255, 65]));
  });

  it('stores several megabytes whole (a chunk of an original document)', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    const r = await roundTrip(big);
    expect(Number(r.length)).toBe(big.length);
    expect(r.md5).toBe((await import('node:crypto')).createHash('md5').update(big).digest('hex'));
  });
});
