import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackageURL } from 'packageurl-js';
import { canonicalPurlIdentity, invalidPurlMessage, purlIdentity, purlIdentityByPackageUrl } from '../../src/normalise/purl-identity.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON } from '../helpers/corpus.js';
import { corpusValues } from './corpus-values.js';

function keyOf(purl: string): string {
  const r = purlIdentity(purl);
  if (!r.ok) throw new Error(r.message);
  return r.identity.key;
}

describe('purlIdentity', () => {
  it('returns type, namespace, name, version and the canonical key', () => {
    expect(purlIdentity('pkg:npm/%40angular/core@16.2.0')).toEqual({
      ok: true,
      identity: { type: 'npm', namespace: '@angular', name: 'core', version: '16.2.0', key: 'pkg:npm/%40angular/core@16.2.0' },
    });
  });

  it('leaves namespace and version out when the purl has none', () => {
    expect(purlIdentity('pkg:cargo/rand')).toEqual({ ok: true, identity: { type: 'cargo', name: 'rand', key: 'pkg:cargo/rand' } });
  });

  it('drops qualifiers and subpath from the identity', () => {
    expect(keyOf('pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie')).toBe('pkg:deb/debian/curl@7.50.3-1');
    expect(keyOf('pkg:maven/org.apache.commons/commons-lang3@3.12.0?type=jar#META-INF')).toBe('pkg:maven/org.apache.commons/commons-lang3@3.12.0');
    expect(keyOf('pkg:deb/debian/curl@7.50.3-1?arch=amd64')).toBe(keyOf('pkg:deb/debian/curl@7.50.3-1?arch=i386'));
  });

  it('writes every part in canonical encoding', () => {
    expect(keyOf('pkg:npm/@angular/core@16.2.0')).toBe('pkg:npm/%40angular/core@16.2.0');
    expect(keyOf('pkg:generic/openssl@1.1.1%20beta')).toBe('pkg:generic/openssl@1.1.1%20beta');
    expect(keyOf('pkg:generic/a%2Fb@1')).toBe('pkg:generic/a%2Fb@1');
    expect(keyOf('pkg://npm/left-pad@1.3.0')).toBe('pkg:npm/left-pad@1.3.0');
  });

  it('lower-cases the type and applies the per-type rules of packageurl-js', () => {
    expect(keyOf('pkg:NPM/@Angular/Core@16.2.0')).toBe('pkg:npm/%40angular/core@16.2.0');
    expect(keyOf('pkg:pypi/Django_Rest@3.0')).toBe('pkg:pypi/django-rest@3.0');
    expect(keyOf('pkg:github/Package-URL/Purl-Spec@244fd47')).toBe('pkg:github/package-url/purl-spec@244fd47');
    expect(keyOf('pkg:nuget/EnterpriseLibrary.Common@6.0.1304')).toBe('pkg:nuget/EnterpriseLibrary.Common@6.0.1304');
  });

  it.each([
    ['', '"type" is a required component'],
    ['pkg:npm/', '"name" is a required component'],
    ['pkg:/', '"type" is a required component'],
    ['https://github.com/actions/virtual-environments', 'missing required "pkg" scheme component'],
    ['NOASSERTION', 'missing required "pkg" scheme component'],
    ['pkg:maven/commons-lang3@3.12.0', 'maven requires a "namespace" component'],
    ['pkg:type with space/x', 'type "type with space" contains an illegal character'],
  ])('rejects %j, naming the rule', (purl, reason) => {
    expect(purlIdentity(purl)).toEqual({ ok: false, reason, message: `purl '${purl}' is not valid: ${reason}` });
  });

  it('rejects a golang "v" version that is not semver with the rule, not the ReferenceError packageurl-js 2.0.1 throws', () => {
    const r = purlIdentity('pkg:golang/github.com/foo/bar@v1');
    expect(r).toMatchObject({ ok: false, reason: 'a golang "version" component starting with a "v" must be followed by a valid semver version' });
    expect(keyOf('pkg:golang/github.com/foo/bar@v1.2.3')).toBe('pkg:golang/github.com/foo/bar@v1.2.3');
  });

  it('never throws, and a key is its own identity', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `pkg:${s}`), fc.string().map((s) => `pkg:npm/${s}`)), (purl) => {
        const r = purlIdentity(purl);
        return !r.ok || keyOf(r.identity.key) === r.identity.key;
      }),
    );
  });
});

/** Purl-shaped strings built from the characters and escapes that decide whether a part is canonical. */
const purlPart = fc.string({
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...'abcxyz019-._~') },
    { weight: 2, arbitrary: fc.constantFrom(...'ABZ!*\'():+@/?#&=;, %"<>[]^`{|}\\\t', 'é', '\u00a0', '😀') },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 0x7f }).map((code) => `%${code.toString(16).padStart(2, '0').toUpperCase()}`) },
    { weight: 1, arbitrary: fc.constantFrom('%2f', '%3a', '%4', '%', '%C3%A9', '%E9', '%20') },
  ),
  maxLength: 12,
});
const purlType = fc.oneof(fc.constantFrom(...Object.keys(PackageURL.Type), 'generic', 'nuget', 'cargo', 'gem', 'NPM', 'c++', '1x', ''), fc.string({ maxLength: 6 }));
const qualifiers = fc.array(fc.tuple(purlPart, purlPart).map(([k, v]) => `${k}=${v}`), { maxLength: 3 }).map((pairs) => pairs.join('&'));
const purlLike = fc
  .record({
    scheme: fc.constantFrom('pkg:', 'pkg:', 'pkg:', 'pkg://', 'PKG:', ' pkg:'),
    type: purlType,
    namespace: fc.array(purlPart, { maxLength: 3 }),
    name: purlPart,
    version: fc.option(purlPart),
    qualifiers: fc.option(qualifiers),
    subpath: fc.option(purlPart, { freq: 5 }),
  })
  .map(({ scheme, type, namespace, name, version, qualifiers, subpath }) =>
    `${scheme}${type}/${[...namespace, name].join('/')}${version === null ? '' : `@${version}`}${qualifiers === null ? '' : `?${qualifiers}`}${subpath === null ? '' : `#${subpath}`}`,
  );

