import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { matchDevices } from '../../inventory/match-devices.js';
import type { Organisation } from '../../model/sbom-record.js';
import { listDevices } from '../../store/device.repository.js';
import { ingestInventory } from '../../store/ingest-inventory.js';
import { getOperator, OperatorError } from '../../store/organisation.repository.js';
import { badUserInput } from '../errors.js';
import { connection, decodeCursor, isNumber, pageSize } from '../pagination.js';
import type { Criticality, DeviceResolvers, MutationResolvers, QueryResolvers } from '../resolvers-types.generated.js';

export async function readOperator(db: Kysely<Database>, name: string): Promise<Organisation> {
  try {
    return await getOperator(db, name);
  } catch (e) {
    if (e instanceof OperatorError) throw badUserInput(`'operator' argument: ${e.message}.`);
    throw e;
  }
}

export const Device: DeviceResolvers = {
  id: ({ device }) => String(device.id),
  assetTag: ({ device }) => device.assetTag,
  vendorName: ({ device }) => device.vendor ?? null,
  model: ({ device }) => device.model ?? null,
  purl: ({ device }) => device.purl ?? null,
  cpe: ({ device }) => device.cpe ?? null,
  firmwareVersion: ({ device }) => device.firmwareVersion ?? null,
  location: ({ device }) => device.location ?? null,
  segment: ({ device }) => device.segment ?? null,
  criticality: ({ device }) => (device.criticality ? (device.criticality.toUpperCase() as Criticality) : null),
  product: async ({ match }, _, ctx) => (match.sbomId === undefined ? null : ((await ctx.loaders.sbom.load(match.sbomId)) ?? null)),
  matchRule: ({ match }) => match.rule ?? null,
  unmatchedReason: ({ match }) => match.reason ?? null,
  updatedAt: ({ device }) => device.updatedAt,
};

/** `devices`: one page of an operator's devices, matched in one query. */
export const devices: NonNullable<QueryResolvers['devices']> = async (_, { operator, segment, first, after }, ctx) => {
  const n = pageSize(first, 50);
  const found = await readOperator(ctx.db, operator);
  const rows = await listDevices(ctx.db, found.id, { segment: segment ?? undefined }, { first: n + 1, after: decodeCursor(after, isNumber) });
  const page = rows.slice(0, n);
  const matches = new Map((await matchDevices(ctx.db, { operatorId: found.id, deviceIds: page.map((d) => d.id) })).map((m) => [m.deviceId, m]));
  return connection(
    rows.map((device) => ({ device, match: matches.get(device.id) ?? { deviceId: device.id, assetTag: device.assetTag } })),
    n,
    (m) => m.device.id,
  );
};

/** `importInventory`: a refused list is a BAD_USER_INPUT error carrying every problem; nothing is stored then. */
export const importInventory: NonNullable<MutationResolvers['importInventory']> = async (_, { operator, csv, json, file, replace }, ctx) => {
  if ([csv, json, file].filter((v) => v != null).length !== 1) {
    throw badUserInput(`importInventory needs exactly one of 'csv' or 'json' (the device list as text) or 'file' (a multipart upload).`);
  }
  const input = file ? new Uint8Array(await file.arrayBuffer()) : (csv ?? json)!;
  const outcome = await ingestInventory(ctx.db, input, { operator, format: csv != null ? 'csv' : json != null ? 'json' : undefined, replace: replace ?? false });
  if (outcome.status === 'rejected') {
    const [first] = outcome.issues;
    const where = first?.path ? `${first.path}: ` : '';
    throw badUserInput(`the inventory for '${operator.slice(0, 100)}' was refused with ${outcome.issues.length} problem(s) and nothing was stored; the first: ${where}${first?.message}`, { issues: outcome.issues });
  }
  return outcome.summary;
};
