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
 * A purl already written in that canonical form (as SBOM generators write them) takes a shortcut with the same
 * result: {@link canonicalPurlIdentity}.
 *
 * @example
 * purlIdentity('pkg:NPM/%40Angular/Core@1.0.0?arch=x64#lib');
 * // { ok: true, identity: { type: 'npm', namespace: '@angular', name: 'core', version: '1.0.0',
 * //                         key: 'pkg:npm/%40angular/core@1.0.0' } }
 * purlIdentity('pkg:npm/');
 * // { ok: false, message: `purl 'pkg:npm/' is not valid: "name" is a required component`, reason: ... }
 */
export function purlIdentity(purl: string): PurlIdentityResult {
  const identity = canonicalPurlIdentity(purl);
  return identity === undefined ? purlIdentityByPackageUrl(purl) : { ok: true, identity };
}

/**
 * {@link purlIdentity} without the shortcut for canonical purls: packageurl-js parses every purl. Exported so that
 * tests can hold the shortcut to it.
 */
export function purlIdentityByPackageUrl(purl: string): PurlIdentityResult {
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
  // packageurl-js percent-encodes a `+` in the type (`pkg:%2B/x`), and reads that back differently; the type's
  // characters are plain ASCII (purl spec: letters, digits, '.', '+', '-'), so the key carries it as written.
  const written = parsed.toString();
  const encodedType = written.slice(4, written.indexOf('/'));
  const key = encodedType === type ? written : `pkg:${type}${written.slice(4 + encodedType.length)}`;
  const identity: PurlIdentity = { type, name, key };
  if (namespace) identity.namespace = namespace;
  if (version) identity.version = version;
  return { ok: true, identity };
}

/**
 * The identity of a purl that is already in canonical form, worked out without packageurl-js's general parser
 * (a WHATWG URL, URLSearchParams, then decoding and re-encoding every part: 3-5 µs a purl, seconds for half a
 * million distinct ones). `undefined` for any purl that is not plainly canonical, which {@link purlIdentity}
 * then hands to packageurl-js.
 *
 * Why the result is the one packageurl-js gives:
 * - {@link CANONICAL_PURL} admits `pkg:type/namespace/name@version?key=value&...` only, no subpath and nothing
 *   its URL parser would alter (ASCII only, no spaces, no leading slashes). Neither namespace nor name holds a
 *   literal `@` and name and version hold no `/`, so packageurl-js's split (type before the first `/`, version
 *   after the last `@`, name after the last `/`) cuts where the expression does.
 * - Each part is a run of tokens that the part's own packageurl-js encoder writes for one printable ASCII
 *   character: decoding it and encoding it again gives the same text, so the key is the purl without its
 *   qualifiers. Namespace segments are not empty, so collapsing slashes changes nothing; nothing decodes to
 *   white space, so trimming changes nothing; the type is lower case already.
 * - The per-type rules are packageurl-js's own (`PackageURL.Type`), run on the same parts and qualifiers; a purl
 *   that a rule would change or refuse is not canonical here.
 * tests/normalise/purl-identity.test.ts holds this to {@link purlIdentityByPackageUrl} on generated and corpus purls.
 *
 * @example
 * canonicalPurlIdentity('pkg:npm/%40angular/core@16.2.0?arch=x64');
 * // { type: 'npm', name: 'core', key: 'pkg:npm/%40angular/core@16.2.0', namespace: '@angular', version: '16.2.0' }
 * canonicalPurlIdentity('pkg:NPM/Core@1'); // undefined: not canonical, packageurl-js decides
 */
