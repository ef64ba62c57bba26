/**
 * @module
 * The security team's question (DOMAIN.md "Answers"): which of my devices are affected by these vulnerabilities,
 * and what do I do with each today? Per device: every chain from its firmware down to a vulnerable component with
 * each hop's state, where the fix is stuck, and the action:
 * - UPDATE to the first newer firmware of its product that has the fix (it exists);
 * - ISOLATE when no fixed firmware exists yet, with the other devices on its network segment, critical ones first;
 * - NONE when its firmware already has the fix (DEPLOYED) or every chain is NOT_AFFECTED.
 * Devices not matched to an SBOM cannot be judged: they come back apart, with the reason.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Criticality, Device, DeviceMatch, MatchedDevice } from '../model/inventory.js';
import { matchDevices } from '../inventory/match-devices.js';
import { inventoryVersion, listDevices } from '../store/device.repository.js';
import type { VulnerabilityRecord } from '../store/vulnerability.repository.js';
import type { FixRelease } from './hop-state.js';
import type { StatementEvidence } from '../store/vulnerability.repository.js';
import { patchPropagation, type PatchChain, type RootPatchStatus } from './patch-propagation.js';
import { compareVersions } from '../chains/version-order.js';
import { dataVersion, VersionedCache } from './data-version.js';

type Db = Kysely<Database>;

/** AFFECTED: a vulnerable component is below its firmware; DEPLOYED: its firmware has the fix; NOT_AFFECTED: a claim covers it. */
export type DeviceStatus = 'AFFECTED' | 'DEPLOYED' | 'NOT_AFFECTED';
export type DeviceAction = 'UPDATE' | 'ISOLATE' | 'NONE';

/** What one vulnerability means for the firmware of one product version. */
export interface FirmwareVerdict {
  vulnerability: VulnerabilityRecord;
  status: DeviceStatus;
  action: DeviceAction;
  /** UPDATE: the first newer version of the product with the fix for every chain. */
  updateTo?: FixRelease<StatementEvidence>;
  chains: PatchChain[];
}

export interface DeviceExposure {
  device: Device;
  match: DeviceMatch;
  /** One per vulnerability that concerns the device's firmware, most urgent first. */
  verdicts: FirmwareVerdict[];
  /** The most urgent action over its verdicts. */
  action: DeviceAction;
  /** ISOLATE: the operator's other devices on the same network segment, critical first. */
  sameSegment: MatchedDevice[];
}

export interface AffectedDevices {
  devices: DeviceExposure[];
  /** Devices with no SBOM matched: their exposure cannot be told. */
  unmatched: { device: Device; match: DeviceMatch }[];
}

const inventories = new VersionedCache<{ devices: Device[]; matches: DeviceMatch[] }>(256);

/**
 * An operator's devices and their matches, kept while neither the stored data nor the inventory changed (a device
 * imported, updated or deleted changes its count or latest update).
 */
async function operatorDevices(db: Db, operatorId: number): Promise<{ devices: Device[]; matches: DeviceMatch[] }> {
  const [data, inventory] = await Promise.all([
    dataVersion(db),
    inventoryVersion(db, operatorId),
  ]);
  return inventories.get(db, String(operatorId), `${data}|${inventory}`, async () => {
    const [devices, matches] = await Promise.all([listDevices(db, operatorId), matchDevices(db, { operatorId })]);
    return { devices, matches };
  });
}

const ACTION_ORDER: Record<DeviceAction, number> = { ISOLATE: 0, UPDATE: 1, NONE: 2 };
const CRITICALITY_ORDER: Record<Criticality, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const criticalityRank = (d: Device) => (d.criticality ? CRITICALITY_ORDER[d.criticality] : 4);

