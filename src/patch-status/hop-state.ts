/**
 * @module
 * The state of each hop of one chain for one vulnerability (DOMAIN.md "Patch propagation"), decided from facts
 * already gathered (src/patch-status/patch-propagation.ts gathers them): pure, so every rule is tested with dates
 * and no database.
 *
 * Hops are numbered from the vulnerable component: hop 0 is the component the vulnerability is in (the TCP/IP
 * stack: its vendor releases the fix), hop 1 the product that embeds it, up to the device at the top.
 *
 * Which statement decides, when several speak about one hop's product version (README "Conflicting statements"):
 * 1. the hop's own vendor speaks for its product: its latest statement decides, over anyone else's;
 * 2. without one, a NOT_AFFECTED from the hop below is inherited ("the chain above inherits it only for this product
 *    version"), and the evidence names who said it;
 * 3. without either, statements by others (a coordinator, the stack vendor, a database) decide, the most cautious
 *    first: affected, then under_investigation, then unknown, then not_affected, then fixed. A hospital acts on the
 *    warning, and the statements it overrode stay listed beside it;
 * 4. an own statement that the product is affected does not end the search: a newer version with the fix still
 *    makes the hop INTEGRATED.
 */
import type { VexJustification, VexStatus } from '../model/advisory.js';

export type HopState = 'FIX_AVAILABLE' | 'INTEGRATED' | 'NOT_AFFECTED' | 'AFFECTED_NO_FIX' | 'UNDER_INVESTIGATION' | 'UNKNOWN';

/** A statement about one hop's product version, as the decision needs it. */
export interface HopStatement {
  advisoryId: number;
  seq: number;
  status: VexStatus;
  justification?: VexJustification;
  /** The publishing vendor, when the publisher is one. */
  publisherId?: number;
  publisherName?: string;
  statedAt: Date;
}

/** A version of the hop's product that holds the fix: an SBOM whose subtree has it, or a statement saying so. */
export interface FixRelease<S extends HopStatement = HopStatement> {
  version: string;
  /** When it was first seen: the SBOM's creation date, or the statement's date. */
  date: Date;
  sbomId?: number;
  statement?: S;
}

export interface HopFacts<S extends HopStatement = HopStatement> {
  /** The hop's vendor (the supplier its document names, or the publisher of its own SBOM). */
  vendorId?: number;
  /** Whether the hop's vendor published an SBOM of this product version. */
  hasOwnSbom: boolean;
  /** Statements that cover this product version (any publisher). */
  statements: S[];
  /** Versions of this product newer than the chain's that hold the fix (hop 0: the stack's fixed versions). */
  fixes: FixRelease<S>[];
}

export type DecidedBy = 'OWN_STATEMENT' | 'INHERITED' | 'OTHER_STATEMENT' | 'FIXED_VERSION' | 'BELOW' | 'NO_EVIDENCE';

export interface HopDecision<S extends HopStatement = HopStatement> {
  state: HopState;
  /** INTEGRATED: when the fix first appeared; FIX_AVAILABLE: when the hop below made it available; a statement's date. */
  since?: Date;
  decidedBy: DecidedBy;
  /** The statement that decided, when one did. */
  statement?: S;
  /** INTEGRATED: the first fixed version of this product. */
  fix?: FixRelease<S>;
  /** NOT_AFFECTED inherited: the hop whose claim it is. */
  inheritedFrom?: number;
  /** INTEGRATED with the hop below INTEGRATED: days from the fix below to the fix here (never below 0). */
  latencyDays?: number;
  /** FIX_AVAILABLE: days the fix has been waiting for this hop. */
  daysWaiting?: number;
}

const CAUTION: Record<VexStatus, number> = { affected: 0, under_investigation: 1, unknown: 2, not_affected: 3, fixed: 4 };
const DAY_MS = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** The statement that decides among `statements` about one hop (rules 1 and 3 above); undefined when there is none. */
export function decidingStatement<S extends HopStatement>(statements: S[], vendorId: number | undefined): { statement: S; own: boolean } | undefined {
  const own = vendorId === undefined ? [] : statements.filter((s) => s.publisherId === vendorId);
  if (own.length) {
    const latest = [...own].sort((a, b) => b.statedAt.getTime() - a.statedAt.getTime() || b.advisoryId - a.advisoryId || b.seq - a.seq)[0]!;
    return { statement: latest, own: true };
  }
  if (!statements.length) return undefined;
  const cautious = [...statements].sort((a, b) => CAUTION[a.status] - CAUTION[b.status] || b.statedAt.getTime() - a.statedAt.getTime())[0]!;
  return { statement: cautious, own: false };
}

/** The first fix of the earliest date (ties: the first given). */
function earliest<S extends HopStatement>(fixes: FixRelease<S>[]): FixRelease<S> | undefined {
  let first: FixRelease<S> | undefined;
  for (const f of fixes) if (first === undefined || f.date.getTime() < first.date.getTime()) first = f;
  return first;
}

