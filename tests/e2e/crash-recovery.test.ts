import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCycloneDxBom } from '../../bench/generate-cyclonedx.js';
import { createDb } from '../../src/db/create-db.js';
import type { Database } from '../../src/db/database.js';
import { BIN } from '../helpers/run-cli.js';
import { BACKENDS, createTestDb, type Backend, type TestDb } from '../helpers/test-db.js';

/**
 * "Nothing lost" (issue 5): the real `patchpath serve`, killed with SIGKILL while large uploads are arriving, being
 * parsed and being written, restarts on the same database (on PGlite: the same data folder, whose lock the dead
 * process still names) and holds each SBOM whole or not at all; every document then uploads again, 201 when it was
 * lost and 200 duplicate when it had committed, one SBOM each.
 *
 * Each kill is aimed at its phase by watching the server from outside: the spool folder the server writes a large
 * body to while it arrives (it is removed once the body is read, just before parsing), and on PostgreSQL
 * pg_stat_activity and pg_stat_progress_copy, on PGlite the files of the data folder (nothing is written there
 * before the upload's transaction). Each kill prints the phase it hit.
 */

/** Sent as `Authorization: Bearer …` on every request (ignored by servers without authentication). */
const TOKEN = `pp_${randomBytes(32).toString('base64url')}`;
const MB = 1024 * 1024;

interface Doc {
  name: string;
  bytes: Buffer;
  sha256: string;
  components: number;
  /** Hash entries of its components (the subject has none). */
  hashes: number;
}

interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<void>;
  /** Where this server spools large bodies while they arrive; a fresh folder per start. */
  spoolDir: string;
  output(): string;
}

interface Upload {
  doc: Doc;
  /** Resolves once every byte of the body is handed to the kernel. */
  sent: Promise<void>;
  response: Promise<{ status: number; body: any } | { error: string }>;
  answered(): boolean;
}

type Phase = 'receiving' | 'parsing' | 'writing';

const docsDir = mkdtempSync(join(tmpdir(), 'patchpath-crash-docs-'));
const children = new Set<ChildProcess>();
let docs: Record<'receiving' | 'parsing' | 'writing' | 'small' | 'medium' | 'large', Doc>;

beforeAll(async () => {
  // Distinct documents (each seed gives its own serial number, component names and hashes), 22 MB for 30k components.
  const sizes = { receiving: 30_000, parsing: 30_000, writing: 30_000, small: 2_000, medium: 8_000, large: 20_000 } as const;
  const entries = await Promise.all(
    Object.entries(sizes).map(async ([name, components], i) => {
      const path = join(docsDir, `${name}.cdx.json`);
      await writeCycloneDxBom(path, { components, seed: 5100 + i });
      const bytes = readFileSync(path);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      return [name, { name, bytes, sha256, components, hashes: countOccurrences(bytes, '"alg":') }] as const;
    }),
  );
  docs = Object.fromEntries(entries) as typeof docs;
});

afterAll(async () => {
  await Promise.all([...children].map((c) => killProcess(c)));
  rmSync(docsDir, { recursive: true, force: true });
});

