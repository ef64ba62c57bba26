import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalidPurlMessage, purlIdentity } from '../../src/normalise/purl-identity.js';
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

describe.skipIf(!CORPUS_AVAILABLE)(`purlIdentity on the corpus purls${CORPUS_AVAILABLE ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, () => {
  it('gives every corpus purl an identity except the ones known to break the purl spec', () => {
    const knownInvalid = ['pkg:oci/example.com/product/application@10.0.4.0', 'pkg:/', 'https://github.com/actions/virtual-environments', 'NOASSERTION'];
    const { purls } = corpusValues();
    expect(purls.size).toBeGreaterThan(1000);
    const invalid = [...purls].filter((purl) => !purlIdentity(purl).ok);
    expect(invalid.sort()).toEqual([...knownInvalid].sort());
  });
});

describe('invalidPurlMessage', () => {
  it('names the purl, where it was found and the rule', () => {
    expect(invalidPurlMessage('pkg:npm/', '"name" is a required component', "component 'a'")).toBe(
      `purl 'pkg:npm/' of component 'a' is not valid: "name" is a required component`,
    );
  });
});
