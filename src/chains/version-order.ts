/**
 * @module
 * Ordering product versions the way their vendors mean them, for "the latest version of this product" and for
 * version ranges of stacks. Versions of firmware, boards and stacks are not semver: `6.0.1.41`,
 * `STABLE-2_1_2_RELEASE`, `V10.4.3`, `4.2.1-rc1`. The rule (the generic one of the `vers` spec, made total):
 * split into runs of digits and runs of letters, compare run by run, digits numerically, letters
 * case-insensitively; a pre-release word (alpha, beta, rc, pre, dev, snapshot) sorts before the release it
 * precedes; a version that is a prefix of another sorts first (`2.1` < `2.1.1`).
 */

const PRE_RELEASE = new Set(['alpha', 'a', 'beta', 'b', 'rc', 'cr', 'pre', 'preview', 'dev', 'snapshot', 'm', 'milestone']);
/** Words that only mark a release (`STABLE-2_1_2_RELEASE`, `v2.0`) and carry no order. */
const NOISE = new Set(['v', 'ver', 'version', 'release', 'stable', 'final', 'ga', 'r']);

type Token = { kind: 'number'; value: string } | { kind: 'word'; value: string };

function tokens(version: string): Token[] {
  const out: Token[] = [];
  for (const m of version.toLowerCase().matchAll(/(\d+)|([a-z]+)/g)) {
    if (m[1] !== undefined) out.push({ kind: 'number', value: m[1].replace(/^0+(?=\d)/, '') });
    else if (!NOISE.has(m[2]!)) out.push({ kind: 'word', value: m[2]! });
  }
  return out;
}

/**
 * A string whose bytewise order is the version order, for an index or `order by ... collate "C"`.
 * Numbers become their digit count (2 digits) then the digits; a word becomes `!` + word when it is a pre-release
 * marker (sorts before numbers and the end), else `~` + word (after numbers). The end of the version is `"`,
 * between the two, so that `2.1` sorts before `2.1.1` and after `2.1-rc1`.
 *
 * @example
 * versionSortKey('2.9') < versionSortKey('2.10')            // true
 * versionSortKey('2.2.0-rc1') < versionSortKey('2.2.0')     // true
 * versionSortKey('STABLE-2_1_2_RELEASE') === versionSortKey('2.1.2') // true
 */
export function versionSortKey(version: string): string {
  let key = '';
  for (const t of tokens(version)) {
    if (t.kind === 'number') key += `#${String(Math.min(t.value.length, 99)).padStart(2, '0')}${t.value} `;
    else key += PRE_RELEASE.has(t.value) ? `!${t.value} ` : `~${t.value} `;
  }
  return `${key}"`;
}

/** Negative, zero or positive as `a` sorts before, with or after `b`. */
export function compareVersions(a: string, b: string): number {
  const ka = versionSortKey(a);
  const kb = versionSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** A version range as advisories state one: every bound optional, `introduced` inclusive. */
export interface VersionRange {
  /** First affected version (inclusive). */
  introduced?: string;
  /** First fixed version (exclusive upper bound). */
  fixed?: string;
  /** Last affected version (inclusive upper bound). */
  lastAffected?: string;
}

export function isVersionInRange(version: string, range: VersionRange): boolean {
  if (range.introduced !== undefined && compareVersions(version, range.introduced) < 0) return false;
  if (range.fixed !== undefined && compareVersions(version, range.fixed) >= 0) return false;
  if (range.lastAffected !== undefined && compareVersions(version, range.lastAffected) > 0) return false;
  return true;
}