describe.each(BACKENDS)('patchpath serve killed with SIGKILL during large uploads on %s', (backend) => {
  const root = mkdtempSync(join(tmpdir(), `patchpath-crash-${backend}-`));
  const dataDir = join(root, 'data');
  let t: TestDb | undefined;
  let server: Server;
  const kills: { scenario: string; phase: string; detail: string }[] = [];
  /** Documents the server answered 201 for before it was killed. */
  const committed = new Set<string>();
  let storedAfterKills: Map<string, number>;

  const env = (spoolDir: string): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: backend === 'postgres' ? t!.url : '',
    PATCHPATH_DATA_DIR: dataDir,
    PATCHPATH_SPOOL_DIR: spoolDir,
    // Every upload here is spooled, so the spool folder shows when its body has been read.
    PATCHPATH_SPOOL_THRESHOLD_BYTES: String(MB),
    PATCHPATH_ADMIN_TOKEN: TOKEN,
    LOG_LEVEL: 'info',
  });
  const start = () => startServer(root, env);

  /**
   * A probe that describes a write in progress in the server's database, or gives undefined: on PostgreSQL a transaction
   * that holds a write (and any COPY under way), on PGlite a file of the data folder changed since this call.
   */
  const watchWrites = (): (() => Promise<string | undefined>) => {
    if (backend === 'postgres') {
      return async () => {
        const { rows } = await sql<{ writers: number; copies: string | null }>`
          select (select count(*) from pg_stat_activity a
                   where a.datname = current_database() and a.pid <> pg_backend_pid() and a.backend_xid is not null) as writers,
                 (select string_agg(c.relid::regclass::text || ' ' || c.tuples_processed || ' rows', ', ')
                    from pg_stat_progress_copy c where c.datname = current_database()) as copies`.execute(t!.db);
        const { writers, copies } = rows[0]!;
        return Number(writers) > 0 ? `${writers} transaction(s) holding a write${copies ? `, COPY into ${copies}` : ''}` : undefined;
      };
    }
    const before = dataDirSignature(dataDir);
    return async () => {
      const now = dataDirSignature(dataDir);
      const changed = [...now].filter(([f, s]) => before.get(f) !== s).map(([f]) => f);
      return changed.length ? `${changed.length} file(s) of the data folder written (${changed.slice(0, 2).join(', ')}…)` : undefined;
    };
  };

  const killAndRestart = async (scenario: string, phase: string, detail: string) => {
    const { pid } = server;
    await killProcess(server.child);
    reportServerErrors(server);
    kills.push({ scenario, phase, detail });
    if (backend === 'pglite') {
      // The killed process could not release the folder's lock: the restart must take it over.
      expect(lockHolder(dataDir)).toBe(pid);
    }
    const restarting = performance.now();
    server = await start();
    console.log(`[${backend}] ${scenario}: killed in ${phase.toUpperCase()}: ${detail}; restarted in ${((performance.now() - restarting) / 1000).toFixed(1)} s`);
    if (backend === 'pglite') expect(lockHolder(dataDir)).toBe(server.pid);
    expect((await get(server, '/readyz')).status).toBe('ready');
  };

  const listedShas = async () => new Set(((await get(server, '/v1/sboms?first=500')).sboms as { sha256: string }[]).map((s) => s.sha256));

  beforeAll(async () => {
    if (backend === 'postgres') t = await createTestDb('postgres');
    server = await start();
  });

  afterAll(async () => {
    await Promise.all([...children].map((c) => killProcess(c)));
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps nothing of an upload killed while its body is still arriving', { timeout: 120_000 }, async () => {
    const doc = docs.receiving;
    const half = Math.floor(doc.bytes.length / 2);
    const upload = startUpload(server, doc, half);
    await upload.sent;
    // The server has begun reading the body (its spool file grows) and cannot have all of it: half was held back.
    const spooled = await until('the server to spool 4 MB of the body', () => {
      const size = spoolFileSizes(server.spoolDir)[0];
      return size !== undefined && size >= 4 * MB ? size : undefined;
    });
    await killAndRestart('upload 1', 'receiving', `${mbs(half)} of ${mbs(doc.bytes.length)} sent, ${mbs(spooled)} spooled by the server`);
    expect(await upload.response).toHaveProperty('error');
    expect((await listedShas()).has(doc.sha256)).toBe(false);
  });

  it('keeps nothing of an upload killed while it is being parsed', { timeout: 120_000 }, async () => {
    const doc = docs.parsing;
    const writing = watchWrites();
    const upload = startUpload(server, doc);
    await upload.sent;
    await until('the server to read the whole body', () => spoolFileSizes(server.spoolDir).length === 0 || undefined);
    const readAt = performance.now();
    // Hashing, the duplicate lookup and JSON-parsing 30k components take about 0.2 s on this machine (the re-upload
    // below logs parseMs); nothing is written before. The components are then mapped while they are written.
    await sleep(50);
    const write = await writing();
    const phase: Phase = write ? 'writing' : 'parsing';
    await killAndRestart('upload 2', phase, `${Math.round(performance.now() - readAt)} ms after the server had read the whole body; ${write ?? 'no write had begun'}`);
    expect(phase).toBe('parsing');
    expect(await upload.response).toHaveProperty('error');
    expect((await listedShas()).has(doc.sha256)).toBe(false);
  });

  it('keeps nothing of an upload killed while its transaction is writing', { timeout: 120_000 }, async () => {
    const doc = docs.writing;
    const writing = watchWrites();
    const upload = startUpload(server, doc);
    // On PostgreSQL, wait for a COPY under way (the component rows come first); on PGlite for the first pages
    // written, then 0.3 s more (the transaction takes 2 to 3 s there).
    const write = await until('the upload to write', async () => {
      if (upload.answered()) return 'answered';
      const w = await writing();
      return w && (backend === 'pglite' || /COPY into \w+ [1-9]/.test(w)) ? w : undefined;
    });
    if (backend === 'pglite') await sleep(300);
    const phase = upload.answered() ? 'committed' : 'writing';
    await killAndRestart('upload 3', phase, write);
    expect(phase).toBe('writing');
    expect(await upload.response).toHaveProperty('error');
    expect((await listedShas()).has(doc.sha256)).toBe(false);
  });

  it('keeps each of several uploads killed in flight whole or not at all', { timeout: 120_000 }, async () => {
    const inFlight = [docs.small, docs.medium, docs.large];
    const uploads = inFlight.map((doc) => startUpload(server, doc));
    // Kill once one upload has committed and another one's transaction is writing (or all have answered).
    await Promise.race(uploads.map((u) => u.response));
    const writing = watchWrites();
    const allAnswered = 'every upload had answered';
    const write = await until('a second upload to write', async () => (uploads.every((u) => u.answered()) ? allAnswered : await writing()));
    const answers = await Promise.all(uploads.map(async (u) => (u.answered() ? await u.response : undefined)));
    const spooling = spoolFileSizes(server.spoolDir).length;
    await killAndRestart(
      `${uploads.length} uploads at once`,
      write === allAnswered ? 'after the last commit' : 'writing',
      `${inFlight.map((d, i) => `${d.name}: ${answers[i] ? `answered ${(answers[i] as { status: number }).status}` : 'no answer'}`).join(', ')}; ${spooling} bod(ies) still arriving; ${write}`,
    );
    inFlight.forEach((d, i) => {
      const a = answers[i];
      if (a && 'status' in a && a.status === 201) committed.add(d.sha256);
    });
    expect(committed.size).toBeGreaterThan(0);
    const listed = await listedShas();
    for (const sha of committed) expect(listed.has(sha)).toBe(true);
  });

  it('has killed uploads while receiving, parsing and writing, and restarted after each kill', () => {
    expect(new Set(kills.map((k) => k.phase))).toEqual(new Set<string>(['receiving', 'parsing', 'writing']));
  });

  it('holds every stored SBOM whole, and no row of the lost ones', { timeout: 120_000 }, async () => {
    await stopServer(server);
    storedAfterKills = await withDb(backend, dataDir, t, (db) => checkWhole(db, Object.values(docs)));
    for (const sha of committed) expect(storedAfterKills.has(sha)).toBe(true);
    for (const lost of [docs.receiving, docs.parsing, docs.writing]) expect(storedAfterKills.has(lost.sha256)).toBe(false);
    // The killed servers' half-received bodies stay in their spool folders (nothing removes them after a crash).
    const leftovers = readdirSync(root).filter((d) => d.startsWith('spool-')).flatMap((d) => spoolFileSizes(join(root, d)));
    console.log(
      `[${backend}] after the kills: ${storedAfterKills.size} of ${Object.keys(docs).length} documents stored, each whole; ` +
        `${leftovers.length} spooled bod(ies) of killed uploads left behind (${mbs(leftovers.reduce((a, b) => a + b, 0))})`,
    );
  });

  it('accepts every document again: 201 when it was lost, 200 duplicate when it had committed; one SBOM each', { timeout: 180_000 }, async () => {
    server = await start();
    const queue = Object.values(docs);
    const answers: unknown[] = [];
    // Two at a time: the server parses one while the database writes the other.
    await Promise.all(
      [0, 1].map(async () => {
        for (let doc = queue.shift(); doc; doc = queue.shift()) {
          const res = await fetch(`${server.url}/v1/sboms`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: new Uint8Array(doc.bytes) });
          const body = (await res.json()) as { sha256: string; duplicate?: boolean; components: number };
          answers.push({ doc: doc.name, status: res.status, duplicate: body.duplicate ?? false, sha256: body.sha256, components: body.components });
        }
      }),
    );
    await stopServer(server);
    const timings = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"event":"ingest"') && l.includes('"status":"accepted"'))
      .map((l) => JSON.parse(l) as { components: number; timings: { parseMs: number; normaliseMs: number; storeMs: number } })
      .map((l) => `${l.components / 1000}k: parse ${Math.round(l.timings.parseMs)} + normalise ${Math.round(l.timings.normaliseMs)} + store ${Math.round(l.timings.storeMs)} ms`);
    console.log(`[${backend}] re-uploads (two at a time): ${timings.join('; ')}`);
    const byName = (x: unknown) => (x as { doc: string }).doc;
    expect(answers.sort((x, y) => byName(x).localeCompare(byName(y)))).toEqual(
      Object.values(docs)
        .map((doc) => ({ doc: doc.name, status: storedAfterKills.has(doc.sha256) ? 200 : 201, duplicate: storedAfterKills.has(doc.sha256), sha256: doc.sha256, components: doc.components }))
        .sort((x, y) => x.doc.localeCompare(y.doc)),
    );
    const stored = await withDb(backend, dataDir, t, (db) => checkWhole(db, Object.values(docs)));
    expect([...stored.keys()].sort()).toEqual(Object.values(docs).map((d) => d.sha256).sort());
    for (const [sha, id] of storedAfterKills) expect(stored.get(sha)).toBe(id);
  });
});

