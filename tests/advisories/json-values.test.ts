import { describe, expect, it } from 'vitest';
import { joinTexts, pointer, primaryVulnerabilityId, strings, versionText } from '../../src/advisories/json-values.js';

describe('primaryVulnerabilityId', () => {
  it('takes the first CVE, else the first id, and keeps the others once as aliases', () => {
    expect(primaryVulnerabilityId(['GHSA-1', 'CVE-2020-11901', 'PYSEC-2', 'GHSA-1', 'CVE-2020-11902'])).toEqual({ id: 'CVE-2020-11901', aliases: ['GHSA-1', 'PYSEC-2', 'CVE-2020-11902'] });
    expect(primaryVulnerabilityId(['GHSA-1', 'PYSEC-2'])).toEqual({ id: 'GHSA-1', aliases: ['PYSEC-2'] });
    expect(primaryVulnerabilityId(['', ''])).toBeUndefined();
  });
});

describe('pointer', () => {
  it('escapes ~ and / as RFC 6901 requires', () => {
    expect(pointer('product_status', 'a/b~c', 0)).toBe('/product_status/a~1b~0c/0');
  });
});

describe('small readers', () => {
  it('keep non-empty strings only, join texts once each, and write integer versions as text', () => {
    expect(strings(['a', '', 3, null, 'b'])).toEqual(['a', 'b']);
    expect(strings('a')).toEqual([]);
    expect(joinTexts([undefined, 'a', '', 'b', 'a'])).toBe('a\n\nb');
    expect(joinTexts([undefined])).toBeUndefined();
    expect([versionText(3), versionText('2.1'), versionText(Number.NaN)]).toEqual(['3', '2.1', undefined]);
  });
});
