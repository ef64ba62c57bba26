import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Component, ParsedSbom } from '../../src/model/sbom.js';
import { parseSbom } from '../../src/ingest/parse-sbom.js';
import { canonicalCpe } from '../../src/normalise/cpe.js';
import { normaliseVendorName } from '../../src/normalise/normalise-vendor-name.js';
import { canonicalPurlIdentity } from '../../src/normalise/purl-identity.js';

const SBOM_DIR = fileURLToPath(new URL('../../sboms/', import.meta.url));
/** Every file the demo loader ingests (src/cli/load-demo-sboms.ts): all but the README. */
const SBOM_FILES = readdirSync(SBOM_DIR, { withFileTypes: true }).filter((f) => f.isFile() && !f.name.endsWith('.md')).map((f) => f.name).sort();

const PUMP = 'infusion-pump-ip3000-2.4.0.cdx.json';
const BOARD = 'medisyn-mainboard-mb7-1.3.0.cdx.xml';
const MODULE = 'northwind-wm200-4.2.1.spdx.json';
const MODULE_OLD = 'northwind-wm200-4.1.0.spdx';
const SOC_SDK = 'halvard-hsw-wlan-driver-3.7.2.spdx3.json';
const RTOS = 'skerryos-5.3.1.cdx.json';
const STACK = 'lwip-2.1.3.cdx.json';
const MONITOR = 'tsurugi-bm700-3.1.0.spdx.json';

interface CatalogueStack {
  id: string;
  aliases: string[];
  purls: string[];
  derivedFrom: string | null;
  relation: string | null;
}
const CATALOGUE: CatalogueStack[] = JSON.parse(readFileSync(fileURLToPath(new URL('../../src/chains/tcpip-stacks.json', import.meta.url)), 'utf8')).stacks;

