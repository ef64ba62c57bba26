/**
 * Runs once before all test files: migrates one embedded database and dumps it, so each test file starts
 * its PGlite from that template (about 0.5 s) instead of running initdb in WASM again (about 3 s).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { prepareChains } from '../../src/chains/prepare-chains.js';

let dir: string | undefined;

export async function setup(project: TestProject) {
  const handle = await createDb();
  await migrateToLatest(handle.db);
  await prepareChains(handle.db);
  const dump = await handle.dump!();
  await handle.close();
  dir = await mkdtemp(join(tmpdir(), 'patchpath-test-template-'));
  const path = join(dir, 'pglite-template.tar');
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', path);
}

export async function teardown() {
  if (dir) await rm(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
