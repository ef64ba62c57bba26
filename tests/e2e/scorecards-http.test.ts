/**
 * Vendor scorecards end to end (schema.graphql: vendorScorecard, vendorScorecards, compareVendors, Sbom.quality; REST
 * /v1/scorecards and /v1/vendors/:vendor/scorecard, JSON and CSV; `patchpath scorecard`): real HTTP over the patch
 * world of tests/helpers/patch-world.ts, built through the upload routes, on each backend. The metrics themselves are
 * tested by hand-made worlds in tests/scorecards/; here: that every door answers the same scorecard, with its parts,
 * evidence and method, and that a vendor without SBOMs is INSUFFICIENT_EVIDENCE everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW } from '../helpers/patch-world.js';
import { startPatchWorldServer, type PatchWorldServer } from '../helpers/patch-world-server.js';
import { runCli } from '../helpers/run-cli.js';
import { BACKENDS } from '../helpers/test-db.js';
import type { TestServer } from '../helpers/test-server.js';
import { SCORE_METHOD, SCORE_PARTS } from '../../src/scorecards/score-method.js';

const AS_OF = NOW.toISOString();

describe.each(BACKENDS)('vendor scorecards over GraphQL, REST and the CLI, on %s', (backend) => {
  let world: PatchWorldServer;
  let server: TestServer;
  const gql = (query: string, variables: Record<string, unknown> = {}) => world.gql(query, variables);

  beforeAll(async () => {
    world = await startPatchWorldServer(backend);
    server = world.server;
  }, 120_000);
  afterAll(() => world?.close());

  const CARD = `verdict score reason method asOf tiersBelow vendor { name } parts { name weight score value unit reason evidence { sboms { id } advisories { id } vulnerabilities counts } }`;

  it('scores a vendor with its parts, weights summing to 100, each part with its measurement or the reason it has none', async () => {
    const r = await gql(`query($asOf: DateTime) { vendorScorecard(vendor: { name: "Northwind Wireless" }, asOf: $asOf) { ${CARD} } }`, { asOf: AS_OF });
    expect(r.errors).toBeUndefined();
    const card = r.data.vendorScorecard;
    expect(card).toMatchObject({ method: SCORE_METHOD, vendor: { name: 'Northwind Wireless' }, asOf: AS_OF });
    expect(card.parts.map((p: { name: string }) => p.name)).toEqual(SCORE_PARTS.map((p) => p.name));
    expect(card.parts.reduce((s: number, p: { weight: number }) => s + p.weight, 0)).toBe(100);
    for (const p of card.parts) {
      if (p.score === null) expect(p.reason, p.name).toBeTruthy();
      else expect(p.value, p.name).not.toBeNull();
    }
    // Its SBOM completeness is measured on its latest SBOM (module 1.1), which the evidence names.
    const completeness = card.parts.find((p: { name: string }) => p.name === 'SBOM_COMPLETENESS');
    expect(completeness.score).not.toBeNull();
    expect(completeness.evidence.sboms).toHaveLength(1);
    if (card.verdict === 'SCORED') expect(card.score).toBeGreaterThanOrEqual(0);
    else expect(card.reason).toBeTruthy();
  });

  it('gives a vendor with no SBOM no score, and ranks it after every scored vendor', async () => {
    const r = await gql(`query($asOf: DateTime) { vendorScorecard(vendor: { name: "lwIP project" }, asOf: $asOf) { ${CARD} } }`, { asOf: AS_OF });
    expect(r.data.vendorScorecard).toMatchObject({ verdict: 'INSUFFICIENT_EVIDENCE', score: null, reason: 'the vendor has published no SBOM', tiersBelow: null });
    const ranking = await gql(`query($asOf: DateTime) { vendorScorecards(first: 10, asOf: $asOf) { total by scorecards { rank scorecard { verdict score vendor { name } } } } }`, { asOf: AS_OF });
    const rows = ranking.data.vendorScorecards.scorecards as { rank: number; scorecard: { verdict: string; score: number | null; vendor: { name: string } } }[];
    expect(ranking.data.vendorScorecards.total).toBe(rows.length);
    const firstUnscored = rows.findIndex((r) => r.scorecard.score === null);
    expect(firstUnscored).toBeGreaterThan(-1);
    expect(rows.slice(firstUnscored).every((r) => r.scorecard.score === null)).toBe(true);
    const scores = rows.slice(0, firstUnscored).map((r) => r.scorecard.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('compares chosen vendors side by side, in the order asked', async () => {
    const r = await gql(`{ compareVendors(vendors: [{ name: "Medisyn Medical" }, { name: "Keystone Embedded" }]) { vendor { name } verdict } }`);
    expect(r.data.compareVendors.map((c: { vendor: { name: string } }) => c.vendor.name)).toEqual(['Medisyn Medical', 'Keystone Embedded']);
    expect((await gql('{ compareVendors(vendors: []) { verdict } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers the same scorecards as CSV over REST, and one vendor as JSON with its evidence', async () => {
    const csv = await (await server.fetch(`${server.url}/v1/scorecards?format=csv&asOf=${AS_OF}`)).text();
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toBe(`rank,vendor,method,as_of,verdict,score,${SCORE_PARTS.map((p) => `${p.name.toLowerCase()}_score,${p.name.toLowerCase()}_value`).join(',')},tiers_below,reason`);
    expect(lines.some((l) => l.includes(',Northwind Wireless,'))).toBe(true);
    const one = await (await server.fetch(`${server.url}/v1/vendors/Northwind%20Wireless/scorecard?asOf=${AS_OF}`)).json();
    expect(one).toMatchObject({ vendor: 'Northwind Wireless', method: SCORE_METHOD });
    expect(one.parts[0]).toMatchObject({ name: 'SBOM_COMPLETENESS', evidence: { sbomIds: expect.any(Array) } });
    expect((await server.fetch(`${server.url}/v1/scorecards?by=NOPE`)).status).toBe(400);
    expect((await server.fetch(`${server.url}/v1/vendors/Nobody%20GmbH/scorecard`)).status).toBe(404);
  });

  it('shows the SBOM quality of a document, element by element, with the components that miss one', async () => {
    const r = await gql(`{ sboms(first: 1) { edges { node { quality { components ntiaPercent cisaPercent elements { element set scope covered total percent missing(first: 5) { name } } } } } } }`);
    expect(r.errors).toBeUndefined();
    const q = r.data.sboms.edges[0].node.quality;
    expect(q.elements.map((e: { element: string }) => e.element)).toEqual(['SUPPLIER', 'COMPONENT_NAME', 'VERSION', 'UNIQUE_IDENTIFIER', 'DEPENDENCY_RELATIONSHIP', 'SBOM_AUTHOR', 'TIMESTAMP', 'COMPONENT_HASH', 'LICENSE', 'TOOL_NAME', 'GENERATION_CONTEXT']);
    for (const e of q.elements) if (e.scope === 'COMPONENT') expect(e.missing.length).toBe(Math.min(5, e.total - e.covered));
  });

  it('prints the scorecard with `patchpath scorecard --server`', async () => {
    const r = await runCli(['scorecard', 'Northwind Wireless', '--as-of', AS_OF, '--server', server.url], { PATCHPATH_TOKEN: server.token, DATABASE_URL: '', PATCHPATH_DATA_DIR: '/nonexistent' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Northwind Wireless: .*\\(${SCORE_METHOD.replace('/', '\\/')}, as of ${AS_OF.slice(0, 10)}\\)`));
    expect(r.stdout).toMatch(/\n  SBOM completeness +\d+\.\d  weight 25  /);
    expect(r.stdout).toMatch(/tiers below: /);
  });

  it('records every vendor\'s scorecard for the day on an admin\'s request and shows the series on the card, over REST and in the CLI', async () => {
    const recorded = await gql('mutation { recordScorecardHistory { day vendors seconds } }');
    expect(recorded.errors).toBeUndefined();
    const today = new Date().toISOString().slice(0, 10);
    const { total } = (await gql('{ vendorScorecards(first: 1) { total } }')).data.vendorScorecards;
    expect(recorded.data.recordScorecardHistory).toMatchObject({ day: today, vendors: total });

    const r = await gql(`{ vendorScorecard(vendor: { name: "Northwind Wireless" }) { score change(days: 1) history { day verdict score parts { name score value unit } } } }`);
    expect(r.errors).toBeUndefined();
    const card = r.data.vendorScorecard;
    expect(card.history).toHaveLength(1);
    expect(card.history[0]).toMatchObject({ day: today, score: card.score });
    expect(card.history[0].parts.map((p: { name: string }) => p.name)).toEqual(SCORE_PARTS.map((p) => p.name));
    expect(card.change).toBeNull(); // nothing was recorded a day before today
    const series = await gql(`{ vendorScorecardHistory(vendor: { name: "Northwind Wireless" }, from: "${today}T00:00:00Z") { day score } }`);
    expect(series.data.vendorScorecardHistory).toEqual([{ day: today, score: card.score }]);
    const bad = await gql('{ vendorScorecardHistory(vendor: { name: "Northwind Wireless" }, last: 0) { day } }');
    expect(bad.errors?.[0]).toMatchObject({ message: "'last' value '0' must be a whole number from 1 to 1000.", extensions: { code: 'BAD_USER_INPUT' } });

    const json = await (await server.fetch(`${server.url}/v1/vendors/Northwind%20Wireless/scorecard/history`)).json();
    expect(json).toMatchObject({ vendor: 'Northwind Wireless', rows: [{ day: today, vendor: 'Northwind Wireless', method: SCORE_METHOD, score: card.score === null ? '' : String(card.score) }] });
    const csv = await (await server.fetch(`${server.url}/v1/vendors/Northwind%20Wireless/scorecard/history?format=csv`)).text();
    expect(csv.split('\n')[0]).toBe(`day,vendor,method,verdict,score,${SCORE_PARTS.map((p) => `${p.name.toLowerCase()}_score,${p.name.toLowerCase()}_value`).join(',')}`);
    const wrong = await server.fetch(`${server.url}/v1/vendors/Northwind%20Wireless/scorecard/history?from=2025-03-01&to=2025-02-01`);
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toMatch(/'from' value '2025-03-01T00:00:00.000Z' is after 'to' value/);
    expect((await server.fetch(`${server.url}/v1/vendors/Nobody%20GmbH/scorecard/history`)).status).toBe(404);

    const cli = await runCli(['record-scorecards', '--server', server.url], { PATCHPATH_TOKEN: server.token, DATABASE_URL: '', PATCHPATH_DATA_DIR: '/nonexistent' });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`^recorded the scorecards of ${total} vendors for ${today} in \\d+\\.\\d\\d s\n$`));
    const printed = await runCli(['scorecard', 'Northwind Wireless', '--server', server.url], { PATCHPATH_TOKEN: server.token, DATABASE_URL: '', PATCHPATH_DATA_DIR: '/nonexistent' });
    expect(printed.stdout).toMatch(new RegExp(`\n  history: ${today} (\\d+\\.\\d|no score) \\(1 recorded day\\)\n`));
  });
});