async function parseDemo(file: string): Promise<ParsedSbom> {
  const result = await parseSbom(readFileSync(join(SBOM_DIR, file)), { strict: true });
  if (!result.ok) throw new Error(`${file} was rejected:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return result.sbom;
}

function subjectOf(sbom: ParsedSbom): Component {
  const subjects = sbom.components.filter((c) => c.isSubject);
  expect(subjects).toHaveLength(1);
  return subjects[0]!;
}

function componentNamed(sbom: ParsedSbom, name: string, version: string): Component {
  const found = sbom.components.filter((c) => !c.isSubject && c.name === name && c.version === version);
  expect(found, `${name} ${version}`).toHaveLength(1);
  return found[0]!;
}

const purlKey = (c: Component) => (c.purl ? canonicalPurlIdentity(c.purl)?.key : undefined);
const cpeOf = (c: Component) => {
  const cpe = c.cpes[0] ? canonicalCpe(c.cpes[0]) : undefined;
  return cpe?.ok ? cpe.cpe23 : undefined;
};
const vendorKey = (c: Component) => (c.supplier ? normaliseVendorName(c.supplier.name) : undefined);
const sameSupplierNameVersion = (a: Component, b: Component) =>
  vendorKey(a) !== undefined && vendorKey(a) === vendorKey(b) && a.name.toLowerCase() === b.name.toLowerCase() && a.version === b.version;

/** The CycloneDX BOM-Link that names a document's subject: `urn:cdx:<serial uuid>/<version>#<bom-ref>`. */
function bomLinkTo(sbom: ParsedSbom): string {
  return `urn:cdx:${sbom.serialNumber!.replace(/^urn:uuid:/, '')}/${sbom.documentVersion}#${subjectOf(sbom).ref}`;
}

describe('demo SBOMs', () => {
  it('holds the documents of the demo world, in every format patchpath reads', async () => {
    // The supply chain of sboms/README.md, and the releases and devices the patch-status demo adds to it.
    const patchDemo = ['keystone-mb7-1.4.0.cdx.json', 'aldergrove-tx40-1.2.0.cdx.json', 'aldergrove-tx40-1.3.0.cdx.json', 'harbourlight-hb2-badge-2.0.1.cdx.json'];
    expect(SBOM_FILES).toEqual([BOARD, PUMP, MODULE_OLD, MODULE, SOC_SDK, STACK, RTOS, MONITOR, ...patchDemo].sort());
    const formats = new Set<string>();
    for (const file of SBOM_FILES) {
      const sbom = await parseDemo(file);
      formats.add(`${sbom.format} ${sbom.specVersion}`);
    }
    expect([...formats].sort()).toEqual([
      'cyclonedx-json 1.4',
      'cyclonedx-json 1.6',
      'cyclonedx-xml 1.5',
      'spdx-json 2.2',
      'spdx-json 2.3',
      'spdx-tag-value 2.3',
      'spdx3-jsonld 3.0.1',
    ]);
  });

  it.each(SBOM_FILES)('%s parses in strict mode, schema-valid, with one subject that names its supplier', async (file) => {
    const sbom = await parseDemo(file);
    expect(sbom.schemaValid).toBe(true);
    expect(sbom.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const subject = subjectOf(sbom);
    expect(subject.supplier?.name).toBeTruthy();
    expect(subject.purl).toMatch(/^pkg:(generic|github)\//);
    expect(sbom.relationships.length).toBeGreaterThan(0);
  });

  it.each(SBOM_FILES)('%s names the supplier of every component', async (file) => {
    const sbom = await parseDemo(file);
    expect(sbom.components.filter((c) => !c.supplier?.name).map((c) => c.name)).toEqual([]);
  });

  it("names the pump's Wi-Fi module by the purl of the module SBOM's subject", async () => {
    const pump = await parseDemo(PUMP);
    const module = await parseDemo(MODULE);
    const wifi = pump.components.filter((c) => !c.isSubject && c.supplier?.name === 'Northwind Wireless Inc.');
    expect(wifi).toHaveLength(1);
    expect(subjectOf(module).supplier?.name).toBe('Northwind Wireless, Inc.');
    expect(wifi[0]!.purl).toBe(subjectOf(module).purl);
    expect(wifi[0]!.version).toBe(subjectOf(module).version);
  });

  it('spells the module vendor two ways that vendor normalisation makes one', async () => {
    const pump = await parseDemo(PUMP);
    const module = await parseDemo(MODULE);
    const inPump = pump.components.find((c) => c.ref === 'nw-wm200-firmware')!.supplier!.name;
    const inModule = module.supplier!.name;
    expect(inPump).not.toBe(inModule);
    expect(normaliseVendorName(inPump)).toBe(normaliseVendorName(inModule));
  });

  it("links the pump's main board firmware to the board SBOM by BOM-Link and by purl", async () => {
    const pump = await parseDemo(PUMP);
    const board = await parseDemo(BOARD);
    const mb7 = pump.components.find((c) => c.ref === 'mb7-firmware')!;
    expect(mb7.purl).toBe(subjectOf(board).purl);
    expect(mb7.externalReferences.find((r) => r.type === 'bom')!.url).toBe(bomLinkTo(board));
  });

  describe('the six-vendor chain pump -> board -> Wi-Fi module -> SoC SDK -> RTOS -> TCP/IP stack', () => {
    it('links the board to the Wi-Fi module by CPE alone (no purl)', async () => {
      const board = await parseDemo(BOARD);
      const module = subjectOf(await parseDemo(MODULE));
      const inBoard = componentNamed(board, 'nw-wm200-firmware', '4.2.1');
      expect(inBoard.purl).toBeUndefined();
      expect(inBoard.externalReferences.filter((r) => r.type === 'bom')).toEqual([]);
      expect(cpeOf(inBoard)).toBeDefined();
      expect(cpeOf(inBoard)).toBe(cpeOf(module));
    });

    it('links the Wi-Fi module to the SoC SDK by purl', async () => {
      const module = await parseDemo(MODULE);
      const sdk = subjectOf(await parseDemo(SOC_SDK));
      const driver = componentNamed(module, 'hsw-wlan-driver', '3.7.2');
      expect(purlKey(driver)).toBeDefined();
      expect(purlKey(driver)).toBe(purlKey(sdk));
    });

    it('links the SoC SDK to the RTOS by supplier, name and version alone, the supplier spelt differently', async () => {
      const sdk = await parseDemo(SOC_SDK);
      const rtos = subjectOf(await parseDemo(RTOS));
      const inSdk = componentNamed(sdk, 'skerryos', '5.3.1');
      expect(inSdk.purl).toBeUndefined();
      expect(inSdk.cpes).toEqual([]);
      expect(inSdk.supplier!.name).not.toBe(rtos.supplier!.name);
      expect(sameSupplierNameVersion(inSdk, rtos)).toBe(true);
    });

    it('links the RTOS to the TCP/IP stack by BOM-Link', async () => {
      const rtos = await parseDemo(RTOS);
      const stack = await parseDemo(STACK);
      const lwip = componentNamed(rtos, 'lwIP', '2.1.3');
      expect(lwip.externalReferences.find((r) => r.type === 'bom')!.url).toBe(bomLinkTo(stack));
    });

    it('crosses into a document of another vendor at every hop', async () => {
      const chain = await Promise.all([PUMP, BOARD, MODULE, SOC_SDK, RTOS, STACK].map(parseDemo));
      const vendors = chain.map((sbom) => vendorKey(subjectOf(sbom)));
      expect(new Set(vendors).size).toBe(6);
      expect(vendors).not.toContain(undefined);
    });

    it('ends at a stack the catalogue recognises by purl', async () => {
      const stack = subjectOf(await parseDemo(STACK));
      const versionless = purlKey(stack)!.replace(/@[^@/]*$/, '');
      expect(CATALOGUE.find((s) => s.purls.includes(versionless))?.id).toBe('lwip');
    });
  });

  it('puts the same Wi-Fi module version in two products of two vendors (a diamond)', async () => {
    const module = await parseDemo(MODULE);
    const board = await parseDemo(BOARD);
    const monitor = await parseDemo(MONITOR);
    expect(vendorKey(subjectOf(board))).not.toBe(vendorKey(subjectOf(monitor)));
    expect(componentNamed(board, 'nw-wm200-firmware', '4.2.1')).toBeDefined();
    expect(purlKey(componentNamed(monitor, 'nw-wm200-firmware', '4.2.1'))).toBe(purlKey(subjectOf(module)));
  });

  it("refers to the module SBOM from the monitor's SPDX document by its namespace and checksum", async () => {
    const module = await parseDemo(MODULE);
    const monitor = await parseDemo(MONITOR);
    const sha1 = createHash('sha1').update(readFileSync(join(SBOM_DIR, MODULE))).digest('hex');
    expect(monitor.documentReferences).toContainEqual({ id: 'DocumentRef-nw-wm200-4.2.1', target: module.serialNumber, checksum: { alg: 'SHA-1', value: sha1 } });
  });

  it('leaves Treck an open hop: a supplier in the board SBOM that publishes no SBOM here', async () => {
    const board = await parseDemo(BOARD);
    const treck = componentNamed(board, 'Treck TCP/IP', '6.0.1.41');
    const subjectVendors = await Promise.all(SBOM_FILES.map(async (f) => vendorKey(subjectOf(await parseDemo(f)))));
    expect(subjectVendors).not.toContain(vendorKey(treck));
  });

  it('holds a rebranded stack that the catalogue traces back to Treck', async () => {
    const monitor = await parseDemo(MONITOR);
    const kasago = componentNamed(monitor, 'KASAGO TCP/IP middleware', '5.2.0');
    const versionless = purlKey(kasago)!.replace(/@[^@/]*$/, '');
    const entry = CATALOGUE.find((s) => s.purls.includes(versionless));
    expect(entry).toMatchObject({ id: 'kasago', derivedFrom: 'treck', relation: 'rebrand' });
    expect(entry!.aliases).toContain(kasago.name);
  });

  it('describes an older module firmware with an older lwIP, so the fix has a history', async () => {
    const older = await parseDemo(MODULE_OLD);
    const newer = await parseDemo(MODULE);
    const lwipVersion = (sbom: ParsedSbom) => sbom.components.find((c) => c.name === 'lwIP')?.version;
    expect(subjectOf(older).version).toBe('4.1.0');
    expect(lwipVersion(older)).toBe('2.1.2');
    expect(lwipVersion(newer)).toBe('2.2.0');
  });
});
