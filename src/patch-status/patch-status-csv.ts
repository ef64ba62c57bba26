/**
 * @module
 * The patch-status lists as CSV (RFC 4180, written by csv-stringify), for a spreadsheet or a ticketing import: an
 * operator's affected devices (one row per device and vulnerability), a vendor's products and waits, and one
 * vulnerability's timeline. Chains are written top down, each hop with its state.
 */
import { stringify } from 'csv-stringify/sync';
import { chainText, hopText, type Names } from './chain-text.js';
import type { AffectedDevices } from './device-exposure.js';
import type { PatchChain, PatchHop } from './patch-propagation.js';
import type { VendorPatchStatus, Wait } from './vendor-patch-status.js';
import type { VulnerabilityTimeline } from './vulnerability-timeline.js';

const day = (d: Date | undefined) => d?.toISOString().slice(0, 10) ?? '';

/** The chain that holds a list entry up longest (stuck), else the first. */
const worstChain = (chains: PatchChain[]) => [...chains].sort((a, b) => (b.stuck?.days ?? -1) - (a.stuck?.days ?? -1))[0];

export function affectedDevicesCsv(result: AffectedDevices, names: Names): string {
  const header = ['asset_tag', 'vendor', 'model', 'firmware_version', 'location', 'segment', 'criticality', 'vulnerability', 'cvss', 'status', 'action', 'update_to', 'stuck_at', 'stuck_since', 'days_stuck', 'chain', 'same_segment'];
  const rows: (string | number)[][] = [];
  for (const e of result.devices) {
    for (const v of e.verdicts) {
      const chain = worstChain(v.chains);
      const stuck = chain?.stuck ? chain.hops[chain.stuck.hop] : undefined;
      rows.push([
        e.device.assetTag, e.device.vendor ?? '', e.device.model ?? '', e.device.firmwareVersion ?? '', e.device.location ?? '', e.device.segment ?? '', e.device.criticality ?? '',
        v.vulnerability.id, v.vulnerability.cvssMax ?? '', v.status, v.action, v.updateTo?.version ?? '',
        stuck ? hopText(stuck, names) : '', day(chain?.stuck?.since), chain?.stuck?.days ?? '', chain ? chainText(chain, names) : '',
        e.sameSegment.map((d) => `${d.device.assetTag}${d.device.criticality ? ` (${d.device.criticality})` : ''}`).join('; '),
      ]);
    }
  }
  return stringify([header, ...rows]);
}

export function vendorPatchStatusCsv(status: VendorPatchStatus, names: Names, productName: (sbomId: number) => string): string {
  const header = ['kind', 'vulnerability', 'product', 'status', 'action', 'update_to', 'other_party', 'other_product', 'since', 'days', 'chain'];
  const rows: (string | number)[][] = [];
  for (const p of status.products) {
    const chain = worstChain(p.verdict.chains);
    rows.push(['product', p.verdict.vulnerability.id, productName(p.sbomId), p.verdict.status, p.verdict.action, p.verdict.updateTo?.version ?? '', '', '', '', '', chain ? chainText(chain, names) : '']);
  }
  const wait = (kind: string, w: Wait, other: PatchHop) =>
    [kind, w.vulnerability.id, productName(w.rootSbomId), w.waitingAt.decision.state, '', '', other.vendorId === undefined ? '' : (names.get(other.vendorId) ?? ''), hopText(other, new Map()), day(w.since), w.days ?? '', chainText(w.chain, names)];
  for (const w of status.waitingOnSuppliers) rows.push(wait('waiting_on_supplier', w, w.waitingAt));
  for (const w of status.customersWaiting) rows.push(wait('customer_waiting', w, w.waiting));
  return stringify([header, ...rows]);
}

export function timelineCsv(t: VulnerabilityTimeline, names: Names): string {
  const header = ['date', 'kind', 'vulnerability', 'vendor', 'product', 'version', 'state_or_status', 'publisher', 'fixed_version', 'latency_days', 'justification'];
  const rows = t.events.map((e) => {
    const h = e.hop;
    const s = e.statement ?? h?.decision.statement;
    return [
      day(e.date), e.kind, t.vulnerability.id, h?.vendorId === undefined ? '' : (names.get(h.vendorId) ?? ''), h?.name ?? s?.productName ?? s?.purl ?? s?.cpe ?? '', h?.version ?? s?.version ?? '',
      h ? h.decision.state : (s?.status ?? ''), s?.publisherName ?? '', h?.decision.fix?.version ?? '', h?.decision.latencyDays ?? '', s?.justification ?? '',
    ];
  });
  return stringify([header, ...rows]);
}
