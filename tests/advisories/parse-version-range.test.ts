import { describe, expect, it } from 'vitest';
import { parseVersionRange } from '../../src/advisories/parse-version-range.js';

describe('parseVersionRange', () => {
  it('reads vers URIs that make one interval into bounds, keeping the text', () => {
    expect(parseVersionRange('vers:generic/>=2.0.0|<2.2.0')).toEqual({ range: { scheme: 'vers', vers: 'vers:generic/>=2.0.0|<2.2.0', introduced: '2.0.0', fixed: '2.2.0' }, readable: true });
    expect(parseVersionRange('vers:tomee/>=8.0.0-M1|<=8.0.1').range).toMatchObject({ introduced: '8.0.0-M1', lastAffected: '8.0.1' });
    expect(parseVersionRange('vers:npm/<1.2.3').range).toEqual({ scheme: 'vers', vers: 'vers:npm/<1.2.3', fixed: '1.2.3' });
  });

  it('reads vers:all/* as every version, with no bounds', () => {
    expect(parseVersionRange('vers:all/*')).toEqual({ range: { scheme: 'vers', vers: 'vers:all/*' }, readable: true });
  });

  it('keeps vers ranges that are not one interval as written, with no bounds', () => {
    for (const text of ['vers:npm/1.2.3|>=2.0.0|<5.0.0', 'vers:gem/>=2.2.0|!= 2.2.1|<2.3.0', 'vers:pypi/0.0.0|0.0.1', 'vers:generic/>1.0']) {
      expect(parseVersionRange(text)).toEqual({ range: { scheme: 'vers', vers: text }, readable: true });
    }
  });

  it('reads the vers-like constraints CSAF calls vls, spaces and all', () => {
    expect(parseVersionRange('<= 1.0')).toEqual({ range: { scheme: 'generic', vers: '<= 1.0', lastAffected: '1.0' }, readable: true });
    expect(parseVersionRange('< B.06.18').range).toMatchObject({ fixed: 'B.06.18' });
    expect(parseVersionRange('>= 2003 | <= 2006').range).toMatchObject({ introduced: '2003', lastAffected: '2006' });
    expect(parseVersionRange('>=BT02 | <= BT06').range).toMatchObject({ introduced: 'BT02', lastAffected: 'BT06' });
  });

  it('reads no bounds out of free text, and says so', () => {
    for (const text of ['< august 28', 'distributed  < april 1, 2018', '<= 2.01 (end-of-life Nov 2017)', '<May 2018', 'vers:broken', '']) {
      expect(parseVersionRange(text)).toEqual({ range: { scheme: text.startsWith('vers:') ? 'vers' : 'generic', vers: text }, readable: false });
    }
  });
});
