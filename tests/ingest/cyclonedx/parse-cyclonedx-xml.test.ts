import { describe, expect, it } from 'vitest';
import type { ParsedSbom } from '../../../src/model/sbom.js';
import { parseSbom } from '../../../src/ingest/parse-sbom.js';
import { CORPUS_AVAILABLE, CORPUS_SKIP_REASON, corpusCases } from '../../helpers/corpus.js';
import { checkCorpusCase } from './cyclonedx-corpus.js';

const encode = (text: string) => new TextEncoder().encode(text);

async function parse(text: string): Promise<ParsedSbom> {
  const result = await parseSbom(encode(text));
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.sbom;
}

const SERIAL = 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79';
const SHA256 = 'AB'.repeat(32);
const BOM_LINK = 'urn:cdx:f08a6ccd-4dce-4759-bd84-c626675d60a7/1#wifi';

/** One 1.6 BOM, written once as JSON and once as XML. */
const BOM_1_6_JSON = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: SERIAL,
  version: 3,
  metadata: {
    timestamp: '2026-03-04T05:06:07Z',
    tools: { components: [{ type: 'application', group: 'acme', name: 'sbom-gen', version: '2.0' }] },
    authors: [{ name: 'Jane Doe', email: 'jane@oem.example' }],
    component: {
      type: 'device',
      'bom-ref': 'pump',
      supplier: { name: 'Pump OEM Inc', url: ['https://oem.example'] },
      name: 'Infusion Pump',
      version: '4.2',
      components: [{ type: 'firmware', 'bom-ref': 'pump-fw', name: 'pump firmware', version: '4.2.0' }],
    },
    manufacturer: { name: 'Pump OEM Inc' },
    supplier: { name: 'Pump OEM Inc', url: ['https://oem.example'], contact: [{ name: 'PSIRT', email: 'psirt@oem.example' }] },
  },
  components: [
    {
      type: 'library',
      'bom-ref': 'wifi',
      supplier: { name: 'Module Vendor GmbH' },
      group: 'mv',
      name: 'wifi module & stack',
      version: '1.0',
      description: 'module <b>',
      scope: 'required',
      hashes: [{ alg: 'SHA-256', content: SHA256 }],
      licenses: [{ license: { id: 'MIT' } }, { license: { name: 'Vendor EULA' } }],
      copyright: '(c) MV',
      cpe: 'cpe:2.3:h:mv:wifi:1.0:*:*:*:*:*:*:*',
      purl: 'pkg:generic/mv/wifi@1.0',
      externalReferences: [
        { type: 'bom', url: BOM_LINK },
        { type: 'website', url: 'https://mv.example' },
      ],
      components: [{ type: 'library', 'bom-ref': 'treck', name: 'tcpip', version: '6.0.1.67', licenses: [{ expression: 'LicenseRef-Treck OR MIT' }] }],
    },
    { type: 'library', manufacturer: { name: 'Lib Maker' }, authors: [{ name: 'Alice' }], name: 'no-ref lib', version: '0.1' },
  ],
  services: [{ 'bom-ref': 'cloud', name: 'update service' }],
  dependencies: [
    { ref: 'pump', dependsOn: ['wifi', 'cloud'] },
    { ref: 'wifi', dependsOn: ['treck'] },
    { ref: 'treck' },
  ],
};

