import { describe, expect, it } from 'vitest';
import { chainStatus, decideHops, decidingStatement, stuckHop, type HopFacts, type HopStatement } from '../../src/patch-status/hop-state.js';

/** The rule of README "Conflicting statements", on facts written by hand: no database. */
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const NOW = d('2025-06-01');
const say = (status: HopStatement['status'], at: string, publisherId?: number, seq = 0): HopStatement => ({ advisoryId: 1, seq, status, statedAt: d(at), ...(publisherId === undefined ? {} : { publisherId }) });
const hop = (facts: Partial<HopFacts> = {}): HopFacts => ({ hasOwnSbom: true, statements: [], fixes: [], ...facts });
const stackFixed = hop({ fixes: [{ version: '2.1.3', date: d('2024-12-01') }] });

describe('which statement decides about one hop', () => {
  it("the hop's own vendor over anyone else, its latest statement first", () => {
    const statements = [say('affected', '2025-01-01', 9, 1), say('not_affected', '2025-02-01', 7, 2), say('under_investigation', '2025-03-01', 7, 3)];
    expect(decidingStatement(statements, 7)).toEqual({ statement: statements[2], own: true });
  });

  it('without one, the most cautious of the others: affected, under investigation, unknown, not affected, fixed', () => {
    const statements = [say('fixed', '2025-04-01', 1, 1), say('not_affected', '2025-03-01', 2, 2), say('unknown', '2025-01-01', 3, 3), say('under_investigation', '2025-02-01', 4, 4)];
    expect(decidingStatement(statements, 99)?.statement.status).toBe('under_investigation');
    expect(decidingStatement([...statements, say('affected', '2020-01-01', 5, 5)], 99)?.statement.status).toBe('affected');
    expect(decidingStatement([], 99)).toBeUndefined();
  });
});

describe('the state of each hop, with its date', () => {
  it('FIX_AVAILABLE above a fix, counting days; AFFECTED_NO_FIX above that; stuck where the fix waits', () => {
    const decisions = decideHops([stackFixed, hop({ vendorId: 2 }), hop({ vendorId: 3 })], NOW);
    expect(decisions.map((x) => x.state)).toEqual(['INTEGRATED', 'FIX_AVAILABLE', 'AFFECTED_NO_FIX']);
    expect(decisions[1]).toMatchObject({ since: d('2024-12-01'), daysWaiting: 182, decidedBy: 'BELOW' });
    expect(stuckHop(decisions, NOW)).toEqual({ hop: 1, since: d('2024-12-01'), days: 182 });
    expect(chainStatus(decisions, NOW)).toBe('STUCK');
  });

  it('INTEGRATED at the first fixed version, with its latency from the fix below (never negative)', () => {
    const decisions = decideHops([stackFixed, hop({ fixes: [{ version: '1.2', date: d('2025-04-01') }, { version: '1.1', date: d('2025-03-01') }] }), hop({ fixes: [{ version: '3.1', date: d('2024-11-01') }] })], NOW);
    expect(decisions[1]).toMatchObject({ state: 'INTEGRATED', since: d('2025-03-01'), fix: { version: '1.1' }, latencyDays: 90 });
    expect(decisions[2]).toMatchObject({ state: 'INTEGRATED', latencyDays: 0 });
    expect(chainStatus(decisions, NOW)).toBe('FIXED');
    expect(stuckHop(decisions, NOW)).toBeUndefined();
  });

  it('NOT_AFFECTED from the vendor, inherited above for that version, unless a vendor above says it is affected', () => {
    const claim = hop({ vendorId: 2, statements: [say('not_affected', '2025-01-15', 2)] });
    let decisions = decideHops([stackFixed, claim, hop({ vendorId: 3 }), hop({ vendorId: 4 })], NOW);
    expect(decisions.map((x) => x.state)).toEqual(['INTEGRATED', 'NOT_AFFECTED', 'NOT_AFFECTED', 'NOT_AFFECTED']);
    expect(decisions[3]).toMatchObject({ decidedBy: 'INHERITED', inheritedFrom: 1, since: d('2025-01-15') });
    expect(chainStatus(decisions, NOW)).toBe('NOT_AFFECTED');
    decisions = decideHops([stackFixed, claim, hop({ vendorId: 3, statements: [say('affected', '2025-02-01', 3)] }), hop({ vendorId: 4 })], NOW);
    expect(decisions.map((x) => x.state)).toEqual(['INTEGRATED', 'NOT_AFFECTED', 'AFFECTED_NO_FIX', 'AFFECTED_NO_FIX']);
    expect(stuckHop(decisions, NOW)).toMatchObject({ hop: 2, days: 137 });
  });

  it("another's not_affected counts only while the vendor says nothing; the vendor's own 'affected' still finds a newer fix", () => {
    expect(decideHops([stackFixed, hop({ vendorId: 2, statements: [say('not_affected', '2025-01-01', 8)] })], NOW)[1]).toMatchObject({ state: 'NOT_AFFECTED', decidedBy: 'OTHER_STATEMENT' });
    const ownAffected = hop({ vendorId: 2, statements: [say('affected', '2025-01-01', 2)], fixes: [{ version: '1.1', date: d('2025-03-01') }] });
    expect(decideHops([stackFixed, ownAffected], NOW)[1]).toMatchObject({ state: 'INTEGRATED', decidedBy: 'FIXED_VERSION' });
  });

  it('UNDER_INVESTIGATION when the vendor says so; UNKNOWN for a supplier with neither SBOM nor statement', () => {
    expect(decideHops([stackFixed, hop({ vendorId: 2, statements: [say('under_investigation', '2025-04-01', 2)] })], NOW)[1]).toMatchObject({ state: 'UNDER_INVESTIGATION', since: d('2025-04-01') });
    const decisions = decideHops([stackFixed, hop({ vendorId: 2, hasOwnSbom: false }), hop({ vendorId: 3 })], NOW);
    expect(decisions.map((x) => x.state)).toEqual(['INTEGRATED', 'UNKNOWN', 'AFFECTED_NO_FIX']);
    expect(stuckHop(decisions, NOW)?.hop).toBe(1);
  });

  it('with no fix at the bottom: AFFECTED_NO_FIX everywhere, nothing stuck', () => {
    const decisions = decideHops([hop(), hop({ vendorId: 2 }), hop({ vendorId: 3 })], NOW);
    expect(decisions.map((x) => x.state)).toEqual(['AFFECTED_NO_FIX', 'AFFECTED_NO_FIX', 'AFFECTED_NO_FIX']);
    expect(chainStatus(decisions, NOW)).toBe('NO_FIX');
  });
});
