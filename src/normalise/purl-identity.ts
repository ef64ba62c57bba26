/**
 * @module
 * Package URLs reduced to what identifies a product version (DOMAIN.md "Identity"): type, namespace, name and
 * version in canonical form, qualifiers and subpath dropped.
 */
import { PackageURL } from 'packageurl-js';
import type { PurlIdentity } from '../model/normalised-sbom.js';

/** On failure, `message` names the purl and the rule; `reason` is the rule alone, for callers that name the purl themselves. */
export type PurlIdentityResult = { ok: true; identity: PurlIdentity } | { ok: false; message: string; reason: string };

/**
 * Parses a purl with packageurl-js and returns its identity: `pkg:type/namespace/name@version`, with the
 * type lower-cased, each part in the purl spec's canonical percent-encoding and the per-type rules that
 * packageurl-js applies (npm and GitHub names lower-cased, PyPI `_` -> `-`, ...). Never throws.
 *
 * @example
 * purlIdentity('pkg:NPM/%40Angular/Core@1.0.0?arch=x64#lib');
 * // { ok: true, identity: { type: 'npm', namespace: '@angular', name: 'core', version: '1.0.0',
 * //                         key: 'pkg:npm/%40angular/core@1.0.0' } }
 * purlIdentity('pkg:npm/');
 * // { ok: false, message: `purl 'pkg:npm/' is not valid: "name" is a required component`, reason: ... }
 */
export function purlIdentity(purl: string): PurlIdentityResult {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl);
  } catch (e) {
    const reason = rejectionReason(purl, e);
    return { ok: false, message: invalidPurlMessage(purl, reason), reason };
  }
  const { type, namespace, name, version } = parsed;
  // The instance is ours alone, so dropping the non-identity parts in place saves building a second one.
  parsed.qualifiers = undefined;
  parsed.subpath = undefined;
  const identity: PurlIdentity = { type, name, key: parsed.toString() };
  if (namespace) identity.namespace = namespace;
  if (version) identity.version = version;
  return { ok: true, identity };
}

/**
 * The message for an invalid purl, optionally saying where it was found.
 *
 * @example
 * invalidPurlMessage('pkg:npm/', '"name" is a required component', "component 'x'");
 * // `purl 'pkg:npm/' of component 'x' is not valid: "name" is a required component`
 */
export function invalidPurlMessage(purl: string, reason: string, where?: string): string {
  return `purl '${purl}'${where ? ` of ${where}` : ''} is not valid: ${reason}`;
}

function rejectionReason(purl: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // packageurl-js 2.0.1 means to reject a golang version that starts with "v" but is not semver, but its
  // validator lacks its `throws` parameter and raises a ReferenceError instead (packageurl-js issue #87).
  if (e instanceof ReferenceError && /^pkg:\/*golang\//i.test(purl.trim())) {
    return 'a golang "version" component starting with a "v" must be followed by a valid semver version';
  }
  if (message.startsWith('Invalid purl: ')) return message.slice('Invalid purl: '.length);
  return message;
}
