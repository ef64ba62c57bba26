/**
 * @module
 * SPDX 2 agent strings (`Organization: ACME Inc. (security@acme.example)`, `Person: Jane Doe ()`,
 * `Tool: syft-0.60.3`) as they appear in creators, PackageSupplier, PackageOriginator and annotators.
 */
import type { Party, Tool } from '../../model/sbom.js';

// SPDX 2.3 clause 6.8 / 7.5: `Person: name (email)`, `Organization: name (email)`, `Tool: name-version`; the
// email part is optional and often empty: `()`.
const AGENT_KIND = /^\s*(Person|Organization|Tool)\s*:/i;
const TRAILING_EMAIL = /\(([^()]*)\)$/;
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * `kind`, name and email of an agent string, or undefined when it is not one. Read in steps rather than by one
 * regular expression: `^\s*(Person|Organization|Tool)\s*:\s*(.*?)\s*(?:\(([^()]*)\))?\s*$`, which this reads alike,
 * backtracked in cubic time over a run of spaces before a line break (4,000 spaces took 13 s).
 */
function readAgent(text: string): { kind: string; name: string; email?: string } | undefined {
  const kind = AGENT_KIND.exec(text);
  if (!kind) return undefined;
  let name = text.slice(kind[0].length).trim();
  const email = TRAILING_EMAIL.exec(name);
  if (email) name = name.slice(0, email.index).trim();
  // As in the expression, the name is one line (`.` matches no line terminator).
  if (LINE_TERMINATOR.test(name)) return undefined;
  return { kind: kind[1]!, name, email: email?.[1] };
}

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
  const m = readAgent(value);
  if (!m) return { name: value };
  const kind = m.kind.toLowerCase();
  if (kind === 'tool') return undefined;
  const name = m.name;
  if (!name) return undefined;
  const email = m.email?.trim();
  return { name, kind: kind === 'person' ? 'person' : 'organization', ...(email ? { email } : {}) };
}

/**
 * The tool a `Tool: name-version` creator names, the version split off at the last `-` or space that is followed by
 * a digit (`Tool: syft-0.60.3` -> syft 0.60.3, `Tool: ko 0.10.0` -> ko 0.10.0). Undefined for other agents.
 */
export function parseSpdxTool(text: string | undefined): Tool | undefined {
  const m = text ? readAgent(text) : undefined;
  if (!m || m.kind.toLowerCase() !== 'tool' || !m.name) return undefined;
  return splitToolVersion(m.email ? `${m.name} (${m.email})` : m.name);
}

const SEPARATOR = /[-\s]/;

/**
 * `name-1.2` -> name and version, as `^(.+?)[-\s]+(v?\d[^\s]*)$` splits it (the earliest run of `-` and white space
 * after the first character that is followed by a version to the end), in linear time: that expression took
 * quadratic time over a long run of ` -`.
 */
function splitToolVersion(full: string): Tool {
  // The version holds no white space, so it starts after the last.
  let tail = full.length;
  while (tail > 0 && !/\s/.test(full[tail - 1]!)) tail--;
  for (let start = 1; start < full.length; ) {
    if (!SEPARATOR.test(full[start]!)) {
      start++;
      continue;
    }
    let end = start;
    while (end < full.length && SEPARATOR.test(full[end]!)) end++;
    if (end >= tail && /^v?\d/.test(full.slice(end, end + 2))) return { name: full.slice(0, start), version: full.slice(end) };
    start = end;
  }
  return { name: full };
}
