/**
 * One benchmark case in a process of its own (so peak RSS is this case's alone):
 *   tsx bench/ingest-case.ts <ingest|floor> <pglite|postgres> FILE [POSTGRES_URL]
 * Prints one JSON line: { mode, backend, file, components, seconds, peakRssMb }.
 *
 * `ingest` is the real path (ingestSbom: parse, validate, normalise, store in one transaction).
 * `floor` is the least any ingester must do with the same file on the same database: JSON.parse, then a COPY
 * of the same component rows into a table with no index, no constraint and no validation.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { copyRows } from '../src/store/bulk-insert.js';
import { ingestSbom } from '../src/store/ingest-sbom.js';
import { warmUpIngest } from '../src/store/warm-up-ingest.js';

const [mode, backend, file, url] = process.argv.slice(2);
const dataDir = backend === 'pglite' ? await mkdtemp(join(tmpdir(), 'patchpath-bench-')) : undefined;
const handle = await createDb(backend === 'postgres' ? { url } : { dataDir });
await migrateToLatest(handle.db);
await sql`create table if not exists floor_component (bom_ref text, type text, group_name text, name text, version text, description text, purl text, cpe text, supplier_name text, licenses jsonb, hashes jsonb)`.execute(handle.db);

// As in a running server, which warms its ingest path at start (patchpath serve does).
if (mode === 'ingest') await warmUpIngest(handle.db);
const started = performance.now();
const bytes = await readFile(file!);
let components: number;
if (mode === 'ingest') {
  const outcome = await ingestSbom(handle.db, bytes, {});
  if (outcome.status !== 'accepted') throw new Error(`benchmark document was ${outcome.status}: ${JSON.stringify('issues' in outcome ? outcome.issues.slice(0, 3) : '')}`);
  components = outcome.record.componentCount;
} else {
  type C = Record<string, unknown> & { components?: C[] };
  const doc = JSON.parse(bytes.toString('utf8')) as { components: C[] };
  const rows: C[] = [];
  const walk = (cs: C[] | undefined) => cs?.forEach((c) => (rows.push(c), walk(c.components)));
  walk(doc.components);
  await handle.db.transaction().execute((trx) =>
    copyRows<C>(trx, 'floor_component' as never, [
      { name: 'bom_ref', type: 'text', value: (c) => c['bom-ref'] ?? null },
      { name: 'type', type: 'text', value: (c) => c.type ?? null },
      { name: 'group_name', type: 'text', value: (c) => c.group ?? null },
      { name: 'name', type: 'text', value: (c) => c.name ?? null },
      { name: 'version', type: 'text', value: (c) => c.version ?? null },
      { name: 'description', type: 'text', value: (c) => c.description ?? null },
      { name: 'purl', type: 'text', value: (c) => c.purl ?? null },
      { name: 'cpe', type: 'text', value: (c) => c.cpe ?? null },
      { name: 'supplier_name', type: 'text', value: (c) => (c.supplier as { name?: string } | undefined)?.name ?? null },
      { name: 'licenses', type: 'jsonb', value: (c) => JSON.stringify(c.licenses ?? []) },
      { name: 'hashes', type: 'jsonb', value: (c) => JSON.stringify(c.hashes ?? []) },
    ], rows),
  );
  components = rows.length;
}
const seconds = (performance.now() - started) / 1000;
await handle.close();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ mode, backend, file, components, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