/** Every sbom row whole, against the document it came from, and no row of any document without its sbom row. */
async function checkWhole(db: Kysely<Database>, all: Doc[]): Promise<Map<string, number>> {
  const bySha = new Map(all.map((d) => [d.sha256, d]));
  const { rows } = await sql<{
    id: number;
    sha256: string;
    byte_size: number;
    content_encoding: string;
    component_count: number;
    relationship_count: number;
    issue_count: number;
    stitched: boolean;
    components: number;
    subjects: number;
    hashes: number;
    edge_targets: number;
    issues: number;
    subject_rows: number;
  }>`
    select s.id, s.sha256, s.byte_size, s.content_encoding, s.component_count, s.relationship_count, s.issue_count, s.stitched,
      (select count(*) from component c where c.sbom_id = s.id) as components,
      (select count(*) from component c where c.sbom_id = s.id and c.is_subject) as subjects,
      (select count(*) from component_hash h where h.sbom_id = s.id) as hashes,
      (select coalesce(sum(cardinality(e.to_idx)), 0) from component_edge e where e.sbom_id = s.id) as edge_targets,
      (select count(*) from sbom_issue i where i.sbom_id = s.id) as issues,
      (select count(*) from sbom_subject x where x.sbom_id = s.id) as subject_rows
    from sbom s order by s.id`.execute(db);
  const stored = new Map<string, number>();
  for (const r of rows) {
    const doc = bySha.get(r.sha256);
    expect(doc, `sbom ${r.id} (${r.sha256}) is none of the uploaded documents`).toBeDefined();
    stored.set(r.sha256, r.id);
    expect({
      doc: doc!.name,
      componentCount: r.component_count,
      componentRows: Number(r.components),
      subjectRows: Number(r.subjects),
      hashRows: Number(r.hashes),
      edgeTargets: Number(r.edge_targets),
      issueRows: Number(r.issues),
      stitchedSubject: Number(r.subject_rows),
      stitched: r.stitched,
    }).toEqual({
      doc: doc!.name,
      componentCount: doc!.components,
      componentRows: doc!.components + 1,
      subjectRows: 1,
      hashRows: doc!.hashes,
      edgeTargets: r.relationship_count,
      issueRows: r.issue_count,
      stitchedSubject: 1,
      stitched: true,
    });
    expect(r.relationship_count).toBeGreaterThan(0);
    const chunks = await db.selectFrom('sbom_content').select(['seq', 'data']).where('sbom_id', '=', r.id).orderBy('seq').execute();
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    const kept = Buffer.concat(chunks.map((c) => c.data as Uint8Array));
    const original = r.content_encoding === 'br' ? brotliDecompressSync(kept) : r.content_encoding === 'gzip' ? gunzipSync(kept) : kept;
    expect({ doc: doc!.name, bytes: original.length, sha256: createHash('sha256').update(original).digest('hex') }).toEqual({ doc: doc!.name, bytes: Number(r.byte_size), sha256: r.sha256 });
  }
  const orphans = await sql<Record<string, number>>`
    select
      (select count(*) from component x where not exists (select 1 from sbom s where s.id = x.sbom_id)) as component,
      (select count(*) from component_hash x where not exists (select 1 from component c where c.sbom_id = x.sbom_id and c.idx = x.idx)) as component_hash,
      (select count(*) from component_edge x
        where not exists (select 1 from component c where c.sbom_id = x.sbom_id and c.idx = x.from_idx)
           or exists (select 1 from unnest(x.to_idx) as t(i) where not exists (select 1 from component c where c.sbom_id = x.sbom_id and c.idx = t.i))) as component_edge,
      (select count(*) from sbom_content x where not exists (select 1 from sbom s where s.id = x.sbom_id)) as sbom_content,
      (select count(*) from sbom_issue x where not exists (select 1 from sbom s where s.id = x.sbom_id)) as sbom_issue,
      (select count(*) from sbom_document_reference x where not exists (select 1 from sbom s where s.id = x.sbom_id)) as sbom_document_reference,
      (select count(*) from sbom_subject x where not exists (select 1 from sbom s where s.id = x.sbom_id)) as sbom_subject,
      (select count(*) from sbom_subject_hash x where not exists (select 1 from sbom s where s.id = x.sbom_id)) as sbom_subject_hash,
      (select count(*) from component_link x
        where not exists (select 1 from component c where c.sbom_id = x.sbom_id and c.idx = x.idx)
           or not exists (select 1 from sbom s where s.id = x.target_sbom_id)) as component_link,
      (select count(*) from component_stack x where not exists (select 1 from component c where c.sbom_id = x.sbom_id and c.idx = x.idx)) as component_stack`.execute(db);
  const counts = Object.fromEntries(Object.entries(orphans.rows[0]!).map(([k, v]) => [k, Number(v)]));
  expect(counts).toEqual(Object.fromEntries(Object.keys(counts).map((k) => [k, 0])));
  return stored;
}

