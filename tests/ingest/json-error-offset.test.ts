import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/ingest/json-error-offset.js';

describe('jsonErrorOffset', () => {
  it('finds where a text stops being JSON', () => {
    expect(jsonErrorOffset('hello world')).toBe(0);
    expect(jsonErrorOffset('[1, hello]')).toBe(4);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('"tab\there"')).toBe(4);
    expect(jsonErrorOffset('"bad \\x escape"')).toBe(6);
    expect(jsonErrorOffset('[01]')).toBe(2);
    expect(jsonErrorOffset('{"a": [1, 2}')).toBe(11);
    expect(jsonErrorOffset('{} {}')).toBe(3);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
  });

  it('finds nothing wrong in any JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => jsonErrorOffset(JSON.stringify(value, null, pretty ? 2 : undefined)) === undefined));
  });
});
