/**
 * @module
 * A hospital's device list, as its asset-management system exports it (CSV with a header row) or as a script
 * writes it (JSON), read into checked devices, or into every problem found. Pure: no database. Problems are data,
 * like the SBOM parser's: each names its place (`line 7, column firmware`, `/devices/3/criticality`), the value
 * and the rule, and any problem rejects the whole file.
 */
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { decodeText } from '../ingest/decode-text.js';
import { MAX_INDEXED_VALUE_BYTES } from '../ingest/ingest-limits.js';
import { readJsonText } from '../ingest/read-json-text.js';
import { CRITICALITIES, type Criticality, type InventoryDevice } from '../model/inventory.js';
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';
import { parseCpe } from '../normalise/cpe.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { purlIdentity } from '../normalise/purl-identity.js';

export type InventoryFormat = 'csv' | 'json';

export type InventoryLimits = { maxRows: number; maxFieldLength: number; maxIssues: number };

export const INVENTORY_LIMITS: InventoryLimits = {
  /** Most devices in one file: a large hospital group lists tens of thousands. */
  maxRows: 200_000,
  /** Longest value of a field read (asset tag, model, location, ...). */
  maxFieldLength: 1_000,
  /** Problems listed before the rest are only counted, so a wholly wrong file gives a readable answer. */
  maxIssues: 1_000,
};

export type InventoryParseResult =
  | { ok: true; format: InventoryFormat; rows: InventoryDevice[]; ignoredFields: string[] }
  | { ok: false; format?: InventoryFormat; issues: SbomIssue[] };

type Field = keyof Omit<InventoryDevice, 'source'>;

/**
 * The fields and the names a file may give them, compared by {@link fieldKey}: case, spaces, `_` and `-` do not
 * matter, so `Asset Tag`, `asset_tag` and `assetTag` are one column.
 */
const FIELDS: Record<Field, { label: string; names: string[] }> = {
  assetTag: { label: 'asset tag', names: ['asset_tag', 'asset tag', 'assetTag', 'tag'] },
  vendor: { label: 'vendor', names: ['vendor', 'manufacturer', 'vendor_name'] },
  model: { label: 'model', names: ['model', 'product'] },
  purl: { label: 'purl', names: ['purl'] },
  cpe: { label: 'CPE', names: ['cpe'] },
  firmwareVersion: { label: 'firmware version', names: ['firmware_version', 'firmware', 'version'] },
  location: { label: 'location', names: ['location'] },
  segment: { label: 'network segment', names: ['segment', 'network_segment', 'vlan'] },
  criticality: { label: 'criticality', names: ['criticality'] },
};

/** Each field and the column name inventories written by patchpath give it (the first of its names). */
export const INVENTORY_COLUMNS = Object.entries(FIELDS).map(([field, f]) => ({ field: field as Field, column: f.names[0]! }));

const fieldKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');
const FIELD_BY_KEY = new Map(Object.entries(FIELDS).flatMap(([field, f]) => f.names.map((n) => [fieldKey(n), field as Field] as const)));
const namesOf = (field: Field) => FIELDS[field].names.join(', ');

/** Field values as read, trimmed, empty ones left out; and where each came from. */
type RawDevice = Partial<Record<Field, string>>;

/**
 * Reads an inventory: CSV (a header row, then one device per record; the delimiter `,`, `;` or tab is read off the
 * header) or JSON (an array of devices, or `{"devices": [...]}`). `format` forces one; otherwise a text that starts
 * with `[` or `{` is JSON. Columns and members are matched by name, case-insensitively, with common synonyms
 * (`manufacturer` for vendor, `vlan` for segment, ...); others are ignored and listed in `ignoredFields`. Never throws.
 *
 * Each device needs an asset tag, unique within the file, and at least one identity: vendor and model, a purl, or a
 * CPE. Purls must parse, CPEs must be CPE 2.3 (or a 2.2 URI), criticality one of critical, high, medium, low.
 *
 * @example
 * parseInventory('asset_tag,vendor,model,firmware\nICU-001,Medisyn Medical GmbH,ip3000-firmware,2.4.0\n');
 * // { ok: true, format: 'csv', ignoredFields: [], rows: [{ assetTag: 'ICU-001', vendor: 'Medisyn Medical GmbH',
 * //   model: 'ip3000-firmware', firmwareVersion: '2.4.0', source: 'line 2' }] }
 * parseInventory('[{"assetTag": "ICU-001", "model": "IP3000", "criticality": "urgent"}]');
 * // { ok: false, format: 'json', issues: [{ path: '/0', message: "device 'ICU-001' names model 'IP3000' but no vendor; ..." },
 * //   { path: '/0/criticality', message: "criticality 'urgent' is not one of critical, high, medium, low ..." }] }
 */
