/**
 * `patchpath advisories load` end to end: the real CLI binary in a child process, on a fresh embedded database
 * (its own data directory) or a fresh PostgreSQL database, and beside a running server with --server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { cdxJson } from '../helpers/demo-sboms.js';
import { CDX_VEX, CDX_VEX_STATEMENTS, cycloneDxStatementCount, json, OPENVEX_BAD_STATUS, OSV, OSV_STATEMENTS, SHIPPED_FILES, shippedDoc } from '../helpers/advisory-docs.js';


const run = runCli;

const lines = (stdout: string) => stdout.trim().split('\n');

/** What each shipped file holds, counted from the file itself. */
const SHIPPED = SHIPPED_FILES.map((file) => {
  const doc = shippedDoc(file);
  return { file, vulnerabilities: (doc.vulnerabilities as unknown[]).length, statements: cycloneDxStatementCount(doc) };
});

describe.each(BACKENDS)('patchpath advisories load on %s', (backend) => {
  let t: TestDb | undefined;
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string) => join(dir, name);
  const shippedIds: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchpath-advisories-cli-'));
    if (backend === 'postgres') {
      t = await createTestDb('postgres');
      env = { DATABASE_URL: t.url! };
    } else env = { PATCHPATH_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
    writeFileSync(file('osv.json'), json(OSV));
    writeFileSync(file('vex.cdx.json'), json(CDX_VEX));
    writeFileSync(file('truncated.json'), '{\n  "id": "GHSA-9v3m-4q8r-2xwp",\n  "modified": "2026-02-01T00:00:00Z",\n  "affected": [');
    writeFileSync(file('sbom.cdx.json'), cdxJson([{ type: 'library', name: 'zlib', version: '1.3.1' }]));
    writeFileSync(file('bad-status.openvex.json'), json(OPENVEX_BAD_STATUS));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the shipped set into a fresh database without files: one accepted line per file, exit 0', async () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(7);
    const r = await run(['advisories', 'load'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(SHIPPED.length);
    SHIPPED.forEach((s, i) => {
      const m = /^accepted (.+) id=(\d+) vulnerabilities=(\d+) statements=(\d+)$/.exec(out[i]!);
      expect(m, out[i]).not.toBeNull();
      expect([m![1], Number(m![3]), Number(m![4])]).toEqual([s.file, s.vulnerabilities, s.statements]);
      shippedIds.push(Number(m![2]));
    });
    // A fresh database: the files get ids 1, 2, ... in name order.
    expect(shippedIds).toEqual(SHIPPED.map((_, i) => i + 1));
  });

  it('loads the shipped set again as duplicates of the first load, exit 0', async () => {
    const r = await run(['advisories', 'load'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(SHIPPED.map((s, i) => `accepted ${s.file} id=${shippedIds[i]} vulnerabilities=${s.vulnerabilities} statements=${s.statements} (duplicate of an earlier upload)`));
  });

  it('prints a rejected line for each bad file, keeps going, and exits 1', async () => {
    const r = await run(['advisories', 'load', file('osv.json'), file('truncated.json'), file('sbom.cdx.json'), file('missing.json')], env);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out).toHaveLength(4);
    expect(out[0]).toBe(`accepted ${file('osv.json')} id=${shippedIds.length + 1} vulnerabilities=1 statements=${OSV_STATEMENTS}`);
    // The truncated file ends in line 4, after `"affected": [`.
    expect(out[1]).toMatch(new RegExp(`^rejected ${file('truncated.json')}: line 4, column 16: JSON ends early \\(truncated document\\?\\): `));
    expect(out[2]).toBe(
      `rejected ${file('sbom.cdx.json')}: document is JSON but not an advisory: it is a CycloneDX BOM without a 'vulnerabilities' array: an SBOM, not VEX or VDR (upload it as an SBOM)`,
    );
    expect(out[3]).toBe(`rejected ${file('missing.json')}: cannot read file: no such file`);
  });

  it('prints one JSON object per file with --json', async () => {
    const r = await run(['advisories', 'load', '--json', file('vex.cdx.json'), file('osv.json'), file('truncated.json'), file('bad-status.openvex.json')], env);
    expect(r.code).toBe(1);
    const [vex, osv, truncated, bad] = lines(r.stdout).map((l) => JSON.parse(l));
    expect(vex).toEqual({
      file: file('vex.cdx.json'),
      status: 'accepted',
      duplicate: false,
      id: shippedIds.length + 2,
      format: 'cyclonedx-vex',
      specVersion: CDX_VEX.specVersion,
      schemaValid: true,
      components: null,
      vulnerabilities: CDX_VEX.vulnerabilities.length,
      statements: CDX_VEX_STATEMENTS,
      issues: [],
    });
    expect(osv).toMatchObject({ file: file('osv.json'), status: 'accepted', duplicate: true, id: shippedIds.length + 1, format: 'osv', specVersion: OSV.schema_version, vulnerabilities: 1, statements: OSV_STATEMENTS, issues: [] });
    expect(truncated).toMatchObject({ file: file('truncated.json'), status: 'rejected', id: null, format: null, vulnerabilities: null, statements: null });
    expect(truncated.issues).toHaveLength(1);
    expect(truncated.issues[0]).toMatchObject({ code: 'SYNTAX_ERROR', severity: 'error', path: 'line 4, column 16' });
    // Stored with its verdict without --strict: the schema violation and the unknown status word.
    expect(bad).toMatchObject({ status: 'accepted', duplicate: false, format: 'openvex', specVersion: '0.2.0', schemaValid: false, vulnerabilities: 1, statements: 1 });
    expect(bad.issues.map((i: { code: string; severity: string; path: string }) => [i.code, i.severity, i.path])).toEqual([
      ['SCHEMA_VIOLATION', 'error', '/statements/0/status'],
      ['UNKNOWN_STATUS', 'warning', '/statements/0/status'],
    ]);
  });

  it('rejects a schema violation with --strict, even for bytes stored before without it', async () => {
    const r = await run(['advisories', 'load', '--strict', '--json', file('bad-status.openvex.json')], env);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ status: 'rejected', format: 'openvex', id: null });
    expect(result.issues).toEqual([
      {
        code: 'SCHEMA_VIOLATION',
        severity: 'error',
        path: '/statements/0/status',
        message: "'/statements/0/status' 'maybe' is not one of 'not_affected', 'affected', 'fixed', 'under_investigation' (OpenVEX 0.2.0 JSON schema)",
      },
    ]);
    const text = await run(['advisories', 'load', '--strict', file('bad-status.openvex.json')], env);
    expect(text.stdout.trim()).toBe(`rejected ${file('bad-status.openvex.json')}: /statements/0/status: '/statements/0/status' 'maybe' is not one of 'not_affected', 'affected', 'fixed', 'under_investigation' (OpenVEX 0.2.0 JSON schema)`);
  });
});

