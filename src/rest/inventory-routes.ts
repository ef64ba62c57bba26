/**
 * @module
 * REST for operators' inventories: `POST /v1/operators/:operator/inventory` with the device list (CSV or JSON) ->
 * 200 with what changed and which devices no SBOM matches, 422 with every problem (nothing stored), 413 above the
 * limit; `GET /v1/operators/:operator/devices` -> the devices with their matches, as JSON or CSV.
 */
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { matchDevices } from '../inventory/match-devices.js';
import type { InventoryFormat } from '../inventory/parse-inventory.js';
import { writeInventoryCsv } from '../inventory/write-inventory-csv.js';
import type { Device, DeviceMatch } from '../model/inventory.js';
import { sbomIssue } from '../model/sbom-issue.js';
import { listDevices } from '../store/device.repository.js';
import { importSummaryToJson, ingestInventory } from '../store/ingest-inventory.js';
import { getOperator, OperatorError } from '../store/organisation.repository.js';
import { clientError, parseBooleanParam } from './params.js';
import { readUpload } from './read-body.js';

type Env = { Bindings: { incoming?: IncomingMessage }; Variables: { requestId: string } };

/** The body's format by its media type; other types (or none) are told apart by their first character. */
function formatOf(contentType: string | undefined): InventoryFormat | undefined {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json' || type?.endsWith('+json')) return 'json';
  return undefined;
}

export function deviceToJson(d: Device, m: DeviceMatch | undefined) {
  return {
    id: d.id,
    assetTag: d.assetTag,
    vendor: d.vendor ?? null,
    model: d.model ?? null,
    purl: d.purl ?? null,
    cpe: d.cpe ?? null,
    firmwareVersion: d.firmwareVersion ?? null,
    location: d.location ?? null,
    segment: d.segment ?? null,
    criticality: d.criticality ?? null,
    sbomId: m?.sbomId ?? null,
    matchRule: m?.rule ?? null,
    unmatchedReason: m?.reason ?? null,
    updatedAt: d.updatedAt,
  };
}

export function inventoryRoutes(deps: { db: Kysely<Database>; config: Config }) {
  const app = new Hono<Env>();

  app.post('/:operator/inventory', async (c) => {
    const replace = parseBooleanParam(c.req.query('replace'), 'replace') ?? false;
    const upload = await readUpload(c, deps.config);
    if ('tooLarge' in upload) {
      c.header('Connection', 'close');
      return c.json({ issues: [sbomIssue('LIMIT_EXCEEDED', '', upload.tooLarge)] }, 413);
    }
    const outcome = await ingestInventory(deps.db, upload.bytes, { operator: c.req.param('operator'), format: formatOf(c.req.header('content-type')), replace });
    if (outcome.status === 'rejected') return c.json({ format: outcome.format ?? null, issues: outcome.issues }, 422);
    return c.json(importSummaryToJson(outcome.summary), 200);
  });

  app.get('/:operator/devices', async (c) => {
    const format = c.req.query('format') ?? (/\btext\/csv\b/i.test(c.req.header('accept') ?? '') ? 'csv' : 'json');
    if (format !== 'csv' && format !== 'json') throw new HTTPException(400, { message: `query parameter 'format' value '${format.slice(0, 100)}' must be 'csv' or 'json'` });
    const segment = c.req.query('segment');
    let operator;
    try {
      operator = await getOperator(deps.db, c.req.param('operator'));
    } catch (e) {
      if (e instanceof OperatorError) return clientError(c, e.status, e.message);
      throw e;
    }
    const devices = await listDevices(deps.db, operator.id, { segment });
    const matches = await matchDevices(deps.db, { operatorId: operator.id, deviceIds: segment === undefined ? undefined : devices.map((d) => d.id) });
    const byId = new Map(matches.map((m) => [m.deviceId, m]));
    if (format === 'csv') {
      const file = `${operator.nameKey.replace(/[^a-z0-9]+/g, '-')}-devices.csv`;
      return c.body(writeInventoryCsv(devices, byId), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` });
    }
    return c.json({ operator: operator.name, devices: devices.map((d) => deviceToJson(d, byId.get(d.id))) });
  });

  return app;
}
