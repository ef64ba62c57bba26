/**
 * @module
 * Version ranges as advisories write them: a vers URI (`vers:semver/>=2.0.0|<2.2.0`, purl-spec
 * VERSION-RANGE-SPEC) in CycloneDX `affects[].versions[].range` and CSAF `product_version_range`, or the
 * vers-like form without the `vers:<scheme>/` prefix (`>= 4.0 | <= 4.6`) that CSAF 2.0 section 3.1.2.3.2
 * calls vls ("Vers-like Specifier": only the `<version-constraint>` part of vers). The text is always kept as written; the bounds are filled only where the constraints read as one
 * interval, so nothing is guessed from free text (`< august 28`, `<= 2.01 (end-of-life Nov 2017)`).
 */
import type { AffectedRange } from '../model/advisory.js';

export interface ReadVersionRange {
  range: AffectedRange;
  /** False when the text is neither a vers URI nor vers-like constraints: only `vers` (the text) is set. */
  readable: boolean;
}

interface Constraint {
  op: '>=' | '<=' | '>' | '<' | '=' | '!=';
  version: string;
}

// A comparator (vers section "Version constraints") and one version with no whitespace or comparator character.
const CONSTRAINT = /^(>=|<=|!=|>|<|=)?\s*([^\s|<>=!]+)$/;

/**
 * @example
 * parseVersionRange('>= 2003 | <= 2006')
 * // { range: { scheme: 'generic', vers: '>= 2003 | <= 2006', introduced: '2003', lastAffected: '2006' }, readable: true }
 */
export function parseVersionRange(text: string): ReadVersionRange {
  const written = text;
  const trimmed = text.trim();
  const isVers = /^vers:/i.test(trimmed);
  const range: AffectedRange = { scheme: isVers ? 'vers' : 'generic', vers: written };
  let body = trimmed;
  if (isVers) {
    const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(trimmed);
    if (!m) return { range, readable: false };
    body = m[2]!;
  }
  if (body.trim() === '*') return { range, readable: true };
  const constraints: Constraint[] = [];
  for (const part of body.split('|')) {
    const m = CONSTRAINT.exec(part.trim());
    if (!m) return { range, readable: false };
    constraints.push({ op: (m[1] ?? '=') as Constraint['op'], version: m[2]! });
  }
  Object.assign(range, interval(constraints));
  return { range, readable: true };
}

/** Bounds of constraints that make one interval (`>=a`, `<b` or `<=b`, or both); none for anything else. */
function interval(constraints: Constraint[]): Pick<AffectedRange, 'introduced' | 'fixed' | 'lastAffected'> {
  const lower = constraints.filter((c) => c.op === '>=');
  const upper = constraints.filter((c) => c.op === '<' || c.op === '<=');
  if (lower.length > 1 || upper.length > 1 || lower.length + upper.length !== constraints.length) return {};
  const bounds: Pick<AffectedRange, 'introduced' | 'fixed' | 'lastAffected'> = {};
  if (lower[0]) bounds.introduced = lower[0].version;
  if (upper[0]?.op === '<') bounds.fixed = upper[0].version;
  if (upper[0]?.op === '<=') bounds.lastAffected = upper[0].version;
  return bounds;
}