describe.each(BACKENDS)('patchpath advisories load --server beside a running server on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t);
    dir = mkdtempSync(join(tmpdir(), 'patchpath-advisories-server-'));
    writeFileSync(join(dir, 'osv.json'), json(OSV));
    writeFileSync(join(dir, 'sbom.cdx.json'), cdxJson());
  });
  afterAll(async () => {
    await server.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the shipped set, then files, to the server and prints the same lines', async () => {
    // No database settings: the CLI must not open one.
    const env = { DATABASE_URL: '', PATCHPATH_DATA_DIR: join(dir, 'never-created'), PATCHPATH_TOKEN: server.token };
    const shipped = await run(['advisories', 'load', '--server', server.url], env);
    expect(shipped.code, shipped.stderr).toBe(0);
    expect(lines(shipped.stdout)).toEqual(SHIPPED.map((s, i) => `accepted ${s.file} id=${i + 1} vulnerabilities=${s.vulnerabilities} statements=${s.statements}`));

    const r = await run(['advisories', 'load', '--server', server.url, '--json', join(dir, 'osv.json'), SHIPPED[0]!.file, join(dir, 'sbom.cdx.json')], env);
    expect(r.code).toBe(1);
    const [osv, again, sbom] = lines(r.stdout).map((l) => JSON.parse(l));
    expect(osv).toMatchObject({ status: 'accepted', duplicate: false, id: SHIPPED.length + 1, format: 'osv', vulnerabilities: 1, statements: OSV_STATEMENTS, schemaValid: true });
    expect(again).toMatchObject({ status: 'accepted', duplicate: true, id: 1, vulnerabilities: SHIPPED[0]!.vulnerabilities, statements: SHIPPED[0]!.statements });
    expect(sbom).toMatchObject({ status: 'rejected', id: null });
    expect(sbom.issues[0]).toMatchObject({ code: 'NOT_AN_ADVISORY', severity: 'error', path: '' });
    const rows = await t.db.selectFrom('advisory').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(SHIPPED.length + 1);
  });
});
