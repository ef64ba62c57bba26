import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ParsedSbom } from '../../src/model/sbom.js';
import { parseSbom } from '../../src/ingest/parse-sbom.js';
import { normaliseVendorName } from '../../src/normalise/normalise-vendor-name.js';

const SBOM_DIR = fileURLToPath(new URL('../../sboms/', import.meta.url));
const SBOM_FILES = readdirSync(SBOM_DIR)
  .filter((f) => /\.(cdx\.json|cdx\.xml|spdx\.json|spdx)$/.test(f))
  .sort();

async function parseDemo(file: string): Promise<ParsedSbom> {
  const result = await parseSbom(readFileSync(join(SBOM_DIR, file)), { strict: true });
  if (!result.ok) throw new Error(`${file} was rejected:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return result.sbom;
}

function subjectOf(sbom: ParsedSbom) {
  return sbom.components.filter((c) => c.isSubject);
}

describe('demo SBOMs', () => {
  it('holds the four documents of the demo chain, one per format', () => {
    expect(SBOM_FILES).toEqual(expect.arrayContaining([
      'infusion-pump-ip3000-2.4.0.cdx.json',
      'medisyn-mainboard-mb7-1.3.0.cdx.xml',
      'northwind-wm200-4.1.0.spdx',
      'northwind-wm200-4.2.1.spdx.json',
    ]));
  });

  it.each(SBOM_FILES)('%s parses in strict mode, schema-valid, with one subject that names its supplier', async (file) => {
    const sbom = await parseDemo(file);
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const subjects = subjectOf(sbom);
    expect(subjects).toHaveLength(1);
    expect(subjects[0]!.supplier?.name).toBeTruthy();
    expect(subjects[0]!.purl).toMatch(/^pkg:generic\//);
    expect(sbom.relationships.length).toBeGreaterThan(0);
  });

  it("names the pump's Wi-Fi module by the purl of the module SBOM's subject", async () => {
    const pump = await parseDemo('infusion-pump-ip3000-2.4.0.cdx.json');
    const module = await parseDemo('northwind-wm200-4.2.1.spdx.json');
    const wifi = pump.components.filter((c) => !c.isSubject && c.supplier?.name === 'Northwind Wireless Inc.');
    expect(wifi).toHaveLength(1);
    expect(subjectOf(module)[0]!.supplier?.name).toBe('Northwind Wireless, Inc.');
    expect(wifi[0]!.purl).toBe(subjectOf(module)[0]!.purl);
    expect(wifi[0]!.version).toBe(subjectOf(module)[0]!.version);
  });

  it("spells the module vendor two ways that vendor normalisation makes one", async () => {
    const pump = await parseDemo('infusion-pump-ip3000-2.4.0.cdx.json');
    const module = await parseDemo('northwind-wm200-4.2.1.spdx.json');
    const inPump = pump.components.find((c) => c.ref === 'nw-wm200-firmware')!.supplier!.name;
    const inModule = module.supplier!.name;
    expect(inPump).not.toBe(inModule);
    expect(normaliseVendorName(inPump)).toBe(normaliseVendorName(inModule));
  });

  it("links the pump's main board firmware to the board SBOM by BOM-Link and by purl", async () => {
    const pump = await parseDemo('infusion-pump-ip3000-2.4.0.cdx.json');
    const board = await parseDemo('medisyn-mainboard-mb7-1.3.0.cdx.xml');
    const mb7 = pump.components.find((c) => c.ref === 'mb7-firmware')!;
    const boardSubject = subjectOf(board)[0]!;
    expect(mb7.purl).toBe(boardSubject.purl);
    const bomLink = mb7.externalReferences.find((r) => r.type === 'bom')!.url;
    expect(bomLink).toBe(`urn:cdx:${board.serialNumber!.replace(/^urn:uuid:/, '')}/${board.documentVersion}#${boardSubject.ref}`);
  });

  it('describes an older module firmware with an older lwIP, so the fix has a history', async () => {
    const older = await parseDemo('northwind-wm200-4.1.0.spdx');
    const newer = await parseDemo('northwind-wm200-4.2.1.spdx.json');
    const lwipVersion = (sbom: ParsedSbom) => sbom.components.find((c) => c.name === 'lwIP')?.version;
    expect(subjectOf(older)[0]!.version).toBe('4.1.0');
    expect(lwipVersion(older)).toBe('2.1.2');
    expect(lwipVersion(newer)).toBe('2.2.0');
  });
});
