import { gzip } from 'node:zlib';

/**
 * gzip (level 1) of a document on libuv's thread pool, finishing while the main thread parses. zlib hands each
 * filled output buffer back to the event loop for the next one, and the event loop is blocked while a large
 * document is parsed; an output buffer of a quarter of the input (JSON and XML SBOMs compress to well under
 * that) lets the whole compression run as one thread-pool job.
 */
export function gzipInBackground(bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gzip(bytes, { level: 1, chunkSize: Math.max(64 * 1024, bytes.byteLength >> 2) }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}
