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
  const listening = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"event":"listening","address":"[^"]*","port":(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-500)}`)));
  });
  afterAll(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const gql = async (url: string, query: string) =>
    (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as { data: any };

  it('answers with the demo chains and the reach of a Ripple20 vulnerability', { timeout: 120_000 }, async () => {
    const url = await listening;
    const chains = await gql(url, '{ chains(product: { purl: "pkg:generic/medisyn/ip3000-firmware@2.4.0" }) { chains { depth } } }');
    expect(chains.data.chains.chains.map((c: { depth: number }) => c.depth).sort()).toEqual([1, 1, 2, 4, 5]);
    const v = await gql(url, '{ vulnerability(id: "CVE-2020-11896") { cvssMax products { depth product { name } } } }');
    expect(v.data.vulnerability).toEqual({ cvssMax: 10, products: [{ depth: 1, product: { name: 'mb7-firmware' } }, { depth: 2, product: { name: 'ip3000-firmware' } }] });
  });
});
