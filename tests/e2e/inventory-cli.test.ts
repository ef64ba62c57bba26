/**
 * `patchpath inventory import` end to end: the real CLI binary in a child process, on a fresh embedded database (its
 * own data directory) or a fresh PostgreSQL database, and beside a running server with --server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSbom } from '../../src/store/ingest-sbom.js';
import { DEMO_INVENTORY_PATH as DEMO_INVENTORY, DEMO_UNMATCHED, HOSPITAL, DEMO_DEVICES, DEMO_MATCHED } from '../helpers/demo-inventory.js';
import { DEMO_DIR, demoSbom, MONITOR, PUMP, TELEMETRY_DEVICES } from '../helpers/demo-sboms.js';
import { runCli } from '../helpers/run-cli.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';


const lines = (stdout: string) => stdout.trimEnd().split('\n');

/** What the demo list prints on the demo pump's and monitor's SBOMs (README "Hospital inventories"). */
const demoOutput = (file: string, counts: string) => [
  `imported ${file} into '${HOSPITAL}': ${DEMO_DEVICES} devices (${counts}); ${DEMO_MATCHED} matched to an SBOM, ${DEMO_DEVICES - DEMO_MATCHED} unmatched`,
  ...DEMO_UNMATCHED.map((u) => `unmatched ${u.assetTag} (line ${u.line}): ${u.reason}`),
];

describe.each(BACKENDS)('patchpath inventory import on %s', (backend) => {
  let t: TestDb | undefined;
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchpath-inventory-cli-'));
    if (backend === 'postgres') {
      t = await createTestDb('postgres');
      env = { DATABASE_URL: t.url! };
    } else env = { PATCHPATH_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
    writeFileSync(file('bad.csv'), 'asset_tag,vendor,model,criticality\nA-1,Acme,,urgent\nA-1,Acme,X,high\n');
    writeFileSync(file('one.json'), JSON.stringify({ devices: [{ assetTag: 'SEH-ICU-0101', purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0' }] }));
    const ingest = await runCli(['ingest', ...[PUMP, MONITOR, ...TELEMETRY_DEVICES].map((f) => `${DEMO_DIR}${f}`)], env);
    expect(ingest.code, ingest.stdout + ingest.stderr).toBe(0);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the demo list: the counts, then one line per device no SBOM matches; exit 0', async () => {
    const r = await runCli(['inventory', 'import', '--operator', HOSPITAL, DEMO_INVENTORY], env);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(demoOutput(DEMO_INVENTORY, `created ${DEMO_DEVICES}, updated 0, unchanged 0, deleted 0`));
  });

  it('prints every problem of a refused list and exits 1', async () => {
    const r = await runCli(['inventory', 'import', '--operator', 'County General', file('bad.csv')], env);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      `rejected ${file('bad.csv')}: 3 problems, nothing stored`,
      "  line 2: device 'A-1' names vendor 'Acme' but no model; a device needs vendor and model, a purl or a CPE to be matched to an SBOM",
      "  line 2, column criticality: criticality 'urgent' is not one of critical, high, medium, low (case does not matter; numbers are not accepted: write the word)",
      "  line 3, column asset_tag: asset tag 'A-1' is listed again (first at line 2); asset tags must be unique within an inventory",
    ]);
    const missing = await runCli(['inventory', 'import', '--operator', HOSPITAL, file('missing.csv')], env);
    expect([missing.code, lines(missing.stdout)[1]]).toEqual([1, expect.stringMatching(/^ {2}cannot read the file: ENOENT/)]);
  });

  it('replaces with --replace and answers as JSON with --json', async () => {
    const r = await runCli(['inventory', 'import', '--operator', 'st elsewhere hospital', '--replace', '--json', file('one.json')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      file: file('one.json'),
      status: 'imported',
      operator: HOSPITAL,
      created: 0,
      updated: 1,
      unchanged: 0,
      deleted: DEMO_DEVICES - 1,
      devices: 1,
      matched: 1,
      unmatched: [],
      ignoredFields: [],
    });
  });
});

describe.each(BACKENDS)('patchpath inventory import --server beside a running server on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  let dir: string;
  const env = () => ({ DATABASE_URL: '', PATCHPATH_DATA_DIR: join(dir, 'never-created'), PATCHPATH_TOKEN: server.token });

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t);
    dir = mkdtempSync(join(tmpdir(), 'patchpath-inventory-server-'));
    writeFileSync(join(dir, 'bad.json'), '[{"assetTag": "A", "purl": "nope"}]');
    for (const f of [PUMP, MONITOR, ...TELEMETRY_DEVICES]) await ingestSbom(t.db, demoSbom(f));
  });
  afterAll(async () => {
    await server.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the list to the server and prints the same lines; a refused list exits 1', async () => {
    const r = await runCli(['inventory', 'import', '--operator', HOSPITAL, '--server', server.url, DEMO_INVENTORY], env());
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(demoOutput(DEMO_INVENTORY, `created ${DEMO_DEVICES}, updated 0, unchanged 0, deleted 0`));
    const bad = await runCli(['inventory', 'import', '--operator', HOSPITAL, '--server', server.url, join(dir, 'bad.json')], env());
    expect(bad.code).toBe(1);
    expect(lines(bad.stdout)).toEqual([`rejected ${join(dir, 'bad.json')}: 1 problem, nothing stored`, `  /0/purl: purl 'nope' is not valid: missing required "pkg" scheme component`]);
  });
});
