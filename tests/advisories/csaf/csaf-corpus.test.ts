/**
 * The CISA CSAF advisories of ../shared/corpus/csaf/ (copied from cisagov/CSAF, see ../shared/corpus/SOURCES.md),
 * read in place. Every expectation is computed here from the raw JSON, never taken from the parser.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAdvisory } from '../../../src/advisories/parse-advisory.js';
import type { ParsedAdvisory } from '../../../src/model/advisory.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const CSAF_DIR = join(CORPUS_DIR, 'csaf');
const AVAILABLE = existsSync(CSAF_DIR);
const SKIP_REASON = `../shared/corpus/csaf is absent (looked in ${CSAF_DIR}); the CISA CSAF corpus test needs the shared corpus beside the project`;
const NOTES_FILE = fileURLToPath(new URL('../../../../shared/data/tcpip-advisories.json', import.meta.url));

type Raw = { vulnerabilities?: { cve?: string; ids?: { text: string }[]; notes?: { category: string; text: string }[]; product_status?: Record<string, string[]>; scores?: { cvss_v3?: { baseScore: number } }[] }[] };

const files = AVAILABLE ? readdirSync(CSAF_DIR).filter((f) => f.endsWith('.json')).sort() : [];
const raw = (file: string): Raw => JSON.parse(readFileSync(join(CSAF_DIR, file), 'utf8')) as Raw;

/** What the document holds: vulnerabilities that have an id, and one entry per product id per product_status list. */
function expected(doc: Raw) {
  const vulnerabilities = (doc.vulnerabilities ?? []).filter((v) => v.cve || v.ids?.length);
  const byList: Record<string, number> = {};
  for (const v of vulnerabilities) for (const [list, ids] of Object.entries(v.product_status ?? {})) byList[list] = (byList[list] ?? 0) + ids.length;
  return { vulnerabilities: vulnerabilities.map((v) => v.cve ?? v.ids![0]!.text), statements: Object.values(byList).reduce((a, b) => a + b, 0), byList };
}

async function read(file: string): Promise<ParsedAdvisory> {
  const r = await parseAdvisory(readFileSync(join(CSAF_DIR, file)));
  if (!r.ok) throw new Error(`${file} rejected: ${JSON.stringify(r.issues.slice(0, 5))}`);
  return r.advisory;
}

const totals = files.map((f) => expected(raw(f))).reduce((t, e) => ({ vulnerabilities: t.vulnerabilities + e.vulnerabilities.length, statements: t.statements + e.statements }), { vulnerabilities: 0, statements: 0 });

describe.skipIf(!AVAILABLE)(`parseAdvisory on the CISA CSAF corpus${AVAILABLE ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s ingests, schema-valid, with the vulnerabilities and statements it has', async (file) => {
    const want = expected(raw(file));
    const advisory = await read(file);
    expect(advisory).toMatchObject({ format: 'csaf', specVersion: '2.0', schemaValid: true });
    expect(advisory.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(advisory.vulnerabilities.map((v) => v.id)).toEqual(want.vulnerabilities);
    expect(advisory.statements).toHaveLength(want.statements);
    const byList: Record<string, number> = {};
    for (const s of advisory.statements) byList[s.statusOriginal] = (byList[s.statusOriginal] ?? 0) + 1;
    expect(byList).toEqual(want.byList);
    expect(advisory.issues.filter((i) => i.code === 'DANGLING_REF')).toEqual([]);
  });

  it(`gives ${files.length} documents, ${totals.vulnerabilities} vulnerabilities and ${totals.statements} statements in all`, async () => {
    let vulnerabilities = 0;
    let statements = 0;
    for (const file of files) {
      const advisory = await read(file);
      vulnerabilities += advisory.vulnerabilities.length;
      statements += advisory.statements.length;
    }
    expect({ vulnerabilities, statements }).toEqual(totals);
  });

  describe('records what ICSMA-19-274-01 (URGENT/11) says, known mapping errors included', () => {
    const file = 'icsma-19-274-01.json';
    const present = files.includes(file);

    it.skipIf(!present)('keeps the CVE-2019-12259 and CVE-2019-12264 summaries and scores as written, though they read swapped', async () => {
      const doc = raw(file);
      const advisory = await read(file);
      for (const cve of ['CVE-2019-12259', 'CVE-2019-12264']) {
        const v = doc.vulnerabilities!.find((x) => x.cve === cve)!;
        const parsed = advisory.vulnerabilities.find((x) => x.id === cve)!;
        expect(parsed.summary).toBe(v.notes!.filter((n) => n.category === 'summary').map((n) => n.text).join('\n\n'));
        expect(parsed.cvss.map((c) => c.baseScore)).toEqual(v.scores!.map((s) => s.cvss_v3!.baseScore));
      }
      // The document's CVE-2019-12259 text describes the DHCP multicast-assignment flaw; it is not corrected.
      expect(advisory.vulnerabilities.find((x) => x.id === 'CVE-2019-12259')!.summary).toMatch(/DHCP/);
      if (existsSync(NOTES_FILE)) {
        const notes = JSON.parse(readFileSync(NOTES_FILE, 'utf8')) as { id: string; note?: string }[];
        expect(notes.find((n) => n.id === 'CVE-2019-12259')?.note).toMatch(/ICSMA-19-274-01 CSAF summary text .* swapped/);
      }
    });

    it.skipIf(!present)("keeps the product_version 'vers:all/*' as the version written, with a warning", async () => {
      const advisory = await read(file);
      const ipnet = advisory.statements.find((s) => s.product.ref === 'CSAFPID-0001')!;
      expect(ipnet.product).toMatchObject({ name: 'Ipnet TCP/IP Stack', version: 'vers:all/*' });
      expect(ipnet.ranges).toBeUndefined();
      expect(advisory.issues).toContainEqual(expect.objectContaining({ code: 'AMBIGUOUS_VERSION', severity: 'warning', message: expect.stringContaining("'vers:all/*'") }));
    });
  });
});
