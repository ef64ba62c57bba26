import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { jsonBodyLimit, uploadBodyLimit } from '../../src/rest/body-limits.js';
import { BACKENDS, createTestDb, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A body sent chunked, without Content-Length: the limit must count what arrives. */
function chunked(text: string): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
  const bytes = new TextEncoder().encode(text);
  return {
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.subarray(i, i + 1000));
        controller.close();
      },
    }),
    duplex: 'half',
  };
}

describe.each(BACKENDS)('GraphQL body limits over HTTP on %s', (backend) => {
  let t: TestDb;
  let server: TestServer;

  beforeAll(async () => {
    t = await createTestDb(backend);
    server = await startTestServer(t, { graphqlMaxBodyBytes: 4096, limits: { ...loadConfig({}).limits, maxBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const query = (padding: number) => JSON.stringify({ query: 'query($pad: String!) { __type(name: $pad) { name } }', variables: { pad: 'x'.repeat(padding) } });
  const multipart = (fileBytes: number) => {
    const form = new FormData();
    // Skipped: the test is about the body getting through, not about ingesting it.
    form.set('operations', JSON.stringify({ query: 'mutation($f: File) { ingestSbom(file: $f) @skip(if: true) { status } }', variables: { f: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.f'] }));
    form.set('0', new Blob(['x'.repeat(fileBytes)]), 'sbom.cdx.json');
    return form;
  };
  const post = (init: RequestInit & { duplex?: 'half' }, on = server) => on.fetch(`${on.url}/graphql`, { method: 'POST', ...init, headers: { 'graphql-require-preflight': '1', ...(init.headers as Record<string, string>) } });

  it('refuses a JSON request above PATCHPATH_GRAPHQL_MAX_BODY_BYTES with 413, whether its length is declared or not', async () => {
    const ok = await post({ headers: { 'content-type': 'application/json' }, body: query(3000) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { __type: null } });
    for (const init of [{ body: query(5000) }, chunked(query(5000))]) {
      const res = await post({ headers: { 'content-type': 'application/json' }, ...init });
      expect(res.status).toBe(413);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string; limit: number } }[] };
      expect(body.errors[0]!.message).toBe('request body of POST /graphql is larger than the limit of 4096 bytes; raise PATCHPATH_GRAPHQL_MAX_BODY_BYTES to accept it, or send the document as a multipart file upload');
      expect(body.errors[0]!.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: 4096 });
    }
  });

  it('lets a multipart upload up to the upload limit, PATCHPATH_MAX_UPLOAD_BYTES', async () => {
    const ok = await post({ body: multipart(20_000) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: {} });
    const res = await post({ body: multipart(70_000) });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toBe('request body of POST /graphql is larger than the limit of 65536 bytes; raise PATCHPATH_MAX_UPLOAD_BYTES to accept it');
  });

  it('holds a JSON request to the upload limit too when that is the lower one', async () => {
    const small = await startTestServer(t, { limits: { ...loadConfig({}).limits, maxBytes: 2000 } });
    try {
      expect((await post({ headers: { 'content-type': 'application/json' }, body: query(1500) }, small)).status).toBe(200);
      const res = await post({ headers: { 'content-type': 'application/json' }, body: query(2500) }, small);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe(
        'request body of POST /graphql is larger than the limit of 2000 bytes; raise PATCHPATH_MAX_UPLOAD_BYTES to accept it',
      );
    } finally {
      await small.close();
    }
  });
});

describe('REST body limits', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = new Hono();
    app.post('/v1/things', jsonBodyLimit(100), async (c) => c.json({ received: (await c.req.text()).length }));
    app.post('/v1/uploads', uploadBodyLimit(1000), async (c) => c.json({ received: (await c.req.text()).length }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('answers a JSON body above its limit with 413 naming the route and the limit', async () => {
    expect(await (await fetch(`${url}/v1/things`, { method: 'POST', body: 'x'.repeat(100) })).json()).toEqual({ received: 100 });
    for (const init of [{ body: 'x'.repeat(101) }, chunked('x'.repeat(5000))]) {
      const res = await fetch(`${url}/v1/things`, { method: 'POST', ...init });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: { status: 413, message: 'request body of POST /v1/things is larger than the limit of 100 bytes' } });
    }
  });

  it('answers an upload above its limit with 413 and the LIMIT_EXCEEDED problem of the upload routes', async () => {
    expect(await (await fetch(`${url}/v1/uploads`, { method: 'POST', body: 'x'.repeat(1000) })).json()).toEqual({ received: 1000 });
    const res = await fetch(`${url}/v1/uploads`, { method: 'POST', body: 'x'.repeat(1001) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      issues: [{ code: 'LIMIT_EXCEEDED', severity: 'error', path: '', message: 'request body of POST /v1/uploads is larger than the limit of 1000 bytes; raise PATCHPATH_MAX_UPLOAD_BYTES to accept it' }],
    });
  });
});
