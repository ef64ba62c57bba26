import { Ajv, type AnySchemaObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { getCycloneDxJsonValidator } from '../../src/ingest/cyclonedx/cyclonedx-json-validator.js';
import { linearAjvErrors } from '../../src/ingest/linear-ajv-errors.js';

/** A component schema that refers to itself (nested components) and to another definition (hashes), as CycloneDX's does. */
const SCHEMA: AnySchemaObject = {
  $id: 'urn:test:bom',
  definitions: {
    hash: { type: 'object', required: ['alg'], properties: { alg: { enum: ['SHA-1', 'SHA-256'] }, content: { type: 'string', pattern: '^[0-9a-f]+$' } } },
    component: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        hashes: { type: 'array', items: { $ref: '#/definitions/hash' } },
        components: { type: 'array', items: { $ref: '#/definitions/component' } },
      },
    },
  },
  type: 'object',
  properties: { components: { type: 'array', items: { $ref: '#/definitions/component' } } },
};

const DOC = {
  components: [
    { name: 1, hashes: [{ alg: 'MD4', content: 'XYZ' }, { content: 'ab' }], components: [{ hashes: [{ alg: 'SHA-1', content: '!' }] }, { name: 'ok' }] },
    { name: 'b', components: [{ name: false, components: [{}] }] },
    'not a component',
  ],
};

const compile = (process?: (code: string) => string) => new Ajv({ allErrors: true, verbose: true, code: process ? { process } : {} }).compile(SCHEMA);

describe('linearAjvErrors', () => {
  it('gives the same errors, in the same order, as ajv collecting them with concat', () => {
    const plain = compile();
    const linear = compile(linearAjvErrors);
    expect(plain(DOC)).toBe(false);
    expect(linear(DOC)).toBe(false);
    expect(linear.errors).toEqual(plain.errors);
    expect(linear.errors!.length).toBe(9);
    // Called again, each call's errors are its own.
    expect(linear({ components: [{ name: 'x' }] })).toBe(true);
    expect(linear({ components: [{}] })).toBe(false);
    expect(linear.errors).toHaveLength(1);
  });

  it('leaves no concat of collected errors in the code generated for the CycloneDX 1.6 schema', () => {
    const sources: string[] = [];
    const ajv = new Ajv({ allErrors: true, strict: false, code: { process: (code) => (sources.push(linearAjvErrors(code)), sources.at(-1)!) } });
    ajv.compile(SCHEMA);
    expect(sources.join('\n')).toContain('appendErrors(vErrors, ');
    expect(sources.join('\n')).not.toMatch(/vErrors\.concat\(/);
    // The project's own validator is compiled with it: thousands of invalid components are no longer quadratic.
    const components = Array.from({ length: 50_000 }, () => ({ type: 'no-such-type', name: 1 }));
    const { valid, issues } = getCycloneDxJsonValidator('1.6')({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components });
    expect(valid).toBe(false);
    expect(issues.at(-1)!.message).toMatch(/more schema violations/);
  });

  it('refuses code that collects errors with a concat it does not recognise', () => {
    expect(() => linearAjvErrors('vErrors = vErrors.concat(other);')).toThrow(/does not recognise/);
    expect(linearAjvErrors('return true;')).toBe('return true;');
  });
});
