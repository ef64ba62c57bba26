/**
 * The advisory set patchpath ships (src/advisories/data/*.cdx.json, built as SOURCES.md there says): CycloneDX 1.6
 * VDR documents, one per disclosure, that must be schema-valid, read cleanly through parseAdvisory, identify every
 * stack as the catalogue does, and hold exactly the researched facts of ../shared/data/tcpip-advisories.json
 * (read in place, never copied; that comparison skips, saying why, when the shared data is absent).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedAdvisory, VexStatement } from '../../src/model/advisory.js';
import { parseAdvisory } from '../../src/advisories/parse-advisory.js';
import { parseVersionRange } from '../../src/advisories/parse-version-range.js';
import { compareVersions, isVersionInRange } from '../../src/chains/version-order.js';
import { getCycloneDxJsonValidator } from '../../src/ingest/cyclonedx/cyclonedx-json-validator.js';

type Json = Record<string, any>;

const DATA_DIR = fileURLToPath(new URL('../../src/advisories/data/', import.meta.url));
const FILES = readdirSync(DATA_DIR).filter((f) => f.endsWith('.cdx.json')).sort();
const DOCS: Record<string, Json> = Object.fromEntries(FILES.map((f) => [f, JSON.parse(readFileSync(DATA_DIR + f, 'utf8'))]));
const VULNS: { file: string; v: Json }[] = FILES.flatMap((file) => (DOCS[file]!.vulnerabilities as Json[]).map((v) => ({ file, v })));

const CATALOGUE: { id: string; vendor: string; purls: string[]; cpes: string[] }[] = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../src/chains/tcpip-stacks.json', import.meta.url)), 'utf8'),
).stacks;

const SHARED = fileURLToPath(new URL('../../../shared/data/tcpip-advisories.json', import.meta.url));
const SHARED_AVAILABLE = existsSync(SHARED);
const SHARED_SKIP_REASON = `../shared/data/tcpip-advisories.json is absent (looked in ${SHARED}); comparing the shipped set with the researched facts needs the shared data beside the project`;

const DISCLOSURE_FILES: Record<string, string> = {
  'AMNESIA:33': 'amnesia-33.cdx.json',
  'INFRA:HALT': 'infra-halt.cdx.json',
  'NAME:WRECK': 'name-wreck.cdx.json',
  'NUCLEUS:13': 'nucleus-13.cdx.json',
  'NUMBER:JACK': 'number-jack.cdx.json',
  Ripple20: 'ripple20.cdx.json',
  'URGENT/11': 'urgent-11.cdx.json',
};

function props(item: Json, name: string): string[] {
  return ((item.properties ?? []) as Json[]).filter((p) => p.name === name).map((p) => p.value as string);
}

function vuln(id: string): Json {
  const found = VULNS.filter(({ v }) => v.id === id);
  expect(found, id).toHaveLength(1);
  return found[0]!.v;
}

function affectsOf(id: string, ref: string): Json[] {
  const a = (vuln(id).affects as Json[]).find((x) => x.ref === ref);
  expect(a, `${id} affects ${ref}`).toBeDefined();
  return a!.versions as Json[];
}

/** Constraints of a `vers:generic/...` range, `*` as no constraint. */
function constraints(range: string): { op: string; version: string }[] {
  const body = range.replace(/^vers:generic\//, '');
  if (body === '*') return [];
  return body.split('|').map((c) => {
    const m = /^(>=|<=|!=|<|>|=)?(.+)$/.exec(c)!;
    return { op: m[1] ?? '=', version: m[2]! };
  });
}

/** Whether a version is inside a vers range of the kind the shipped set uses (one interval, or `*`). */
function inRange(version: string, range: string): boolean {
  const read = parseVersionRange(range);
  expect(read.readable, range).toBe(true);
  return isVersionInRange(version, read.range);
}

const parsed = new Map<string, ParsedAdvisory>();

beforeAll(async () => {
  for (const f of FILES) {
    const r = await parseAdvisory(readFileSync(DATA_DIR + f));
    if (r.ok) parsed.set(f, r.advisory);
  }
});

function statements(id: string, ref: string): VexStatement[] {
  const file = VULNS.find(({ v }) => v.id === id)!.file;
  return parsed.get(file)!.statements.filter((s) => s.vulnerabilityId === id && s.product.ref === ref);
}

describe('the shipped advisory set (src/advisories/data)', () => {
  it('holds one CycloneDX 1.6 document per disclosure, each vulnerability tagged with its document\'s disclosure', () => {
    expect(FILES).toEqual(Object.values(DISCLOSURE_FILES).sort());
    for (const [disclosure, file] of Object.entries(DISCLOSURE_FILES)) {
      const doc = DOCS[file]!;
      expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
      expect(doc.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(props(doc.metadata, 'patchpath:disclosure')).toEqual([disclosure]);
      expect(doc.vulnerabilities.length).toBeGreaterThan(0);
      for (const v of doc.vulnerabilities as Json[]) expect(props(v, 'patchpath:disclosure'), v.id).toEqual([disclosure]);
    }
    const ids = VULNS.map(({ v }) => v.id as string);
    expect(new Set(ids).size, 'a CVE appears in one document only').toBe(ids.length);
  });

  it.each(FILES)('%s is valid against the CycloneDX 1.6 JSON schema', (file) => {
    const { valid, issues } = getCycloneDxJsonValidator('1.6')(DOCS[file]);
    expect(issues).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(FILES)('%s parses with parseAdvisory, schema-valid, without a dangling ref, an unreadable range or an unknown status', (file) => {
    const advisory = parsed.get(file);
    expect(advisory, `${file} was rejected by parseAdvisory`).toBeDefined();
    expect(advisory).toMatchObject({ format: 'cyclonedx-vex', specVersion: '1.6', schemaValid: true, publisher: { name: 'patchpath' } });
    expect(advisory!.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(advisory!.issues.filter((i) => ['DANGLING_REF', 'INVALID_VERSION_RANGE', 'UNKNOWN_STATUS'].includes(i.code))).toEqual([]);
    expect(advisory!.vulnerabilities.map((v) => v.id)).toEqual((DOCS[file]!.vulnerabilities as Json[]).map((v) => v.id));
    for (const v of DOCS[file]!.vulnerabilities as Json[]) {
      expect(advisory!.statements.some((s) => s.vulnerabilityId === v.id), v.id).toBe(true);
    }
  });

  it('identifies every component as the stack catalogue does: catalogue purl without version, catalogue CPE with * version, catalogue vendor', () => {
    for (const file of FILES) {
      const components = DOCS[file]!.components as Json[];
      const refs = new Set((DOCS[file]!.vulnerabilities as Json[]).flatMap((v) => (v.affects as Json[]).map((a) => a.ref)));
      for (const c of components) {
        const where = `${file} ${c['bom-ref']}`;
        const [stackId] = props(c, 'patchpath:stack');
        const stack = CATALOGUE.find((s) => s.id === stackId);
        expect(stack, `${where}: patchpath:stack '${stackId}' is a catalogue id`).toBeDefined();
        expect(c.supplier?.name, where).toBe(stack!.vendor);
        expect(c.purl ?? c.cpe, `${where} has a purl or a CPE`).toBeDefined();
        if (c.purl !== undefined) expect(stack!.purls, where).toContain(c.purl);
        if (c.cpe !== undefined) expect(stack!.cpes.map((p) => `${p}${':*'.repeat(8)}`), where).toContain(c.cpe);
        expect(c.version, `${where}: a stack component names no version`).toBeUndefined();
        expect(refs.has(c['bom-ref']), `${where} is affected by some vulnerability`).toBe(true);
      }
      const known = new Set(components.map((c) => c['bom-ref']));
      for (const ref of refs) expect(known.has(ref), `${file}: affects ref ${ref} names a component`).toBe(true);
    }
  });

  it('writes every range as a sorted vers:generic range, and never lists a fixed version inside its own affected range', () => {
    for (const { v } of VULNS) {
      for (const a of v.affects as Json[]) {
        const where = `${v.id} ${a.ref}`;
        expect(a.versions.length, where).toBeGreaterThan(0);
        const ranges = (a.versions as Json[]).filter((x) => x.range !== undefined);
        for (const x of a.versions as Json[]) {
          expect(['affected', 'unaffected'], where).toContain(x.status);
          if (x.range !== undefined) {
            expect(x.status, where).toBe('affected');
            expect(x.range, where).toMatch(/^vers:generic\/(\*|[^\s*]+)$/);
            expect(parseVersionRange(x.range).readable, x.range).toBe(true);
            const cs = constraints(x.range);
            for (let i = 1; i < cs.length; i++) expect(compareVersions(cs[i - 1]!.version, cs[i]!.version), `${where} ${x.range} is sorted`).toBeLessThan(0);
          }
        }
        for (const x of (a.versions as Json[]).filter((y) => y.status === 'unaffected')) {
          for (const r of ranges.filter((y) => y.range !== 'vers:generic/*')) expect(inRange(x.version, r.range), `${where}: ${x.version} in ${r.range}`).toBe(false);
        }
        if ((a.versions as Json[]).some((x) => x.range === 'vers:generic/*')) {
          expect(props(v, 'patchpath:note').some((n) => n.includes('vers:generic/*')), `${where}: a * range says why in a patchpath:note`).toBe(true);
        }
      }
    }
  });

  it('states analysis only as exploitable with will_not_fix, its detail being the remediation note', () => {
    const withAnalysis = VULNS.filter(({ v }) => v.analysis?.state !== undefined);
    expect(withAnalysis.length).toBeGreaterThan(0);
    for (const { v } of withAnalysis) {
      const { firstIssued: _date, ...analysis } = v.analysis;
      expect(analysis, v.id).toEqual({ state: 'exploitable', response: ['will_not_fix'], detail: expect.any(String) });
      expect(props(v, 'patchpath:note'), v.id).toContain(`Remediation: ${v.analysis.detail}`);
    }
    const s = statements('CVE-2020-27630', 'stack:uc-tcp-ip');
    // Dated by the CISA advisory that first covered it, where one did (SOURCES.md "Dates").
    const dated = VULNS.filter(({ v }) => v.analysis?.firstIssued !== undefined).map(({ v }) => `${v.id} ${v.analysis.firstIssued.slice(0, 10)}`);
    expect(dated).toHaveLength(63);
    expect(dated).toContain('CVE-2020-11896 2020-06-16');
    expect(dated).toContain('CVE-2019-12256 2019-10-01');
    expect(s.find((x) => x.statusOriginal === 'exploitable')).toMatchObject({ status: 'affected', remediations: [{ category: 'will_not_fix' }] });
  });

  describe(`against the researched facts${SHARED_AVAILABLE ? '' : ` (skipped: ${SHARED_SKIP_REASON})`}`, () => {
    const facts: Json[] = SHARED_AVAILABLE ? JSON.parse(readFileSync(SHARED, 'utf8')) : [];

    it.skipIf(!SHARED_AVAILABLE)('holds exactly the CVE ids of the shared file, each in its disclosure\'s document', () => {
      expect(VULNS.map(({ v }) => v.id).sort()).toEqual(facts.map((e) => e.id).sort());
      for (const e of facts) {
        const file = DISCLOSURE_FILES[e.disclosure];
        expect(file, `${e.id}: disclosure ${e.disclosure} has a document`).toBeDefined();
        expect(VULNS.find(({ v }) => v.id === e.id)!.file, e.id).toBe(file);
      }
    });

    it.skipIf(!SHARED_AVAILABLE)('gives each CVE the CVSS score, vector and scorer the shared file gives, and its other scores as further ratings', () => {
      for (const e of facts) {
        const v = vuln(e.id);
        const method = (vector: string) => (vector.startsWith('CVSS:3.1/') ? 'CVSSv31' : 'CVSSv3');
        expect(v.ratings[0], e.id).toMatchObject({ score: e.cvss, vector: e.cvss_vector, method: method(e.cvss_vector), source: { name: e.cvss_source } });
        const others = (e.cvss_other ?? []) as Json[];
        expect(v.ratings.slice(1), e.id).toEqual(others.map((o) => expect.objectContaining({ score: o.score, vector: o.vector, method: method(o.vector), source: expect.objectContaining({ name: o.source }) })));
        expect(parsed.get(VULNS.find((x) => x.v.id === e.id)!.file)!.vulnerabilities.find((x) => x.id === e.id)!.cvss[0]!.baseScore, e.id).toBe(e.cvss);
      }
    });

    it.skipIf(!SHARED_AVAILABLE)('carries each CVE\'s summary, CWEs, source URLs, version texts and notes', () => {
      for (const e of facts) {
        const v = vuln(e.id);
        expect(v.source, e.id).toEqual({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${e.id}` });
        expect(v.description, e.id).toBe(e.summary);
        expect(v.cwes ?? [], e.id).toEqual([...new Set([...(e.cwe as string).matchAll(/CWE-(\d+)/g)].map((m) => Number(m[1])))]);
        const urls = (v.advisories as Json[]).map((a) => decodeURI(a.url));
        for (const url of e.source as string[]) expect(urls, e.id).toContain(url);
        for (const a of v.advisories as Json[]) expect(a.title, `${e.id} ${a.url}`).toBeTruthy();
        expect(props(v, 'patchpath:affected-versions'), e.id).toEqual([e.affected_versions]);
        expect(props(v, 'patchpath:fixed-versions'), e.id).toEqual(e.fixed_versions === null ? [] : [e.fixed_versions]);
        const notes = props(v, 'patchpath:note');
        if (e.note) expect(notes, e.id).toContain(e.note);
        if (e.remediation_note) expect(notes, e.id).toContain(`Remediation: ${e.remediation_note}`);
        if (e.fixed_versions === null) {
          for (const a of v.affects as Json[]) expect((a.versions as Json[]).filter((x) => x.status === 'unaffected'), `${e.id}: no fix stated, none invented`).toEqual([]);
        }
      }
    });
  });

  describe('converted ranges (spot checks)', () => {
    it('Treck "before 6.0.1.66" (CVE-2020-11901): affected below 6.0.1.66, 6.0.1.66 unaffected', () => {
      expect(affectsOf('CVE-2020-11901', 'stack:treck')).toEqual([
        { range: 'vers:generic/<6.0.1.66', status: 'affected' },
        { version: '6.0.1.66', status: 'unaffected' },
      ]);
      const s = statements('CVE-2020-11901', 'stack:treck');
      const affected = s.find((x) => x.status === 'affected')!;
      expect(affected.ranges![0]).toMatchObject({ fixed: '6.0.1.66' });
      expect(isVersionInRange('6.0.1.65', affected.ranges![0]!)).toBe(true);
      expect(isVersionInRange('6.0.1.66', affected.ranges![0]!)).toBe(false);
      expect(s.find((x) => x.status === 'not_affected')).toMatchObject({ versions: ['6.0.1.66'], statusOriginal: 'unaffected' });
      expect(affectsOf('CVE-2020-11908', 'stack:treck')[0]).toEqual({ range: 'vers:generic/<4.7.1.27', status: 'affected' });
    });

    it('a versionEndIncluding bound uses <= (CVE-2020-13984 Contiki through 3.0; CVE-2021-27565 NicheStack through 4.0.1)', () => {
      expect(affectsOf('CVE-2020-13984', 'stack:contiki')).toEqual([{ range: 'vers:generic/<=3.0', status: 'affected' }]);
      expect(statements('CVE-2020-13984', 'stack:contiki').find((x) => x.ranges)!.ranges![0]).toMatchObject({ lastAffected: '3.0' });
      expect(inRange('3.0', 'vers:generic/<=3.0')).toBe(true);
      expect(affectsOf('CVE-2021-27565', 'stack:nichestack')).toEqual([
        { range: 'vers:generic/<=4.0.1', status: 'affected' },
        { version: '4.3', status: 'unaffected' },
      ]);
    });

    it('start and end bounds from NVD CPEs make one interval (CVE-2016-20009 VxWorks 6.5 to 7.0; CVE-2020-17441 MPLAB Harmony)', () => {
      expect(affectsOf('CVE-2016-20009', 'stack:ipnet')).toEqual([{ range: 'vers:generic/>=6.5|<=7.0', status: 'affected' }]);
      expect(statements('CVE-2016-20009', 'stack:ipnet')[0]!.ranges![0]).toMatchObject({ introduced: '6.5', lastAffected: '7.0' });
      expect(affectsOf('CVE-2020-17441', 'stack:mplab-harmony')).toEqual([{ range: 'vers:generic/>=3.0.0|<3.7.0', status: 'affected' }]);
    });

    it('Siemens "< V2017.02.4" loses its V, and "all versions" is * with a note (CVE-2021-31344)', () => {
      expect(affectsOf('CVE-2021-31344', 'stack:nucleus-readystart-v3')).toEqual([
        { range: 'vers:generic/<2017.02.4', status: 'affected' },
        { version: '2017.02.4', status: 'unaffected' },
      ]);
      expect(affectsOf('CVE-2021-31344', 'stack:nucleus-readystart-v4')).toEqual([
        { range: 'vers:generic/<4.1.1', status: 'affected' },
        { version: '4.1.1', status: 'unaffected' },
      ]);
      expect(affectsOf('CVE-2021-31344', 'stack:nucleus-net')).toEqual([{ range: 'vers:generic/*', status: 'affected' }]);
      expect(vuln('CVE-2021-31345').affects.map((a: Json) => a.ref)).not.toContain('stack:nucleus-readystart-v4');
    });

    it('URGENT/11: "6.6 through 6.9" covers 6.9.4 and stops before 7; "and VxWorks 7" stops at the fix 7 SR0620', () => {
      expect(affectsOf('CVE-2019-12257', 'stack:ipnet')[0]).toEqual({ range: 'vers:generic/>=6.6|<7', status: 'affected' });
      expect(inRange('6.9.4', 'vers:generic/>=6.6|<7')).toBe(true);
      expect(inRange('7.0', 'vers:generic/>=6.6|<7')).toBe(false);
      expect(affectsOf('CVE-2019-12256', 'stack:ipnet')).toEqual([
        { range: 'vers:generic/>=6.9|<7-SR0620', status: 'affected' },
        { version: '7-SR0620', status: 'unaffected' },
      ]);
      expect(inRange('7.0', 'vers:generic/>=6.9|<7-SR0620')).toBe(true);
      expect(inRange('6.8', 'vers:generic/>=6.9|<7-SR0620')).toBe(false);
      expect(compareVersions('7-SR0620', '7 SR0620')).toBe(0);
      expect(affectsOf('CVE-2019-12265', 'stack:ipnet')[0]).toEqual({ range: 'vers:generic/>=6.5|<=6.9.4', status: 'affected' });
    });

    it('no bound invented where the facts give none: * with a note (CVE-2019-12255, CVE-2020-24334 Contiki-NG)', () => {
      expect(affectsOf('CVE-2019-12255', 'stack:ipnet')[0]).toEqual({ range: 'vers:generic/*', status: 'affected' });
      expect(props(vuln('CVE-2019-12255'), 'patchpath:note').some((n) => n.startsWith('No version bound'))).toBe(true);
      expect(statements('CVE-2019-12255', 'stack:ipnet')[0]!.ranges![0]).toEqual({ scheme: 'vers', vers: 'vers:generic/*' });
      expect(affectsOf('CVE-2020-24334', 'stack:contiki-ng')).toEqual([{ range: 'vers:generic/*', status: 'affected' }]);
      expect(affectsOf('CVE-2020-24334', 'stack:uip')).toEqual([{ range: 'vers:generic/<=1.0', status: 'affected' }]);
    });

    it('exact versions stay exact (CVE-2020-27633 FNET 4.6.3, fixed 4.7.1)', () => {
      expect(affectsOf('CVE-2020-27633', 'stack:fnet')).toEqual([
        { version: '4.6.3', status: 'affected' },
        { version: '4.7.1', status: 'unaffected' },
      ]);
    });

    it('FreeBSD (CVE-2020-7461): one interval per release branch up to its fixed patch level', () => {
      const versions = affectsOf('CVE-2020-7461', 'stack:freebsd');
      const ranges = versions.filter((x) => x.range).map((x) => x.range as string);
      expect(ranges).toEqual([
        'vers:generic/>=11.3-RELEASE|<11.3-RELEASE-p13',
        'vers:generic/>=11.4-RELEASE|<11.4-RELEASE-p3',
        'vers:generic/>=12.1-RELEASE|<12.1-RELEASE-p9',
      ]);
      const affected = (v: string) => ranges.some((r) => inRange(v, r));
      expect(affected('12.1-RELEASE-p8')).toBe(true);
      expect(affected('12.1-RELEASE-p9')).toBe(false);
      expect(affected('12.1-RELEASE-p10')).toBe(false);
      expect(affected('11.4-RELEASE-p2')).toBe(true);
      expect(affected('12.2-RELEASE')).toBe(false);
    });
  });
});
