/**
 * Property-based tests over the upload routes, through real HTTP on both databases: whatever bytes arrive (valid
 * documents broken at random, hostile strings, random bytes), the answer is a client status with a JSON body, never
 * a 5xx, and a refused upload leaves every table as it was (a refusal for lack of rights adds its audit entry only).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, ensureOrganisation } from '../../src/store/access.repository.js';
import { ADVISORIES, applyJsonPlan, applyTextPlan, fcParams, huntFactor, JSON_SBOMS, jsonPlan, TEXT_SBOMS, textPlan, XML_SNIPPETS } from '../helpers/hostile-input.js';
import { BACKENDS, rowCounts, useTestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const CLIENT_STATUSES = [200, 201, 403, 413, 422];

const sbomBytes = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...Object.keys(JSON_SBOMS)), jsonPlan).map(([seed, plan]) => applyJsonPlan(JSON_SBOMS[seed], plan)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('cyclonedx-xml', 'spdx-rdf'), textPlan(XML_SNIPPETS)).map(([seed, plan]) => applyTextPlan(TEXT_SBOMS[seed]!, plan)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
);
const advisoryBytes = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...Object.keys(ADVISORIES)), jsonPlan).map(([seed, plan]) => applyJsonPlan(ADVISORIES[seed], plan)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
);

describe.each(BACKENDS)('upload routes under random input on %s', (backend) => {
  const t = useTestDb(backend);
  let server: TestServer;
  let vendorToken: string;

  beforeAll(async () => {
    // No rate limit: a longer hunt (FC_RUNS_FACTOR) sends more than the default 600 uploads a minute, and a 429 says
    // nothing about the input (tests/access/rate-limit.test.ts covers the limit).
    server = await startTestServer(t(), { limits: { maxBytes: 256 * 1024, maxDepth: 64, maxComponents: 10_000 }, rateLimit: { limitPerMinute: 0, burst: 0 } });
    return () => server.close();
  });

  async function vendor(): Promise<string> {
    // A vendor that supplies none of the seed documents' products: its uploads of readable documents are refused.
    const org = await ensureOrganisation(t().db, 'Property Test Vendor', 'vendor');
    return (await createApiToken(t().db, { organisation: org, role: 'vendor', expiresAt: new Date(Date.now() + 3_600_000) })).token;
  }

  for (const [route, bytes] of [['/v1/sboms', sbomBytes], ['/v1/advisories', advisoryBytes]] as const) {
    it(`POST ${route}: a client status and a JSON body for any bytes, and nothing written on refusal`, { timeout: 240_000 * huntFactor() }, async () => {
      vendorToken = await vendor();
      await fc.assert(
        fc.asyncProperty(bytes, fc.boolean(), fc.boolean(), async (body, strict, asVendor) => {
          const before = await rowCounts(t());
          const res = await server.fetch(`${server.url}${route}${strict ? '?strict=true' : ''}`, { method: 'POST', body: new Uint8Array(body) }, asVendor ? vendorToken : undefined);
          const text = await res.text();
          expect(CLIENT_STATUSES, `${res.status} ${text.slice(0, 300)}`).toContain(res.status);
          const answer = JSON.parse(text) as { issues?: unknown[]; error?: { code?: string } };
          const after = await rowCounts(t());
          if (res.status === 201) expect(after.sbom! + after.advisory!).toBe(before.sbom! + before.advisory! + 1);
          else if (res.status === 200) expect(after).toEqual(before); // a duplicate
          else {
            if (res.status === 422) expect(answer.issues?.length).toBeGreaterThan(0);
            if (res.status === 403) {
              expect(answer.error?.code).toBe('FORBIDDEN');
              expect(after.audit_log).toBe(before.audit_log! + 1);
            }
            expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
          }
        }),
        fcParams(40),
      );
    });
  }
});
