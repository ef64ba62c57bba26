import { describe, expect, it } from 'vitest';
import { detectJsonFormat, detectTextFormat } from '../../src/ingest/detect-format.js';

describe('detectJsonFormat', () => {
  it.each([
    [{ bomFormat: 'CycloneDX', specVersion: '1.5' }, 'cyclonedx-json', '1.5'],
    [{ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT' }, 'spdx-json', '2.3'],
    [{ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [] }, 'spdx3-jsonld', '3.0.1'],
  ])('tells %j apart by its content', (doc, format, version) => {
    expect(detectJsonFormat(doc)).toMatchObject({ kind: 'json', format, specVersion: version });
  });

  it('says why JSON that is not an SBOM is not one', () => {
    expect(detectJsonFormat([1, 2])).toEqual({ kind: 'unknown', reason: 'the top-level JSON value is an array, not an object' });
    expect(detectJsonFormat({ name: 'x' })).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/bomFormat.*spdxVersion/) });
  });
});

describe('detectTextFormat', () => {
  it('reads the CycloneDX version from the XML namespace, after a declaration and comments', () => {
    expect(detectTextFormat('<?xml version="1.0"?>\n<!-- made by hand -->\n<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"/>')).toEqual({ kind: 'text', format: 'cyclonedx-xml', specVersion: '1.4' });
  });

  it('finds SPDX RDF/XML and its version', () => {
    expect(detectTextFormat('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument><spdx:specVersion>SPDX-2.3</spdx:specVersion></spdx:SpdxDocument></rdf:RDF>')).toEqual({ kind: 'text', format: 'spdx-rdf', specVersion: '2.3' });
  });

  it('finds SPDX tag-value by its SPDXVersion line, wherever it is', () => {
    expect(detectTextFormat('## generated\n\nSPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\n')).toEqual({ kind: 'text', format: 'spdx-tag-value', specVersion: '2.2' });
  });

  it('names the root element of XML that is not an SBOM', () => {
    expect(detectTextFormat('<html><body/></html>')).toEqual({ kind: 'unknown', reason: 'the XML root element is <html>, neither a CycloneDX <bom> nor an SPDX <rdf:RDF>' });
  });
});
