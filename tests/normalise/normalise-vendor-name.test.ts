import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseVendorName, vendorDisplayName } from '../../src/normalise/normalise-vendor-name.js';

describe('normaliseVendorName', () => {
  it.each([
    ['acme', ['ACME Inc.', 'Acme, Inc', 'ACME INC', 'Acme Incorporated', 'acme', 'Acme Corp.', 'Acme Corporation', 'ACME LLC', 'Acme L.L.C.', 'Acme Ltd', 'Acme Limited', 'Acme & Co.']],
    ['siemens', ['Siemens AG', 'Siemens', 'SIEMENS AG']],
    ['robert bosch', ['Robert Bosch GmbH', 'Robert Bosch']],
    ['treck', ['Treck Inc.', 'Treck, Inc', 'treck']],
    ['texas instruments', ['Texas Instruments Incorporated', 'Texas Instruments']],
    ['microchip technology', ['Microchip Technology Inc.', 'MICROCHIP TECHNOLOGY']],
    ['foo holdings', ['Foo Holdings Co., Ltd.', 'Foo Holdings Co.,Ltd', 'Foo Holdings']],
  ])('gives every spelling of %s the same key', (key, spellings) => {
    for (const spelling of spellings) expect(normaliseVendorName(spelling), spelling).toBe(key);
  });

  it.each([
    ['Foo SA', 'foo'], ['Foo S.A.', 'foo'], ['Foo SAS', 'foo'], ['Foo BV', 'foo'], ['Foo B.V.', 'foo'], ['Foo NV', 'foo'],
    ['Foo AB', 'foo'], ['Foo Oy', 'foo'], ['Foo KK', 'foo'], ['Foo K.K.', 'foo'], ['Foo Pty Ltd', 'foo'], ['Foo PLC', 'foo'],
    ['Foo SE', 'foo'], ['Foo S.p.A.', 'foo'], ['Foo S.r.l.', 'foo'], ['Foo LP', 'foo'], ['Foo LLP', 'foo'],
    ['Foo GmbH & Co. KG', 'foo'], ['Foo Kft', 'foo'], ['Foo sp. z o.o.', 'foo'], ['Foo A/S', 'foo'], ['Foo Oyj', 'foo'],
  ])('removes the legal form of %s', (name, key) => {
    expect(normaliseVendorName(name)).toBe(key);
  });

  it('removes trailing legal forms again and again', () => {
    expect(normaliseVendorName('Foo Holdings Co., Ltd.')).toBe('foo holdings');
    expect(normaliseVendorName('Nokia Solutions Oy Ab')).toBe('nokia solutions');
    expect(normaliseVendorName('Acme Corporation Inc')).toBe('acme');
  });

  it('keeps the words that tell vendors apart', () => {
    expect(normaliseVendorName('Acme Medical Inc.')).toBe('acme medical');
    expect(normaliseVendorName('Acme Medical')).not.toBe(normaliseVendorName('Acme'));
    expect(normaliseVendorName('Foo Holdings')).not.toBe(normaliseVendorName('Foo'));
  });

  it('removes legal forms only as whole trailing words', () => {
    expect(normaliseVendorName('Agfa')).toBe('agfa');
    expect(normaliseVendorName('Incite Systems')).toBe('incite systems');
    expect(normaliseVendorName('AG Neovo Technology')).toBe('ag neovo technology');
    expect(normaliseVendorName('Sagemcom SAS')).toBe('sagemcom');
  });

  it('keeps a name that is nothing but legal forms', () => {
    expect(normaliseVendorName('Inc.')).toBe('inc');
    expect(normaliseVendorName('Co., Ltd.')).toBe('co ltd');
  });

  it('folds case, width, diacritics, ampersands and punctuation', () => {
    expect(normaliseVendorName('Müller GmbH')).toBe('muller');
    expect(normaliseVendorName('ÄBC L.L.C.')).toBe('abc');
    expect(normaliseVendorName('ＡＣＭＥ　Ｉｎｃ')).toBe('acme');
    expect(normaliseVendorName('Straße AG')).toBe(normaliseVendorName('STRASSE AG'));
    expect(normaliseVendorName('Søren Ørsted ApS')).toBe('soren orsted');
    expect(normaliseVendorName('Johnson & Johnson')).toBe('johnson and johnson');
    expect(normaliseVendorName('Johnson and Johnson')).toBe('johnson and johnson');
    expect(normaliseVendorName("O'Reilly Media, Inc.")).toBe('oreilly media');
    expect(normaliseVendorName('  Red   Hat,\tInc. ')).toBe('red hat');
  });

  it('reads SPDX supplier and originator values', () => {
    expect(normaliseVendorName('Organization: Red Hat, Inc.')).toBe('red hat');
    expect(normaliseVendorName('Organization:SPDX')).toBe('spdx');
    expect(normaliseVendorName('Organization: ExampleCodeInspect (contact@example.com)')).toBe('examplecodeinspect');
    expect(normaliseVendorName('Person: Jane Doe (jane.doe@example.com)')).toBe('jane doe');
    expect(normaliseVendorName('Organization: Acme ()')).toBe('acme');
    expect(normaliseVendorName('APT Development Team <deity@lists.debian.org>')).toBe('apt development team');
  });

  it('keeps a parenthesised part that is not a contact', () => {
    expect(normaliseVendorName('Foo (Shenzhen) Co., Ltd.')).toBe('foo shenzhen');
  });

  it('returns undefined for a name that says nothing', () => {
    for (const name of ['', '   ', 'NOASSERTION', 'NONE', 'noassertion', 'Organization: NOASSERTION', '---', '()']) {
      expect(normaliseVendorName(name), JSON.stringify(name)).toBeUndefined();
    }
  });

  it('returns a key that normalises to itself, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        const key = normaliseVendorName(name);
        return key === undefined || normaliseVendorName(key) === key;
      }),
    );
  });
});

describe('vendorDisplayName', () => {
  it('drops the SPDX prefix and contact but keeps the written name', () => {
    expect(vendorDisplayName('Organization: ExampleCodeInspect (contact@example.com)')).toBe('ExampleCodeInspect');
    expect(vendorDisplayName('  ACME Inc. ')).toBe('ACME Inc.');
    expect(vendorDisplayName('NOASSERTION')).toBeUndefined();
  });
});
