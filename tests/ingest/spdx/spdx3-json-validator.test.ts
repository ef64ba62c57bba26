import { describe, expect, it } from 'vitest';
import { validateSpdx3Json } from '../../../src/ingest/spdx/spdx3-json-validator.js';

const CI = { type: 'CreationInfo', '@id': '_:ci', specVersion: '3.0.1', created: '2026-11-20T10:00:00Z', createdBy: ['https://example.com/agent'] };
const AGENT = { type: 'Organization', spdxId: 'https://example.com/agent', creationInfo: '_:ci', name: 'ACME' };
const DOC = { type: 'SpdxDocument', spdxId: 'https://example.com/doc', creationInfo: '_:ci', rootElement: ['https://example.com/pkg'] };
const PKG = { type: 'software_Package', spdxId: 'https://example.com/pkg', creationInfo: '_:ci', name: 'pkg' };

function document(graph: unknown[], context: unknown = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld') {
  return { '@context': context, '@graph': graph };
}

describe('validateSpdx3Json', () => {
  it('accepts a minimal valid document', () => {
    expect(validateSpdx3Json(document([CI, AGENT, DOC, PKG]), '3.0.1')).toEqual({ valid: true, issues: [] });
  });

  it('accepts the 3.0.0 context for a 3.0.0 document only', () => {
    const doc = document([CI, AGENT, DOC, PKG], 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld');
    expect(validateSpdx3Json(doc, '3.0.0').valid).toBe(true);
    expect(validateSpdx3Json(doc, '3.0.1').valid).toBe(false);
  });

  it('points at the element and property that break the schema', () => {
    const { valid, issues } = validateSpdx3Json(document([CI, AGENT, DOC, { ...PKG, spdxId: 'SPDXRef-pkg', software_packageVersion: 2 }]), '3.0.1');
    expect(valid).toBe(false);
    expect(issues).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/@graph/3/spdxId', message: "'/@graph/3/spdxId' 'SPDXRef-pkg' does not match pattern '^(?!_:).+:.+' (SPDX 3.0.1 JSON schema)" },
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/@graph/3/software_packageVersion', message: "'/@graph/3/software_packageVersion' 2 is not of type string (SPDX 3.0.1 JSON schema)" },
    ]);
  });

  it('folds the many failed alternatives of one value into one issue', () => {
    const { issues } = validateSpdx3Json(document([CI, AGENT, { ...DOC, dataLicense: 'CC0-1.0' }, PKG]), '3.0.1');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '/@graph/2/dataLicense', message: expect.stringMatching(/^'\/@graph\/2\/dataLicense' 'CC0-1.0' matches none of the forms the schema allows there/) });
  });

  it('reports what the whole-document check says when every element passes on its own', () => {
    expect(validateSpdx3Json({ ...document([CI, AGENT, DOC, PKG]), comment: 'x' }, '3.0.1').issues).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/comment', message: "the document (an object) has property 'comment', which SPDX 3.0.1 JSON schema does not allow there" },
    ]);
  });

  it('says when @graph is not an array', () => {
    expect(validateSpdx3Json({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': 'x' }, '3.0.1').issues).toEqual([
      { code: 'SCHEMA_VIOLATION', severity: 'error', path: '/@graph', message: "'@graph' 'x' is not an array (SPDX 3.0.1 JSON schema)" },
    ]);
  });
});
