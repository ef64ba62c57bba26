import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, readBody } from '../../src/rest/read-body.js';

const chunks = (n: number, size: number) => Readable.from(Array.from({ length: n }, (_, i) => Buffer.alloc(size, 97 + (i % 26))));

describe('readBody', () => {
  const spoolDir = mkdtempSync(join(tmpdir(), 'patchpath-readbody-'));
  const options = { maxBytes: 1000, spoolThresholdBytes: 100, spoolDir };

  it('collects a small body in memory', async () => {
    expect((await readBody(chunks(2, 10), 20, options)).bytes.toString()).toBe('a'.repeat(10) + 'b'.repeat(10));
  });

  it('spools a body above the threshold to a file and removes the file afterwards', async () => {
    const { bytes: body } = await readBody(chunks(9, 100), undefined, options);
    expect(body.length).toBe(900);
    expect(body.subarray(800).toString()).toBe('i'.repeat(100));
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('refuses a declared length above the limit without reading', async () => {
    await expect(readBody(chunks(1, 1), 5000, options)).rejects.toThrow(PayloadTooLargeError);
  });

  it('stops reading once an undeclared body passes the limit, and leaves no file', async () => {
    await expect(readBody(chunks(20, 100), undefined, options)).rejects.toThrow(/larger than the limit of 1000 bytes/);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('reads a web stream too', async () => {
    const web = new Blob(['hello ', 'world']).stream();
    expect((await readBody(web, undefined, options)).bytes.toString()).toBe('hello world');
  });

  it('gives the sha256 of exactly the bytes it returns, in memory, spooled and empty', async () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    for (const [n, size] of [[2, 10], [9, 100]] as const) {
      const body = await readBody(chunks(n, size), undefined, options);
      expect(body.sha256).toBe(sha(body.bytes));
    }
    const empty = await readBody(null, undefined, options);
    expect(empty).toEqual({ bytes: Buffer.alloc(0), sha256: sha(Buffer.alloc(0)) });
  });
});
