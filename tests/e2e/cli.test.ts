import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { createDb } from '../../src/db/create-db.js';
import { lookUpApiToken } from '../../src/store/access.repository.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { DEMO_DIR, MODULE, PUMP } from '../helpers/demo-sboms.js';


const run = runCli;

describe.each(BACKENDS)('patchpath CLI on %s', (backend) => {
  let t: TestDb | undefined;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchpath-cli-'));
    if (backend === 'postgres') {
      t = await createTestDb('postgres');
      env = { DATABASE_URL: t.url! };
    } else env = { PATCHPATH_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
    writeFileSync(join(dir, 'broken.json'), '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [');
    writeFileSync(join(dir, 'invalid.cdx.json'), JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', unknownField: 1 }] }));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrates, then reports the database up to date', async () => {
    const first = await run(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    const second = await run(['migrate'], env);
    expect(second.stdout.trim()).toBe('database is up to date');
  });

  it('prints one line per file and exits non-zero when one was rejected', async () => {
    const r = await run(['ingest', join(DEMO_DIR, PUMP), join(dir, 'broken.json'), join(dir, 'missing.json')], env);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^accepted .*${PUMP} id=\\d+ components=\\d+$`));
    expect(lines[1]).toMatch(/^rejected .*broken\.json: line 1, column \d+: JSON ends early/);
    expect(lines[2]).toMatch(/^rejected .*missing\.json: cannot read file: no such file$/);
    expect(r.code).toBe(1);
  });

  it('exits 0 when every file was accepted, duplicates included', async () => {
    const r = await run(['ingest', join(DEMO_DIR, PUMP), join(DEMO_DIR, MODULE)], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/duplicate of an earlier upload/);
  });

  it('prints one JSON object per file with --json, and rejects schema violations with --strict', async () => {
    const r = await run(['ingest', '--json', '--strict', join(dir, 'invalid.cdx.json'), join(DEMO_DIR, MODULE)], env);
    const [invalid, module] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(invalid).toMatchObject({ status: 'rejected', format: 'cyclonedx-json', specVersion: '1.6' });
    expect(invalid.issues[0]).toMatchObject({ code: 'SCHEMA_VIOLATION' });
    expect(invalid.issues[0].path).toMatch(/^\/components\/0/);
    expect(module).toMatchObject({ status: 'accepted', format: 'spdx-json', specVersion: '2.3', schemaValid: true });
    expect(module.components).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });

  it('stores a schema-invalid document with its verdict without --strict', async () => {
    const r = await run(['ingest', '--json', join(dir, 'invalid.cdx.json')], env);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'accepted', schemaValid: false });
    expect(r.code).toBe(0);
  });

  it('makes a token once with token create, which then opens the server to that party, and revokes it', async () => {
    const made = await run(['token', 'create', '--org', 'CLI Hospital', '--role', 'operator', '--days', '7', '--name', 'ci'], env);
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^pp_[A-Za-z0-9_-]{43}$/);
    const id = /^token (\d+) for operator 'CLI Hospital', expires /.exec(made.stderr)?.[1];
    expect(id, made.stderr).toBeDefined();
    // The database now knows the token as the operator's (opened after the command has let go of it).
    const handle = t ? undefined : await createDb({ dataDir: env.PATCHPATH_DATA_DIR });
    try {
      expect(await lookUpApiToken((t ?? handle!).db, token, new Date())).toMatchObject({ ok: true, principal: { role: 'operator', organisationName: 'CLI Hospital' } });
    } finally {
      await handle?.close();
    }
    const bad = await run(['token', 'create', '--org', 'CLI Hospital', '--role', 'vendor'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'CLI Hospital' is an operator organisation ('CLI Hospital'); a vendor token must belong to a vendor organisation");
    const revoked = await run(['token', 'revoke', id!], env);
    expect(revoked.stdout.trim()).toBe(`revoked token ${id} of operator 'CLI Hospital'`);
    expect((await run(['token', 'revoke', '999999'], env)).stderr).toContain("'999999' names no API token");
  });

  it('says which setting is wrong instead of crashing', async () => {
    const r = await run(['migrate'], { ...env, DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL="mysql:\/\/nope": must start with postgres:\/\//);
  });
});

describe('patchpath CLI on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patchpath-cli-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to open an embedded database another process holds, and says what to do', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const dataDir = join(dir, 'held');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'patchpath.lock'), String(holder.pid));
    try {
      const r = await run(['ingest', join(DEMO_DIR, PUMP)], { PATCHPATH_DATA_DIR: dataDir, DATABASE_URL: '' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`in use by process ${holder.pid}.*--server`));
    } finally {
      holder.kill();
    }
  });
});