/** The database opened directly, the server stopped (PGlite allows one process per data folder). */
async function withDb<T>(backend: Backend, dataDir: string, t: TestDb | undefined, f: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (backend === 'postgres') return f(t!.db);
  const handle = await createDb({ dataDir });
  try {
    return await f(handle.db);
  } finally {
    await handle.close();
  }
}

async function startServer(root: string, env: (spoolDir: string) => NodeJS.ProcessEnv): Promise<Server> {
  const spoolDir = mkdtempSync(join(root, 'spool-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: env(spoolDir), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  let out = '';
  const collect = (d: Buffer) => {
    out = (out + d.toString()).slice(-50_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within 60 s:\n${out.slice(-3000)}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /"event":"listening","address":"[^"]*","port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${child.exitCode ?? child.signalCode} before listening:\n${out.slice(-3000)}`));
    });
  });
  return { url, pid: child.pid!, child, exited, spoolDir, output: () => out };
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  await server.exited;
  clearTimeout(timer);
  reportServerErrors(server);
}

/** The server's own error log lines (pino level 50 and up), so an unexpected 500 explains itself. */
function reportServerErrors(server: Server): void {
  const errors = server.output().split('\n').filter((l) => /"level":(50|60)/.test(l) || l.startsWith('patchpath:'));
  if (errors.length) console.log(`server ${server.pid} logged errors:\n${errors.join('\n')}`);
}

/** POST /v1/sboms over a raw socket, so the body can be held back: only `sendFirst` bytes are sent when given. */
function startUpload(server: Server, doc: Doc, sendFirst?: number): Upload {
  let answered = false;
  const req = request(`${server.url}/v1/sboms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': String(doc.bytes.length) },
  });
  const response = new Promise<{ status: number; body: any } | { error: string }>((resolve) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') });
      });
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
  });
  const sent = new Promise<void>((resolve) => {
    if (sendFirst === undefined) req.end(doc.bytes, () => resolve());
    else req.write(doc.bytes.subarray(0, sendFirst), () => resolve());
    req.on('error', () => resolve());
  });
  return { doc, sent, response, answered: () => answered };
}

