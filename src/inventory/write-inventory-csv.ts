/**
 * @module
 * An operator's devices and their matches as CSV (RFC 4180, written by csv-stringify): the columns
 * parseInventory reads, so an export imports back unchanged, then the match (SBOM id, rule, or the reason there is
 * none), which an import ignores.
 */
import { stringify } from 'csv-stringify/sync';
import type { Device, DeviceMatch } from '../model/inventory.js';
import { INVENTORY_COLUMNS } from './parse-inventory.js';

export function writeInventoryCsv(devices: readonly Device[], matches: ReadonlyMap<number, DeviceMatch>): string {
  const header = [...INVENTORY_COLUMNS.map((c) => c.column), 'sbom_id', 'match_rule', 'unmatched_reason'];
  const records = devices.map((d) => {
    const m = matches.get(d.id);
    return [...INVENTORY_COLUMNS.map((c) => d[c.field] ?? ''), m?.sbomId ?? '', m?.rule ?? '', m?.reason ?? ''];
  });
  return stringify([header, ...records]);
}
