/**
 * @module
 * `patchpath advisories load [FILE...]`: advisories and VEX documents in, one line per file (the same lines and
 * progress bar as `patchpath ingest`). Without files, the project's own advisory set (src/advisories/data/): the
 * TCP/IP stack vulnerabilities of AMNESIA:33, NUMBER:JACK, NAME:WRECK, INFRA:HALT, Ripple20, URGENT/11 and
 * NUCLEUS:13, built from public sources (src/advisories/data/SOURCES.md).
 */
import { authorization } from './print-chains.js';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { SbomIssue } from '../model/sbom-issue.js';
import { ingestAdvisory, type AdvisoryIngestOutcome } from '../store/ingest-advisory.js';
import type { DocumentSender, IngestFileResult } from './ingest-files.js';

export const SHIPPED_ADVISORIES_DIR = fileURLToPath(new URL('../advisories/data/', import.meta.url));

/** The files of the shipped advisory set, in name order. */
export function shippedAdvisoryFiles(): string[] {
  return readdirSync(SHIPPED_ADVISORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${SHIPPED_ADVISORIES_DIR}${f}`);
}

export function advisoryOutcomeToResult(file: string, outcome: AdvisoryIngestOutcome): IngestFileResult {
  if (outcome.status === 'rejected') {
    return { file, status: 'rejected', duplicate: false, id: null, format: outcome.format ?? null, specVersion: null, schemaValid: null, components: null, vulnerabilities: null, statements: null, issues: outcome.issues };
  }
  const r = outcome.record;
  return {
    file, status: 'accepted', duplicate: outcome.status === 'duplicate', id: r.id, format: r.format, specVersion: r.specVersion ?? null, schemaValid: r.schemaValid,
    components: null, vulnerabilities: r.vulnerabilityCount, statements: r.statementCount, issues: outcome.status === 'accepted' ? outcome.issues : [],
  };
}

/** Into the local database; the server-wide strict setting applies when --strict is not given. */
export function localAdvisorySender(db: Kysely<Database>, config: { strict: boolean; limits: { maxBytes: number; maxDepth: number } }): DocumentSender {
  return async (bytes, file, strict) => advisoryOutcomeToResult(file, await ingestAdvisory(db, bytes, { strict: strict ?? config.strict, limits: config.limits }));
}

/** Posts to `<server>/v1/advisories`, beside a running `patchpath serve`. */
export function httpAdvisorySender(server: string): DocumentSender {
  return async (bytes, file, strict) => {
    const url = new URL('/v1/advisories', server);
    if (strict !== undefined) url.searchParams.set('strict', String(strict));
    const res = await fetch(url, { method: 'POST', body: bytes as unknown as BodyInit, headers: { 'content-type': 'application/json', ...authorization(process.env.PATCHPATH_TOKEN) } });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 201 || res.status === 200) {
      return {
        file, status: 'accepted', duplicate: res.status === 200, id: body.id as number, format: body.format as string, specVersion: (body.specVersion as string) ?? null,
        schemaValid: body.schemaValid as boolean, components: null, vulnerabilities: body.vulnerabilities as number, statements: body.statements as number, issues: (body.issues as SbomIssue[]) ?? [],
      };
    }
    const issues = (body.issues as SbomIssue[]) ?? [{ code: 'NOT_AN_ADVISORY', severity: 'error', path: '', message: `server answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}` }];
    return { file, status: 'rejected', duplicate: false, id: null, format: (body.format as string) ?? null, specVersion: null, schemaValid: null, components: null, vulnerabilities: null, statements: null, issues };
  };
}

/**
 * Loads the shipped advisory set into a database that holds no advisory yet (`npm start`), so the demo answers
 * vulnerability questions at once. A database that already holds advisories is left as it is.
 *
 * @returns how many documents were loaded (0 when the database held advisories).
 */
export async function loadShippedAdvisories(db: Kysely<Database>, config: { strict: boolean; limits: { maxBytes: number; maxDepth: number } }): Promise<number> {
  if (await db.selectFrom('advisory').select('id').limit(1).executeTakeFirst()) return 0;
  let loaded = 0;
  for (const file of shippedAdvisoryFiles()) {
    const outcome = await ingestAdvisory(db, await readFile(file), { strict: config.strict, limits: config.limits });
    if (outcome.status === 'rejected') throw new Error(`shipped advisory ${file} was rejected: ${outcome.issues[0]?.path} ${outcome.issues[0]?.message}`);
    loaded++;
  }
  return loaded;
}
