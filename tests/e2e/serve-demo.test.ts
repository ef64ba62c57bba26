import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/patchpath.js', import.meta.url));

/**
 * What a newcomer gets from `npm start` (`patchpath serve --demo`) on a fresh machine: the real binary, the embedded
 * database in a new folder, the demo SBOMs and the advisory set loaded, and the README's first questions answered.
 */
describe('patchpath serve --demo on a fresh embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patchpath-demo-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0'], {
    env: { ...process.env, PATCHPATH_DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** The `export NAME=token` lines the demo prints, by variable. */
  const tokens = new Map<string, string>();
  const listening = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      for (const m of out.matchAll(/export ([A-Z_]+)=(pp_[A-Za-z0-9_-]{43})/g)) tokens.set(m[1]!, m[2]!);
      const m = /"event":"listening","address":"[^"]*","port":(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-500)}`)));
  });
  afterAll(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const gql = async (url: string, query: string, token = tokens.get('OPERATOR_TOKEN')) =>
    (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) })).json()) as { data: any };

  it('answers with the demo chains and the reach of a Ripple20 vulnerability', { timeout: 120_000 }, async () => {
    const url = await listening;
    const chains = await gql(url, '{ chains(product: { purl: "pkg:generic/medisyn/ip3000-firmware@2.4.0" }) { chains { depth } } }');
    expect(chains.data.chains.chains.map((c: { depth: number }) => c.depth).sort()).toEqual([1, 1, 2, 4, 5]);
    const v = await gql(url, '{ vulnerability(id: "CVE-2020-11896") { cvssMax products { depth product { name } } } }');
    // Keystone's demo VEX names the board itself as affected (depth 0); the pump carries it (depth 1).
    expect(v.data.vulnerability).toEqual({ cvssMax: 10, products: [{ depth: 0, product: { name: 'mb7-firmware' } }, { depth: 1, product: { name: 'ip3000-firmware' } }] });
  });

  it("shows the demo hospital a stuck patch, a NOT_AFFECTED claim, a fixed chain and an unpatchable device", { timeout: 120_000 }, async () => {
    const url = await listening;
    const devices = async (vulnerability: string) =>
      (
        await gql(
          url,
          `{ affectedDevices(operator: "St. Elsewhere Hospital", vulnerability: "${vulnerability}", asOf: "2026-11-29T00:00:00Z") {
              devices { device { assetTag } action verdicts { status updateTo { version } chains { status daysStuck stuckAt { name vendor { name } } } } sameSegment { assetTag } } } }`,
        )
      ).data.affectedDevices.devices as any[];
    const line = (d: any) => `${d.device.assetTag} ${d.verdicts[0].status} ${d.action}${d.verdicts[0].updateTo ? ` ${d.verdicts[0].updateTo.version}` : ''}`;

    // Ripple20 in the pump's board: Keystone shipped MB7 1.4.0 with the fixed Treck on 2025-09-15, Medisyn has not followed.
    const ripple = await devices('CVE-2020-11896');
    expect(ripple.map(line)).toEqual(['SEH-ICU-0101 AFFECTED ISOLATE', 'SEH-ICU-0102 AFFECTED ISOLATE', 'SEH-ICU-0103 AFFECTED ISOLATE', 'SEH-ONC-0201 AFFECTED ISOLATE']);
    expect(ripple[0].verdicts[0].chains).toEqual([{ status: 'STUCK', daysStuck: 439, stuckAt: { name: 'ip3000-firmware', vendor: { name: 'Medisyn Medical GmbH' } } }]);
    expect(ripple[0].sameSegment.map((d: any) => d.assetTag)).toEqual(['SEH-ICU-0102', 'SEH-ICU-0103', 'SEH-ICU-0110', 'SEH-ICU-0111', 'SEH-ICU-0112', 'SEH-ICU-0120', 'SEH-ICU-0121', 'SEH-ICU-0130']);
    // Keystone's VEX: MB7 1.3.0 is built without Treck's DNS resolver.
    expect((await devices('CVE-2020-11901')).map(line)).toEqual(['SEH-ICU-0101 NOT_AFFECTED NONE', 'SEH-ICU-0102 NOT_AFFECTED NONE', 'SEH-ICU-0103 NOT_AFFECTED NONE', 'SEH-ONC-0201 NOT_AFFECTED NONE']);
    // FNET: the TX-40 1.3.0 carries the fixed stack.
    expect((await devices('CVE-2020-27633')).map(line)).toEqual(['SEH-CAR-0701 AFFECTED UPDATE 1.3.0', 'SEH-ICU-0120 AFFECTED UPDATE 1.3.0', 'SEH-ICU-0121 DEPLOYED NONE']);
    // Contiki is end of life: no fix anywhere, isolate the badges.
    expect((await devices('CVE-2020-13984')).map(line)).toEqual(['SEH-CAR-0702 AFFECTED ISOLATE', 'SEH-ICU-0130 AFFECTED ISOLATE']);
  });

  it('prints a token per demo party, and each party reaches what its role allows', { timeout: 120_000 }, async () => {
    const url = await listening;
    expect([...tokens.keys()].filter((k) => !k.startsWith('VENDOR_')).sort()).toEqual(['ADMIN_TOKEN', 'OPERATOR_TOKEN', 'PROCUREMENT_TOKEN']);
    expect(tokens.has('VENDOR_KEYSTONE_EMBEDDED_TOKEN') || [...tokens.keys()].some((k) => k.startsWith('VENDOR_KEYSTONE'))).toBe(true);
    const me = await gql(url, '{ me { role organisation { name kind } } }', tokens.get('PROCUREMENT_TOKEN'));
    expect(me.data.me).toEqual({ role: 'PROCUREMENT', organisation: { name: 'St. Elsewhere Procurement', kind: 'PROCUREMENT' } });
    // Procurement reads vendors' data but no inventory.
    const denied = (await gql(url, '{ devices(operator: "St. Elsewhere Hospital") { edges { node { assetTag } } } }', tokens.get('PROCUREMENT_TOKEN'))) as any;
    expect(denied.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await gql(url, '{ sboms(first: 1) { edges { node { id } } } }', tokens.get('PROCUREMENT_TOKEN'))).data.sboms.edges).toHaveLength(1);
    // Without a token only health, readiness and the GraphiQL page answer.
    const anonymous = await fetch(`${url}/v1/sboms`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="patchpath"');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("records the day's scorecard of every demo vendor once it has started, so procurement's history begins at once", { timeout: 120_000 }, async () => {
    const url = await listening;
    const history = async () => (await gql(url, '{ vendorScorecard(vendor: { name: "Keystone Embedded Ltd" }) { score history { day score } } }', tokens.get('PROCUREMENT_TOKEN'))).data.vendorScorecard;
    await expect.poll(async () => (await history()).history.length, { timeout: 60_000 }).toBe(1);
    const card = await history();
    // The day the server started on (UTC); the score as the live card gives it.
    expect(card.history).toEqual([{ day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), score: card.score }]);
    expect(card.score).not.toBeNull();
  });
});