const BOM_1_6_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="${SERIAL}" version="3">
  <metadata>
    <timestamp>2026-03-04T05:06:07Z</timestamp>
    <tools><components><component type="application"><group>acme</group><name>sbom-gen</name><version>2.0</version></component></components></tools>
    <authors><author><name>Jane Doe</name><email>jane@oem.example</email></author></authors>
    <component type="device" bom-ref="pump">
      <supplier><name>Pump OEM Inc</name><url>https://oem.example</url></supplier>
      <name>Infusion Pump</name>
      <version>4.2</version>
      <components><component type="firmware" bom-ref="pump-fw"><name>pump firmware</name><version>4.2.0</version></component></components>
    </component>
    <manufacturer><name>Pump OEM Inc</name></manufacturer>
    <supplier><name>Pump OEM Inc</name><url>https://oem.example</url><contact><name>PSIRT</name><email>psirt@oem.example</email></contact></supplier>
  </metadata>
  <components>
    <component type="library" bom-ref="wifi">
      <supplier><name>Module Vendor GmbH</name></supplier>
      <group>mv</group>
      <name>wifi module &amp; stack</name>
      <version>1.0</version>
      <description><![CDATA[module <b>]]></description>
      <scope>required</scope>
      <hashes><hash alg="SHA-256">${SHA256}</hash></hashes>
      <licenses><license><id>MIT</id></license><license><name>Vendor EULA</name></license></licenses>
      <copyright>(c) MV</copyright>
      <cpe>cpe:2.3:h:mv:wifi:1.0:*:*:*:*:*:*:*</cpe>
      <purl>pkg:generic/mv/wifi@1.0</purl>
      <externalReferences>
        <reference type="bom"><url>${BOM_LINK}</url></reference>
        <reference type="website"><url>https://mv.example</url></reference>
      </externalReferences>
      <components>
        <component type="library" bom-ref="treck"><name>tcpip</name><version>6.0.1.67</version><licenses><expression>LicenseRef-Treck OR MIT</expression></licenses></component>
      </components>
    </component>
    <component type="library">
      <manufacturer><name>Lib Maker</name></manufacturer>
      <authors><author><name>Alice</name></author></authors>
      <name>no-ref lib</name>
      <version>0.1</version>
    </component>
  </components>
  <services><service bom-ref="cloud"><name>update service</name></service></services>
  <dependencies>
    <dependency ref="pump"><dependency ref="wifi"/><dependency ref="cloud"/></dependency>
    <dependency ref="wifi"><dependency ref="treck"/></dependency>
    <dependency ref="treck"/>
  </dependencies>
</bom>
`;

/** A 1.2 BOM with the legacy shapes: a tools list, a text author, metadata.manufacture. */
const BOM_1_2_JSON = {
  bomFormat: 'CycloneDX',
  specVersion: '1.2',
  serialNumber: SERIAL,
  version: 1,
  metadata: {
    timestamp: '2020-04-07T07:01:00Z',
    tools: [{ vendor: 'CycloneDX', name: 'cyclonedx-maven-plugin', version: '2.1.0' }],
    component: { type: 'application', 'bom-ref': 'app', author: 'Jane Doe', name: 'app', version: '1' },
    manufacture: { name: 'App Maker' },
  },
  components: [{ type: 'library', 'bom-ref': 'lib', publisher: 'Acme', name: 'lib', version: '2', hashes: [{ alg: 'MD5', content: '3942447fac867ae5cdb3229b658f4d48' }] }],
  dependencies: [{ ref: 'app', dependsOn: ['lib'] }],
};

const BOM_1_2_XML = `<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.2" serialNumber="${SERIAL}" version="1">
  <metadata>
    <timestamp>2020-04-07T07:01:00Z</timestamp>
    <tools><tool><vendor>CycloneDX</vendor><name>cyclonedx-maven-plugin</name><version>2.1.0</version></tool></tools>
    <component type="application" bom-ref="app"><author>Jane Doe</author><name>app</name><version>1</version></component>
    <manufacture><name>App Maker</name></manufacture>
  </metadata>
  <components>
    <component type="library" bom-ref="lib"><publisher>Acme</publisher><name>lib</name><version>2</version><hashes><hash alg="MD5">3942447fac867ae5cdb3229b658f4d48</hash></hashes></component>
  </components>
  <dependencies><dependency ref="app"><dependency ref="lib"/></dependency></dependencies>