/** Purls written the way packageurl-js writes them: decoded parts put through its own encoders. */
const encode = PackageURL.Component as unknown as Record<'namespace' | 'name' | 'version', { encode(s: string): string }>;
const decodedPart = fc.string({
  unit: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...'abcxyz019-._~') },
    { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
    { weight: 1, arbitrary: fc.constantFrom('é', '😀', '\t') },
  ),
  minLength: 1,
  maxLength: 10,
});
const qualifierValue = fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~!*():/@,%+ '), maxLength: 8 });
const writtenPurl = fc
  .record({
    type: fc.constantFrom(...Object.keys(PackageURL.Type), 'generic', 'nuget', 'cargo', 'gem'),
    namespace: fc.array(decodedPart, { maxLength: 3 }),
    name: decodedPart,
    version: fc.option(decodedPart),
    qualifiers: fc.option(fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9._-]{1,6}$/), qualifierValue), { minLength: 1, maxLength: 3 })),
  })
  .map(({ type, namespace, name, version, qualifiers }) =>
    [
      `pkg:${type}/`,
      ...namespace.map((segment) => `${encode.namespace.encode(segment)}/`),
      encode.name.encode(name),
      version === null ? '' : `@${encode.version.encode(version)}`,
      qualifiers === null ? '' : `?${qualifiers.map(([k, v]) => `${k}=${v}`).join('&')}`,
    ].join(''),
  );

describe('canonicalPurlIdentity', () => {
  it('gives what packageurl-js gives, whenever it gives anything', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof(purlLike, writtenPurl), (purl) => {
        const fast = canonicalPurlIdentity(purl);
        if (fast !== undefined) {
          taken++;
          expect({ ok: true, identity: fast }).toStrictEqual(purlIdentityByPackageUrl(purl));
        }
        expect(purlIdentity(purl)).toStrictEqual(purlIdentityByPackageUrl(purl));
      }),
      { numRuns: 20_000 },
    );
    expect(taken).toBeGreaterThan(500);
  });

  it('reads the purls SBOM generators write without packageurl-js', () => {
    for (const purl of [
      'pkg:npm/%40types/strict-schema-0@4.16.7',
      'pkg:npm/left-pad@1.3.0',
      'pkg:maven/org.apache.commons/commons-lang3@3.12.0?type=jar',
      'pkg:golang/github.com/foo/bar@v1.2.3',
      'pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=debian-11',
      'pkg:nuget/EnterpriseLibrary.Common@6.0.1304',
      'pkg:pypi/django-rest@3.0',
    ]) {
      expect(canonicalPurlIdentity(purl)).toEqual((purlIdentityByPackageUrl(purl) as { identity: unknown }).identity);
    }
  });

  it('leaves every purl that is not canonical to packageurl-js', () => {
    for (const purl of ['pkg:NPM/core@1', 'pkg://npm/core@1', 'pkg:npm/Core@1', 'pkg:npm/@angular/core@1', 'pkg:pypi/django_rest@1', 'pkg:generic/a%2fb', 'pkg:generic/a@1#sub', 'pkg:maven/commons@1', 'pkg:golang/x/y@v1']) {
      expect(canonicalPurlIdentity(purl)).toBeUndefined();
    }
  });
});

describe.skipIf(!CORPUS_AVAILABLE)(`purlIdentity on the corpus purls${CORPUS_AVAILABLE ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, () => {
  it('gives every corpus purl an identity except the ones known to break the purl spec', () => {
    const knownInvalid = ['pkg:oci/example.com/product/application@10.0.4.0', 'pkg:/', 'https://github.com/actions/virtual-environments', 'NOASSERTION'];
    const { purls } = corpusValues();
    expect(purls.size).toBeGreaterThan(1000);
    const invalid = [...purls].filter((purl) => !purlIdentity(purl).ok);
    expect(invalid.sort()).toEqual([...knownInvalid].sort());
  });

  it('gives every corpus purl what packageurl-js gives, and reads most of them without it', () => {
    const purls = [...corpusValues().purls];
    for (const purl of purls) expect(purlIdentity(purl), purl).toStrictEqual(purlIdentityByPackageUrl(purl));
    expect(purls.filter((purl) => canonicalPurlIdentity(purl) !== undefined).length).toBeGreaterThan(purls.length * 0.8);
  });
});

describe('invalidPurlMessage', () => {
  it('names the purl, where it was found and the rule', () => {
    expect(invalidPurlMessage('pkg:npm/', '"name" is a required component', "component 'a'")).toBe(
      `purl 'pkg:npm/' of component 'a' is not valid: "name" is a required component`,
    );
  });
});
