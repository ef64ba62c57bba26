import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { getCycloneDxJsonStepValidator, getCycloneDxJsonValidator } from '../ingest/cyclonedx/cyclonedx-json-validator.js';
import { cycloneDxVendorNames, runSteps } from '../ingest/cyclonedx/parse-cyclonedx-json.js';
import { oversizedValues, parseSbom } from '../ingest/parse-sbom.js';
import { getSpdxJsonValidator } from '../ingest/spdx/spdx-json-validator.js';
import { normaliseSbom } from '../normalise/normalise-sbom.js';
import { copyText } from './bulk-insert.js';
import { COMPONENT_COLUMNS, componentLines, EDGE_COLUMNS, edgeLines, edgeRows, HASH_COLUMNS, hashLines, ownerFields } from './store-sbom.js';

/** Thrown to end the warm-up's transaction: it stores nothing. */
class WarmUpDone extends Error {}

/**
 * Readies a server for its first uploads: compiles the JSON Schema validators of the versions most uploads use
 * (CycloneDX 1.6 and 1.5, SPDX 2.3; about 0.15 s each) and runs a small generated SBOM through parse, normalise,
 * the validation in steps and the COPY formatting of stream-sbom.ts, so their code is compiled by the JIT. Other
 * versions compile on first use. Not done at module load: CLI commands and tests that never ingest would pay for it.
 *
 * With a database, its rows are also copied into the component, hash and edge tables in a transaction that is rolled
 * back: the COPY streams, and the database connection's first look at those tables and their indexes, are then
 * ready too. It leaves nothing behind (those tables have no sequence; the dead rows are vacuumed). The first upload of
 * the 10k-component benchmark document after a start: 0.57 s without this part, 0.52 s with it (README, "Benchmark").
 */
export async function warmUpIngest(db?: Kysely<Database>): Promise<void> {
  getCycloneDxJsonValidator('1.5');
  getSpdxJsonValidator('2.3');
  getCycloneDxJsonValidator('1.6');
  const components = Array.from({ length: 2000 }, (_, i) => ({
    type: 'library',
    'bom-ref': `pkg:npm/warm-up-${i}@1.0.${i}`,
    supplier: { name: `Warm Up Vendor ${i % 7}` },
    name: `warm-up-${i}`,
    version: `1.0.${i}`,
    hashes: [{ alg: 'SHA-256', content: i.toString(16).padStart(64, '0') }],
    licenses: [{ license: { id: 'MIT' } }],
    purl: `pkg:npm/warm-up-${i}@1.0.${i}`,
    cpe: `cpe:2.3:a:warm_up:warm-up-${i}:1.0.${i}:*:*:*:*:*:*:*`,
  }));
  const doc = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { component: { type: 'application', 'bom-ref': 'root', name: 'warm-up', version: '1', supplier: { name: 'Warm Up Vendor' } } },
    components,
    dependencies: components.map((c, i) => ({ ref: c['bom-ref'], dependsOn: i + 1 < components.length ? [components[i + 1]!['bom-ref']] : [] })),
  };
  const parsed = await parseSbom(Buffer.from(JSON.stringify(doc)));
  if (!parsed.ok) throw new Error(`warm-up SBOM was rejected: ${parsed.issues[0]?.message}`);
  const sbom = normaliseSbom(parsed.sbom);
  runSteps(getCycloneDxJsonStepValidator('1.6')(doc));
  cycloneDxVendorNames(doc);
  oversizedValues(parsed.sbom);
  const vendorIds = new Map(sbom.vendors.map((v, i) => [v.key, i]));
  const owner = ownerFields({ sbomId: 0, ownerId: null });
  const lines = { component: componentLines(owner, sbom.components, vendorIds), hash: hashLines(owner, sbom.components), edge: edgeLines(owner, edgeRows(sbom.edges)) };
  if (!db) return;
  try {
    await db.transaction().execute(async (trx) => {
      await copyText(trx, 'component', COMPONENT_COLUMNS, [lines.component]);
      // As stream-sbom.ts sends them: hash lines as bytes, the others as text.
      await copyText(trx, 'component_hash', HASH_COLUMNS, [Buffer.from(lines.hash)]);
      await copyText(trx, 'component_edge', EDGE_COLUMNS, [lines.edge]);
      throw new WarmUpDone();
    });
  } catch (e) {
    if (!(e instanceof WarmUpDone)) throw e;
  }
}
