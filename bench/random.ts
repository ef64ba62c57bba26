/**
 * @module
 * Deterministic randomness for the generators: the same seed gives the same documents on every machine.
 */

/** mulberry32 seeded from (seed, stream) through a 32-bit integer mix, so neighbouring streams do not correlate. */
export function prng(seed: number, stream: number): () => number {
  let s = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 0x7f4a7c15, 0xc2b2ae35);
  s = Math.imul(s ^ (s >>> 16), 0x45d9f3b);
  s ^= s >>> 16;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `length` random hex digits. */
export function hex(rng: () => number, length: number): string {
  let s = '';
  while (s.length < length) {
    const x = (rng() * 4294967296) >>> 0;
    s += HEX_BYTES[x >>> 24]! + HEX_BYTES[(x >>> 16) & 255]! + HEX_BYTES[(x >>> 8) & 255]! + HEX_BYTES[x & 255]!;
  }
  return s.length === length ? s : s.slice(0, length);
}

/** A random (version 4, RFC 9562 section 5.4) UUID, as the CycloneDX serialNumber and BOM-Link patterns require. */
export function uuidV4(rng: () => number): string {
  const h = hex(rng, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[Math.floor(rng() * 4)]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
