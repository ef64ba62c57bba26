/**
 * @module
 * A CycloneDX 1.6 VEX document for one product version, built from what patchpath knows, for its vendor to review
 * and publish (issue 4, "Answers": vendor). One vulnerability entry per vulnerability that concerns the product:
 * - its firmware has the fix below it: `resolved`;
 * - a NOT_AFFECTED claim covers it (its vendor's own, or inherited from a supplier's): `not_affected`, with the
 *   claim's justification and who made it;
 * - affected, with a newer version that has the fix: `exploitable`, response `update`, and which version;
 * - affected, no fixed version yet: `exploitable` (or `in_triage` while the vendor investigates), and where the fix
 *   is stuck. The chain behind each verdict is written into the entry's properties (`patchpath:*`).
 * The document is valid CycloneDX 1.6 (tests check it against the schema) and patchpath reads it back as VEX.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { StoredComponent } from '../model/sbom-record.js';
import { chainText, hopText, hopVendorNames } from './chain-text.js';
import { listSubjectsOfSboms } from '../store/component.repository.js';
import { findVulnerability, listVulnerabilityDescriptions, type VulnerabilityRecord } from '../store/vulnerability.repository.js';
import { DEFAULT_MAX_DEPTH } from '../chains/resolve-chains.js';
import { CYCLONEDX_JUSTIFICATIONS } from '../advisories/cyclonedx/parse-cyclonedx-vex.js';
import { firmwareVerdict, type FirmwareVerdict } from './device-exposure.js';
import { patchPropagation } from './patch-propagation.js';
import { vulnerabilitiesBelow } from './vulnerabilities-below.js';

type Db = Kysely<Database>;
type Json = Record<string, unknown>;

const PRODUCT_REF = 'product';
const day = (d: Date | undefined) => d?.toISOString().slice(0, 10) ?? 'an unknown date';

export async function productVex(db: Db, q: { sbomId: number; now: Date; maxDepth?: number }): Promise<Json | undefined> {
  const [subject] = (await listSubjectsOfSboms(db, [q.sbomId]))[0] ?? [];
  if (!subject) return undefined;
  const maxDepth = q.maxDepth ?? DEFAULT_MAX_DEPTH;
  const ids = await vulnerabilitiesBelow(db, [q.sbomId], maxDepth);
  const verdicts: FirmwareVerdict[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const vulnerability = await findVulnerability(db, id);
    if (!vulnerability || seen.has(vulnerability.id)) continue;
    seen.add(vulnerability.id);
    const status = await patchPropagation(db, { vulnerability, rootSbomIds: [q.sbomId], now: q.now, maxDepth });
    const verdict = firmwareVerdict(vulnerability, status.get(q.sbomId)!);
    if (verdict) verdicts.push(verdict);
  }
  const names = await hopVendorNames(db, verdicts.flatMap((v) => v.chains));
  const vulnerabilities: Json[] = [];
  for (const v of verdicts) vulnerabilities.push(await entry(db, v, subject, names));
  const supplier = subject.supplierName ? { supplier: { name: subject.supplierName } } : {};
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: q.now.toISOString(),
      tools: { components: [{ type: 'application', name: 'patchpath', description: 'VEX drafted from the SBOMs, VEX and advisories patchpath holds' }] },
      component: productComponent(subject),
      ...supplier,
    },
    vulnerabilities,
  };
}

function productComponent(c: StoredComponent): Json {
  const out: Json = { type: c.type && ['application', 'firmware', 'device', 'library', 'operating-system'].includes(c.type) ? c.type : 'firmware', 'bom-ref': PRODUCT_REF, name: c.name };
  if (c.version) out.version = c.version;
  if (c.supplierName) out.supplier = { name: c.supplierName };
  if (c.purl) out.purl = c.purl;
  if (c.cpe) out.cpe = c.cpe;
  return out;
}

async function entry(db: Db, v: FirmwareVerdict, subject: StoredComponent, names: Map<number, string>): Promise<Json> {
  const vuln = v.vulnerability;
  const out: Json = { id: vuln.id };
  const ratings = await ratingsOf(db, vuln);
  if (ratings.length) out.ratings = ratings;
  const analysis: Json = {};
  const properties: { name: string; value: string }[] = [];
  const product = `${subject.name}${subject.version ? ` ${subject.version}` : ''}`;
  const open = v.chains.filter((c) => c.status !== 'NOT_AFFECTED');
  if (v.status === 'DEPLOYED') {
    analysis.state = 'resolved';
    analysis.detail = `${product} carries only versions with the fix below it.`;
  } else if (v.status === 'NOT_AFFECTED') {
    const decision = v.chains[0]!.hops.at(-1)!.decision;
    const claim = v.chains[0]!.hops.find((h) => h.decision.statement && h.decision.decidedBy !== 'INHERITED' && h.decision.state === 'NOT_AFFECTED');
    analysis.state = 'not_affected';
    if (decision.statement?.justification && CYCLONEDX_JUSTIFICATIONS.includes(decision.statement.justification)) analysis.justification = decision.statement.justification;
    analysis.detail = claim
      ? `${claim.decision.statement!.publisherName ?? 'A statement'} stated on ${day(claim.decision.since)} that ${claim.name} ${claim.version ?? ''} is not affected; ${product} carries that version.`.replace(/ {2,}/g, ' ')
      : `Stated not affected on ${day(decision.since)}.`;
  } else if (v.action === 'UPDATE') {
    analysis.state = 'exploitable';
    analysis.response = ['update'];
    analysis.detail = `${product} carries a vulnerable component (${chainText(open[0]!, names)}).`;
    out.recommendation = `Update to ${subject.name} ${v.updateTo!.version}, which has the fix (first seen ${day(v.updateTo!.date)}).`;
  } else {
    const top = open[0]!.hops.at(-1)!.decision;
    analysis.state = top.state === 'UNDER_INVESTIGATION' ? 'in_triage' : 'exploitable';
    const stuck = open.find((c) => c.stuck);
    const where = stuck
      ? `the fix waits at ${hopText(stuck.hops[stuck.stuck!.hop]!, names)} since ${day(stuck.stuck!.since)}`
      : 'no fixed version exists below it yet';
    analysis.detail = `${product} carries a vulnerable component (${chainText(open[0]!, names)}); ${where}.`;
    out.recommendation = 'No version with the fix yet: isolate affected devices from untrusted networks.';
  }
  v.chains.forEach((c, i) => properties.push({ name: `patchpath:chain:${i + 1}`, value: `${c.status}: ${chainText(c, names)}` }));
  out.analysis = analysis;
  out.affects = [{ ref: PRODUCT_REF, versions: [{ version: subject.version ?? 'unknown', status: v.status === 'AFFECTED' ? 'affected' : 'unaffected' }] }];
  if (properties.length) out.properties = properties;
  return out;
}

async function ratingsOf(db: Db, v: VulnerabilityRecord): Promise<Json[]> {
  const out: Json[] = [];
  const seen = new Set<string>();
  for (const d of await listVulnerabilityDescriptions(db, v.filedIds)) {
    for (const s of d.cvss) {
      const method = s.version === '3.1' ? 'CVSSv31' : s.version.startsWith('3') ? 'CVSSv3' : s.version === '2.0' ? 'CVSSv2' : s.version === '4.0' ? 'CVSSv4' : undefined;
      const key = `${method}|${s.vector}|${s.baseScore}`;
      if (!method || seen.has(key)) continue;
      seen.add(key);
      out.push({ ...(s.baseScore === undefined ? {} : { score: s.baseScore }), method, ...(s.vector ? { vector: s.vector } : {}), ...(s.source ? { source: { name: s.source } } : {}) });
    }
  }
  return out;
}
