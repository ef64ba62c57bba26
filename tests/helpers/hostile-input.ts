/**
 * Hostile documents for the property and hostile-input tests: real valid documents (the demo SBOMs, the demo VEX,
 * the advisory helpers, the demo inventory) and fast-check arbitraries that break them the way attackers and broken
 * tools do. A mutation is plain data (a plan), applied by a pure function, so fast-check shrinks it to the smallest
 * failing plan and prints it with the seed.
 *
 * Reproduce a failure: FC_SEED=<seed> FC_PATH=<path> npx vitest run <file> (both are printed by fast-check); hunt
 * longer with FC_RUNS_FACTOR=10.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { SbomIssue } from '../../src/model/sbom-issue.js';
import { CDX_VEX, CSAF, OPENVEX, OSV } from './advisory-docs.js';

export const SBOM_DIR = fileURLToPath(new URL('../../sboms/', import.meta.url));
const demo = (file: string) => readFileSync(`${SBOM_DIR}${file}`, 'utf8');

/**
 * fast-check parameters: `numRuns` (times FC_RUNS_FACTOR, for a longer hunt than the suite's), and the seed and path
 * of a failure to replay when FC_SEED / FC_PATH are set.
 */
export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED;
  const path = process.env.FC_PATH;
  const factor = Number(process.env.FC_RUNS_FACTOR ?? 1);
  return { numRuns: Math.max(1, Math.round(numRuns * factor)), ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

/** FC_RUNS_FACTOR, at least 1: a test's timeout grows with its runs (vitest.config.ts does so for the default). */
export function huntFactor(): number {
  return Math.max(1, Number(process.env.FC_RUNS_FACTOR ?? 1) || 1);
}

// --- seeds -------------------------------------------------------------------------------------------------------

/** Small valid JSON SBOMs, one per JSON format. */
export const JSON_SBOMS: Record<string, unknown> = {
  'cyclonedx-json': JSON.parse(demo('lwip-2.1.3.cdx.json')),
  'cyclonedx-json-nested': JSON.parse(demo('harbourlight-hb2-badge-2.0.1.cdx.json')),
  'spdx-json': JSON.parse(demo('northwind-wm200-4.2.1.spdx.json')),
  'spdx3-jsonld': JSON.parse(demo('halvard-hsw-wlan-driver-3.7.2.spdx3.json')),
};

const SPDX_RDF = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <spdx:SpdxDocument rdf:about="https://medisyn.example/spdx/ip3000#SPDXRef-DOCUMENT">
    <spdx:specVersion>SPDX-2.3</spdx:specVersion>
    <spdx:name>ip3000 &amp; friends</spdx:name>
    <spdx:dataLicense rdf:resource="http://spdx.org/licenses/CC0-1.0"/>
    <spdx:creationInfo>
      <spdx:CreationInfo>
        <spdx:created>2026-11-20T10:00:00Z</spdx:created>
        <spdx:creator>Tool: spdx-tools-java-1.1.8</spdx:creator>
        <spdx:creator>Organization: Medisyn Medical GmbH (psirt@medisyn.example)</spdx:creator>
      </spdx:CreationInfo>
    </spdx:creationInfo>
    <spdx:describesPackage>
      <spdx:Package rdf:about="https://medisyn.example/spdx/ip3000#SPDXRef-ip3000">
        <spdx:name>ip3000-firmware</spdx:name>
        <spdx:versionInfo>2.4.0</spdx:versionInfo>
        <spdx:supplier>Organization: Medisyn Medical GmbH</spdx:supplier>
        <spdx:downloadLocation rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
        <spdx:licenseConcluded rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
      </spdx:Package>
    </spdx:describesPackage>
  </spdx:SpdxDocument>
  <spdx:Package rdf:about="https://medisyn.example/spdx/ip3000#SPDXRef-treck">
    <spdx:name>treck-tcpip</spdx:name>
    <spdx:versionInfo>6.0.1</spdx:versionInfo>
    <spdx:downloadLocation rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
    <spdx:licenseConcluded rdf:resource="http://spdx.org/rdf/terms#noassertion"/>
    <spdx:relationship>
      <spdx:Relationship>
        <spdx:relatedSpdxElement rdf:resource="https://medisyn.example/spdx/ip3000#SPDXRef-ip3000"/>
        <spdx:relationshipType rdf:resource="http://spdx.org/rdf/terms#relationshipType_dependencyOf"/>
      </spdx:Relationship>
    </spdx:relationship>
  </spdx:Package>
</rdf:RDF>
`;

/** Small valid text SBOMs: CycloneDX XML, SPDX tag-value, SPDX RDF/XML. */
export const TEXT_SBOMS: Record<string, string> = {
  'cyclonedx-xml': demo('medisyn-mainboard-mb7-1.3.0.cdx.xml'),
  'spdx-tag-value': demo('northwind-wm200-4.1.0.spdx'),
  'spdx-rdf': SPDX_RDF,
};

/** One valid advisory per format. */
export const ADVISORIES: Record<string, unknown> = {
  openvex: JSON.parse(demo('vex/keystone-mb7-ripple20.openvex.json')),
  'openvex-helper': OPENVEX,
  osv: OSV,
  csaf: CSAF,
  'cyclonedx-vex': CDX_VEX,
};

export const INVENTORY_CSV = demo('inventory/st-elsewhere-devices.csv');

// --- hostile values ----------------------------------------------------------------------------------------------

/** Strings that would break a query built by concatenation, COPY text format, LIKE patterns or a log line. */
export const SQL_STRINGS = [
  "'; drop table sbom; --",
  "' or '1'='1",
  "Robert'); DROP TABLE component;--",
  '"; delete from organisation where ""="',
  '1; select pg_sleep(10); --',
  '$$; truncate sbom_content; $$',
  "E'\\x00'",
  '\\N',
  '\\.',
  '%_\\%',
  "' union select data from sbom_content --",
  "a\tb\nc\rd\\e",
  '${process.exit()}',
  '/* */ --',
  '\u202Eevil\u202C',
  // U+FEFF inside a value: at its start, PGlite 0.5.16 stores it but reads it back without it (its protocol reader
  // decodes each value with a TextDecoder that drops a leading byte-order mark), a fault of the embedded backend.
  'zero\uFEFFwidth',
  '🔥 Ünïcödé 𝔘',
];

/** Values no SQL text can hold as they are: stored with U+FFFD in their place. */
export const UNSTORABLE_STRINGS = ['\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uDBFF\uD800\uDFFF\uDC00'];

/** Numbers as raw JSON text: JSON.stringify cannot write these (1e400 parses as Infinity). */
export const RAW_NUMBERS = ['1e400', '-1e400', '1e308', '-0', '18446744073709551616', '2147483648', '-2147483649', '1.5', '1e-400', '123456789012345678901234567890', '0.1e1', '9007199254740993'];

/** Snippets to drop into XML: entity and DOCTYPE declarations (XXE, billion laughs), broken markup. */
export const XML_SNIPPETS = [
  '<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!ENTITY lol "lol">',
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
  '&xxe;',
  '&lol2;',
  '&#0;',
  '&#x1F525;',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?xml version="1.0"?>',
  '<?pi ',
  '</bom>',
  '<component>',
  '<a b="',
  '<x:y xmlns:x="urn:x"/>',
];

/** Snippets to drop into SPDX tag-value. */
export const TAG_VALUE_SNIPPETS = ['\nPackageName: ', '\nSPDXID: SPDXRef-DOCUMENT\n', '<text>', '</text>', '\nRelationship: SPDXRef-a DEPENDS_ON SPDXRef-b\n', '\nSPDXVersion: SPDX-9.9\n', '\nPackageSupplier: Organization: ' + ' '.repeat(200) + '\nx', ':'];

/** A string of `length` characters drawn from a few kinds (ASCII, multi-byte, SQL). */
export const hugeString = (length: number, unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

const hostileString = fc.oneof(
  fc.constantFrom(...SQL_STRINGS, ...UNSTORABLE_STRINGS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.record({ length: fc.integer({ min: 1_000, max: 200_000 }), unit: fc.constantFrom('A', 'é', '𝔘', "'; --", '\\"', ' ') }).map(({ length, unit }) => hugeString(length, unit)),
);

/** A hostile JSON value, or raw JSON text (numbers JSON.stringify cannot write). */
type Hostile = { json: unknown } | { raw: string };

const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  hostileString.map((s) => ({ json: s })),
  fc.constantFrom(...RAW_NUMBERS).map((raw) => ({ raw })),
  fc.constantFrom(1e308, -1e308, -0, 2 ** 64, 2 ** 53 + 1, Number.MIN_VALUE, -1, 0).map((n) => ({ json: n })),
  fc.jsonValue({ maxDepth: 4 }).map((json) => ({ json })),
  fc.constantFrom(null, true, false, [], {}).map((json) => ({ json })),
);

// --- JSON mutations ----------------------------------------------------------------------------------------------

type JsonOp =
  | { kind: 'replace'; at: number; value: Hostile }
  | { kind: 'delete'; at: number }
  | { kind: 'deepen'; at: number; depth: number; asArray: boolean }
  | { kind: 'duplicate'; at: number }
  | { kind: 'everyString'; pick: number };

type ByteOp = { kind: 'truncate'; at: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'flip'; at: number; byte: number };

export interface JsonPlan {
  ops: JsonOp[];
  bytes: ByteOp[];
}

const jsonOp: fc.Arbitrary<JsonOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deepen' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 100 }), asArray: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('everyString' as const), pick: fc.nat() }) },
);

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
);

/** Mostly structural mutations; now and then also a broken byte sequence on top. */
export const jsonPlan: fc.Arbitrary<JsonPlan> = fc.record({
  ops: fc.array(jsonOp, { minLength: 1, maxLength: 4 }),
  bytes: fc.oneof({ weight: 3, arbitrary: fc.constant([] as ByteOp[]) }, { weight: 1, arbitrary: fc.array(byteOp, { minLength: 1, maxLength: 2 }) }),
});

type Container = Record<string, unknown> | unknown[];
type Slot = { parent: Container; key: string | number };

function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const walk = (v: unknown) => {
    if (out.length > 5_000 || v === null || typeof v !== 'object') return;
    const c = v as Container;
    for (const key of Array.isArray(c) ? c.keys() : Object.keys(c)) {
      out.push({ parent: c, key });
      walk((c as Record<string | number, unknown>)[key]);
    }
  };
  walk(root);
  return out;
}

const RAW_MARK = '\u0001raw';

/** Applies a plan to a deep copy of `seed`: the mutated document's bytes. */
export function applyJsonPlan(seed: unknown, plan: JsonPlan): Buffer {
  const doc = structuredClone(seed);
  const raws: string[] = [];
  const encode = (h: Hostile) => ('raw' in h ? `${RAW_MARK}${raws.push(h.raw) - 1}` : h.json);
  for (const op of plan.ops) {
    const all = slots(doc);
    if (op.kind === 'everyString') {
      all.forEach(({ parent, key }, i) => {
        const p = parent as Record<string | number, unknown>;
        if (typeof p[key] === 'string') p[key] = SQL_STRINGS[(op.pick + i) % SQL_STRINGS.length];
      });
      continue;
    }
    if (all.length === 0) continue;
    const { parent, key } = all[op.at % all.length]!;
    const p = parent as Record<string | number, unknown>;
    if (op.kind === 'replace') p[key] = encode(op.value);
    else if (op.kind === 'delete') Array.isArray(parent) ? parent.splice(key as number, 1) : delete p[key];
    else if (op.kind === 'deepen') {
      let v = p[key];
      for (let i = 0; i < op.depth; i++) v = op.asArray ? [v] : { a: v };
      p[key] = v;
    } else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
    else p[`${key}`] = structuredClone(p[key]);
  }
  let text = JSON.stringify(doc) ?? 'null';
  if (raws.length) text = text.replace(/"\\u0001raw(\d+)"/g, (_, i: string) => raws[Number(i)]!);
  return applyByteOps(Buffer.from(text), plan.bytes);
}

export function applyByteOps(bytes: Buffer, ops: ByteOp[]): Buffer {
  let b = bytes;
  for (const op of ops) {
    const at = b.length ? op.at % (b.length + 1) : 0;
    if (op.kind === 'truncate') b = b.subarray(0, at);
    else if (op.kind === 'insert') b = Buffer.concat([b.subarray(0, at), op.bytes, b.subarray(at)]);
    else if (b.length) {
      b = Buffer.from(b);
      b[at % b.length] = op.byte;
    }
  }
  return b;
}

// --- text mutations ----------------------------------------------------------------------------------------------

type TextOp =
  | { kind: 'insert'; at: number; snippet: string }
  | { kind: 'replaceText'; at: number; value: string }
  | { kind: 'nest'; at: number; depth: number };

export interface TextPlan {
  ops: TextOp[];
  bytes: ByteOp[];
}

const textOp = (snippets: string[]): fc.Arbitrary<TextOp> =>
  fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), snippet: fc.oneof(fc.constantFrom(...snippets), hostileString) }),
    fc.record({ kind: fc.constant('replaceText' as const), at: fc.nat(), value: hostileString }),
    fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 200 }) }),
  );

export const textPlan = (snippets: string[]): fc.Arbitrary<TextPlan> =>
  fc.record({
    ops: fc.array(textOp(snippets), { minLength: 1, maxLength: 4 }),
    bytes: fc.oneof({ weight: 3, arbitrary: fc.constant([] as ByteOp[]) }, { weight: 1, arbitrary: fc.array(byteOp, { minLength: 1, maxLength: 2 }) }),
  });

/**
 * Applies a plan to a text document: snippets inserted at a random place, the text of a random element (between `>`
 * and `<`) or the value of a random `Tag: value` line replaced, elements nested `depth` deep.
 */
export function applyTextPlan(seed: string, plan: TextPlan): Buffer {
  let text = seed;
  for (const op of plan.ops) {
    if (op.kind === 'insert') {
      const at = op.at % (text.length + 1);
      text = text.slice(0, at) + op.snippet + text.slice(at);
    } else if (op.kind === 'replaceText') {
      const spots = [...text.matchAll(/>([^<>]+)</g), ...text.matchAll(/^[A-Za-z]+: (.+)$/gm)];
      if (!spots.length) continue;
      const m = spots[op.at % spots.length]!;
      const start = m.index + m[0].indexOf(m[1]!);
      text = text.slice(0, start) + op.value + text.slice(start + m[1]!.length);
    } else {
      const at = op.at % (text.length + 1);
      text = text.slice(0, at) + '<n>'.repeat(op.depth) + '</n>'.repeat(op.depth) + text.slice(at);
    }
  }
  return applyByteOps(Buffer.from(text), plan.bytes);
}

// --- checks ------------------------------------------------------------------------------------------------------

/** Every issue has a known severity, a string path and a non-empty message. */
export function expectWellFormedIssues(issues: readonly SbomIssue[]): void {
  expect(Array.isArray(issues)).toBe(true);
  for (const issue of issues) {
    expect(typeof issue.code).toBe('string');
    expect(['error', 'warning']).toContain(issue.severity);
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.trim()).not.toBe('');
  }
}

/** A rejection: at least one problem, each well-formed. */
export function expectRejection(issues: readonly SbomIssue[]): void {
  expect(issues.length).toBeGreaterThan(0);
  expectWellFormedIssues(issues);
}

/** Runs `f` and fails when it takes longer than `boundMs` (a parser must never hang on its input). */
export async function withinBound<T>(boundMs: number, f: () => Promise<T> | T, what: () => string): Promise<T> {
  const t0 = performance.now();
  const result = await f();
  const ms = performance.now() - t0;
  if (ms > boundMs) throw new Error(`took ${ms.toFixed(0)} ms, above the bound of ${boundMs} ms: ${what()}`);
  return result;
}

/** A short description of a document for failure messages. */
export function preview(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.subarray(0, 300)).toString('utf8');
  return `${bytes.byteLength} bytes: ${JSON.stringify(text)}${bytes.byteLength > 300 ? '...' : ''}`;
}
