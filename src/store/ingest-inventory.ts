/**
 * @module
 * One inventory upload, end to end: bytes -> parse (src/inventory/parse-inventory.ts) -> store -> match, shared by
 * REST, GraphQL and the CLI. Never throws for bad input (that is `status: 'rejected'` with every problem, and nothing
 * stored); throws only on operational failure, in which case nothing was stored either.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { parseInventory, type InventoryFormat } from '../inventory/parse-inventory.js';
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';
import { OperatorError } from './organisation.repository.js';
import { importInventory, type InventoryImport } from './store-inventory.js';

/** What an import did, as every door reports it. */
export interface InventoryImportSummary {
  /** The operator's name as stored (its first import's spelling). */
  operator: string;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Devices the file lists, and how many of them an SBOM matches now. */
  devices: number;
  matched: number;
  /** The others, in file order: where the file lists each (`line 7`, `/devices/3`) and why no SBOM matches. */
  unmatched: { assetTag: string; source?: string; reason: string }[];
  /** Columns (CSV) or members (JSON) that name no inventory field and were not read. */
  ignoredFields: string[];
}

/** The summary as REST answers it: where the file lists each unmatched device, as a line number (CSV) or a JSON pointer. */
export function importSummaryToJson(s: InventoryImportSummary) {
  return {
    ...s,
    unmatched: s.unmatched.map(({ assetTag, source, reason }) => {
      const where = source?.startsWith('line ') ? { line: Number(source.slice('line '.length)) } : source !== undefined ? { pointer: source } : {};
      return { assetTag, ...where, reason };
    }),
  };
}

export type InventoryImportJson = ReturnType<typeof importSummaryToJson>;

export type InventoryIngestOutcome =
  | { status: 'imported'; result: InventoryImport; summary: InventoryImportSummary }
  | { status: 'rejected'; format?: InventoryFormat; issues: SbomIssue[] };

export async function ingestInventory(
  db: Kysely<Database>,
  input: Uint8Array | string,
  options: { operator: string; format?: InventoryFormat; replace?: boolean },
): Promise<InventoryIngestOutcome> {
  const parsed = parseInventory(input, { format: options.format });
  if (!parsed.ok) return { status: 'rejected', format: parsed.format, issues: parsed.issues };
  let result: InventoryImport;
  try {
    result = await importInventory(db, { operator: options.operator, rows: parsed.rows, replace: options.replace });
  } catch (e) {
    if (e instanceof OperatorError) return { status: 'rejected', format: parsed.format, issues: [sbomIssue('SCHEMA_VIOLATION', 'operator', e.message)] };
    throw e;
  }
  const unmatched = result.matches.flatMap((m, i) => (m.sbomId === undefined ? [{ assetTag: m.assetTag, source: parsed.rows[i]!.source, reason: m.reason! }] : []));
  const summary: InventoryImportSummary = {
    operator: result.operator.name,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    deleted: result.deleted,
    devices: parsed.rows.length,
    matched: parsed.rows.length - unmatched.length,
    unmatched,
    ignoredFields: parsed.ignoredFields,
  };
  return { status: 'imported', result, summary };
}
