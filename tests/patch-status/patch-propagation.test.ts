import { describe, expect, it } from 'vitest';
import { patchPropagation, type PatchChain } from '../../src/patch-status/patch-propagation.js';
import { findVulnerability } from '../../src/store/vulnerability.repository.js';
import { ingestProduct, lwip, purlOf } from '../helpers/chain-world.js';
import { baseWorld as seedBase, board, CVE, device, module, NOW, stackAdvisory } from '../helpers/patch-world.js';
import { ingestVex } from '../helpers/vex-world.js';
import { BACKENDS, useTestDb } from '../helpers/test-db.js';

describe.each(BACKENDS)('patch propagation across hops, on %s', (backend) => {
  const testDb = useTestDb(backend);
  const db = () => testDb().db;

  async function chainsOf(root: number, now = NOW): Promise<PatchChain[]> {
    const vulnerability = (await findVulnerability(db(), CVE))!;
    return (await patchPropagation(db(), { vulnerability, rootSbomIds: [root], now })).get(root)!.chains;
  }
  const states = (c: PatchChain) => c.hops.map((h) => `${h.k}:${h.name}@${h.version}=${h.decision.state}`);
  const day = (d: Date | undefined) => d?.toISOString().slice(0, 10);

  const baseWorld = () => seedBase(db());

  it('with a fix only at the stack: the stack INTEGRATED, the module FIX_AVAILABLE (stuck there, days counted), the rest AFFECTED_NO_FIX', async () => {
    const root = await baseWorld();
    const [chain, ...more] = await chainsOf(root);
    expect(more).toEqual([]);
    expect(states(chain!)).toEqual(['0:lwIP@2.1.2=INTEGRATED', '1:nw-module@1.0=FIX_AVAILABLE', '2:mb7@3.0=AFFECTED_NO_FIX', '3:ip3000@2.0=AFFECTED_NO_FIX']);
    const [stack, mod] = chain!.hops;
    expect(stack!.decision.fix).toMatchObject({ version: '2.1.3' });
    expect(day(stack!.decision.since)).toBe('2024-12-01');
    expect(day(mod!.decision.since)).toBe('2024-12-01');
    expect(mod!.decision.daysWaiting).toBe(182);
    expect(chain!.status).toBe('STUCK');
    expect(chain!.stuck).toMatchObject({ hop: 1, days: 182 });
  });

  it('moves hop by hop as newer SBOMs arrive: INTEGRATED with its date and latency, and the stuck hop climbs', async () => {
    const root = await baseWorld();
    await ingestProduct(db(), module('1.1', '2.1.3', '2025-03-01T00:00:00Z'));
    let [chain] = await chainsOf(root);
    expect(states(chain!)).toEqual(['0:lwIP@2.1.2=INTEGRATED', '1:nw-module@1.0=INTEGRATED', '2:mb7@3.0=FIX_AVAILABLE', '3:ip3000@2.0=AFFECTED_NO_FIX']);
    expect(chain!.hops[1]!.decision).toMatchObject({ fix: { version: '1.1' }, latencyDays: 90 });
    expect(day(chain!.hops[1]!.decision.since)).toBe('2025-03-01');
    expect(chain!.stuck).toMatchObject({ hop: 2, days: 92 });

    await ingestProduct(db(), board('3.1', '1.1', '2025-05-01T00:00:00Z'));
    [chain] = await chainsOf(root);
    expect(states(chain!)).toEqual(['0:lwIP@2.1.2=INTEGRATED', '1:nw-module@1.0=INTEGRATED', '2:mb7@3.0=INTEGRATED', '3:ip3000@2.0=FIX_AVAILABLE']);
    expect(chain!.hops[2]!.decision).toMatchObject({ fix: { version: '3.1' }, latencyDays: 61 });
    expect(chain!.stuck).toMatchObject({ hop: 3, days: 31 });

    const fixedDevice = await ingestProduct(db(), device('2.1', '3.1', '2025-05-20T00:00:00Z'));
    [chain] = await chainsOf(root);
    expect(chain!.hops[3]!.decision).toMatchObject({ state: 'INTEGRATED', fix: { version: '2.1' }, latencyDays: 19 });
    expect(chain!.status).toBe('FIXED');
    expect(chain!.stuck).toBeUndefined();

    const vulnerability = (await findVulnerability(db(), CVE))!;
    const both = await patchPropagation(db(), { vulnerability, rootSbomIds: [root, fixedDevice], now: NOW });
    expect(both.get(root)).toMatchObject({ carriesVulnerable: true, carriesFix: false });
    expect(both.get(fixedDevice)).toMatchObject({ carriesVulnerable: false, carriesFix: true, chains: [] });
  });

  it('takes the time from the clock it is given', async () => {
    const root = await baseWorld();
    const [chain] = await chainsOf(root, new Date('2024-12-31T12:00:00Z'));
    expect(chain!.stuck).toMatchObject({ hop: 1, days: 30 });
  });

  it('with no fixed version anywhere: AFFECTED_NO_FIX at every hop and nothing stuck', async () => {
    await ingestVex(db(), 'lwIP project', [{ ...stackAdvisory, versions: [{ range: 'vers:generic/<=2.1.2', status: 'affected' }] }]);
    await ingestProduct(db(), module('1.0', '2.1.2', '2024-01-10T00:00:00Z'));
    await ingestProduct(db(), board('3.0', '1.0', '2024-02-01T00:00:00Z'));
    const root = await ingestProduct(db(), device('2.0', '3.0', '2024-03-01T00:00:00Z'));
    const [chain] = await chainsOf(root);
    expect(chain!.hops.map((h) => h.decision.state)).toEqual(['AFFECTED_NO_FIX', 'AFFECTED_NO_FIX', 'AFFECTED_NO_FIX', 'AFFECTED_NO_FIX']);
    expect(chain!.status).toBe('NO_FIX');
    expect(chain!.stuck).toBeUndefined();
  });

  it("a vendor's NOT_AFFECTED holds for that version and is inherited above it, naming who said it", async () => {
    const root = await baseWorld();
    await ingestVex(db(), 'Northwind Wireless', [
      { vulnerability: CVE, purl: purlOf('northwind', 'nw-module', '1.0'), state: 'not_affected', justification: 'code_not_reachable', at: '2025-01-15T00:00:00Z' },
    ]);
    const [chain] = await chainsOf(root);
    expect(chain!.hops.map((h) => h.decision.state)).toEqual(['INTEGRATED', 'NOT_AFFECTED', 'NOT_AFFECTED', 'NOT_AFFECTED']);
    expect(chain!.hops[1]!.decision).toMatchObject({ decidedBy: 'OWN_STATEMENT', statement: { justification: 'code_not_reachable', publisherName: 'Northwind Wireless' } });
    expect(chain!.hops[3]!.decision).toMatchObject({ decidedBy: 'INHERITED', inheritedFrom: 1, statement: { publisherName: 'Northwind Wireless' } });
    expect(chain!.status).toBe('NOT_AFFECTED');
  });

  it('conflicting statements: the vendor speaks for its own product over others; among others the most cautious decides; all are kept', async () => {
    const root = await baseWorld();
    const modulePurl = purlOf('northwind', 'nw-module', '1.0');
    // A coordinator says the module is affected, another says it is not: the cautious one decides.
    await ingestVex(db(), 'Coordinator One', [{ vulnerability: CVE, purl: modulePurl, state: 'not_affected', justification: 'requires_configuration', at: '2025-01-10T00:00:00Z' }]);
    await ingestVex(db(), 'Coordinator Two', [{ vulnerability: CVE, purl: modulePurl, state: 'exploitable', at: '2025-01-05T00:00:00Z' }]);
    let [chain] = await chainsOf(root);
    expect(chain!.hops[1]!.decision.state).toBe('FIX_AVAILABLE');
    expect(chain!.hops[1]!.statements.map((s) => `${s.publisherName}:${s.status}`).sort()).toEqual(['Coordinator One:not_affected', 'Coordinator Two:affected']);

    // The module's own vendor says not affected: that decides, whatever the others said, and they stay listed.
    await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE, purl: modulePurl, state: 'not_affected', justification: 'code_not_present', at: '2025-01-01T00:00:00Z' }]);
    [chain] = await chainsOf(root);
    expect(chain!.hops[1]!.decision).toMatchObject({ state: 'NOT_AFFECTED', decidedBy: 'OWN_STATEMENT', statement: { publisherName: 'Northwind Wireless' } });
    expect(chain!.hops[1]!.statements).toHaveLength(3);

    // Its later statement replaces its earlier one.
    await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE, purl: modulePurl, state: 'exploitable', at: '2025-02-01T00:00:00Z' }], '2025-02-01T00:00:00Z');
    [chain] = await chainsOf(root);
    expect(chain!.hops[1]!.decision.state).toBe('FIX_AVAILABLE');
  });

  it("a board vendor's own 'affected' overrides a NOT_AFFECTED inherited from below", async () => {
    const root = await baseWorld();
    await ingestVex(db(), 'Northwind Wireless', [{ vulnerability: CVE, purl: purlOf('northwind', 'nw-module', '1.0'), state: 'not_affected', justification: 'code_not_reachable', at: '2025-01-15T00:00:00Z' }]);
    await ingestVex(db(), 'Keystone Embedded', [{ vulnerability: CVE, purl: purlOf('keystone', 'mb7', '3.0'), state: 'exploitable', at: '2025-02-01T00:00:00Z' }]);
    const [chain] = await chainsOf(root);
    expect(chain!.hops.map((h) => h.decision.state)).toEqual(['INTEGRATED', 'NOT_AFFECTED', 'AFFECTED_NO_FIX', 'AFFECTED_NO_FIX']);
    expect(chain!.stuck).toMatchObject({ hop: 2 });
  });

  it('UNDER_INVESTIGATION when the vendor says so; INTEGRATED when a VEX says a newer version is fixed, without its SBOM', async () => {
    const root = await baseWorld();
    await ingestVex(db(), 'Keystone Embedded', [{ vulnerability: CVE, purl: purlOf('keystone', 'mb7', '3.0'), state: 'in_triage', at: '2025-04-01T00:00:00Z' }]);
    let [chain] = await chainsOf(root);
    expect(chain!.hops[2]!.decision).toMatchObject({ state: 'UNDER_INVESTIGATION', decidedBy: 'OWN_STATEMENT' });

    await ingestVex(db(), 'Northwind Wireless', [
      { vulnerability: CVE, purl: 'pkg:generic/northwind/nw-module', versions: [{ version: '1.0', status: 'affected' }, { version: '1.2', status: 'unaffected' }] },
    ], '2025-02-10T00:00:00Z');
    [chain] = await chainsOf(root);
    expect(chain!.hops[1]!.decision).toMatchObject({ state: 'INTEGRATED', fix: { version: '1.2', statement: { publisherName: 'Northwind Wireless' } }, latencyDays: 71 });
  });

  it('a supplier nested in another vendor\'s document with no SBOM of its own is UNKNOWN, and the chain is stuck there', async () => {
    await ingestVex(db(), 'lwIP project', [stackAdvisory]);
    const root = await ingestProduct(db(), {
      name: 'mb9', version: '1.0', supplier: 'Keystone Embedded', purl: purlOf('keystone', 'mb9', '1.0'), timestamp: '2024-02-01T00:00:00Z',
      components: [{ name: 'wm-module', version: '2.0', supplier: 'Other Wireless', components: [lwip('2.1.2')] }],
    });
    const [chain] = await chainsOf(root);
    expect(states(chain!)).toEqual(['0:lwIP@2.1.2=INTEGRATED', '1:wm-module@2.0=UNKNOWN', '2:mb9@1.0=AFFECTED_NO_FIX']);
    expect(chain!.stuck).toMatchObject({ hop: 1 });
  });
});