async function get(server: Server, path: string): Promise<any> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.json();
}

/** Sizes of the bodies a server is spooling now (one folder per upload, removed once its body is read). */
function spoolFileSizes(spoolDir: string): number[] {
  const sizes: number[] = [];
  for (const entry of readdirSync(spoolDir)) {
    try {
      sizes.push(statSync(join(spoolDir, entry, 'body')).size);
    } catch {
      sizes.push(0); // created, body file not yet, or being removed
    }
  }
  return sizes;
}

/** Size and modification time of every file under a PGlite data folder. */
function dataDirSignature(dataDir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        try {
          const s = statSync(p);
          files.set(p.slice(dataDir.length + 1), `${s.size}:${s.mtimeMs}`);
        } catch {
          // removed meanwhile
        }
      }
    }
  };
  walk(join(dataDir, 'pgdata'));
  return files;
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** The pid on the first line of a PGlite data folder's lock file. */
const lockHolder = (dataDir: string) => Number(readFileSync(join(dataDir, 'patchpath.lock'), 'utf8').split('\n')[0]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mbs = (n: number) => `${(n / MB).toFixed(1)} MB`;

function countOccurrences(bytes: Buffer, needle: string): number {
  let n = 0;
  for (let i = bytes.indexOf(needle); i !== -1; i = bytes.indexOf(needle, i + needle.length)) n++;
  return n;
}
