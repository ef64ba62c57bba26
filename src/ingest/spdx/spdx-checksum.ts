/**
 * @module
 * SPDX checksums (SPDX 2 `SHA256`, `BLAKE2b-256`; SPDX 3 `sha256`, `blake2b256`, `sha3_256`) -> {@link Hash} in
 * CycloneDX spelling, so one identity rule (DOMAIN "Identity": file hash) serves both formats.
 */
import type { Hash } from '../../model/sbom.js';

// Keys are the algorithm upper-cased without `-`/`_`, which covers both SPDX generations.
const CDX_ALGORITHM: Record<string, string> = {
  MD2: 'MD2',
  MD4: 'MD4',
  MD5: 'MD5',
  MD6: 'MD6',
  SHA1: 'SHA-1',
  SHA224: 'SHA-224',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  SHA3224: 'SHA3-224',
  SHA3256: 'SHA3-256',
  SHA3384: 'SHA3-384',
  SHA3512: 'SHA3-512',
  BLAKE2B256: 'BLAKE2b-256',
  BLAKE2B384: 'BLAKE2b-384',
  BLAKE2B512: 'BLAKE2b-512',
  BLAKE3: 'BLAKE3',
  ADLER32: 'ADLER32',
};

/**
 * The hash a checksum states, with the algorithm in CycloneDX spelling (unknown algorithms keep their SPDX name)
 * and the value in lower case; undefined when either part is missing.
 *
 * @example
 * spdxChecksumToHash('SHA256', 'ABC1') // { alg: 'SHA-256', value: 'abc1' }
 */
export function spdxChecksumToHash(algorithm: unknown, value: unknown): Hash | undefined {
  if (typeof algorithm !== 'string' || typeof value !== 'string' || !algorithm.trim() || !value.trim()) return undefined;
  const alg = algorithm.trim();
  return { alg: CDX_ALGORITHM[alg.toUpperCase().replace(/[-_]/g, '')] ?? alg, value: value.trim().toLowerCase() };
}
