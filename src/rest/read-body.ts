import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number, readonly received: number) {
    super(`request body is larger than the limit of ${limit} bytes (received at least ${received}); raise PATCHPATH_MAX_UPLOAD_BYTES to accept it`);
    this.name = 'PayloadTooLargeError';
  }
}

export interface ReadBodyOptions {
  maxBytes: number;
  /** Above this many bytes the body goes to a temporary file as it arrives. */
  spoolThresholdBytes: number;
  spoolDir: string;
}

/** A request body and the sha256 (hex) of its bytes. */
export interface Body {
  bytes: Buffer;
  sha256: string;
}

/**
 * Reads a request body into one buffer, stopping at `maxBytes` (413, without reading the rest). Small bodies
 * are collected in memory; a large one is written to a temporary file as it arrives and read back once, so
 * a 256 MB upload is held in memory once, not as chunks plus a concatenated copy. The sha256 that identifies an
 * upload is taken chunk by chunk as they arrive: hashed after the last byte, a 256 MB body held up its ingest by
 * half a second more.
 *
 * @throws PayloadTooLargeError
 */
export async function readBody(source: Readable | ReadableStream<Uint8Array> | null, declaredLength: number | undefined, options: ReadBodyOptions): Promise<Body> {
  if (declaredLength !== undefined && declaredLength > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes, declaredLength);
  const hash = createHash('sha256');
  if (!source) return { bytes: Buffer.alloc(0), sha256: hash.digest('hex') };
  const chunks: Buffer[] = [];
  let received = 0;
  let spool: { dir: string; path: string; stream: ReturnType<typeof createWriteStream> } | undefined;
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      received += buf.byteLength;
      if (received > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes, received);
      hash.update(buf);
      if (!spool && received > options.spoolThresholdBytes) {
        const dir = await mkdtemp(join(options.spoolDir, 'patchpath-upload-'));
        spool = { dir, path: join(dir, 'body'), stream: createWriteStream(join(dir, 'body')) };
        for (const c of chunks.splice(0)) if (!spool.stream.write(c)) await once(spool.stream, 'drain');
      }
      if (spool) {
        if (!spool.stream.write(buf)) await once(spool.stream, 'drain');
      } else chunks.push(buf);
    }
    const sha256 = hash.digest('hex');
    if (!spool) return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received), sha256 };
    spool.stream.end();
    await once(spool.stream, 'finish');
    return { bytes: await readFile(spool.path), sha256 };
  } finally {
    if (spool) {
      spool.stream.destroy();
      await rm(spool.dir, { recursive: true, force: true });
    }
  }
}

/**
 * The body of an upload route (`POST /v1/sboms`, `POST /v1/advisories`) within the configured limits, or the 413
 * answer to send: read from the Node request directly when there is one (no web-stream copy of a 256 MB body).
 */
export async function readUpload(
  c: { env?: { incoming?: Readable }; req: { raw: Request; header(name: string): string | undefined } },
  config: { limits: { maxBytes: number }; spoolThresholdBytes: number; spoolDir: string },
): Promise<Body | { tooLarge: string }> {
  const declared = c.req.header('content-length');
  try {
    return await readBody(c.env?.incoming ?? c.req.raw.body, declared ? Number(declared) : undefined, {
      maxBytes: config.limits.maxBytes,
      spoolThresholdBytes: config.spoolThresholdBytes,
      spoolDir: config.spoolDir,
    });
  } catch (e) {
    if (e instanceof PayloadTooLargeError) return { tooLarge: e.message };
    throw e;
  }
}
