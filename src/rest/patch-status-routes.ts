/**
 * @module
 * REST for the patch-status lists, as JSON or CSV (`?format=csv` or `Accept: text/csv`), each with `asOf` to set
 * the clock:
 * - `GET /v1/operators/:operator/affected-devices?vulnerability=CVE-…` (or `?stack=treck`): the security team's list;
 * - `GET /v1/vendors/:vendor/patch-status?vulnerability=…` (or `?stack=…`): a vendor's products and waits;
 * - `GET /v1/vulnerabilities/:id/timeline`: one vulnerability across every chain;
 * - `GET /v1/sboms/:id/vex`: the CycloneDX VEX drafted for one product version.
 * The JSON is the CSV's rows as objects; GraphQL has the full structure.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { affectedDevices } from '../patch-status/device-exposure.js';
import { hopVendorNames } from '../patch-status/chain-text.js';
import { affectedDevicesCsv, timelineCsv, vendorPatchStatusCsv } from '../patch-status/patch-status-csv.js';
import { readAsOf, readVulnerabilities, readVulnerability } from '../patch-status/patch-query.js';
import { productVex } from '../patch-status/product-vex.js';
import { vendorPatchStatus } from '../patch-status/vendor-patch-status.js';
import { vulnerabilityTimeline } from '../patch-status/vulnerability-timeline.js';
import { listSubjectsOfSboms } from '../store/component.repository.js';
import { findOrganisationByKey, getOperator } from '../store/organisation.repository.js';
import { clientError, parseIdParam } from './params.js';
import { answer, formatOf, respond } from './csv-response.js';

export interface PatchStatusRoutesDeps {
  db: Kysely<Database>;
  clock?: () => Date;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export function patchStatusRoutes(deps: PatchStatusRoutesDeps) {
  const { db } = deps;
  const now = deps.clock ?? (() => new Date());
  const app = new Hono();

  app.get('/operators/:operator/affected-devices', (c) =>
    answer(c, async () => {
      const format = formatOf(c);
      const operator = await getOperator(db, c.req.param('operator'));
      const vulnerabilities = await readVulnerabilities(db, { vulnerability: c.req.query('vulnerability'), stack: c.req.query('stack') });
      const result = await affectedDevices(db, { operatorId: operator.id, vulnerabilities, now: readAsOf(c.req.query('asOf'), now) });
      const names = await hopVendorNames(db, result.devices.flatMap((d) => d.verdicts.flatMap((v) => v.chains)));
      const csv = affectedDevicesCsv(result, names);
      return respond(c, format, csv, `${slug(operator.name)}-affected-devices`, {
        operator: operator.name,
        vulnerabilities: vulnerabilities.map((v) => v.id),
        unmatched: result.unmatched.map((u) => ({ assetTag: u.device.assetTag, reason: u.match.reason })),
      });
    }),
  );

  app.get('/vendors/:vendor/patch-status', (c) =>
    answer(c, async () => {
      const format = formatOf(c);
      const name = c.req.param('vendor');
      const key = normaliseVendorName(name);
      const vendor = key === undefined ? undefined : await findOrganisationByKey(db, key);
      if (!vendor || vendor.kind !== 'vendor') return clientError(c, 404, `no vendor named '${name.slice(0, 200)}'`);
      const vulnerabilities = await readVulnerabilities(db, { vulnerability: c.req.query('vulnerability'), stack: c.req.query('stack') });
      const status = await vendorPatchStatus(db, { vendorId: vendor.id, vulnerabilities, now: readAsOf(c.req.query('asOf'), now) });
      const chains = [...status.products.flatMap((p) => p.verdict.chains), ...status.waitingOnSuppliers.map((w) => w.chain), ...status.customersWaiting.map((w) => w.chain)];
      const names = await hopVendorNames(db, chains);
      const sbomIds = [...new Set([...status.products.map((p) => p.sbomId), ...chains.map((ch) => ch.rootSbomId)])];
      const subjects = await listSubjectsOfSboms(db, sbomIds);
      const product = new Map(sbomIds.map((id, i) => [id, subjects[i]?.[0] ? `${subjects[i]![0]!.name}${subjects[i]![0]!.version ? ` ${subjects[i]![0]!.version}` : ''}` : `SBOM ${id}`]));
      const csv = vendorPatchStatusCsv(status, names, (id) => product.get(id) ?? `SBOM ${id}`);
      return respond(c, format, csv, `${slug(vendor.name)}-patch-status`, { vendor: vendor.name, vulnerabilities: vulnerabilities.map((v) => v.id) });
    }),
  );

  app.get('/vulnerabilities/:id/timeline', (c) =>
    answer(c, async () => {
      const format = formatOf(c);
      const vulnerability = await readVulnerability(db, 'id', c.req.param('id'));
      const timeline = await vulnerabilityTimeline(db, { vulnerability, now: readAsOf(c.req.query('asOf'), now) });
      const names = await hopVendorNames(db, timeline.chains);
      return respond(c, format, timelineCsv(timeline, names), `${slug(vulnerability.id)}-timeline`, {
        vulnerability: vulnerability.id,
        chainCounts: timeline.chainCounts,
        latency: timeline.latency,
      });
    }),
  );

  app.get('/sboms/:id/vex', (c) =>
    answer(c, async () => {
      const id = parseIdParam(c.req.param('id'), 'SBOM id');
      const doc = await productVex(db, { sbomId: id, now: readAsOf(c.req.query('asOf'), now) });
      if (!doc) return clientError(c, 404, `no stored SBOM with id ${id} describes a product`);
      return c.body(JSON.stringify(doc, null, 2), 200, { 'content-type': 'application/vnd.cyclonedx+json; version=1.6' });
    }),
  );

  return app;
}
