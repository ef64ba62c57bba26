import { describe, expect, it } from 'vitest';
import { parseSpdxAgent, parseSpdxTool } from '../../../src/ingest/spdx/spdx-agent.js';

describe('parseSpdxAgent', () => {
  it('reads organisations and people with and without an email', () => {
    expect(parseSpdxAgent('Organization: ACME Inc. (psirt@acme.example)')).toEqual({ name: 'ACME Inc.', kind: 'organization', email: 'psirt@acme.example' });
    expect(parseSpdxAgent('Person: Jane Doe ()')).toEqual({ name: 'Jane Doe', kind: 'person' });
    expect(parseSpdxAgent('Person:Jane Doe')).toEqual({ name: 'Jane Doe', kind: 'person' });
  });

  it('gives nothing for NOASSERTION, NONE, empty text and tools', () => {
    for (const text of ['NOASSERTION', 'NONE', '', '  ', undefined, 'Tool: syft-0.60.3', 'Organization: ']) expect(parseSpdxAgent(text)).toBeUndefined();
  });

  it('takes a string without a Person:/Organization: prefix as a bare name', () => {
    expect(parseSpdxAgent('ACME Inc.')).toEqual({ name: 'ACME Inc.' });
  });
});

describe('parseSpdxTool', () => {
  it('splits the version off at the last dash or space before a digit', () => {
    expect(parseSpdxTool('Tool: syft-0.60.3')).toEqual({ name: 'syft', version: '0.60.3' });
    expect(parseSpdxTool('Tool: spdx-sbom-generator-v0.0.15')).toEqual({ name: 'spdx-sbom-generator', version: 'v0.0.15' });
    expect(parseSpdxTool('Tool: scancode-toolkit 32.0.8')).toEqual({ name: 'scancode-toolkit', version: '32.0.8' });
  });

  it('keeps a tool without a version as a name only, and ignores other agents', () => {
    expect(parseSpdxTool('Tool: sigs.k8s.io/bom/pkg/spdx')).toEqual({ name: 'sigs.k8s.io/bom/pkg/spdx' });
    expect(parseSpdxTool('Organization: ACME')).toBeUndefined();
  });
});
