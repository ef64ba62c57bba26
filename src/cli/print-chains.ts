/**
 * @module
 * `patchpath chain PURL_OR_ID`: the chains of one product, printed as an indented tree per chain (or the
 * GraphQL answer as JSON with --json). The question goes through GraphQL in both cases, in-process or to a
 * running server (--server), so the CLI prints exactly what the API answers.
 */
import { purlIdentity } from '../normalise/purl-identity.js';

/** Sends one GraphQL request and returns its `data`, or throws with the errors' messages. */
export type GraphQLRequester = (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** In process: `token` is the app's own configured admin secret (the command line owns the database anyway). */
export function appRequester(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, token: string): GraphQLRequester {
  return (query, variables) => graphqlAnswer(app.request('/graphql', graphqlInit(query, variables, token)));
}

/** To a running server, with the token of PATCHPATH_TOKEN. */
export function httpRequester(server: string, token = process.env.PATCHPATH_TOKEN): GraphQLRequester {
  return (query, variables) => graphqlAnswer(fetch(new URL('/graphql', server), graphqlInit(query, variables, token)));
}

function graphqlInit(query: string, variables: Record<string, unknown>, token: string | undefined): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...authorization(token) }, body: JSON.stringify({ query, variables }) };
}

/** The Authorization header of a token (none without one: the server then answers 401 with what to do). */
export function authorization(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export class ChainQueryError extends Error {}

async function graphqlAnswer(response: Response | Promise<Response>): Promise<Record<string, unknown>> {
  const res = await response;
  const body = (await res.json().catch(() => ({}))) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length) throw new ChainQueryError(body.errors.map((e) => e.message).join('; '));
  if (!res.ok || !body.data) throw new ChainQueryError(`server answered ${res.status}`);
  return body.data;
}

export const CHAINS_QUERY = `query Chains($product: ProductInput!, $maxDepth: Int, $latest: Boolean) {
  chains(product: $product, maxDepth: $maxDepth, latest: $latest) {
    root { id }
    product { name version purl }
    truncated
    chains {
      depth vendorHops
      stack { id name }
      target { name version purl }
      hops { position name version vendor { name } sbom { id format } matchRule open }
    }
    cycles { sboms { id subject { name version } } }
    cut { sboms { id subject { name version } } }
    openHops(first: 20) { missing assertedBy { id } }
  }
}`;

/** `12` is an SBOM id; anything else must be a purl (with a version: that version; without: the latest). */
export function productArgument(value: string): { sbomId: string } | { purl: string } {
  if (/^\d+$/.test(value)) return { sbomId: value };
  const read = purlIdentity(value);
  if (!read.ok) throw new ChainQueryError(`'${value}' is neither an SBOM id nor a valid purl: ${read.message}`);
  return { purl: value };
}

interface Hop {
  position: number;
  name: string;
  version: string | null;
  vendor: { name: string } | null;
  sbom: { id: string; format: string } | null;
  matchRule: string;
  open: boolean;
}

interface ChainsAnswer {
  root: { id: string };
  product: { name: string; version: string | null; purl: string | null } | null;
  truncated: boolean;
  chains: { depth: number; vendorHops: number; stack: { id: string; name: string } | null; target: { name: string; version: string | null }; hops: Hop[] }[];
  cycles: { sboms: { id: string; subject: { name: string; version: string | null } | null }[] }[];
  cut: { sboms: { id: string; subject: { name: string; version: string | null } | null }[] }[];
  openHops: { missing: string; assertedBy: { id: string } }[];
}

const label = (x: { name: string; version: string | null } | null | undefined) => (x ? `${x.name}${x.version ? ` ${x.version}` : ''}` : '?');

/** The answer as text: one block per chain, each tier on a line, indented by position. */
export function formatChains(data: Record<string, unknown>): string {
  const a = data.chains as ChainsAnswer;
  const lines: string[] = [];
  const n = a.chains.length;
  lines.push(`${label(a.product)} (SBOM ${a.root.id}): ${n} chain${n === 1 ? '' : 's'}${a.truncated ? ' (some paths cut at the depth limit)' : ''}`);
  a.chains.forEach((chain, i) => {
    lines.push('');
    lines.push(`${i + 1}. ${label(chain.target)}${chain.stack ? ` [stack: ${chain.stack.name}]` : ''}, ${chain.depth} document${chain.depth === 1 ? '' : 's'} deep, ${chain.vendorHops} vendor hop${chain.vendorHops === 1 ? '' : 's'}`);
    for (const hop of chain.hops) {
      const indent = '   ' + '  '.repeat(hop.position) + (hop.position ? '└ ' : '');
      const where = hop.sbom ? `SBOM ${hop.sbom.id}` : hop.open ? 'no SBOM (open)' : 'in the document above';
      const rule = hop.position ? `  via ${hop.matchRule}` : '';
      lines.push(`${indent}${label(hop)}  (${hop.vendor?.name ?? 'unknown vendor'}; ${where})${rule}`);
    }
  });
  for (const cycle of a.cycles) lines.push('', `cycle: ${cycle.sboms.map((s) => `${label(s.subject)} (SBOM ${s.id})`).join(' -> ')}`);
  for (const cut of a.cut) lines.push('', `cut at the depth limit: ${cut.sboms.map((s) => `${label(s.subject)} (SBOM ${s.id})`).join(' -> ')} -> ...`);
  if (a.openHops.length) {
    lines.push('', 'open hops (no SBOM from the supplier):');
    for (const hop of a.openHops) lines.push(`  - ${hop.missing} (listed in SBOM ${hop.assertedBy.id})`);
  }
  return lines.join('\n');
}