</bom>
`;

describe.skipIf(!CORPUS_AVAILABLE)(`parseCycloneDxXml on the corpus${CORPUS_AVAILABLE ? '' : ` (skipped: ${CORPUS_SKIP_REASON})`}`, () => {
  const cases = corpusCases().filter((c) => c.format === 'cyclonedx-xml');

  it('finds the CycloneDX XML cases in MANIFEST', () => {
    expect(cases.length).toBeGreaterThan(200);
  });

  // For XML, MANIFEST counts every <component> outside <metadata>, pedigree ancestors/variants and formulation
  // components included, which are not components of the BOM; the spec-suite files that have some are only
  // held to "at most". Real documents have none, and their count must match exactly.
  it.each(cases.map((c) => [c.path, c] as const))('%s matches its MANIFEST verdict and component count', async (_path, c) => {
    await checkCorpusCase(c, c.origin === 'real' ? 'exact' : 'at most');
  });
});

describe('parseCycloneDxXml', () => {
  it('maps a BOM exactly as the JSON of the same BOM (1.6)', async () => {
    const fromJson = await parse(JSON.stringify(BOM_1_6_JSON));
    const fromXml = await parse(BOM_1_6_XML);
    expect(fromXml.format).toBe('cyclonedx-xml');
    expect({ ...fromXml, format: 'cyclonedx-json' }).toEqual(fromJson);
    expect(fromXml).toMatchObject({ schemaValid: true, issues: [], subjectRefs: ['pump'], documentVersion: 3 });
    expect(fromXml.components.map((c) => c.ref)).toEqual(['pump', 'pump-fw', 'wifi', 'treck', '#/components/1']);
    expect(fromXml.components[2]).toMatchObject({ name: 'wifi module & stack', description: 'module <b>', hashes: [{ alg: 'SHA-256', value: 'ab'.repeat(32) }] });
    expect(fromXml.documentReferences).toEqual([{ id: 'wifi', target: BOM_LINK, checksum: undefined }]);
  });

  it('maps a BOM exactly as the JSON of the same BOM (1.2 legacy tools and author)', async () => {
    const fromJson = await parse(JSON.stringify(BOM_1_2_JSON));
    const fromXml = await parse(BOM_1_2_XML);
    expect({ ...fromXml, format: 'cyclonedx-json' }).toEqual(fromJson);
    expect(fromXml).toMatchObject({
      schemaValid: true,
      tools: [{ name: 'cyclonedx-maven-plugin', vendor: 'CycloneDX', version: '2.1.0' }],
      authors: [{ name: 'Jane Doe', kind: 'person' }],
      supplier: { name: 'App Maker' },
      relationships: [{ from: 'app', to: 'lib', type: 'DEPENDS_ON', originalType: 'dependsOn' }],
    });
  });

  it('reads <lifecycles> as the JSON reads metadata.lifecycles (1.5+ phases and custom names)', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="${SERIAL}" version="1">
  <metadata>
    <timestamp>2026-03-04T05:06:07Z</timestamp>
    <lifecycles>
      <lifecycle><phase>post-build</phase></lifecycle>
      <lifecycle><name>field-audit</name><description>read from a device in service</description></lifecycle>
    </lifecycles>
  </metadata>
</bom>`;
    const json = { bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: SERIAL, version: 1, metadata: { timestamp: '2026-03-04T05:06:07Z', lifecycles: [{ phase: 'post-build' }, { name: 'field-audit', description: 'read from a device in service' }] } };
    const fromXml = await parse(xml);
    expect(fromXml).toMatchObject({ schemaValid: true, issues: [], lifecycles: ['post-build', 'field-audit'] });
    expect({ ...fromXml, format: 'cyclonedx-json' }).toEqual(await parse(JSON.stringify(json)));
    const oneLifecycle = await parse(xml.replace(/<lifecycle><name>[\s\S]*?<\/lifecycle>/, ''));
    expect(oneLifecycle.lifecycles).toEqual(['post-build']);
  });

  it('reads a BOM whose elements carry a namespace prefix', async () => {
    const prefixed = BOM_1_2_XML.replace(/<(\/?)(?!\?)/g, '<$1cdx:').replace('xmlns=', 'xmlns:cdx=');
    const fromPrefixed = await parse(prefixed);
    expect(fromPrefixed).toEqual(await parse(BOM_1_2_XML));
  });

  it('decodes character references and predefined entities, and nothing else', async () => {
    const sbom = await parse(BOM_1_2_XML.replace('<name>lib</name>', '<name>l&#105;b &lt;&#x263A;&gt; &amp;amp;</name>'));
    expect(sbom.components[1]!.name).toBe('lib <\u263a> &amp;');
  });

  it('puts a dangling dependency ref on the line and column of its <dependency>', async () => {
    const text = BOM_1_2_XML.replace('<dependency ref="lib"/>', '<dependency ref="lib"/><dependency ref="ghost"/>');
    const sbom = await parse(text);
    const line = text.split('\n').findIndex((l) => l.includes('ref="ghost"')) + 1;
    expect(sbom.issues).toEqual([
      {
        code: 'DANGLING_REF',
        severity: 'warning',
        path: `line ${line}, column ${text.split('\n')[line - 1]!.indexOf('<dependency ref="app">') + 1}`,
        message: "dependency /dependencies/0 names 'ghost' in dependsOn, but no component in the BOM has that bom-ref",
      },
    ]);
    expect(sbom.relationships).toEqual([{ from: 'app', to: 'lib', type: 'DEPENDS_ON', originalType: 'dependsOn' }]);
  });

  it('reads an XSD-invalid BOM leniently, with the violation on its line, and rejects it in strict mode', async () => {
    const text = BOM_1_2_XML.replace('<component type="library" bom-ref="lib">', '<component type="gadget" bom-ref="lib">');
    const sbom = await parse(text);
    expect(sbom.schemaValid).toBe(false);
    expect(sbom.components[1]).toMatchObject({ ref: 'lib', type: 'gadget' });
    expect(sbom.issues).toEqual([expect.objectContaining({ code: 'SCHEMA_VIOLATION', severity: 'error', path: 'line 10', message: expect.stringContaining("'gadget'") })]);
    const strict = await parseSbom(encode(text), { strict: true });
    expect(strict).toEqual({ ok: false, format: 'cyclonedx-xml', specVersion: '1.2', issues: sbom.issues });
  });

  it('keeps refs unique when a bom-ref is used twice, which the XSD reports', async () => {
    const second = '<component type="library" bom-ref="lib"><name>lib2</name><version>1</version></component>';
    const sbom = await parse(BOM_1_2_XML.replace('</components>', `  ${second}\n  </components>`));
    expect(sbom.schemaValid).toBe(false);
    expect(sbom.components.map((c) => c.ref)).toEqual(['app', 'lib', '#/components/1']);
    expect(sbom.issues).toEqual([expect.objectContaining({ code: 'SCHEMA_VIOLATION', message: expect.stringContaining("Duplicate key-sequence ['lib']") })]);
  });

  it('rejects truncated XML with the line and column fast-xml-parser gives', async () => {
    const result = await parseSbom(encode(BOM_1_2_XML.slice(0, BOM_1_2_XML.indexOf('</components>') + 5)));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      expect.objectContaining({ code: 'SYNTAX_ERROR', severity: 'error', path: expect.stringMatching(/^line \d+, column \d+$/), message: expect.stringMatching(/^XML is not well-formed: /) }),
    ]);
  });

  it('rejects mismatched tags, naming both', async () => {
    const result = await parseSbom(encode(BOM_1_2_XML.replace('<name>lib</name>', '<name>lib</nam>')));
    expect(!result.ok && result.issues).toEqual([
      { code: 'SYNTAX_ERROR', severity: 'error', path: 'line 10, column 81', message: "XML is not well-formed: Expected closing tag 'name' (opened in line 10, col 72) instead of closing tag 'nam'." },
    ]);
  });
});
