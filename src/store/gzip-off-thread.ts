import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';

/** Below this, compressing in line costs less than starting a thread (1 MB: about 5 ms). */
const IN_LINE_MAX_BYTES = 4 * 1024 * 1024;

// Plain JavaScript, so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { gzipSync } = require('node:zlib');
const out = gzipSync(workerData, { level: 1 });
parentPort.postMessage(out, [out.buffer]);
`;

/**
 * gzip (level 1) of a document, computed on a thread of its own for large documents. zlib's asynchronous API
 * hands each 16 KB chunk back to the event loop, so it stalls while this thread parses a large document
 * synchronously; a worker compresses in parallel with the parse, whatever the main thread is doing.
 */
export function gzipOffThread(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.byteLength <= IN_LINE_MAX_BYTES) return Promise.resolve(gzipSync(bytes, { level: 1 }));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: bytes });
    worker.once('message', (out: Uint8Array) => {
      resolve(out);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`gzip worker exited with code ${code}`));
    });
  });
}