/** What a vulnerability means for one root product version (a device's firmware). */
export function firmwareVerdict(vulnerability: VulnerabilityRecord, root: RootPatchStatus): FirmwareVerdict | undefined {
  if (!root.carriesVulnerable) {
    return root.carriesFix ? { vulnerability, status: 'DEPLOYED', action: 'NONE', chains: [] } : undefined;
  }
  const open = root.chains.filter((c) => c.status !== 'NOT_AFFECTED');
  if (!open.length) return { vulnerability, status: 'NOT_AFFECTED', action: 'NONE', chains: root.chains };
  // The vendor says this very version has the fix (a backport the SBOM does not show).
  const top = open.map((c) => c.hops.at(-1)!.decision);
  if (top.every((d) => d.state === 'INTEGRATED' && d.fix === undefined)) return { vulnerability, status: 'DEPLOYED', action: 'NONE', chains: root.chains };
  if (top.every((d) => d.state === 'INTEGRATED')) {
    // The version that fixes every chain: the highest of each chain's first fix.
    const fixes = top.map((d) => d.fix).filter((f): f is FixRelease<StatementEvidence> => f !== undefined);
    const updateTo = fixes.sort((a, b) => compareVersions(b.version, a.version))[0]!;
    return { vulnerability, status: 'AFFECTED', action: 'UPDATE', updateTo, chains: root.chains };
  }
  return { vulnerability, status: 'AFFECTED', action: 'ISOLATE', chains: root.chains };
}

/**
 * The operator's devices that `vulnerabilities` concern, most urgent first: ISOLATE, then UPDATE, then the rest;
 * critical devices first within each; then the longest stuck.
 */
export async function affectedDevices(db: Db, q: { operatorId: number; vulnerabilities: VulnerabilityRecord[]; now: Date; maxDepth?: number }): Promise<AffectedDevices> {
  const { devices, matches } = await operatorDevices(db, q.operatorId);
  const byId = new Map(devices.map((d) => [d.id, d]));
  const matchOf = new Map(matches.map((m) => [m.deviceId, m]));
  const matched = matches.filter((m) => m.sbomId !== undefined);
  const roots = [...new Set(matched.map((m) => m.sbomId!))];
  const verdicts = new Map<number, FirmwareVerdict[]>();
  for (const vulnerability of q.vulnerabilities) {
    const status = await patchPropagation(db, { vulnerability, rootSbomIds: roots, now: q.now, ...(q.maxDepth === undefined ? {} : { maxDepth: q.maxDepth }) });
    for (const [root, s] of status) {
      const verdict = firmwareVerdict(vulnerability, s);
      if (!verdict) continue;
      const list = verdicts.get(root) ?? [];
      list.push(verdict);
      verdicts.set(root, list);
    }
  }
  const out: DeviceExposure[] = [];
  for (const m of matched) {
    const list = verdicts.get(m.sbomId!);
    if (!list?.length) continue;
    const device = byId.get(m.deviceId)!;
    const sorted = [...list].sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || (b.vulnerability.cvssMax ?? 0) - (a.vulnerability.cvssMax ?? 0));
    const action = sorted[0]!.action;
    const sameSegment =
      action === 'ISOLATE' && device.segment !== undefined
        ? devices
            .filter((d) => d.id !== device.id && d.segment === device.segment)
            .sort((a, b) => criticalityRank(a) - criticalityRank(b) || a.assetTag.localeCompare(b.assetTag))
            .map((d) => ({ device: d, match: matchOf.get(d.id)! }))
        : [];
    out.push({ device, match: m, verdicts: sorted, action, sameSegment });
  }
  const stuckDays = (e: DeviceExposure) => Math.max(0, ...e.verdicts.flatMap((v) => v.chains.map((c) => c.stuck?.days ?? 0)));
  out.sort((a, b) => ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || criticalityRank(a.device) - criticalityRank(b.device) || stuckDays(b) - stuckDays(a) || a.device.assetTag.localeCompare(b.device.assetTag));
  const unmatched = matches.filter((m) => m.sbomId === undefined).map((m) => ({ device: byId.get(m.deviceId)!, match: m }));
  return { devices: out, unmatched };
}
