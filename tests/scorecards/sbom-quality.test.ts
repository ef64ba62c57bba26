import { describe, expect, it } from 'vitest';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { QUALITY_ELEMENTS, sbomQuality, sbomQualityMissing, type QualityElement, type SbomQuality } from '../../src/scorecards/sbom-quality.js';
import type { SbomRecord } from '../../src/model/sbom-record.js';
import { BACKENDS, useTestDb, type TestDb } from '../helpers/test-db.js';
import { cdxJson, demoSbom, MODULE, PUMP } from '../helpers/demo-sboms.js';

const SUBJECT = { 'bom-ref': 'device', type: 'device', name: 'test-device', version: '1.0', supplier: { name: 'Test Vendor GmbH' } };
const METADATA = {
  timestamp: '2026-11-01T00:00:00Z',
  lifecycles: [{ phase: 'build' }],
  authors: [{ name: 'Test Vendor PSIRT' }],
  tools: { components: [{ type: 'application', name: 'sbom-maker', version: '1.0' }] },
  component: SUBJECT,
};

/**
 * Four components, each element's coverage known by hand:
 * - a: supplier, version, purl, SHA-256, MIT; the subject depends on it, it depends on b;
 * - b: supplier, version, CPE, a licence name, no hash; depended on by a;
 * - c: nested in a (CONTAINS), manufacturer only, no version, no identifier, no licence;
 * - d: no supplier, version, a hash as its only identifier, licence NOASSERTION, in no edge.
 */
const FOUR_COMPONENTS = [
  {
    'bom-ref': 'a', type: 'library', name: 'alpha', version: '1.0', supplier: { name: 'Alpha Ltd' }, purl: 'pkg:generic/alpha/alpha@1.0',
    hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }], licenses: [{ license: { id: 'MIT' } }],
    components: [{ 'bom-ref': 'c', type: 'library', name: 'gamma', manufacturer: { name: 'Gamma GmbH' } }],
  },
  { 'bom-ref': 'b', type: 'library', name: 'beta', version: '2.0', supplier: { name: 'Beta Inc' }, cpe: 'cpe:2.3:a:beta:beta:2.0:*:*:*:*:*:*:*', licenses: [{ license: { name: 'Beta EULA' } }] },
  { 'bom-ref': 'd', type: 'library', name: 'delta', version: '3.0', hashes: [{ alg: 'SHA-1', content: 'd'.repeat(40) }], licenses: [{ expression: 'NOASSERTION' }] },
];
const FOUR_DEPENDENCIES = [{ ref: 'device', dependsOn: ['a'] }, { ref: 'a', dependsOn: ['b'] }];

