/**
 * The patch world of patch-world.ts behind a real test server: the lwIP advisory through POST /v1/advisories and the
 * module, board and device SBOMs through POST /v1/sboms, with GraphQL and upload helpers, for end-to-end tests.
 */
import { expect } from 'vitest';
import { productSbom } from './chain-world.js';
import { board, device, module, stackAdvisory } from './patch-world.js';
import { createTestDb, type Backend, type TestDb } from './test-db.js';
import { startTestServer, type TestServer } from './test-server.js';
import { vexDocument } from './vex-world.js';

export type Gql = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

export interface PatchWorldServer {
  t: TestDb;
  server: TestServer;
  gql(query: string, variables?: Record<string, unknown>): Promise<Gql>;
  post(path: string, body: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function startPatchWorldServer(backend: Backend): Promise<PatchWorldServer> {
  const t = await createTestDb(backend);
  await t.reset();
  const server = await startTestServer(t);
  const gql = async (query: string, variables: Record<string, unknown> = {}): Promise<Gql> => {
    const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    expect(res.status).toBeLessThan(500);
    return (await res.json()) as Gql;
  };
  const post = async (path: string, body: string | Buffer) => {
    const res = await server.fetch(`${server.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };
  await post('/v1/advisories', vexDocument('lwIP project', [stackAdvisory]));
  await post('/v1/sboms', productSbom(module('1.0', '2.1.2', '2024-01-10T00:00:00Z')));
  await post('/v1/sboms', productSbom(module('1.1', '2.1.3', '2025-03-01T00:00:00Z')));
  await post('/v1/sboms', productSbom(board('3.0', '1.0', '2024-02-01T00:00:00Z')));
  await post('/v1/sboms', productSbom(device('2.0', '3.0', '2024-03-01T00:00:00Z')));
  return {
    t,
    server,
    gql,
    post,
    close: async () => {
      await server.close();
      await t.close();
    },
  };
}