export function canonicalPurlIdentity(purl: string): PurlIdentity | undefined {
  const m = CANONICAL_PURL.exec(purl);
  if (m === null) return undefined;
  const [, type, rawNamespace, rawName, rawVersion, query] = m as unknown as [string, string, string | undefined, string, string | undefined, string | undefined];
  const namespace = rawNamespace === undefined ? undefined : decodePart(rawNamespace);
  const name = decodePart(rawName);
  const version = rawVersion === undefined ? undefined : decodePart(rawVersion);
  const typeRules = PURL_TYPE_RULES[type];
  if (typeRules !== undefined) {
    const parts = { type, namespace, name, version, qualifiers: query === undefined ? undefined : qualifiersOf(query), subpath: undefined };
    try {
      typeRules.normalize(parts);
      if (!typeRules.validate(parts, false)) return undefined;
    } catch {
      return undefined; // packageurl-js 2.0.1's golang rule throws a ReferenceError instead of returning false
    }
    if (parts.namespace !== namespace || parts.name !== name || parts.version !== version) return undefined;
  }
  const identity: PurlIdentity = { type, name, key: query === undefined ? purl : purl.slice(0, purl.length - query.length - 1) };
  if (namespace !== undefined) identity.namespace = namespace;
  if (version !== undefined) identity.version = version;
  return identity;
}

interface PurlParts {
  type: string;
  namespace: string | undefined;
  name: string;
  version: string | undefined;
  qualifiers: Record<string, string> | undefined;
  subpath: undefined;
}

/** packageurl-js's per-type rules (`npm`: lower-case namespace and name; `maven`: namespace required; ...), by type. */
const PURL_TYPE_RULES = PackageURL.Type as unknown as Record<string, { normalize(p: PurlParts): unknown; validate(p: PurlParts, throws: boolean): boolean } | undefined>;

/**
 * A regular-expression alternation of the tokens packageurl-js's encoder for `part` writes for one printable ASCII
 * character other than space: the character itself where the encoder keeps it (unless it is in `delimiters`, the
 * characters that separate parts), else its `%XX` in upper-case hex, as encodeURIComponent writes it. A character
 * the encoder writes any other way is left out, so a purl holding it is not read here.
 */
function tokensOf(part: 'namespace' | 'name' | 'version', delimiters: string): string {
  const kept: string[] = [];
  const escaped: string[] = [];
  const { encode } = (PackageURL.Component as unknown as Record<string, { encode(s: string): string }>)[part]!;
  for (let code = 0x21; code <= 0x7e; code++) {
    const c = String.fromCharCode(code);
    const hex = code.toString(16).toUpperCase();
    const token = encode(c);
    if (token === c && !delimiters.includes(c)) kept.push(`\\x${hex}`);
    else if (token === `%${hex}`) escaped.push(hex);
  }
  return `[${kept.join('')}]|%(?:${escaped.join('|')})`;
}

/**
 * `pkg:` type `/` (namespace segments `/`) name (`@` version) (`?` qualifiers): the canonical purls that
 * {@link canonicalPurlIdentity} reads itself. The type is what packageurl-js's type rule allows, in lower case and
 * without `+` (which its encoder writes as `%2B`). Qualifier keys are what its key rule allows; values avoid
 * everything the query parser would decode (`%`, `+`) or split on, since only their validity matters here.
 */
const CANONICAL_PURL = new RegExp(
  [
    '^pkg:([a-z.-][a-z0-9.-]*)/',
    `(?:((?:${tokensOf('namespace', '/@?#')})+(?:/(?:${tokensOf('namespace', '/@?#')})+)*)/)?`,
    `((?:${tokensOf('name', '/@?#')})+)`,
    `(?:@((?:${tokensOf('version', '/@?#')})+))?`,
    "(?:\\?([A-Za-z.\\-_][A-Za-z0-9.\\-_]*=[A-Za-z0-9\\-_.!~*'():/@,]*(?:&[A-Za-z.\\-_][A-Za-z0-9.\\-_]*=[A-Za-z0-9\\-_.!~*'():/@,]*)*))?$",
  ].join(''),
);

function decodePart(text: string): string {
  return text.includes('%') ? decodeURIComponent(text) : text;
}

/** Qualifiers as packageurl-js normalises them for its type rules: keys lower-cased, empty values dropped. */
function qualifiersOf(query: string): Record<string, string> | undefined {
  let qualifiers: Record<string, string> | undefined;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1);
    if (value === '') continue;
    qualifiers ??= Object.create(null) as Record<string, string>;
    qualifiers[pair.slice(0, eq).toLowerCase()] = value;
  }
  return qualifiers;
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
