/**
 * @module
 * SPDX 2 agent strings (`Organization: ACME Inc. (security@acme.example)`, `Person: Jane Doe ()`,
 * `Tool: syft-0.60.3`) as they appear in creators, PackageSupplier, PackageOriginator and annotators.
 */
import type { Party, Tool } from '../../model/sbom.js';

// SPDX 2.3 clause 6.8 / 7.5: `Person: name (email)`, `Organization: name (email)`, `Tool: name-version`; the
// email part is optional and often empty: `()`.
const AGENT = /^\s*(Person|Organization|Tool)\s*:\s*(.*?)\s*(?:\(([^()]*)\))?\s*$/i;

/**
 * The party an agent string names, or undefined for NOASSERTION, NONE, empty text and `Tool:` agents. A string
 * without a `Person:`/`Organization:` prefix (not valid SPDX, but seen in the wild) is taken as a bare name.
 *
 * @example
 * parseSpdxAgent('Organization: ACME Inc. (psirt@acme.example)') // { name: 'ACME Inc.', kind: 'organization', email: 'psirt@acme.example' }
 */
export function parseSpdxAgent(text: string | undefined): Party | undefined {
  const value = text?.trim();
  if (!value || value === 'NOASSERTION' || value === 'NONE') return undefined;
  const m = AGENT.exec(value);
  if (!m) return { name: value };
  const kind = m[1]!.toLowerCase();
  if (kind === 'tool') return undefined;
  const name = m[2]!;
  if (!name) return undefined;
  const email = m[3]?.trim();
  return { name, kind: kind === 'person' ? 'person' : 'organization', ...(email ? { email } : {}) };
}

/**
 * The tool a `Tool: name-version` creator names, the version split off at the last `-` or space that is followed by
 * a digit (`Tool: syft-0.60.3` -> syft 0.60.3, `Tool: ko 0.10.0` -> ko 0.10.0). Undefined for other agents.
 */
export function parseSpdxTool(text: string | undefined): Tool | undefined {
  const m = text ? AGENT.exec(text) : null;
  if (!m || m[1]!.toLowerCase() !== 'tool' || !m[2]) return undefined;
  const full = m[3] ? `${m[2]} (${m[3]})` : m[2];
  const v = /^(.+?)[-\s]+(v?\d[^\s]*)$/.exec(full);
  return v ? { name: v[1]!, version: v[2]! } : { name: full };
}
