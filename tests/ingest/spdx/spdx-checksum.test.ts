import { describe, expect, it } from 'vitest';
import { spdxChecksumToHash } from '../../../src/ingest/spdx/spdx-checksum.js';

describe('spdxChecksumToHash', () => {
  it.each([
    ['SHA1', 'SHA-1'],
    ['SHA256', 'SHA-256'],
    ['sha256', 'SHA-256'],
    ['SHA384', 'SHA-384'],
    ['SHA512', 'SHA-512'],
    ['MD5', 'MD5'],
    ['SHA3-256', 'SHA3-256'],
    ['sha3_512', 'SHA3-512'],
    ['BLAKE2b-256', 'BLAKE2b-256'],
    ['blake2b512', 'BLAKE2b-512'],
    ['BLAKE3', 'BLAKE3'],
    ['ADLER32', 'ADLER32'],
  ])('spells SPDX %s as %s and lower-cases the value', (alg, cdx) => {
    expect(spdxChecksumToHash(alg, ' ABCDEF ')).toEqual({ alg: cdx, value: 'abcdef' });
  });

  it('keeps an unknown algorithm as written and gives nothing without a value', () => {
    expect(spdxChecksumToHash('crystalsKyber', 'AA')).toEqual({ alg: 'crystalsKyber', value: 'aa' });
    expect(spdxChecksumToHash('SHA1', '')).toBeUndefined();
    expect(spdxChecksumToHash(undefined, 'aa')).toBeUndefined();
  });
});
