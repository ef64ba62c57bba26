/**
 * @module
 * `patchpath inventory import --operator NAME FILE`: a hospital's device list (CSV or JSON) into its inventory, into
 * the local database or through a running server's REST API, printed as counts and one line per device no SBOM
 * matches; or, when the list is refused, every problem.
 */
import { authorization } from './print-chains.js';
import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { InventoryFormat } from '../inventory/parse-inventory.js';
import type { SbomIssue } from '../model/sbom-issue.js';
import { importSummaryToJson, ingestInventory, type InventoryImportJson } from '../store/ingest-inventory.js';

export type InventoryImportOutcome = { status: 'imported'; summary: InventoryImportJson } | { status: 'rejected'; issues: Pick<SbomIssue, 'path' | 'message'>[] };

/** Imports one list somewhere: the local database or a running server. */
export type InventorySender = (bytes: Buffer, format: InventoryFormat | undefined, options: { operator: string; replace: boolean }) => Promise<InventoryImportOutcome>;

/** The format a file's name says (`.csv`, `.json`); otherwise the bytes tell. */
export const formatOfFile = (file: string): InventoryFormat | undefined => (/\.csv$/i.test(file) ? 'csv' : /\.json$/i.test(file) ? 'json' : undefined);

export function localInventorySender(db: Kysely<Database>): InventorySender {
  return async (bytes, format, options) => {
    const outcome = await ingestInventory(db, bytes, { ...options, format });
    return outcome.status === 'rejected' ? outcome : { status: 'imported', summary: importSummaryToJson(outcome.summary) };
  };
}

/** Posts to `<server>/v1/operators/<operator>/inventory`, beside a running `patchpath serve`. */
export function httpInventorySender(server: string): InventorySender {
  return async (bytes, format, options) => {
    const url = new URL(`/v1/operators/${encodeURIComponent(options.operator)}/inventory`, server);
    if (options.replace) url.searchParams.set('replace', 'true');
    const contentType = format === 'csv' ? 'text/csv' : format === 'json' ? 'application/json' : 'application/octet-stream';
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', body: bytes as unknown as BodyInit, headers: { 'content-type': contentType, ...authorization(process.env.PATCHPATH_TOKEN) } });
    } catch (e) {
      return { status: 'rejected', issues: [{ path: '', message: `cannot reach the server at ${server}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}` }] };
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 200) return { status: 'imported', summary: body as unknown as InventoryImportJson };
    const issues = (body.issues as SbomIssue[] | undefined) ?? [{ path: '', message: `server answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}` }];
    return { status: 'rejected', issues };
  };
}

const located = (i: Pick<SbomIssue, 'path' | 'message'>) => `${i.path ? `${i.path}: ` : ''}${i.message}`;

/**
 * The human report: `imported FILE into 'NAME': ...` and an `unmatched TAG (line N): reason` line per device no SBOM
 * matches; or `rejected FILE: N problems, nothing stored` and one indented line per problem.
 */
export function formatInventoryOutcome(file: string, outcome: InventoryImportOutcome): string[] {
  if (outcome.status === 'rejected') {
    return [`rejected ${file}: ${outcome.issues.length} problem${outcome.issues.length === 1 ? '' : 's'}, nothing stored`, ...outcome.issues.map((i) => `  ${located(i)}`)];
  }
  const s = outcome.summary;
  const lines = [
    `imported ${file} into '${s.operator}': ${s.devices} devices (created ${s.created}, updated ${s.updated}, unchanged ${s.unchanged}, deleted ${s.deleted}); ${s.matched} matched to an SBOM, ${s.unmatched.length} unmatched`,
    ...s.unmatched.map((u) => `unmatched ${u.assetTag}${'line' in u ? ` (line ${u.line})` : 'pointer' in u ? ` (${u.pointer})` : ''}: ${u.reason}`),
  ];
  if (s.ignoredFields.length) lines.push(`ignored columns: ${s.ignoredFields.join(', ')}`);
  return lines;
}

/**
 * Reads and imports one file and prints the outcome (`--json`: the answer as one JSON object).
 *
 * @returns true when the list was imported.
 */
export async function importInventoryFile(
  file: string,
  options: { operator: string; replace: boolean; json: boolean; send: InventorySender; out: (line: string) => void },
): Promise<boolean> {
  let outcome: InventoryImportOutcome;
  try {
    outcome = await options.send(await readFile(file), formatOfFile(file), { operator: options.operator, replace: options.replace });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'EACCES') throw e;
    outcome = { status: 'rejected', issues: [{ path: '', message: `cannot read the file: ${(e as Error).message}` }] };
  }
  if (options.json) options.out(JSON.stringify({ file, ...(outcome.status === 'imported' ? { status: 'imported', ...outcome.summary } : outcome) }));
  else for (const line of formatInventoryOutcome(file, outcome)) options.out(line);
  return outcome.status === 'imported';
}