/** An SPDX 2.3 document: the described device and three packages, NOASSERTION and NONE standing for missing values. */
function spdxDocument(): string {
  const pkg = (id: string, extra: Record<string, unknown>) => ({ SPDXID: `SPDXRef-${id}`, name: id, downloadLocation: 'NOASSERTION', filesAnalyzed: false, ...extra });
  return JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'spdx-device-1.0',
    documentNamespace: 'https://test.example/spdx/device-1.0',
    creationInfo: { created: '2026-11-02T00:00:00Z', creators: ['Organization: Test Vendor GmbH', 'Tool: spdx-maker-2.0'] },
    packages: [
      pkg('device', { versionInfo: '1.0', supplier: 'Organization: Test Vendor GmbH' }),
      pkg('one', { versionInfo: '1.1', supplier: 'Organization: One Corp', licenseConcluded: 'MIT', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/one@1.1' }] }),
      pkg('two', { versionInfo: '2.2', supplier: 'NOASSERTION', licenseConcluded: 'NOASSERTION', licenseDeclared: 'NOASSERTION' }),
      pkg('three', { versionInfo: 'NOASSERTION', licenseConcluded: 'NONE', checksums: [{ algorithm: 'SHA256', checksumValue: '3'.repeat(64) }] }),
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-device' },
      { spdxElementId: 'SPDXRef-device', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-one' },
      { spdxElementId: 'SPDXRef-two', relationshipType: 'DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-one' },
    ],
  });
}

async function ingest(t: TestDb, text: string): Promise<SbomRecord> {
  const outcome = await ingestSbom(t.db, Buffer.from(text));
  if (outcome.status !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
  return outcome.record;
}

async function qualityOf(t: TestDb, sbomId: number): Promise<SbomQuality> {
  const quality = (await sbomQuality(t.db, [sbomId])).get(sbomId);
  if (!quality) throw new Error(`no quality for sbom ${sbomId}`);
  return quality;
}

/** `element: covered/total percent` per element, for comparing all of them at a glance. */
function summary(q: SbomQuality): Record<string, string> {
  return Object.fromEntries(q.elements.map((e) => [e.element, `${e.covered}/${e.total} ${e.percent ?? 'null'}`]));
}

async function missingNames(t: TestDb, sbomId: number, element: QualityElement): Promise<string[]> {
  return (await sbomQualityMissing(t.db, sbomId, element, { first: 100 })).map((c) => c.name);
}

describe.each(BACKENDS)('sbomQuality on %s', (backend) => {
  const db = useTestDb(backend);

  it('gives each element over the components without the subject, and the components that miss it', async () => {
    const t = db();
    const record = await ingest(t, cdxJson(FOUR_COMPONENTS, { metadata: METADATA, dependencies: FOUR_DEPENDENCIES }));
    expect(record.lifecycles).toEqual(['build']);
    const q = await qualityOf(t, record.id);
    expect(q.components).toBe(4);
    expect(summary(q)).toEqual({
      SUPPLIER: '3/4 75',
      COMPONENT_NAME: '4/4 100',
      VERSION: '3/4 75',
      UNIQUE_IDENTIFIER: '3/4 75',
      DEPENDENCY_RELATIONSHIP: '3/4 75',
      SBOM_AUTHOR: '1/1 100',
      TIMESTAMP: '1/1 100',
      COMPONENT_HASH: '2/4 50',
      LICENSE: '2/4 50',
      TOOL_NAME: '1/1 100',
      GENERATION_CONTEXT: '1/1 100',
    });
    // (75 + 100 + 75 + 75 + 75 + 100 + 100) / 7 = 85.71; (50 + 50 + 100 + 100) / 4
    expect(q).toMatchObject({ sbomId: record.id, ntiaPercent: 85.7, cisaPercent: 75 });
    expect(q.elements.map((e) => [e.element, e.set, e.scope])).toEqual(QUALITY_ELEMENTS.map((e) => [e.element, e.set, e.scope]));

    expect(await sbomQualityMissing(t.db, record.id, 'SUPPLIER', { first: 10 })).toEqual([{ sbomId: record.id, index: 4, ref: 'd', name: 'delta', version: '3.0' }]);
    expect(await missingNames(t, record.id, 'VERSION')).toEqual(['gamma']);
    expect(await missingNames(t, record.id, 'UNIQUE_IDENTIFIER')).toEqual(['gamma']);
    expect(await missingNames(t, record.id, 'DEPENDENCY_RELATIONSHIP')).toEqual(['delta']);
    expect(await missingNames(t, record.id, 'COMPONENT_HASH')).toEqual(['gamma', 'beta']);
    expect(await missingNames(t, record.id, 'LICENSE')).toEqual(['gamma', 'delta']);
    expect(await missingNames(t, record.id, 'COMPONENT_NAME')).toEqual([]);
    expect(await missingNames(t, record.id, 'TIMESTAMP')).toEqual([]);
  });

  it('pages the components that miss an element by position', async () => {
    const t = db();
    const record = await ingest(t, cdxJson(FOUR_COMPONENTS, { metadata: METADATA, dependencies: FOUR_DEPENDENCIES }));
    const first = await sbomQualityMissing(t.db, record.id, 'COMPONENT_HASH', { first: 1 });
    expect(first.map((c) => [c.index, c.name, c.version])).toEqual([[2, 'gamma', undefined]]);
    const second = await sbomQualityMissing(t.db, record.id, 'COMPONENT_HASH', { first: 1, after: first[0]!.index });
    expect(second.map((c) => c.name)).toEqual(['beta']);
    expect(await sbomQualityMissing(t.db, record.id, 'COMPONENT_HASH', { first: 1, after: second[0]!.index })).toEqual([]);
  });

  it('counts a generation context only when the document states a lifecycle', async () => {
    const t = db();
    const { lifecycles: _, ...withoutLifecycles } = METADATA;
    const without = await ingest(t, cdxJson(FOUR_COMPONENTS, { metadata: withoutLifecycles, dependencies: FOUR_DEPENDENCIES }));
    const custom = await ingest(t, cdxJson(FOUR_COMPONENTS, { metadata: { ...METADATA, lifecycles: [{ name: 'field-audit', description: 'read from a device in service' }] }, dependencies: FOUR_DEPENDENCIES }));
    expect(without.lifecycles).toEqual([]);
    expect(custom.lifecycles).toEqual(['field-audit']);
    const qualities = await sbomQuality(t.db, [without.id, custom.id]);
    expect(summary(qualities.get(without.id)!).GENERATION_CONTEXT).toBe('0/1 0');
    expect(qualities.get(without.id)!.cisaPercent).toBe(50); // (50 + 50 + 100 + 0) / 4
    expect(summary(qualities.get(custom.id)!).GENERATION_CONTEXT).toBe('1/1 100');
  });

  it('reads an SPDX document: NOASSERTION supplier and version, NOASSERTION and NONE licences count as missing', async () => {
    const t = db();
    const record = await ingest(t, spdxDocument());
    expect(record.lifecycles).toEqual([]);
    const q = await qualityOf(t, record.id);
    expect(q.components).toBe(3);
    expect(summary(q)).toEqual({
      SUPPLIER: '1/3 33.3',
      COMPONENT_NAME: '3/3 100',
      VERSION: '2/3 66.7',
      UNIQUE_IDENTIFIER: '2/3 66.7',
      DEPENDENCY_RELATIONSHIP: '2/3 66.7',
      SBOM_AUTHOR: '1/1 100',
      TIMESTAMP: '1/1 100',
      COMPONENT_HASH: '1/3 33.3',
      LICENSE: '1/3 33.3',
      TOOL_NAME: '1/1 100',
      GENERATION_CONTEXT: '0/1 0',
    });
    // (33.3 + 100 + 66.7 + 66.7 + 66.7 + 100 + 100) / 7 = 76.2; (33.3 + 33.3 + 100 + 0) / 4 = 41.65
    expect(q).toMatchObject({ ntiaPercent: 76.2, cisaPercent: 41.7 });
    expect(await missingNames(t, record.id, 'SUPPLIER')).toEqual(['two', 'three']);
    expect(await missingNames(t, record.id, 'VERSION')).toEqual(['three']);
    expect(await missingNames(t, record.id, 'LICENSE')).toEqual(['two', 'three']);
    expect(await missingNames(t, record.id, 'DEPENDENCY_RELATIONSHIP')).toEqual(['three']);
  });

  it('gives null percents, not 100, for a document without components', async () => {
    const t = db();
    const record = await ingest(t, cdxJson([], { metadata: METADATA }));
    const q = await qualityOf(t, record.id);
    expect(q.components).toBe(0);
    for (const e of q.elements.filter((x) => x.scope === 'COMPONENT')) expect(e).toMatchObject({ covered: 0, total: 0, percent: null });
    expect(summary(q)).toMatchObject({ SBOM_AUTHOR: '1/1 100', TIMESTAMP: '1/1 100', TOOL_NAME: '1/1 100', GENERATION_CONTEXT: '1/1 100' });
    expect(q).toMatchObject({ ntiaPercent: null, cisaPercent: null });
  });

  it('lists, for every element, exactly the components the count leaves out', async () => {
    const t = db();
    const records = [
      await ingest(t, cdxJson(FOUR_COMPONENTS, { metadata: METADATA, dependencies: FOUR_DEPENDENCIES })),
      await ingest(t, spdxDocument()),
      await ingest(t, demoSbom(MODULE).toString('utf8')),
    ];
    const qualities = await sbomQuality(t.db, records.map((r) => r.id));
    for (const record of records) {
      for (const e of qualities.get(record.id)!.elements.filter((x) => x.scope === 'COMPONENT')) {
        const missing = await sbomQualityMissing(t.db, record.id, e.element, { first: 1000 });
        expect([record.id, e.element, missing.length]).toEqual([record.id, e.element, e.total - e.covered]);
      }
    }
  });

  it('answers for many documents at once and leaves out ids that name none', async () => {
    const t = db();
    const four = await ingest(t, cdxJson(FOUR_COMPONENTS, { metadata: METADATA, dependencies: FOUR_DEPENDENCIES }));
    const spdx = await ingest(t, spdxDocument());
    const empty = await ingest(t, cdxJson([], { metadata: METADATA }));
    const qualities = await sbomQuality(t.db, [empty.id, four.id, spdx.id, 999_999, four.id]);
    expect([...qualities.keys()].sort((a, b) => a - b)).toEqual([four.id, spdx.id, empty.id].sort((a, b) => a - b));
    expect([qualities.get(four.id)!.components, qualities.get(spdx.id)!.components, qualities.get(empty.id)!.components]).toEqual([4, 3, 0]);
    expect(await sbomQuality(t.db, [])).toEqual(new Map());
  });

  it('rates the demo SBOMs: the infusion pump complete, the Wi-Fi module short of hashes and of a lifecycle', async () => {
    const t = db();
    const pump = await ingest(t, demoSbom(PUMP).toString('utf8'));
    const module = await ingest(t, demoSbom(MODULE).toString('utf8'));
    expect([pump.lifecycles, module.lifecycles]).toEqual([['build'], []]);
    const qualities = await sbomQuality(t.db, [pump.id, module.id]);
    // Counted by hand from sboms/infusion-pump-ip3000-2.4.0.cdx.json: ten components besides the firmware, every one
    // with a supplier, version, purl, hash and licence, and in the graph (nested or in dependencies).
    const full = (n: number) => `${n}/${n} 100`;
    expect(qualities.get(pump.id)!.components).toBe(10);
    expect(summary(qualities.get(pump.id)!)).toEqual(Object.fromEntries(QUALITY_ELEMENTS.map((e) => [e.element, full(e.scope === 'COMPONENT' ? 10 : 1)])));
    expect(qualities.get(pump.id)).toMatchObject({ ntiaPercent: 100, cisaPercent: 100 });
    // sboms/northwind-wm200-4.2.1.spdx.json: five packages besides the firmware; only nw-hostif and hsw-wlan-driver
    // carry checksums (FreeRTOS, lwIP and Mbed TLS have none), and SPDX 2 has no field for the lifecycle.
    const q = qualities.get(module.id)!;
    expect(summary(q)).toEqual({
      SUPPLIER: '5/5 100',
      COMPONENT_NAME: '5/5 100',
      VERSION: '5/5 100',
      UNIQUE_IDENTIFIER: '5/5 100',
      DEPENDENCY_RELATIONSHIP: '5/5 100',
      SBOM_AUTHOR: '1/1 100',
      TIMESTAMP: '1/1 100',
      COMPONENT_HASH: '2/5 40',
      LICENSE: '5/5 100',
      TOOL_NAME: '1/1 100',
      GENERATION_CONTEXT: '0/1 0',
    });
    expect(q).toMatchObject({ ntiaPercent: 100, cisaPercent: 60 }); // (40 + 100 + 100 + 0) / 4
    expect(await missingNames(t, module.id, 'COMPONENT_HASH')).toEqual(['FreeRTOS-Kernel', 'lwIP', 'mbedtls']);
  });
});
