import { readFile, stat } from 'node:fs/promises';
import { authorization } from './print-chains.js';
import cliProgress from 'cli-progress';
import type { Ingester } from '../ingester.js';
import type { IngestOutcome } from '../model/sbom-record.js';
import type { SbomIssue } from '../model/sbom-issue.js';

/** One line of `patchpath ingest --json`. */
export interface IngestFileResult {
  file: string;
  status: 'accepted' | 'rejected';
  duplicate: boolean;
  id: number | null;
  format: string | null;
  specVersion: string | null;
  schemaValid: boolean | null;
  components: number | null;
  /** Advisories and VEX (`patchpath advisories load`): vulnerabilities and product statements stored. */
  vulnerabilities?: number | null;
  statements?: number | null;
  issues: Pick<SbomIssue, 'code' | 'severity' | 'path' | 'message'>[];
}

/** Sends one document somewhere: the local database (an Ingester) or a running server over HTTP. */
export type DocumentSender = (bytes: Buffer, file: string, strict: boolean | undefined) => Promise<IngestFileResult>;

export function localSender(ingest: Ingester): DocumentSender {
  return async (bytes, file, strict) => outcomeToResult(file, await ingest({ bytes, strict, channel: 'cli', source: file }));
}

/** Posts to `<server>/v1/sboms`, for use beside a running `patchpath serve` (which holds the embedded database). */
export function httpSender(server: string): DocumentSender {
  return async (bytes, file, strict) => {
    const url = new URL('/v1/sboms', server);
    if (strict !== undefined) url.searchParams.set('strict', String(strict));
    const res = await fetch(url, { method: 'POST', body: bytes as unknown as BodyInit, headers: { 'content-type': 'application/octet-stream', 'x-file-name': file, ...authorization(process.env.PATCHPATH_TOKEN) } });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 201 || res.status === 200) {
      return {
        file, status: 'accepted', duplicate: res.status === 200, id: body.id as number, format: body.format as string, specVersion: body.specVersion as string,
        schemaValid: body.schemaValid as boolean, components: body.components as number, issues: (body.issues as SbomIssue[]) ?? [],
      };
    }
    const issues = (body.issues as SbomIssue[]) ?? [{ code: 'HTTP', severity: 'error', path: '', message: `server answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}` }];
    return { file, status: 'rejected', duplicate: false, id: null, format: (body.format as string) ?? null, specVersion: (body.specVersion as string) ?? null, schemaValid: null, components: null, issues };
  };
}

export function outcomeToResult(file: string, outcome: IngestOutcome): IngestFileResult {
  if (outcome.status === 'rejected') {
    return { file, status: 'rejected', duplicate: false, id: null, format: outcome.format ?? null, specVersion: outcome.specVersion ?? null, schemaValid: null, components: null, issues: outcome.issues };
  }
  const r = outcome.record;
  return {
    file, status: 'accepted', duplicate: outcome.status === 'duplicate', id: r.id, format: r.format, specVersion: r.specVersion,
    schemaValid: r.schemaValid, components: r.componentCount, issues: outcome.status === 'accepted' ? outcome.issues : [],
  };
}

/** The human line: `accepted FILE id=... components=N` or `rejected FILE: <first problem>`. */
export function formatResultLine(r: IngestFileResult): string {
  if (r.status === 'accepted') {
    const notes = [r.duplicate ? 'duplicate of an earlier upload' : '', r.schemaValid === false ? `schema-invalid, ${r.issues.filter((i) => i.severity === 'error').length} problems recorded` : ''].filter(Boolean);
    const counts = r.statements === undefined ? `components=${r.components}` : `vulnerabilities=${r.vulnerabilities} statements=${r.statements}`;
    return `accepted ${r.file} id=${r.id} ${counts}${notes.length ? ` (${notes.join('; ')})` : ''}`;
  }
  const first = r.issues[0];
  const more = r.issues.length > 1 ? ` (+${r.issues.length - 1} more)` : '';
  return `rejected ${r.file}: ${first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'unknown reason'}${more}`;
}

/**
 * Ingests files one after another, printing one line each as it finishes; on a terminal, a progress bar
 * over bytes (stderr) shows where a long run is.
 *
 * @returns true when every file was accepted.
 */
export async function ingestFiles(files: string[], options: { strict?: boolean; json: boolean; send: DocumentSender; out: (line: string) => void; progress: boolean }): Promise<boolean> {
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const bar = options.progress && (files.length > 1 || total > 10 * 1024 * 1024)
    ? new cliProgress.SingleBar({ format: 'ingest [{bar}] {percentage}% | {value}/{total} MB | {file}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
  bar?.start(mb(total), 0, { file: '' });
  let done = 0;
  let allAccepted = true;
  for (const [i, file] of files.entries()) {
    bar?.update(mb(done), { file });
    let result: IngestFileResult;
    try {
      result = await options.send(await readFile(file), file, options.strict);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const message = err.code === 'ENOENT' ? `cannot read file: no such file` : err.code === 'EISDIR' ? 'cannot read file: it is a directory' : `cannot ingest: ${err.message}`;
      result = { file, status: 'rejected', duplicate: false, id: null, format: null, specVersion: null, schemaValid: null, components: null, issues: [{ code: 'NOT_AN_SBOM', severity: 'error', path: '', message }] };
    }
    done += sizes[i]!;
    allAccepted &&= result.status === 'accepted';
    bar?.update(mb(done));
    // Lines go to stdout between bar redraws on stderr; clear the bar line first so they do not mix.
    if (bar) process.stderr.write('\r\x1b[K');
    options.out(options.json ? JSON.stringify(result) : formatResultLine(result));
  }
  bar?.stop();
  return allAccepted;
}