export function parseInventory(input: Uint8Array | string, options: { format?: InventoryFormat; limits?: Partial<InventoryLimits> } = {}): InventoryParseResult {
  const limits = { ...INVENTORY_LIMITS, ...options.limits };
  let text: string;
  if (typeof input === 'string') text = input.replace(/^\uFEFF/, '');
  else {
    const decoded = decodeText(input);
    if (!decoded.ok) return { ok: false, format: options.format, issues: [decoded.issue] };
    text = decoded.text;
  }
  const format = options.format ?? (/^\s*[[{]/.test(text) ? 'json' : 'csv');
  if (text.trim() === '') return { ok: false, format, issues: [sbomIssue('EMPTY_DOCUMENT', '', 'the inventory is empty; send a CSV file with a header row or a JSON array of devices')] };
  return format === 'json' ? parseJsonInventory(text, limits) : parseCsvInventory(text, limits);
}

/** Collects problems up to the limit and counts the rest. */
class Issues {
  readonly list: SbomIssue[] = [];
  private more = 0;
  constructor(private readonly max: number) {}
  /** `always`: listed even past the limit (why reading stopped). */
  add(issue: SbomIssue, always = false) {
    if (always || this.list.length < this.max) this.list.push(issue);
    else this.more++;
  }
  get empty() {
    return this.list.length === 0;
  }
  done(): SbomIssue[] {
    if (this.more) this.list.push(sbomIssue('LIMIT_EXCEEDED', '', `${this.more} more problems were found and are not listed (the first ${this.max} are)`));
    return this.list;
  }
}

/**
 * Fields stored in an index, whose entries PostgreSQL limits to 2,704 bytes: 1,000 characters of CJK text are 3,000
 * bytes, and such an asset tag or segment was refused by the database (a 500) after the file had been read.
 */
const INDEXED_FIELDS: ReadonlySet<Field> = new Set(['assetTag', 'segment']);

/** Checks one device's values and returns it, or adds its problems. */
class DeviceChecker {
  readonly issues: Issues;
  readonly rows: InventoryDevice[] = [];
  private readonly firstSeen = new Map<string, string>();
  // An inventory names a handful of vendors many times over.
  private readonly vendorNames = new Map<string, boolean>();

  constructor(private readonly limits: InventoryLimits) {
    this.issues = new Issues(limits.maxIssues);
  }

  private namesOrganisation(vendor: string): boolean {
    let known = this.vendorNames.get(vendor);
    if (known === undefined) this.vendorNames.set(vendor, (known = normaliseVendorName(vendor) !== undefined));
    return known;
  }

  /**
   * @param at where a field's value is (`line 7, column firmware`, `/devices/3/firmwareVersion`)
   * @param source where the device is (`line 7`, `/devices/3`)
   */
  check(raw: RawDevice, at: (field: Field) => string, source: string): void {
    const add = (code: SbomIssue['code'], where: string, message: string) => this.issues.add(sbomIssue(code, where, message));
    for (const field of Object.keys(raw) as Field[]) {
      // Unpaired surrogates (JSON may escape them) cannot be stored as UTF-8: U+FFFD instead, as SBOM text is stored.
      const value = (raw[field] = raw[field]!.toWellFormed());
      // PostgreSQL text cannot hold NUL; in a device list it is damage, not data.
      if (value.includes('\0')) add('SCHEMA_VIOLATION', at(field), `the ${FIELDS[field].label} '${value.slice(0, 100).replace(/\0/g, '\\0')}' contains the character U+0000 (NUL), which a value cannot hold`);
      if (value.length > this.limits.maxFieldLength) {
        add('LIMIT_EXCEEDED', at(field), `${FIELDS[field].label} '${value.slice(0, 40)}...' is ${value.length} characters long; the limit is ${this.limits.maxFieldLength}`);
      } else if (INDEXED_FIELDS.has(field) && value.length > MAX_INDEXED_VALUE_BYTES / 3 && Buffer.byteLength(value) > MAX_INDEXED_VALUE_BYTES) {
        add('LIMIT_EXCEEDED', at(field), `${FIELDS[field].label} '${value.slice(0, 40)}...' is ${Buffer.byteLength(value)} bytes long in UTF-8; the limit is ${MAX_INDEXED_VALUE_BYTES} bytes`);
      }
    }
    const { assetTag, vendor, model, purl, cpe, criticality } = raw;
    if (assetTag === undefined) add('MISSING_FIELD', at('assetTag'), 'the asset tag is empty; every device needs one, unique within the inventory');
    else {
      const first = this.firstSeen.get(assetTag);
      if (first !== undefined) add('DUPLICATE_REF', at('assetTag'), `asset tag '${assetTag.slice(0, 100)}' is listed again (first at ${first}); asset tags must be unique within an inventory`);
      else this.firstSeen.set(assetTag, source);
    }
    if (purl === undefined && cpe === undefined && (vendor === undefined || model === undefined)) {
      const has = vendor !== undefined ? `names vendor '${vendor.slice(0, 100)}' but no model` : model !== undefined ? `names model '${model.slice(0, 100)}' but no vendor` : 'has no vendor, model, purl or CPE';
      const device = assetTag === undefined ? 'device' : `device '${assetTag.slice(0, 100)}'`;
      add('MISSING_FIELD', source, `${device} ${has}; a device needs vendor and model, a purl or a CPE to be matched to an SBOM`);
    }
    if (vendor !== undefined && !this.namesOrganisation(vendor)) add('SCHEMA_VIOLATION', at('vendor'), `vendor '${vendor.slice(0, 100)}' names no organisation (it has no letters or digits, or says NOASSERTION/NONE)`);
    if (purl !== undefined) {
      const read = purlIdentity(purl);
      if (!read.ok) add('INVALID_PURL', at('purl'), read.message);
    }
    if (cpe !== undefined) {
      const read = parseCpe(cpe);
      if (!read.ok) add('INVALID_CPE', at('cpe'), `${read.message}; a CPE 2.3 formatted string looks like cpe:2.3:o:vendor:product:version:*:*:*:*:*:*:*`);
    }
    if (criticality !== undefined && !(CRITICALITIES as readonly string[]).includes(criticality.toLowerCase())) {
      add('SCHEMA_VIOLATION', at('criticality'), `criticality '${criticality.slice(0, 100)}' is not one of ${CRITICALITIES.join(', ')} (case does not matter; numbers are not accepted: write the word)`);
    }
    if (!this.issues.empty) return;
    if (this.rows.length >= this.limits.maxRows) {
      this.issues.add(sbomIssue('LIMIT_EXCEEDED', source, `the inventory lists more than ${this.limits.maxRows} devices; split it into several files`));
      return;
    }
    const { criticality: _written, ...values } = raw;
    const row: InventoryDevice = { ...values, assetTag: assetTag!, source };
    if (criticality !== undefined) row.criticality = criticality.toLowerCase() as Criticality;
    this.rows.push(row);
  }

  result(format: InventoryFormat, ignoredFields: Iterable<string>, where: string): InventoryParseResult {
    if (this.issues.empty && this.rows.length === 0) this.issues.add(sbomIssue('EMPTY_DOCUMENT', where, 'the inventory lists no devices'));
    if (!this.issues.empty) return { ok: false, format, issues: this.issues.done() };
    return { ok: true, format, rows: this.rows, ignoredFields: [...ignoredFields] };
  }
}

// --- CSV ---------------------------------------------------------------------------------------------------------

/** The delimiter of the header line: the one of `,` `;` tab that splits it most (Excel writes `;` in much of Europe). */
function detectDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const header = (end === -1 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = header.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/**
 * The line a record starts on, from the line it ends on and its raw text (which begins with the empty lines
 * skipped before it, and ends with its record delimiter, when it has one).
 */
function startLine(endLine: number, raw: string | undefined): number {
  if (raw === undefined) return endLine;
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  let newlines = 0;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) newlines++;
  return endLine - newlines;
}

/**
 * A CSV error as kept: its code, the start of its message and the record's field count. Not csv-parse's CsvError,
 * which copies the record read so far into its message and context: one per stray quote in a 64 KB field made
 * a 72 KB upload hold gigabytes and end the process (out of memory).
 */
type CsvProblem = { code: string; message: string; fields?: number };

type CsvItem = { kind: 'record'; fields: string[]; line: number } | { kind: 'error'; error: CsvProblem; line: number };

const csvProblemOf = (e: CsvError): CsvProblem => ({ code: e.code, message: e.message.slice(0, 300), fields: (e.record as string[] | undefined)?.length });

function csvProblem(item: Extract<CsvItem, { kind: 'error' }>, delimiter: string, headerLength: number | undefined): SbomIssue {
  const { error, line } = item;
  const shown = delimiter === '\t' ? 'tab' : `'${delimiter}'`;
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return sbomIssue('SYNTAX_ERROR', `line ${line}`, `line ${line} has ${error.fields ?? 'a different number of'} fields; the header has ${headerLength} (a value that holds the delimiter ${shown} must be in double quotes)`);
    case 'CSV_QUOTE_NOT_CLOSED':
      return sbomIssue('SYNTAX_ERROR', `line ${line}`, `a double quote opened in the record on line ${line} is never closed (a double quote inside a quoted value is written twice: "")`);
    default:
      return sbomIssue('SYNTAX_ERROR', `line ${line}`, `CSV syntax error: ${error.message}`);
  }
}

/** Thrown from csv-parse's on_skip to stop reading a file that has more syntax errors than are listed. */
class TooManyCsvErrors extends Error {
  constructor(readonly line: number) {
    super('too many CSV syntax errors');
  }
}

function readCsv(text: string, delimiter: string, maxRows: number, maxErrors: number): { items: CsvItem[]; thrown?: SbomIssue } {
  const items: CsvItem[] = [];
  let errors = 0;
  try {
    parseCsv(text, {
      delimiter,
      raw: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      // The header, the most devices read, and one more that tells the file is too long.
      to: maxRows + 2,
      max_record_size: 64 * 1024,
      // With `raw`, a record comes as { record, raw }.
      on_record: (read: unknown, context) => {
        items.push({ kind: 'record', fields: (read as { record: string[] }).record, line: startLine(context.lines, context.raw) });
        return null;
      },
      on_skip: (error, raw) => {
        if (!error) return undefined;
        // csv-parse reports every stray quote in a field, each time with the field read so far (64 KB of quotes:
        // 64,000 errors of up to 64 KB each, minutes of work); past the listed problems, reading stops.
        if (++errors > maxErrors) throw new TooManyCsvErrors(error.lines as number);
        items.push({ kind: 'error', error: csvProblemOf(error), line: startLine(error.lines as number, raw) });
        return undefined;
      },
    });
    return { items };
  } catch (e) {
    if (e instanceof TooManyCsvErrors) {
      return { items, thrown: sbomIssue('SYNTAX_ERROR', `line ${e.line}`, `reading stopped at line ${e.line}: the file has more than ${maxErrors} CSV syntax errors (an unclosed or stray double quote?)`) };
    }
    if (!(e instanceof CsvError)) throw e;
    const message = e.code === 'CSV_MAX_RECORD_SIZE' ? `the record on line ${e.lines as number} is longer than 65,536 characters (an unclosed double quote?)` : `CSV syntax error: ${e.message}`;
    return { items, thrown: sbomIssue('SYNTAX_ERROR', `line ${e.lines as number}`, message) };
  }
}

function parseCsvInventory(input: string, limits: InventoryLimits): InventoryParseResult {
  // csv-parse counts lines of CRLF files wrongly around empty lines; values keep their line breaks either way.
  const text = input.replace(/\r\n?/g, '\n');
  const delimiter = detectDelimiter(text);
  const { items, thrown } = readCsv(text, delimiter, limits.maxRows, limits.maxIssues);
  const checker = new DeviceChecker(limits);
  const header = items[0];
  if (header?.kind !== 'record') {
    const issues = header ? [csvProblem(header, delimiter, undefined)] : [];
    return { ok: false, format: 'csv', issues: thrown ? [...issues, thrown] : issues };
  }

  const names = header.fields.map((n) => n.trim());
  const columns = new Map<Field, number>();
  const ignored: string[] = [];
  names.forEach((name, i) => {
    const field = FIELD_BY_KEY.get(fieldKey(name));
    if (field === undefined) {
      if (name !== '') ignored.push(name);
    } else if (columns.has(field)) {
      checker.issues.add(sbomIssue('SCHEMA_VIOLATION', `line ${header.line}, column ${name}`, `columns '${names[columns.get(field)!]}' and '${name}' both give the ${FIELDS[field].label}; keep one`));
    } else columns.set(field, i);
  });
  if (!columns.has('assetTag')) checker.issues.add(sbomIssue('MISSING_FIELD', `line ${header.line}`, `the header has no asset tag column (one of: ${namesOf('assetTag')}); it has: ${names.join(', ').slice(0, 300)}`));
  if (!columns.has('purl') && !columns.has('cpe') && !(columns.has('vendor') && columns.has('model'))) {
    checker.issues.add(
      sbomIssue('MISSING_FIELD', `line ${header.line}`, `the header has no vendor and model columns, no purl and no CPE column, so no device could be matched to an SBOM (vendor: ${namesOf('vendor')}; model: ${namesOf('model')})`),
    );
  }
  if (!checker.issues.empty) return checker.result('csv', [], '');

  for (const item of items.slice(1)) {
    if (item.kind === 'error') {
      checker.issues.add(csvProblem(item, delimiter, names.length));
      continue;
    }
    const raw: RawDevice = {};
    for (const [field, i] of columns) {
      const value = item.fields[i]?.trim();
      if (value) raw[field] = value;
    }
    checker.check(raw, (field) => `line ${item.line}, column ${names[columns.get(field)!]}`, `line ${item.line}`);
  }
  if (thrown) checker.issues.add(thrown, true);
  return checker.result('csv', ignored, `line ${header.line}`);
}

// --- JSON --------------------------------------------------------------------------------------------------------

/** RFC 6901: `~` and `/` escaped in a pointer's reference tokens. */
const pointerToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

function parseJsonInventory(text: string, limits: InventoryLimits): InventoryParseResult {
  const read = readJsonText(text, 64);
  if (read.kind === 'rejected') return { ok: false, format: 'json', issues: read.issues };
  if (read.trailing) return { ok: false, format: 'json', issues: [read.trailing] };
  const doc = read.doc;
  let devices: unknown[];
  let base: string;
  if (Array.isArray(doc)) [devices, base] = [doc, ''];
  else if (doc !== null && typeof doc === 'object' && Array.isArray((doc as { devices?: unknown }).devices)) [devices, base] = [(doc as { devices: unknown[] }).devices, '/devices'];
  else {
    const message = `the document is ${typeOf(doc)}${doc !== null && typeof doc === 'object' ? ' without a "devices" array' : ''}; an inventory in JSON is an array of devices or an object {"devices": [...]}`;
    return { ok: false, format: 'json', issues: [sbomIssue('SCHEMA_VIOLATION', '', message)] };
  }

  if (devices.length > limits.maxRows) {
    return { ok: false, format: 'json', issues: [sbomIssue('LIMIT_EXCEEDED', base, `the inventory lists ${devices.length} devices, more than the limit of ${limits.maxRows}; split it into several files`)] };
  }
  const checker = new DeviceChecker(limits);
  const ignored = new Set<string>();
  devices.forEach((entry, i) => {
    const source = `${base}/${i}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      checker.issues.add(sbomIssue('SCHEMA_VIOLATION', source, `the device is ${typeOf(entry)}; each device is an object such as {"assetTag": "ICU-0042", "vendor": "...", "model": "...", "firmwareVersion": "..."}`));
      return;
    }
    const raw: RawDevice = {};
    const keys = new Map<Field, string>();
    for (const [key, value] of Object.entries(entry)) {
      const field = FIELD_BY_KEY.get(fieldKey(key));
      const at = `${source}/${pointerToken(key)}`;
      if (field === undefined) {
        ignored.add(key);
        continue;
      }
      if (keys.has(field)) {
        checker.issues.add(sbomIssue('SCHEMA_VIOLATION', at, `members '${keys.get(field)}' and '${key}' both give the ${FIELDS[field].label}; keep one`));
        continue;
      }
      keys.set(field, key);
      const text = jsonValueText(value);
      if (text === undefined) {
        checker.issues.add(sbomIssue('SCHEMA_VIOLATION', at, `the ${FIELDS[field].label} is ${typeOf(value)} (${JSON.stringify(value)?.slice(0, 60)}); it must be a string (whole numbers are accepted too)`));
      } else if (text !== '') raw[field] = text;
    }
    // A field the device leaves out is pointed at by its own (camelCase) name.
    checker.check(raw, (field) => `${source}/${pointerToken(keys.get(field) ?? field)}`, source);
  });
  return checker.result('json', ignored, base);
}

/** A member's value as text: strings trimmed, whole numbers written out, null as empty; undefined for anything else. */
function jsonValueText(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}