/**
 * Decides every hop of one chain, hop 0 first (`hops[k]` are the facts of hop k). Hop 0 is INTEGRATED when its
 * vendor has released a fixed version, AFFECTED_NO_FIX when nobody has.
 */
export function decideHops<S extends HopStatement>(hops: HopFacts<S>[], now: Date): HopDecision<S>[] {
  const out: HopDecision<S>[] = [];
  for (let k = 0; k < hops.length; k++) {
    const facts = hops[k]!;
    const below = k > 0 ? out[k - 1] : undefined;
    out.push(decideHop(facts, below, k - 1, now));
  }
  return out;
}

function decideHop<S extends HopStatement>(facts: HopFacts<S>, below: HopDecision<S> | undefined, belowK: number, now: Date): HopDecision<S> {
  const deciding = decidingStatement(facts.statements, facts.vendorId);
  const fix = earliest(facts.fixes);
  const integrated = (): HopDecision<S> => {
    const d: HopDecision<S> = { state: 'INTEGRATED', since: fix!.date, decidedBy: 'FIXED_VERSION', fix: fix! };
    if (below?.state === 'INTEGRATED' && below.since) d.latencyDays = Math.max(0, daysBetween(below.since, fix!.date));
    return d;
  };
  const stated = (state: HopState, by: DecidedBy, statement: S): HopDecision<S> => ({ state, since: statement.statedAt, decidedBy: by, statement });

  // Rule 1: the vendor's own word about this version.
  if (deciding?.own) {
    const st = deciding.statement;
    if (st.status === 'not_affected') return stated('NOT_AFFECTED', 'OWN_STATEMENT', st);
    if (st.status === 'fixed') return stated('INTEGRATED', 'OWN_STATEMENT', st);
    if (fix) return integrated();
    if (st.status === 'under_investigation') return stated('UNDER_INVESTIGATION', 'OWN_STATEMENT', st);
  }
  // Rule 2: a claim from below holds for this version too, unless this vendor said it is affected.
  if (below?.state === 'NOT_AFFECTED' && !(deciding?.own && deciding.statement.status === 'affected')) {
    return { state: 'NOT_AFFECTED', since: below.since, decidedBy: 'INHERITED', statement: below.statement, inheritedFrom: below.inheritedFrom ?? belowK };
  }
  // Rule 3: others' statements, most cautious first.
  if (deciding && !deciding.own) {
    const st = deciding.statement;
    if (st.status === 'not_affected') return stated('NOT_AFFECTED', 'OTHER_STATEMENT', st);
    if (st.status === 'fixed') return stated('INTEGRATED', 'OTHER_STATEMENT', st);
  }
  if (fix) return integrated();
  if (deciding && deciding.statement.status === 'under_investigation') return stated('UNDER_INVESTIGATION', deciding.own ? 'OWN_STATEMENT' : 'OTHER_STATEMENT', deciding.statement);
  if (below === undefined) return { state: 'AFFECTED_NO_FIX', decidedBy: 'NO_EVIDENCE' };
  // Nothing from this vendor about this product: neither an SBOM of it nor a statement.
  if (!facts.hasOwnSbom && !deciding?.own) return { state: 'UNKNOWN', decidedBy: 'NO_EVIDENCE' };
  if (below.state === 'INTEGRATED' && below.since) {
    return { state: 'FIX_AVAILABLE', since: below.since, decidedBy: 'BELOW', daysWaiting: Math.max(0, daysBetween(below.since, now)) };
  }
  return { state: 'AFFECTED_NO_FIX', decidedBy: 'BELOW' };
}

/** Where a chain is stuck: the lowest hop that is not INTEGRATED or NOT_AFFECTED while the hop below it is. */
export function stuckHop(decisions: HopDecision[], now: Date): { hop: number; since?: Date; days?: number } | undefined {
  const done = (d: HopDecision) => d.state === 'INTEGRATED' || d.state === 'NOT_AFFECTED';
  for (let k = 1; k < decisions.length; k++) {
    if (!done(decisions[k]!) && done(decisions[k - 1]!)) {
      const since = decisions[k - 1]!.since;
      return since ? { hop: k, since, days: Math.max(0, daysBetween(since, now)) } : { hop: k };
    }
  }
  return undefined;
}

export type ChainPatchStatus = 'NOT_AFFECTED' | 'FIXED' | 'STUCK' | 'NO_FIX';
export type ChainStatusCounts = Record<ChainPatchStatus, number>;

/**
 * The chain as a whole: NOT_AFFECTED when the top is, FIXED when the top vendor has shipped the fix, STUCK when a
 * hop holds it up, NO_FIX when nobody below has a fix.
 */
export function chainStatus(decisions: HopDecision[], now: Date): ChainPatchStatus {
  const top = decisions.at(-1)!;
  if (top.state === 'NOT_AFFECTED') return 'NOT_AFFECTED';
  if (top.state === 'INTEGRATED') return 'FIXED';
  return stuckHop(decisions, now) ? 'STUCK' : 'NO_FIX';
}
