/**
 * The vendor-chain queries (schema.graphql: chains, stackExposure, vendorNetwork, openHops, stacks, stack and the
 * addStack mutation) end to end: real HTTP, every demo SBOM of sboms/ uploaded through POST /v1/sboms, on each
 * backend. Expected values come from the demo files and the tree in sboms/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDb, type Backend, type TestDb } from '../helpers/test-db.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { BOARD, cdxJson, DEMO_DIR, demoSbom, MODULE, MODULE_OLD, PUMP, TELEMETRY_DEVICES } from '../helpers/demo-sboms.js';

const HALVARD = 'halvard-hsw-wlan-driver-3.7.2.spdx3.json';
const SKERRY = 'skerryos-5.3.1.cdx.json';
const LWIP = 'lwip-2.1.3.cdx.json';
const MONITOR = 'tsurugi-bm700-3.1.0.spdx.json';
/** What the patch-status demo adds to sboms/ beside this chain world (sboms/README.md "Files"): not uploaded here. */
const PATCH_DEMO = [...TELEMETRY_DEVICES, 'keystone-mb7-1.4.0.cdx.json'];

/**
 * Every demo file, in the order its vendor published it (sboms/README.md "Dates in order"; module 4.1.0 is from 2023).
 * A vendor keeps the first spelling of its name that is stored, so in this order each vendor is named as it names itself.
 */
const PUBLISHED_ORDER = [MODULE_OLD, LWIP, SKERRY, HALVARD, MODULE, BOARD, MONITOR, PUMP];

const PUMP_PURL = 'pkg:generic/medisyn/ip3000-firmware@2.4.0';
const MONITOR_PURL = 'pkg:generic/tsurugi-bedside/bm700-firmware@3.1.0';

const CATALOGUE = (JSON.parse(readFileSync(new URL('../../src/chains/tcpip-stacks.json', import.meta.url), 'utf8')) as { stacks: { id: string; name: string; sources: Record<string, string[]> }[] }).stacks;

type GqlError = { message: string; extensions?: { code?: string } };
type GqlResponse = { status: number; body: { data?: any; errors?: GqlError[] } };

/** One database and server, loaded with SBOMs; answers name the documents by the file (or label) they were uploaded as. */
interface World {
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResponse>;
  upload(label: string, bytes: BodyInit): Promise<string>;
  /** The id of the SBOM uploaded under `label`. */
  id(label: string): string;
  /** The label an SBOM was uploaded under. */
  label(sbom: { id: string } | null): string | null;
  close(): Promise<void>;
}

async function openWorld(backend: Backend, files: string[]): Promise<World> {
  const t: TestDb = await createTestDb(backend);
  const server: TestServer = await startTestServer(t);
  const ids = new Map<string, string>();
  const world: World = {
    gql: async (query, variables = {}) => {
      const res = await server.fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: await res.json() };
    },
    upload: async (label, bytes) => {
      const res = await server.fetch(`${server.url}/v1/sboms`, { method: 'POST', body: bytes });
      const body = await res.json();
      expect(res.status, `${label}: ${JSON.stringify(body)}`).toBe(201);
      ids.set(label, String(body.id));
      return String(body.id);
    },
    id: (label) => {
      const id = ids.get(label);
      if (!id) throw new Error(`no SBOM uploaded as ${label}`);
      return id;
    },
    label: (sbom) => (sbom ? ([...ids].find(([, id]) => id === sbom.id)?.[0] ?? `sbom ${sbom.id}`) : null),
    close: async () => {
      await server.close();
      await t.close();
    },
  };
  for (const f of files) await world.upload(f, demoSbom(f));
  return world;
}

/** The data of a query that must succeed. */
async function data(w: World, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const { status, body } = await w.gql(query, variables);
  expect(body.errors, query).toBeUndefined();
  expect(status).toBe(200);
  return body.data;
}

/** A refused query: HTTP 200, no data, one BAD_USER_INPUT error whose message matches. */
async function expectBadUserInput(w: World, query: string, message: RegExp, variables: Record<string, unknown> = {}): Promise<void> {
  const { status, body } = await w.gql(query, variables);
  expect(status, query).toBe(200);
  expect(body.data, query).toBeNull();
  expect(body.errors, query).toHaveLength(1);
  expect(body.errors![0]!.extensions?.code, query).toBe('BAD_USER_INPUT');
  expect(body.errors![0]!.message, query).toMatch(message);
}

const HOP_FIELDS = 'position name version purl vendor { name } sbom { id } assertedBy { id } matchRule vendorHop open';
const CHAIN_FIELDS = `depth vendorHops target { name version } stack { id } hops { ${HOP_FIELDS} }`;
const PATH_FIELDS = 'sboms { id } via { name } rules';

/** Byte order: deterministic whatever the locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A hop with its vendor by name and its documents by label. */
const readHop = (w: World, h: any) => ({ ...h, vendor: h.vendor?.name ?? null, sbom: w.label(h.sbom), assertedBy: w.label(h.assertedBy) });
/** A chain as its tiers in order: "name version RULE". */
const route = (chain: any): string[] => chain.hops.map((h: any) => `${h.name} ${h.version} ${h.matchRule}`);
/** Chains come in no documented order: nearest first, then by route. */
const sortChains = (chains: any[]) => [...chains].sort((a, b) => a.depth - b.depth || cmp(route(a).join('/'), route(b).join('/')));
const readPath = (w: World, p: any) => ({ sboms: p.sboms.map((s: any) => w.label(s)), via: p.via.map((c: any) => c.name), rules: p.rules });
const sortPaths = (paths: any[]) => [...paths].sort((a, b) => cmp(a.sboms.join('/'), b.sboms.join('/')));

/** The pump's chains to every stack (sboms/README.md tree): two lwIP versions, each twice through the diamond, and Treck. */
const PUMP_ROUTES = [
  ['ip3000-firmware 2.4.0 ROOT', 'mb7-firmware 1.3.0 BOM_LINK', 'Treck TCP/IP 6.0.1.41 IN_DOCUMENT'],
  ['ip3000-firmware 2.4.0 ROOT', 'nw-wm200-firmware 4.2.1 PURL', 'lwIP 2.2.0 IN_DOCUMENT'],
  ['ip3000-firmware 2.4.0 ROOT', 'mb7-firmware 1.3.0 BOM_LINK', 'nw-wm200-firmware 4.2.1 CPE', 'lwIP 2.2.0 IN_DOCUMENT'],
  ['ip3000-firmware 2.4.0 ROOT', 'nw-wm200-firmware 4.2.1 PURL', 'hsw-wlan-driver 3.7.2 PURL', 'skerryos 5.3.1 SUPPLIER_NAME_VERSION', 'lwIP 2.1.3 BOM_LINK'],
  [
    'ip3000-firmware 2.4.0 ROOT',
    'mb7-firmware 1.3.0 BOM_LINK',
    'nw-wm200-firmware 4.2.1 CPE',
    'hsw-wlan-driver 3.7.2 PURL',
    'skerryos 5.3.1 SUPPLIER_NAME_VERSION',
    'lwIP 2.1.3 BOM_LINK',
  ],
];

/** A small CycloneDX firmware SBOM of a test vendor, its subject `pkg:generic/acme/<name>@<version>`. */
const firmwareSbom = (name: string, version: string, supplier: string, components: object[]) =>
  cdxJson(components, {
    metadata: {
      timestamp: '2026-11-01T00:00:00Z',
      component: { type: 'firmware', 'bom-ref': name, name, version, purl: `pkg:generic/acme/${name}@${version}`, supplier: { name: supplier } },
    },
  });

describe.each(BACKENDS)('vendor chains over GraphQL on %s, demo SBOMs uploaded as published', (backend) => {
  let w: World;

  beforeAll(async () => {
    const demoFiles = readdirSync(DEMO_DIR, { withFileTypes: true }).filter((f) => f.isFile() && f.name !== 'README.md').map((f) => f.name);
    expect([...PUBLISHED_ORDER].sort()).toEqual(demoFiles.filter((f) => !PATCH_DEMO.includes(f)).sort());
    w = await openWorld(backend, PUBLISHED_ORDER);
  });
  afterAll(async () => {
    await w?.close();
  });

  describe('chains', () => {
    const pumpChains = async (args = '') =>
      (await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }${args}) { root { id } product { name version purl } truncated maxDepth latest
        cycles { ${PATH_FIELDS} } cut { ${PATH_FIELDS} } chains { ${CHAIN_FIELDS} } } }`)).chains;

    it('finds every chain from the pump down to a stack, across the documents of every vendor on the way', async () => {
      const result = await pumpChains();
      expect(w.label(result.root)).toBe(PUMP);
      expect(result.product).toEqual({ name: 'ip3000-firmware', version: '2.4.0', purl: PUMP_PURL });
      expect({ truncated: result.truncated, maxDepth: result.maxDepth, latest: result.latest, cycles: result.cycles, cut: result.cut }).toEqual({
        truncated: false,
        maxDepth: 10,
        latest: false,
        cycles: [],
        cut: [],
      });
      const chains = sortChains(result.chains);
      expect(chains.map(route)).toEqual(PUMP_ROUTES);
      expect(chains.map((c) => [c.target, c.stack?.id, c.depth, c.vendorHops])).toEqual([
        [{ name: 'Treck TCP/IP', version: '6.0.1.41' }, 'treck', 1, 2],
        [{ name: 'lwIP', version: '2.2.0' }, 'lwip', 1, 2],
        [{ name: 'lwIP', version: '2.2.0' }, 'lwip', 2, 3],
        [{ name: 'lwIP', version: '2.1.3' }, 'lwip', 4, 4],
        [{ name: 'lwIP', version: '2.1.3' }, 'lwip', 5, 5],
      ]);
    });

    it('resolves the six-vendor chain pump -> board -> module -> SoC SDK driver -> RTOS -> lwIP, hop by hop', async () => {
      const deepest = sortChains((await pumpChains()).chains).at(-1);
      expect(deepest.hops.map((h: any) => readHop(w, h))).toEqual([
        { position: 0, name: 'ip3000-firmware', version: '2.4.0', purl: PUMP_PURL, vendor: 'Medisyn Medical GmbH', sbom: PUMP, assertedBy: null, matchRule: 'ROOT', vendorHop: false, open: false },
        { position: 1, name: 'mb7-firmware', version: '1.3.0', purl: 'pkg:generic/keystone-embedded/mb7-firmware@1.3.0', vendor: 'Keystone Embedded Ltd', sbom: BOARD, assertedBy: PUMP, matchRule: 'BOM_LINK', vendorHop: true, open: false },
        // The board lists the module by CPE only: no purl.
        { position: 2, name: 'nw-wm200-firmware', version: '4.2.1', purl: null, vendor: 'Northwind Wireless, Inc.', sbom: MODULE, assertedBy: BOARD, matchRule: 'CPE', vendorHop: true, open: false },
        { position: 3, name: 'hsw-wlan-driver', version: '3.7.2', purl: 'pkg:generic/halvard-semiconductor/hsw-wlan-driver@3.7.2', vendor: 'Halvard Semiconductor AB', sbom: HALVARD, assertedBy: MODULE, matchRule: 'PURL', vendorHop: true, open: false },
        // Halvard writes "Skerry Realtime", Skerry "Skerry Realtime Oy": one vendor; no purl, CPE or hash.
        { position: 4, name: 'skerryos', version: '5.3.1', purl: null, vendor: 'Skerry Realtime Oy', sbom: SKERRY, assertedBy: HALVARD, matchRule: 'SUPPLIER_NAME_VERSION', vendorHop: true, open: false },
        { position: 5, name: 'lwIP', version: '2.1.3', purl: 'pkg:github/lwip-tcpip/lwip@STABLE-2_1_3_RELEASE', vendor: 'lwIP project', sbom: LWIP, assertedBy: SKERRY, matchRule: 'BOM_LINK', vendorHop: true, open: false },
      ]);
      expect({ depth: deepest.depth, vendorHops: deepest.vendorHops, stack: deepest.stack }).toEqual({ depth: 5, vendorHops: 5, stack: { id: 'lwip' } });
    });

    it('gives one chain per path through the diamond: the module reached directly and through the board, one module SBOM', async () => {
      const chains = sortChains((await pumpChains()).chains).filter((c) => c.target.version === '2.2.0');
      expect(chains.map((c) => c.hops.map((h: any) => [h.name, w.label(h.sbom), w.label(h.assertedBy)]))).toEqual([
        [
          ['ip3000-firmware', PUMP, null],
          ['nw-wm200-firmware', MODULE, PUMP],
          ['lwIP', null, MODULE],
        ],
        [
          ['ip3000-firmware', PUMP, null],
          ['mb7-firmware', BOARD, PUMP],
          ['nw-wm200-firmware', MODULE, BOARD],
          ['lwIP', null, MODULE],
        ],
      ]);
    });

    it('ends a chain in an open tier where the stack has no SBOM of its own (Treck on the board)', async () => {
      const treck = sortChains((await pumpChains()).chains)[0];
      expect(treck.hops.map((h: any) => readHop(w, h))).toEqual([
        { position: 0, name: 'ip3000-firmware', version: '2.4.0', purl: PUMP_PURL, vendor: 'Medisyn Medical GmbH', sbom: PUMP, assertedBy: null, matchRule: 'ROOT', vendorHop: false, open: false },
        { position: 1, name: 'mb7-firmware', version: '1.3.0', purl: 'pkg:generic/keystone-embedded/mb7-firmware@1.3.0', vendor: 'Keystone Embedded Ltd', sbom: BOARD, assertedBy: PUMP, matchRule: 'BOM_LINK', vendorHop: true, open: false },
        { position: 2, name: 'Treck TCP/IP', version: '6.0.1.41', purl: 'pkg:generic/treck/tcpip@6.0.1.41', vendor: 'Treck Inc.', sbom: null, assertedBy: BOARD, matchRule: 'IN_DOCUMENT', vendorHop: true, open: true },
      ]);
    });

    it("lists the open hops of the documents a walk went through, in words", async () => {
      const { chains } = await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }) { openHops { component { name version } supplier { name } assertedBy { id } missing otherVersions } } }`);
      const hops = chains.openHops.map((h: any) => ({ ...h, supplier: h.supplier.name, assertedBy: w.label(h.assertedBy) }));
      expect(hops.map((h: any) => h.missing).sort()).toEqual([
        'Amazon Web Services has not published an SBOM for FreeRTOS-Kernel 10.4.3',
        'Arm Limited has not published an SBOM for CMSIS-Core 5.9.0',
        'MCUboot project has not published an SBOM for mcuboot 1.10.0',
        'Mbed TLS project has not published an SBOM for mbedtls 2.28.8',
        'Treck Inc. has not published an SBOM for Treck TCP/IP 6.0.1.41',
        'cJSON project has not published an SBOM for cJSON 1.7.17',
        'littlefs project has not published an SBOM for littlefs 2.5.0',
        'lwIP project has not published an SBOM for lwIP 2.2.0 (it has for 2.1.3)',
        'nanopb project has not published an SBOM for nanopb 0.4.8',
      ]);
      expect(hops.find((h: any) => h.supplier === 'Treck Inc.')).toEqual({
        component: { name: 'Treck TCP/IP', version: '6.0.1.41' },
        supplier: 'Treck Inc.',
        assertedBy: BOARD,
        missing: 'Treck Inc. has not published an SBOM for Treck TCP/IP 6.0.1.41',
        otherVersions: [],
      });
      expect(hops.find((h: any) => h.supplier === 'lwIP project')).toMatchObject({ component: { name: 'lwIP', version: '2.2.0' }, assertedBy: MODULE, otherVersions: ['2.1.3'] });
    });

    it('cuts paths at maxDepth 2, lists them in cut, and returns no chain deeper', async () => {
      const result = await pumpChains(', maxDepth: 2');
      expect({ truncated: result.truncated, maxDepth: result.maxDepth, cycles: result.cycles }).toEqual({ truncated: true, maxDepth: 2, cycles: [] });
      expect(sortPaths(result.cut.map((p: any) => readPath(w, p)))).toEqual([
        { sboms: [PUMP, BOARD, MODULE], via: ['mb7-firmware', 'nw-wm200-firmware'], rules: ['BOM_LINK', 'CPE'] },
        { sboms: [PUMP, MODULE, HALVARD], via: ['nw-wm200-firmware', 'hsw-wlan-driver'], rules: ['PURL', 'PURL'] },
      ]);
      expect(sortChains(result.chains).map(route)).toEqual(PUMP_ROUTES.slice(0, 3));
      expect(Math.max(...result.chains.map((c: any) => c.depth))).toBe(2);
    });

    it('resolves the six-vendor chain at maxDepth 5 without cutting, and cuts it at maxDepth 4', async () => {
      const five = await pumpChains(', maxDepth: 5');
      expect({ truncated: five.truncated, cut: five.cut }).toEqual({ truncated: false, cut: [] });
      expect(sortChains(five.chains).map(route)).toEqual(PUMP_ROUTES);

      const four = await pumpChains(', maxDepth: 4');
      expect(four.truncated).toBe(true);
      expect(four.cut.map((p: any) => readPath(w, p))).toEqual([
        { sboms: [PUMP, BOARD, MODULE, HALVARD, SKERRY], via: ['mb7-firmware', 'nw-wm200-firmware', 'hsw-wlan-driver', 'skerryos'], rules: ['BOM_LINK', 'CPE', 'PURL', 'SUPPLIER_NAME_VERSION'] },
      ]);
      expect(Math.max(...four.chains.map((c: any) => c.depth))).toBe(4);
      // Through the board, the walk stops in SkerryOS's document: the lwIP it lists is the last tier, found there.
      expect(sortChains(four.chains).map(route)).toEqual([...PUMP_ROUTES.slice(0, 3), [...PUMP_ROUTES[4]!.slice(0, 5), 'lwIP 2.1.3 IN_DOCUMENT'], PUMP_ROUTES[3]]);
      // That last tier is at the depth cut, but lwIP 2.1.3 has an SBOM of its own: it is not open, and names that SBOM.
      const throughBoard = sortChains(four.chains)[3];
      expect(throughBoard.hops.map((h: any) => w.label(h.sbom))).toEqual([PUMP, BOARD, MODULE, HALVARD, SKERRY, LWIP]);
      expect(readHop(w, throughBoard.hops.at(-1))).toEqual({
        position: 5,
        name: 'lwIP',
        version: '2.1.3',
        purl: 'pkg:github/lwip-tcpip/lwip@STABLE-2_1_3_RELEASE',
        vendor: 'lwIP project',
        sbom: LWIP,
        assertedBy: SKERRY,
        matchRule: 'IN_DOCUMENT',
        vendorHop: true,
        open: false,
      });
      expect(four.chains.flatMap((c: any) => c.hops.filter((h: any) => h.open).map((h: any) => `${h.name} ${h.version}`)).sort()).toEqual(['Treck TCP/IP 6.0.1.41', 'lwIP 2.2.0', 'lwIP 2.2.0']);

      // At maxDepth 3 the direct path stops in SkerryOS's document too: the same closed last tier, and no open hop for it.
      const three = await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }, maxDepth: 3) { truncated chains { ${CHAIN_FIELDS} } openHops { missing } } }`);
      expect(three.chains.truncated).toBe(true);
      const cutAtSkerry = sortChains(three.chains.chains).at(-1);
      expect(route(cutAtSkerry)).toEqual([...PUMP_ROUTES[3]!.slice(0, 4), 'lwIP 2.1.3 IN_DOCUMENT']);
      expect(readHop(w, cutAtSkerry.hops.at(-1))).toMatchObject({ position: 4, sbom: LWIP, assertedBy: SKERRY, matchRule: 'IN_DOCUMENT', open: false });
      expect(three.chains.openHops.map((h: any) => h.missing).filter((m: string) => m.includes('lwIP'))).toEqual(['lwIP project has not published an SBOM for lwIP 2.2.0 (it has for 2.1.3)']);
    });

    it('reads a product given as a purl without version as the model, at its latest version (module 4.2.1, not 4.1.0)', async () => {
      const { chains } = await data(w, `{ chains(product: { purl: "pkg:generic/northwind-wireless/nw-wm200-firmware" }) { root { id } product { name version } chains { ${CHAIN_FIELDS} } } }`);
      expect(w.label(chains.root)).toBe(MODULE);
      expect(chains.product).toEqual({ name: 'nw-wm200-firmware', version: '4.2.1' });
      expect(sortChains(chains.chains).map((c) => [c.depth, c.vendorHops, route(c)])).toEqual([
        [0, 1, ['nw-wm200-firmware 4.2.1 ROOT', 'lwIP 2.2.0 IN_DOCUMENT']],
        [3, 3, ['nw-wm200-firmware 4.2.1 ROOT', 'hsw-wlan-driver 3.7.2 PURL', 'skerryos 5.3.1 SUPPLIER_NAME_VERSION', 'lwIP 2.1.3 BOM_LINK']],
      ]);
    });

    it('reads a product given by vendor (any spelling) and name: that version, or without one the latest', async () => {
      const latest = await data(w, '{ chains(product: { vendor: "NORTHWIND WIRELESS, INC.", name: "NW-WM200-Firmware" }) { root { id } product { version } } }');
      expect([w.label(latest.chains.root), latest.chains.product.version]).toEqual([MODULE, '4.2.1']);
      const pinned = await data(w, '{ chains(product: { vendor: "Northwind Wireless", name: "nw-wm200-firmware", version: "4.1.0" }) { root { id } product { version } } }');
      expect([w.label(pinned.chains.root), pinned.chains.product.version]).toEqual([MODULE_OLD, '4.1.0']);
    });

    it('reads a product as a versioned purl (qualifiers ignored) or as an SBOM id', async () => {
      const old = await data(w, '{ chains(product: { purl: "pkg:generic/northwind-wireless/nw-wm200-firmware@4.1.0" }) { root { id } product { version } } }');
      expect([w.label(old.chains.root), old.chains.product.version]).toEqual([MODULE_OLD, '4.1.0']);
      const qualified = await data(w, `{ chains(product: { purl: "${PUMP_PURL}?arch=armv7" }) { root { id } } }`);
      expect(w.label(qualified.chains.root)).toBe(PUMP);
      const byId = await data(w, 'query($id: ID!) { chains(product: { sbomId: $id }) { root { id } chains { depth } } }', { id: w.id(MONITOR) });
      expect(w.label(byId.chains.root)).toBe(MONITOR);
      expect(byId.chains.chains.map((c: any) => c.depth).sort()).toEqual([0, 1, 4]);
    });

    it('follows each component to the version it names by default, and to the latest version with an SBOM with latest: true', async () => {
      const query = `query($id: ID!, $latest: Boolean) { chains(product: { sbomId: $id }, latest: $latest) { latest truncated
        chains { ${CHAIN_FIELDS} } openHops { missing } } }`;
      const pinned = (await data(w, query, { id: w.id(MODULE_OLD), latest: false })).chains;
      expect(pinned.latest).toBe(false);
      expect(pinned.chains.map(route)).toEqual([['nw-wm200-firmware 4.1.0 ROOT', 'lwIP 2.1.2 IN_DOCUMENT']]);
      expect(pinned.openHops.map((h: any) => h.missing).sort()).toEqual([
        'Amazon Web Services has not published an SBOM for FreeRTOS-Kernel 10.4.3',
        'Halvard Semiconductor AB has not published an SBOM for hsw-wlan-driver 3.6.0 (it has for 3.7.2)',
        'Mbed TLS project has not published an SBOM for mbedtls 2.28.3',
        'lwIP project has not published an SBOM for lwIP 2.1.2 (it has for 2.1.3)',
      ]);

      // Driver 3.6.0 has no SBOM; with latest, the walk goes on into Halvard's 3.7.2, and lwIP 2.1.2 into lwIP 2.1.3's.
      const latest = (await data(w, query, { id: w.id(MODULE_OLD), latest: true })).chains;
      expect({ latest: latest.latest, truncated: latest.truncated }).toEqual({ latest: true, truncated: false });
      const chains = sortChains(latest.chains);
      expect(chains.map((c) => [c.depth, c.target, route(c)])).toEqual([
        [1, { name: 'lwIP', version: '2.1.3' }, ['nw-wm200-firmware 4.1.0 ROOT', 'lwIP 2.1.2 PURL']],
        [3, { name: 'lwIP', version: '2.1.3' }, ['nw-wm200-firmware 4.1.0 ROOT', 'hsw-wlan-driver 3.6.0 PURL', 'skerryos 5.3.1 SUPPLIER_NAME_VERSION', 'lwIP 2.1.3 BOM_LINK']],
      ]);
      expect(chains.map((c) => c.hops.map((h: any) => w.label(h.sbom)))).toEqual([
        [MODULE_OLD, LWIP],
        [MODULE_OLD, HALVARD, SKERRY, LWIP],
      ]);
      expect(latest.openHops.map((h: any) => h.missing).sort()).toEqual([
        'Amazon Web Services has not published an SBOM for FreeRTOS-Kernel 10.4.3',
        'Mbed TLS project has not published an SBOM for mbedtls 2.28.3',
        'littlefs project has not published an SBOM for littlefs 2.5.0',
      ]);
    });

    it('with latest: true never follows a component to an older version: the module\'s lwIP 2.2.0 stays an open tier, not lwIP 2.1.3\'s SBOM', async () => {
      const query = `query($latest: Boolean) { chains(product: { purl: "${MONITOR_PURL}" }, latest: $latest) { latest truncated
        cycles { ${PATH_FIELDS} } cut { ${PATH_FIELDS} } chains { ${CHAIN_FIELDS} } openHops { missing } } }`;
      const latest = (await data(w, query, { latest: true })).chains;
      expect({ latest: latest.latest, truncated: latest.truncated, cycles: latest.cycles, cut: latest.cut }).toEqual({ latest: true, truncated: false, cycles: [], cut: [] });
      const chains = sortChains(latest.chains);
      // The newest lwIP with an SBOM is 2.1.3, older than the module's 2.2.0: nothing to follow, so the same chains as pinned.
      expect(chains.map((c) => [c.depth, c.vendorHops, c.target, c.stack, route(c)])).toEqual([
        [0, 1, { name: 'KASAGO TCP/IP middleware', version: '5.2.0' }, { id: 'kasago' }, ['bm700-firmware 3.1.0 ROOT', 'KASAGO TCP/IP middleware 5.2.0 IN_DOCUMENT']],
        [1, 2, { name: 'lwIP', version: '2.2.0' }, { id: 'lwip' }, ['bm700-firmware 3.1.0 ROOT', 'nw-wm200-firmware 4.2.1 BOM_LINK', 'lwIP 2.2.0 IN_DOCUMENT']],
        [
          4,
          4,
          { name: 'lwIP', version: '2.1.3' },
          { id: 'lwip' },
          ['bm700-firmware 3.1.0 ROOT', 'nw-wm200-firmware 4.2.1 BOM_LINK', 'hsw-wlan-driver 3.7.2 PURL', 'skerryos 5.3.1 SUPPLIER_NAME_VERSION', 'lwIP 2.1.3 BOM_LINK'],
        ],
      ]);
      expect(chains.map((c) => c.hops.map((h: any) => w.label(h.sbom)))).toEqual([
        [MONITOR, null],
        [MONITOR, MODULE, null],
        [MONITOR, MODULE, HALVARD, SKERRY, LWIP],
      ]);
      expect(readHop(w, chains[1].hops.at(-1))).toEqual({
        position: 2,
        name: 'lwIP',
        version: '2.2.0',
        purl: 'pkg:github/lwip-tcpip/lwip@STABLE-2_2_0_RELEASE',
        vendor: 'lwIP project',
        sbom: null,
        assertedBy: MODULE,
        matchRule: 'IN_DOCUMENT',
        vendorHop: true,
        open: true,
      });
      expect(latest.openHops.map((h: any) => h.missing).sort()).toEqual([
        'Amazon Web Services has not published an SBOM for FreeRTOS-Kernel 10.4.3',
        'Mbed TLS project has not published an SBOM for mbedtls 2.28.8',
        'Zuken Elmic has not published an SBOM for KASAGO TCP/IP middleware 5.2.0',
        'littlefs project has not published an SBOM for littlefs 2.5.0',
        'lwIP project has not published an SBOM for lwIP 2.2.0 (it has for 2.1.3)',
        'zlib project has not published an SBOM for zlib 1.3.1',
      ]);

      const pinned = (await data(w, query, { latest: false })).chains;
      expect(sortChains(pinned.chains).map(route)).toEqual(chains.map(route));
      expect(pinned.openHops.map((h: any) => h.missing).sort()).toEqual(latest.openHops.map((h: any) => h.missing).sort());
    });

    it('goes to one catalogue stack with to: { stack } (id, name or alias), KASAGO ending in an open tier', async () => {
      const kasago = await data(w, `{ chains(product: { purl: "${MONITOR_PURL}" }, to: { stack: "kasago" }) { truncated chains { ${CHAIN_FIELDS} } } }`);
      expect(kasago.chains.truncated).toBe(false);
      expect(kasago.chains.chains).toHaveLength(1);
      const [chain] = kasago.chains.chains;
      expect({ depth: chain.depth, vendorHops: chain.vendorHops, target: chain.target, stack: chain.stack }).toEqual({
        depth: 0,
        vendorHops: 1,
        target: { name: 'KASAGO TCP/IP middleware', version: '5.2.0' },
        stack: { id: 'kasago' },
      });
      expect(chain.hops.map((h: any) => readHop(w, h))).toEqual([
        { position: 0, name: 'bm700-firmware', version: '3.1.0', purl: MONITOR_PURL, vendor: 'Tsurugi Bedside Systems K.K.', sbom: MONITOR, assertedBy: null, matchRule: 'ROOT', vendorHop: false, open: false },
        { position: 1, name: 'KASAGO TCP/IP middleware', version: '5.2.0', purl: 'pkg:generic/zuken-elmic/kasago@5.2.0', vendor: 'Zuken Elmic', sbom: null, assertedBy: MONITOR, matchRule: 'IN_DOCUMENT', vendorHop: true, open: true },
      ]);

      const treck = await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }, to: { stack: "Treck" }) { chains { ${CHAIN_FIELDS} } } }`);
      expect(treck.chains.chains.map(route)).toEqual([PUMP_ROUTES[0]]);
    });

    it('reaches the monitor\'s module through its SPDX external document reference', async () => {
      const { chains } = await data(w, `{ chains(product: { purl: "${MONITOR_PURL}" }, to: { stack: "lwip" }) { chains { ${CHAIN_FIELDS} } } }`);
      expect(sortChains(chains.chains).map(route)).toEqual([
        ['bm700-firmware 3.1.0 ROOT', 'nw-wm200-firmware 4.2.1 BOM_LINK', 'lwIP 2.2.0 IN_DOCUMENT'],
        ['bm700-firmware 3.1.0 ROOT', 'nw-wm200-firmware 4.2.1 BOM_LINK', 'hsw-wlan-driver 3.7.2 PURL', 'skerryos 5.3.1 SUPPLIER_NAME_VERSION', 'lwIP 2.1.3 BOM_LINK'],
      ]);
      expect(w.label(chains.chains[0].hops[1].sbom)).toBe(MODULE);
    });

    it('goes to any component a filter picks with to: { component }, on both sides of the diamond', async () => {
      const freertos = await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }, to: { component: { name: "FreeRTOS*" } }) { chains { ${CHAIN_FIELDS} } } }`);
      const chains = sortChains(freertos.chains.chains);
      expect(chains.map((c) => [c.depth, c.vendorHops, c.target, c.stack, route(c)])).toEqual([
        [1, 2, { name: 'FreeRTOS-Kernel', version: '10.4.3' }, null, ['ip3000-firmware 2.4.0 ROOT', 'nw-wm200-firmware 4.2.1 PURL', 'FreeRTOS-Kernel 10.4.3 IN_DOCUMENT']],
        [2, 3, { name: 'FreeRTOS-Kernel', version: '10.4.3' }, null, ['ip3000-firmware 2.4.0 ROOT', 'mb7-firmware 1.3.0 BOM_LINK', 'nw-wm200-firmware 4.2.1 CPE', 'FreeRTOS-Kernel 10.4.3 IN_DOCUMENT']],
      ]);
      expect(chains.map((c) => readHop(w, c.hops.at(-1))).map((h) => [h.vendor, h.open])).toEqual([
        ['Amazon Web Services', true],
        ['Amazon Web Services', true],
      ]);

      const lwip213 = await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }, to: { component: { purl: "pkg:github/lwip-tcpip/lwip@STABLE-2_1_3_RELEASE" } }) { chains { ${CHAIN_FIELDS} } } }`);
      expect(sortChains(lwip213.chains.chains).map(route)).toEqual(PUMP_ROUTES.slice(3));
    });

    it('answers no chains, not an error, when the component filter names a supplier nobody knows', async () => {
      const { chains } = await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }, to: { component: { supplier: "Nobody Ltd" } }) { truncated chains { depth } } }`);
      expect(chains).toEqual({ truncated: false, chains: [] });
    });
  });

  describe('stackExposure', () => {
    const EXPOSURE = 'stacks { id } totalProducts stackComponents products { sbom { id } product { name version } vendor { name } depth stackVersions }';
    const readProducts = (products: any[]) => products.map((p) => ({ sbom: w.label(p.sbom), product: `${p.product.name} ${p.product.version}`, vendor: p.vendor.name, depth: p.depth, stackVersions: p.stackVersions }));
    /** Nearest first, as the server answers; within one depth the order is not documented. */
    const byDepth = (products: any[]) => {
      expect(products.map((p) => p.depth)).toEqual([...products.map((p) => p.depth)].sort((a, b) => a - b));
      return [...products].sort((a, b) => a.depth - b.depth || cmp(a.product, b.product));
    };

    it('finds every product version containing lwIP at any tier, with its depth and the lwIP versions reaching it', async () => {
      const { stackExposure } = await data(w, `{ stackExposure(stack: "lwip") { ${EXPOSURE} } }`);
      expect({ stacks: stackExposure.stacks, totalProducts: stackExposure.totalProducts, stackComponents: stackExposure.stackComponents }).toEqual({
        stacks: [{ id: 'lwip' }],
        totalProducts: 8,
        stackComponents: 4,
      });
      expect(byDepth(readProducts(stackExposure.products))).toEqual([
        { sbom: LWIP, product: 'lwIP 2.1.3', vendor: 'lwIP project', depth: 0, stackVersions: ['2.1.3'] },
        { sbom: MODULE_OLD, product: 'nw-wm200-firmware 4.1.0', vendor: 'Northwind Wireless, Inc.', depth: 1, stackVersions: ['2.1.2'] },
        { sbom: MODULE, product: 'nw-wm200-firmware 4.2.1', vendor: 'Northwind Wireless, Inc.', depth: 1, stackVersions: ['2.1.3', '2.2.0'] },
        { sbom: SKERRY, product: 'skerryos 5.3.1', vendor: 'Skerry Realtime Oy', depth: 1, stackVersions: ['2.1.3'] },
        { sbom: MONITOR, product: 'bm700-firmware 3.1.0', vendor: 'Tsurugi Bedside Systems K.K.', depth: 2, stackVersions: ['2.1.3', '2.2.0'] },
        { sbom: HALVARD, product: 'hsw-wlan-driver 3.7.2', vendor: 'Halvard Semiconductor AB', depth: 2, stackVersions: ['2.1.3'] },
        { sbom: PUMP, product: 'ip3000-firmware 2.4.0', vendor: 'Medisyn Medical GmbH', depth: 2, stackVersions: ['2.1.3', '2.2.0'] },
        { sbom: BOARD, product: 'mb7-firmware 1.3.0', vendor: 'Keystone Embedded Ltd', depth: 2, stackVersions: ['2.1.3', '2.2.0'] },
      ]);
    });

    it('with versions { fixed: "2.2.0" } counts only lwIP below 2.2.0: every device still reaches 2.1.3 in the Wi-Fi chip', async () => {
      const { stackExposure } = await data(w, `{ stackExposure(stack: "lwip", versions: { fixed: "2.2.0" }) { ${EXPOSURE} } }`);
      expect({ totalProducts: stackExposure.totalProducts, stackComponents: stackExposure.stackComponents }).toEqual({ totalProducts: 8, stackComponents: 3 });
      expect(byDepth(readProducts(stackExposure.products)).map((p) => [p.product, p.depth, p.stackVersions])).toEqual([
        ['lwIP 2.1.3', 0, ['2.1.3']],
        ['nw-wm200-firmware 4.1.0', 1, ['2.1.2']],
        ['skerryos 5.3.1', 1, ['2.1.3']],
        ['hsw-wlan-driver 3.7.2', 2, ['2.1.3']],
        ['nw-wm200-firmware 4.2.1', 3, ['2.1.3']],
        ['bm700-firmware 3.1.0', 4, ['2.1.3']],
        ['ip3000-firmware 2.4.0', 4, ['2.1.3']],
        ['mb7-firmware 1.3.0', 4, ['2.1.3']],
      ]);
    });

    it('with latest: true, takes the depths the real chains imply: module 4.2.1 reaches lwIP 2.1.3 only through the Wi-Fi driver', async () => {
      const { stackExposure } = await data(w, `{ stackExposure(stack: "lwip", versions: { fixed: "2.2.0" }, latest: true) { ${EXPOSURE} } }`);
      expect({ stacks: stackExposure.stacks, totalProducts: stackExposure.totalProducts, stackComponents: stackExposure.stackComponents }).toEqual({
        stacks: [{ id: 'lwip' }],
        totalProducts: 8,
        stackComponents: 3,
      });
      // The module's own lwIP 2.2.0 is not followed to the older 2.1.3 SBOM: 4.2.1 is 3 deep (driver, SkerryOS, lwIP), not 1.
      // Module 4.1.0 lists lwIP 2.1.2, which latest follows on to lwIP 2.1.3's SBOM (a newer version): both reach it.
      expect(byDepth(readProducts(stackExposure.products))).toEqual([
        { sbom: LWIP, product: 'lwIP 2.1.3', vendor: 'lwIP project', depth: 0, stackVersions: ['2.1.3'] },
        { sbom: MODULE_OLD, product: 'nw-wm200-firmware 4.1.0', vendor: 'Northwind Wireless, Inc.', depth: 1, stackVersions: ['2.1.2', '2.1.3'] },
        { sbom: SKERRY, product: 'skerryos 5.3.1', vendor: 'Skerry Realtime Oy', depth: 1, stackVersions: ['2.1.3'] },
        { sbom: HALVARD, product: 'hsw-wlan-driver 3.7.2', vendor: 'Halvard Semiconductor AB', depth: 2, stackVersions: ['2.1.3'] },
        { sbom: MODULE, product: 'nw-wm200-firmware 4.2.1', vendor: 'Northwind Wireless, Inc.', depth: 3, stackVersions: ['2.1.3'] },
        { sbom: MONITOR, product: 'bm700-firmware 3.1.0', vendor: 'Tsurugi Bedside Systems K.K.', depth: 4, stackVersions: ['2.1.3'] },
        { sbom: PUMP, product: 'ip3000-firmware 2.4.0', vendor: 'Medisyn Medical GmbH', depth: 4, stackVersions: ['2.1.3'] },
        { sbom: BOARD, product: 'mb7-firmware 1.3.0', vendor: 'Keystone Embedded Ltd', depth: 4, stackVersions: ['2.1.3'] },
      ]);
    });

    it('takes introduced and lastAffected bounds', async () => {
      const only220 = await data(w, `{ stackExposure(stack: "lwip", versions: { introduced: "2.2.0" }) { ${EXPOSURE} } }`);
      expect(only220.stackExposure.stackComponents).toBe(1);
      expect(byDepth(readProducts(only220.stackExposure.products)).map((p) => [p.product, p.depth, p.stackVersions])).toEqual([
        ['nw-wm200-firmware 4.2.1', 1, ['2.2.0']],
        ['bm700-firmware 3.1.0', 2, ['2.2.0']],
        ['ip3000-firmware 2.4.0', 2, ['2.2.0']],
        ['mb7-firmware 1.3.0', 2, ['2.2.0']],
      ]);
      const upTo213 = await data(w, '{ stackExposure(stack: "lwip", versions: { introduced: "2.1.3", lastAffected: "2.1.3" }) { totalProducts stackComponents products { product { version } } } }');
      expect({ totalProducts: upTo213.stackExposure.totalProducts, stackComponents: upTo213.stackExposure.stackComponents }).toEqual({ totalProducts: 7, stackComponents: 2 });
      expect(upTo213.stackExposure.products.map((p: any) => p.product.version)).not.toContain('4.1.0');
    });

    it('finds the KASAGO product through Treck only with includeDerived (a rebrand)', async () => {
      const treck = await data(w, `{ stackExposure(stack: "treck") { ${EXPOSURE} } }`);
      expect(treck.stackExposure.stacks).toEqual([{ id: 'treck' }]);
      expect(byDepth(readProducts(treck.stackExposure.products)).map((p) => [p.product, p.vendor, p.depth, p.stackVersions])).toEqual([
        ['mb7-firmware 1.3.0', 'Keystone Embedded Ltd', 1, ['6.0.1.41']],
        ['ip3000-firmware 2.4.0', 'Medisyn Medical GmbH', 2, ['6.0.1.41']],
      ]);

      const derived = await data(w, `{ stackExposure(stack: "treck", includeDerived: true) { ${EXPOSURE} } }`);
      expect({ stacks: derived.stackExposure.stacks, totalProducts: derived.stackExposure.totalProducts, stackComponents: derived.stackExposure.stackComponents }).toEqual({
        stacks: [{ id: 'treck' }, { id: 'kasago' }],
        totalProducts: 3,
        stackComponents: 2,
      });
      expect(byDepth(readProducts(derived.stackExposure.products)).map((p) => [p.product, p.vendor, p.depth, p.stackVersions])).toEqual([
        ['bm700-firmware 3.1.0', 'Tsurugi Bedside Systems K.K.', 1, ['5.2.0']],
        ['mb7-firmware 1.3.0', 'Keystone Embedded Ltd', 1, ['6.0.1.41']],
        ['ip3000-firmware 2.4.0', 'Medisyn Medical GmbH', 2, ['6.0.1.41']],
      ]);
    });

    it('names a stack by alias', async () => {
      const { stackExposure } = await data(w, '{ stackExposure(stack: "KASAGO TCP/IP middleware") { stacks { id } totalProducts products { product { name } depth stackVersions } } }');
      expect(stackExposure).toEqual({ stacks: [{ id: 'kasago' }], totalProducts: 1, products: [{ product: { name: 'bm700-firmware' }, depth: 1, stackVersions: ['5.2.0'] }] });
    });

    it('pages with first and offset, totalProducts counting them all', async () => {
      const all = (await data(w, '{ stackExposure(stack: "lwip") { products { sbom { id } } } }')).stackExposure.products;
      const page = (await data(w, '{ stackExposure(stack: "lwip", first: 2, offset: 2) { totalProducts products { sbom { id } } } }')).stackExposure;
      expect(page).toEqual({ totalProducts: 8, products: all.slice(2, 4) });
    });
  });

  describe('vendorNetwork', () => {
    const NETWORK = 'vendor { name } suppliers { vendor { name } distance documented } customers { vendor { name } distance documented }';
    /** Nearest first, as the server answers; within one distance the order is not documented. */
    const read = (list: any[]) => {
      expect(list.map((d) => d.distance)).toEqual([...list.map((d) => d.distance)].sort((a, b) => a - b));
      return list.map((d) => [d.vendor.name, d.distance, d.documented]).sort((a, b) => a[1] - b[1] || cmp(a[0], b[0]));
    };

    it("lists a device maker's suppliers at every depth, documented or known only from an open hop", async () => {
      const { vendorNetwork } = await data(w, `{ vendorNetwork(vendor: { name: "Medisyn Medical" }) { ${NETWORK} } }`);
      expect(vendorNetwork.vendor).toEqual({ name: 'Medisyn Medical GmbH' });
      expect(read(vendorNetwork.suppliers)).toEqual([
        ['Keystone Embedded Ltd', 1, true],
        ['Northwind Wireless, Inc.', 1, true],
        ['cJSON project', 1, false],
        ['nanopb project', 1, false],
        ['Amazon Web Services', 2, false],
        ['Arm Limited', 2, false],
        ['Halvard Semiconductor AB', 2, true],
        ['MCUboot project', 2, false],
        ['Mbed TLS project', 2, false],
        ['Treck Inc.', 2, false],
        // lwIP 2.2.0 in the module (open) is two documents away; lwIP 2.1.3's SBOM documents the relation further down.
        ['lwIP project', 2, true],
        ['Skerry Realtime Oy', 3, true],
        ['littlefs project', 4, false],
      ]);
      expect(vendorNetwork.customers).toEqual([]);
    });

    it('stops at maxDepth', async () => {
      const { vendorNetwork } = await data(w, `{ vendorNetwork(vendor: { name: "MEDISYN MEDICAL GMBH" }, maxDepth: 1) { ${NETWORK} } }`);
      expect(read(vendorNetwork.suppliers)).toEqual([
        ['Keystone Embedded Ltd', 1, true],
        ['Northwind Wireless, Inc.', 1, true],
        ['cJSON project', 1, false],
        ['nanopb project', 1, false],
      ]);
    });

    it("lists the module vendor's suppliers and its customers: the board, pump and monitor makers", async () => {
      const { vendorNetwork } = await data(w, `{ vendorNetwork(vendor: { name: "Northwind Wireless Inc" }) { ${NETWORK} } }`);
      expect(vendorNetwork.vendor).toEqual({ name: 'Northwind Wireless, Inc.' });
      expect(read(vendorNetwork.suppliers)).toEqual([
        ['Amazon Web Services', 1, false],
        ['Halvard Semiconductor AB', 1, true],
        ['Mbed TLS project', 1, false],
        ['lwIP project', 1, true],
        ['Skerry Realtime Oy', 2, true],
        ['littlefs project', 3, false],
      ]);
      expect(read(vendorNetwork.customers)).toEqual([
        ['Keystone Embedded Ltd', 1, true],
        ['Medisyn Medical GmbH', 1, true],
        ['Tsurugi Bedside Systems K.K.', 1, true],
      ]);
    });

    it('finds customers several documents up, by vendor id', async () => {
      const { vendor } = await data(w, '{ vendor(name: "Skerry Realtime") { id } }');
      const { vendorNetwork } = await data(w, `query($id: ID!) { vendorNetwork(vendor: { id: $id }) { ${NETWORK} } }`, { id: vendor.id });
      expect(vendorNetwork.vendor).toEqual({ name: 'Skerry Realtime Oy' });
      expect(read(vendorNetwork.suppliers)).toEqual([
        ['littlefs project', 1, false],
        ['lwIP project', 1, true],
      ]);
      expect(read(vendorNetwork.customers)).toEqual([
        ['Halvard Semiconductor AB', 1, true],
        ['Northwind Wireless, Inc.', 2, true],
        ['Keystone Embedded Ltd', 3, true],
        ['Medisyn Medical GmbH', 3, true],
        ['Tsurugi Bedside Systems K.K.', 3, true],
      ]);
    });

    /** The vendor whose product each demo document describes. */
    const OWNER: Record<string, string> = {
      [PUMP]: 'Medisyn Medical GmbH',
      [BOARD]: 'Keystone Embedded Ltd',
      [MODULE]: 'Northwind Wireless, Inc.',
      [MODULE_OLD]: 'Northwind Wireless, Inc.',
      [HALVARD]: 'Halvard Semiconductor AB',
      [SKERRY]: 'Skerry Realtime Oy',
      [LWIP]: 'lwIP project',
      [MONITOR]: 'Tsurugi Bedside Systems K.K.',
    };
    /** The links between demo documents (sboms/README.md tree and link rules), as each walk follows them. */
    const PINNED_LINKS = [
      [PUMP, BOARD],
      [PUMP, MODULE],
      [BOARD, MODULE],
      [MONITOR, MODULE],
      [MODULE, HALVARD],
      [HALVARD, SKERRY],
      [SKERRY, LWIP],
    ];
    // latest also follows module 4.1.0's driver 3.6.0 on to Halvard's 3.7.2, and its lwIP 2.1.2 on to lwIP 2.1.3; never
    // module 4.2.1's lwIP 2.2.0 back to 2.1.3.
    const LINKS = { pinned: PINNED_LINKS, latest: [...PINNED_LINKS, [MODULE_OLD, HALVARD], [MODULE_OLD, LWIP]] };
    /** Whether some SBOM of `supplier` is reached from some SBOM of `customer` through links alone: documented all the way. */
    const documentedPath = (links: string[][], customer: string, supplier: string) => {
      const seen = new Set<string>();
      const todo = Object.keys(OWNER).filter((f) => OWNER[f] === customer);
      while (todo.length) {
        const from = todo.pop()!;
        for (const [a, b] of links) if (a === from && !seen.has(b!)) (seen.add(b!), todo.push(b!));
      }
      return [...seen].some((f) => OWNER[f] === supplier);
    };
    const DEMO_VENDORS = [
      'Amazon Web Services',
      'Arm Limited',
      'cJSON project',
      'Halvard Semiconductor AB',
      'Keystone Embedded Ltd',
      'littlefs project',
      'lwIP project',
      'Mbed TLS project',
      'MCUboot project',
      'Medisyn Medical GmbH',
      'nanopb project',
      'Northwind Wireless, Inc.',
      'Skerry Realtime Oy',
      'Treck Inc.',
      'Tsurugi Bedside Systems K.K.',
      'zlib project',
      'Zuken Elmic',
    ];

    it('lists as customers of a vendor with no SBOM the makers whose documents list its product, and those above them', async () => {
      const { vendorNetwork } = await data(w, `{ vendorNetwork(vendor: { name: "Treck Inc." }) { ${NETWORK} } }`);
      expect(vendorNetwork.vendor).toEqual({ name: 'Treck Inc.' });
      expect(vendorNetwork.suppliers).toEqual([]);
      // The board lists Treck's stack (open); the pump carries the board.
      expect(read(vendorNetwork.customers)).toEqual([
        ['Keystone Embedded Ltd', 1, false],
        ['Medisyn Medical GmbH', 2, false],
      ]);
    });

    it("lists the module's customers as Amazon Web Services' customers one document further up", async () => {
      const { vendorNetwork } = await data(w, `{ vendorNetwork(vendor: { name: "Amazon Web Services" }) { ${NETWORK} } }`);
      expect(vendorNetwork.suppliers).toEqual([]);
      // FreeRTOS is in both module firmwares (open); module 4.2.1 is in the board, the pump and the monitor.
      expect(read(vendorNetwork.customers)).toEqual([
        ['Northwind Wireless, Inc.', 1, false],
        ['Keystone Embedded Ltd', 2, false],
        ['Medisyn Medical GmbH', 2, false],
        ['Tsurugi Bedside Systems K.K.', 2, false],
      ]);
    });

    it.each(['pinned', 'latest'] as const)(
      'is symmetric over every vendor of the demo (%s): S supplies V at d iff V is a customer of S at d, documented iff some path is all SBOMs',
      async (mode) => {
        const { vendors } = await data(w, '{ vendors(first: 100) { edges { node { name } } pageInfo { hasNextPage } } }');
        expect(vendors.pageInfo.hasNextPage).toBe(false);
        const names: string[] = vendors.edges.map((e: any) => e.node.name);
        expect([...names].sort(cmp)).toEqual([...DEMO_VENDORS].sort(cmp));
        const networks = new Map<string, { suppliers: any[]; customers: any[] }>();
        for (const name of names) {
          const { vendorNetwork } = await data(w, `query($name: String!, $latest: Boolean) { vendorNetwork(vendor: { name: $name }, latest: $latest) { ${NETWORK} } }`, {
            name,
            latest: mode === 'latest',
          });
          expect(vendorNetwork.vendor.name).toBe(name);
          networks.set(name, { suppliers: read(vendorNetwork.suppliers), customers: read(vendorNetwork.customers) });
        }
        const pairs = (side: 'suppliers' | 'customers') => [...networks].flatMap(([v, n]) => n[side].map(([other, d, documented]) => `${side === 'suppliers' ? v : other} <- ${side === 'suppliers' ? other : v} ${d} ${documented}`)).sort(cmp);
        // "customer <- supplier distance documented", read from each side.
        expect(pairs('customers')).toEqual(pairs('suppliers'));
        expect(pairs('suppliers')).toHaveLength(43);

        const documented = [...networks].flatMap(([v, n]) => n.suppliers.filter((s) => s[2]).map((s) => `${v} <- ${s[0]}`)).sort(cmp);
        const expected = names.flatMap((v) => names.filter((s) => s !== v && documentedPath(LINKS[mode], v, s)).map((s) => `${v} <- ${s}`)).sort(cmp);
        expect(documented).toEqual(expected);
        expect(documented).toHaveLength(19);
      },
    );
  });

  describe('openHops', () => {
    const GROUP = 'supplier { name } components products documents hops { component { name version } assertedBy { id } missing otherVersions }';
    const counts = (groups: any[]) => groups.map((g) => [g.supplier.name, g.components, g.products, g.documents]);

    it('groups every open hop by supplier, the most first, each saying what is missing', async () => {
      const { openHops } = await data(w, `{ openHops { ${GROUP} } }`);
      expect(openHops.map((g: any) => g.components)).toEqual([...openHops.map((g: any) => g.components)].sort((a, b) => b - a));
      expect(counts(openHops).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))).toEqual([
        ['Amazon Web Services', 2, 1, 2],
        ['Mbed TLS project', 2, 2, 2],
        ['lwIP project', 2, 2, 2],
        ['Arm Limited', 1, 1, 1],
        ['Halvard Semiconductor AB', 1, 1, 1],
        ['MCUboot project', 1, 1, 1],
        ['Treck Inc.', 1, 1, 1],
        ['Zuken Elmic', 1, 1, 1],
        ['cJSON project', 1, 1, 1],
        ['littlefs project', 1, 1, 1],
        ['nanopb project', 1, 1, 1],
        ['zlib project', 1, 1, 1],
      ]);
      const hopsOf = (supplier: string) => openHops.find((g: any) => g.supplier.name === supplier).hops.map((h: any) => ({ ...h, assertedBy: w.label(h.assertedBy) }));
      expect(hopsOf('Treck Inc.')).toEqual([
        { component: { name: 'Treck TCP/IP', version: '6.0.1.41' }, assertedBy: BOARD, missing: 'Treck Inc. has not published an SBOM for Treck TCP/IP 6.0.1.41', otherVersions: [] },
      ]);
      expect(hopsOf('Zuken Elmic')).toEqual([
        { component: { name: 'KASAGO TCP/IP middleware', version: '5.2.0' }, assertedBy: MONITOR, missing: 'Zuken Elmic has not published an SBOM for KASAGO TCP/IP middleware 5.2.0', otherVersions: [] },
      ]);
      expect(hopsOf('Halvard Semiconductor AB')).toEqual([
        {
          component: { name: 'hsw-wlan-driver', version: '3.6.0' },
          assertedBy: MODULE_OLD,
          missing: 'Halvard Semiconductor AB has not published an SBOM for hsw-wlan-driver 3.6.0 (it has for 3.7.2)',
          otherVersions: ['3.7.2'],
        },
      ]);
      expect(hopsOf('lwIP project').map((h: any) => [h.component.version, h.assertedBy, h.otherVersions]).sort()).toEqual([
        ['2.1.2', MODULE_OLD, ['2.1.3']],
        ['2.2.0', MODULE, ['2.1.3']],
      ]);
    });

    it('limits them to one customer: the suppliers the board maker waits on', async () => {
      const keystone = (await data(w, `{ openHops(customer: { name: "Keystone Embedded" }) { ${GROUP} } }`)).openHops;
      expect(counts(keystone).sort()).toEqual([
        ['Arm Limited', 1, 1, 1],
        ['MCUboot project', 1, 1, 1],
        ['Treck Inc.', 1, 1, 1],
      ]);
      expect(keystone.flatMap((g: any) => g.hops.map((h: any) => w.label(h.assertedBy)))).toEqual([BOARD, BOARD, BOARD]);
      const medisyn = (await data(w, '{ openHops(customer: { name: "medisyn medical gmbh" }) { supplier { name } hops { component { name } } } }')).openHops;
      expect(medisyn.map((g: any) => [g.supplier.name, g.hops.map((h: any) => h.component.name)]).sort()).toEqual([
        ['cJSON project', ['cJSON']],
        ['nanopb project', ['nanopb']],
      ]);
    });

    it('limits them to one supplier: what Halvard is asked for', async () => {
      const { openHops } = await data(w, '{ openHops(supplier: { name: "Halvard Semiconductor" }) { supplier { name } components hops { missing } } }');
      expect(openHops).toEqual([
        { supplier: { name: 'Halvard Semiconductor AB' }, components: 1, hops: [{ missing: 'Halvard Semiconductor AB has not published an SBOM for hsw-wlan-driver 3.6.0 (it has for 3.7.2)' }] },
      ]);
    });

    it('pages groups with first and offset, and hops with first', async () => {
      const all = (await data(w, '{ openHops { supplier { name } } }')).openHops;
      const page = (await data(w, '{ openHops(first: 2, offset: 1) { supplier { name } } }')).openHops;
      expect(page).toEqual(all.slice(1, 3));
      const lwip = (await data(w, '{ openHops(supplier: { name: "lwIP project" }) { components hops(first: 1) { component { name } } } }')).openHops;
      expect(lwip).toEqual([{ components: 2, hops: [{ component: { name: 'lwIP' } }] }]);
    });
  });

  describe('stacks and stack', () => {
    it('lists the whole catalogue by name', async () => {
      const { stacks } = await data(w, '{ stacks { id name builtin } }');
      expect(stacks.map((s: any) => s.id).sort()).toEqual(CATALOGUE.map((s) => s.id).sort());
      expect(stacks.map((s: any) => s.name)).toEqual([...stacks.map((s: any) => s.name)].sort((a: string, b: string) => cmp(a.toLowerCase(), b.toLowerCase())));
      expect(stacks.every((s: any) => s.builtin)).toBe(true);
    });

    it('searches ids, names, aliases and vendors', async () => {
      const treck = await data(w, '{ stacks(search: "treck") { id name vendorName status aliases purls cpes derivedFrom { id } relation derivatives { id } builtin addedBy { name } } }');
      expect(treck.stacks).toEqual([
        {
          id: 'treck',
          name: 'Treck TCP/IP',
          vendorName: 'Treck Inc.',
          status: 'MAINTAINED',
          aliases: ['Treck TCP/IP', 'Treck Inc TCP/IP', 'Treck'],
          purls: ['pkg:generic/treck/tcpip'],
          cpes: ['cpe:2.3:a:treck:tcp\\/ip'],
          derivedFrom: null,
          relation: null,
          derivatives: [{ id: 'kasago' }],
          builtin: true,
          addedBy: null,
        },
      ]);
      expect((await data(w, '{ stacks(search: "ZUKEN") { id } }')).stacks).toEqual([{ id: 'kasago' }]);
      expect((await data(w, '{ stacks(search: "lightweight ip") { id } }')).stacks).toEqual([{ id: 'lwip' }]);
      expect((await data(w, '{ stacks(search: "no such stack") { id } }')).stacks).toEqual([]);
    });

    it('finds one stack by id, name or alias, with what it derives from and the source of each fact', async () => {
      const { stack } = await data(w, '{ stack(id: "Kasago") { id name vendorName status aliases purls cpes derivedFrom { id name } relation derivatives { id } disclosures sources { fact urls } builtin addedBy { name } } }');
      const entry = CATALOGUE.find((s) => s.id === 'kasago')!;
      expect({ ...stack, sources: [...stack.sources].sort((a: any, b: any) => cmp(a.fact, b.fact)) }).toEqual({
        id: 'kasago',
        name: 'KASAGO',
        vendorName: 'Zuken Elmic',
        status: 'UNKNOWN',
        aliases: ['KASAGO', 'KASAGO TCP/IP middleware'],
        purls: ['pkg:generic/zuken-elmic/kasago'],
        cpes: [],
        derivedFrom: { id: 'treck', name: 'Treck TCP/IP' },
        relation: 'REBRAND',
        derivatives: [],
        disclosures: ['Ripple20'],
        sources: Object.entries(entry.sources).map(([fact, urls]) => ({ fact, urls })).sort((a, b) => cmp(a.fact, b.fact)),
        builtin: true,
        addedBy: null,
      });
      expect(stack.sources.find((s: any) => s.fact === 'derivedFrom').urls).toHaveLength(2);
      expect((await data(w, '{ stack(id: "KASAGO TCP/IP middleware") { id } }')).stack).toEqual({ id: 'kasago' });
      expect((await data(w, '{ stack(id: "treck") { id } }')).stack).toEqual({ id: 'treck' });
      expect(await data(w, '{ stack(id: "no-such-stack") { id } }')).toEqual({ stack: null });
    });
  });

  describe('bad arguments', () => {
    it.each([
      ['an unknown sbomId', '{ chains(product: { sbomId: "987654" }) { truncated } }', /^'product\.sbomId' value '987654' names no stored SBOM/],
      ['a sbomId that is no id', '{ chains(product: { sbomId: "abc" }) { truncated } }', /^'product\.sbomId' argument value 'abc' is not a valid id/],
      ['an unknown product version', '{ chains(product: { purl: "pkg:generic/nobody/nothing@1.0" }) { truncated } }', /^'product\.purl' value 'pkg:generic\/nobody\/nothing@1\.0': no stored SBOM describes this product version/],
      ['an unknown model', '{ chains(product: { purl: "pkg:generic/nobody/nothing" }) { truncated } }', /^'product\.purl' value 'pkg:generic\/nobody\/nothing': no stored SBOM describes any version of this product/],
      ['a component that is no SBOM subject', '{ chains(product: { purl: "pkg:generic/treck/tcpip@6.0.1.41" }) { truncated } }', /^'product\.purl' value 'pkg:generic\/treck\/tcpip@6\.0\.1\.41': no stored SBOM/],
      // The value once, and the rule after it: not the value again in the rule.
      ['an invalid purl', '{ chains(product: { purl: "not-a-purl" }) { truncated } }', /^'product\.purl' value 'not-a-purl' is not a valid purl: missing required "pkg" scheme component$/],
      ['neither sbomId nor purl', '{ chains(product: {}) { truncated } }', /^'product' needs exactly one of 'sbomId', 'purl', or 'vendor' and 'name'/],
      ['both sbomId and purl', `{ chains(product: { sbomId: "1", purl: "${PUMP_PURL}" }) { truncated } }`, /^'product' needs exactly one of 'sbomId', 'purl', or 'vendor' and 'name'/],
      ['a vendor without a name', '{ chains(product: { vendor: "Medisyn Medical" }) { truncated } }', /^'product' names a product by 'vendor' and 'name' together; 'name' is missing\.$/],
      ['an unknown product of a known vendor', '{ chains(product: { vendor: "Medisyn Medical", name: "ip9000-firmware" }) { truncated } }', /^'product': no stored SBOM of Medisyn Medical GmbH describes 'ip9000-firmware'\.$/],
      ['an unknown vendor of a product', '{ chains(product: { vendor: "Nobody Ltd", name: "x" }) { truncated } }', /^'product\.vendor\.name' value 'Nobody Ltd' names no known vendor/],
      ['maxDepth 0', `{ chains(product: { purl: "${PUMP_PURL}" }, maxDepth: 0) { truncated } }`, /^'maxDepth' argument value 0 is out of range: a walk goes 1 to 50 documents deep/],
      ['maxDepth 51', `{ chains(product: { purl: "${PUMP_PURL}" }, maxDepth: 51) { truncated } }`, /^'maxDepth' argument value 51 is out of range/],
      ['an unknown target stack', `{ chains(product: { purl: "${PUMP_PURL}" }, to: { stack: "no-such-stack" }) { truncated } }`, /^'to\.stack' value 'no-such-stack' names no stack of the catalogue/],
      ['both stack and component in to', `{ chains(product: { purl: "${PUMP_PURL}" }, to: { stack: "lwip", component: { name: "lwIP" } }) { truncated } }`, /^'to' takes one of 'stack' or 'component', not both/],
      ['an empty component filter', `{ chains(product: { purl: "${PUMP_PURL}" }, to: { component: {} }) { truncated } }`, /must set at least one of purl, cpe, name/],
      ['an invalid purl in the component filter', `{ chains(product: { purl: "${PUMP_PURL}" }, to: { component: { purl: "bad" } }) { truncated } }`, /^'to\.component\.purl' value 'bad' is not a valid purl: missing required "pkg" scheme component$/],
      ['an invalid CPE in the component filter', `{ chains(product: { purl: "${PUMP_PURL}" }, to: { component: { cpe: "bad" } }) { truncated } }`, /^'to\.component\.cpe' value 'bad' is not a valid CPE/],
      ['an unknown stack', '{ stackExposure(stack: "no-such-stack") { totalProducts } }', /^'stack' value 'no-such-stack' names no stack of the catalogue/],
      ['stackExposure maxDepth 0', '{ stackExposure(stack: "lwip", maxDepth: 0) { totalProducts } }', /^'maxDepth' argument value 0 is out of range/],
      ['stackExposure maxDepth 51', '{ stackExposure(stack: "lwip", maxDepth: 51) { totalProducts } }', /^'maxDepth' argument value 51 is out of range/],
      ['two upper bounds', '{ stackExposure(stack: "lwip", versions: { fixed: "2.2.0", lastAffected: "2.1.3" }) { totalProducts } }', /^'versions' takes 'fixed' or 'lastAffected' as its upper bound, not both/],
      ['a negative offset', '{ stackExposure(stack: "lwip", offset: -1) { totalProducts } }', /^'offset' argument value -1 is not a count/],
      ['an unknown vendor name', '{ vendorNetwork(vendor: { name: "Nobody Ltd" }) { vendor { name } } }', /^'vendor\.name' value 'Nobody Ltd' names no known vendor/],
      ['an unknown vendor id', '{ vendorNetwork(vendor: { id: "987654" }) { vendor { name } } }', /^'vendor\.id' value '987654' names no vendor/],
      ['neither vendor id nor name', '{ vendorNetwork(vendor: {}) { vendor { name } } }', /^'vendor' needs exactly one of 'id' or 'name'/],
      ['vendorNetwork maxDepth 51', '{ vendorNetwork(vendor: { name: "Medisyn Medical" }, maxDepth: 51) { vendor { name } } }', /^'maxDepth' argument value 51 is out of range/],
      ['an unknown customer', '{ openHops(customer: { name: "Nobody Ltd" }) { components } }', /^'customer\.name' value 'Nobody Ltd' names no known vendor/],
      ['an unknown supplier', '{ openHops(supplier: { name: "Nobody Ltd" }) { components } }', /^'supplier\.name' value 'Nobody Ltd' names no known vendor/],
      ['a supplier id that is no id', '{ openHops(supplier: { id: "x" }) { components } }', /^'supplier\.id' argument value 'x' is not a valid id/],
      ['first 0', '{ openHops(first: 0) { components } }', /^'first' argument value '0' is outside the valid range/],
    ])('refuses %s with BAD_USER_INPUT naming the value, over HTTP 200', async (_, query, message) => {
      await expectBadUserInput(w, query, message);
    });
  });
});

describe.each(BACKENDS)('vendor chains over GraphQL on %s, demo SBOMs uploaded newest first, then vendors add', (backend) => {
  let w: World;
  const ADD_STACK = `mutation($input: StackInput!) { addStack(input: $input) {
    id name vendorName status aliases purls cpes derivedFrom { id } relation notes sources { fact urls } builtin addedBy { name } } }`;
  const FASTNET = {
    vendor: { name: 'Acme Devices' },
    id: 'fastnet',
    name: 'FastNet TCP',
    stackVendor: 'FastNet Ltd',
    status: 'MAINTAINED',
    aliases: ['FastNet'],
    purls: ['pkg:generic/fastnet/fastnet-tcp'],
    cpes: ['cpe:2.3:a:fastnet:fastnet_tcp'],
    derivedFrom: 'treck',
    relation: 'FORK',
    notes: 'Licensed Treck source, renamed.',
    sources: [
      { fact: 'aliases', urls: ['https://fastnet.example/about'] },
      { fact: 'purls', urls: ['https://fastnet.example/sbom'] },
      { fact: 'cpes', urls: ['https://fastnet.example/security'] },
      { fact: 'derivedFrom', urls: ['https://fastnet.example/history'] },
      { fact: 'status', urls: ['https://fastnet.example/releases'] },
    ],
  };
  const GATEWAY = 'acme-gateway 1.0';

  beforeAll(async () => {
    // Every document arrives before the ones it names: each link is made when its target is stored.
    w = await openWorld(backend, [...PUBLISHED_ORDER].reverse());
    await w.upload(
      GATEWAY,
      firmwareSbom('acme-gateway', '1.0', 'Acme Devices GmbH', [
        { type: 'library', name: 'FastNet TCP', version: '3.1', purl: 'pkg:generic/fastnet/fastnet-tcp@3.1', supplier: { name: 'FastNet Ltd' } },
        { type: 'firmware', name: 'nw-wm200-firmware', version: '4.1.0', purl: 'pkg:generic/northwind-wireless/nw-wm200-firmware@4.1.0', supplier: { name: 'Northwind Wireless, Inc.' } },
      ]),
    );
  });
  afterAll(async () => {
    await w.close();
  });

  const gatewayChains = async (args = '') =>
    (await data(w, `{ chains(product: { purl: "pkg:generic/acme/acme-gateway@1.0" }${args}) { chains { ${CHAIN_FIELDS} } } }`)).chains.chains;

  describe('chains', () => {
    it('resolves the same chains whatever order the documents arrive in', async () => {
      const { chains } = await data(w, `{ chains(product: { purl: "${PUMP_PURL}" }) { truncated cycles { ${PATH_FIELDS} } chains { ${CHAIN_FIELDS} } } }`);
      expect({ truncated: chains.truncated, cycles: chains.cycles }).toEqual({ truncated: false, cycles: [] });
      const sorted = sortChains(chains.chains);
      expect(sorted.map(route)).toEqual(PUMP_ROUTES);
      expect(sorted.at(-1).hops.map((h: any) => w.label(h.sbom))).toEqual([PUMP, BOARD, MODULE, HALVARD, SKERRY, LWIP]);
    });

    it('follows a pinned old module to that version, and with latest: true to its newest SBOM', async () => {
      const pinned = sortChains(await gatewayChains());
      expect(pinned.map(route)).toEqual([['acme-gateway 1.0 ROOT', 'nw-wm200-firmware 4.1.0 PURL', 'lwIP 2.1.2 IN_DOCUMENT']]);
      expect(w.label(pinned[0].hops[1].sbom)).toBe(MODULE_OLD);

      const latest = await gatewayChains(', latest: true');
      expect(latest.every((c: any) => w.label(c.hops[1].sbom) === MODULE)).toBe(true);
      const throughHalvard = latest.find((c: any) => c.hops.length === 5);
      expect(route(throughHalvard)).toEqual(['acme-gateway 1.0 ROOT', 'nw-wm200-firmware 4.1.0 PURL', 'hsw-wlan-driver 3.7.2 PURL', 'skerryos 5.3.1 SUPPLIER_NAME_VERSION', 'lwIP 2.1.3 BOM_LINK']);
      expect(throughHalvard.hops.map((h: any) => w.label(h.sbom))).toEqual([GATEWAY, MODULE, HALVARD, SKERRY, LWIP]);
      // In module 4.2.1, lwIP 2.2.0 is newer than the only lwIP SBOM (2.1.3): latest leaves it an open tier.
      expect(sortChains(latest).map((c) => [c.depth, c.target, route(c)])).toEqual([
        [1, { name: 'lwIP', version: '2.2.0' }, ['acme-gateway 1.0 ROOT', 'nw-wm200-firmware 4.1.0 PURL', 'lwIP 2.2.0 IN_DOCUMENT']],
        [4, { name: 'lwIP', version: '2.1.3' }, route(throughHalvard)],
      ]);
      expect(readHop(w, sortChains(latest)[0].hops.at(-1))).toMatchObject({ name: 'lwIP', version: '2.2.0', sbom: null, assertedBy: MODULE, matchRule: 'IN_DOCUMENT', open: true });
    });

    it('reports a loop between two documents in cycles and stops there', async () => {
      const [a, b] = ['cycle-a 1.0', 'cycle-b 1.0'];
      await w.upload(a, firmwareSbom('cycle-a', '1.0', 'Acme Devices GmbH', [{ type: 'firmware', name: 'cycle-b', version: '1.0', purl: 'pkg:generic/acme/cycle-b@1.0', supplier: { name: 'Bravo Oy' } }]));
      await w.upload(
        b,
        firmwareSbom('cycle-b', '1.0', 'Bravo Oy', [
          { type: 'firmware', name: 'cycle-a', version: '1.0', purl: 'pkg:generic/acme/cycle-a@1.0', supplier: { name: 'Acme Devices GmbH' } },
          { type: 'library', name: 'lwIP', version: '2.2.0', purl: 'pkg:github/lwip-tcpip/lwip@STABLE-2_2_0_RELEASE', supplier: { name: 'lwIP project' } },
        ]),
      );
      const { chains } = await data(w, `{ chains(product: { purl: "pkg:generic/acme/cycle-a@1.0" }) { truncated cut { ${PATH_FIELDS} } cycles { ${PATH_FIELDS} } chains { ${CHAIN_FIELDS} } } }`);
      expect(chains.cycles.map((p: any) => readPath(w, p))).toEqual([{ sboms: [a, b, a], via: ['cycle-b', 'cycle-a'], rules: ['PURL', 'PURL'] }]);
      expect({ truncated: chains.truncated, cut: chains.cut }).toEqual({ truncated: false, cut: [] });
      expect(chains.chains.map(route)).toEqual([['cycle-a 1.0 ROOT', 'cycle-b 1.0 PURL', 'lwIP 2.2.0 IN_DOCUMENT']]);
    });
  });

  describe('addStack', () => {
    it.each([
      ['an unreadable purl', { id: 'fastnet-a', purls: ['fastnet-tcp'] }, /^'input\.purls\[0\]' value 'fastnet-tcp' is refused/],
      ['a purl with a version', { id: 'fastnet-b', purls: ['pkg:generic/fastnet/fastnet-tcp@3.1'] }, /^'input\.purls\[0\]' value 'pkg:generic\/fastnet\/fastnet-tcp@3\.1' is refused: a catalogue purl names the product, without a version/],
      ['an unreadable CPE', { id: 'fastnet-c', cpes: ['not-a-cpe'] }, /^'input\.cpes\[0\]' value 'not-a-cpe' is refused/],
      ['a CPE with a bad part', { id: 'fastnet-d', cpes: ['cpe:2.3:q:fastnet:fastnet_tcp'] }, /^'input\.cpes\[0\]' value 'cpe:2\.3:q:fastnet:fastnet_tcp' is refused/],
      ['a CPE without vendor and product', { id: 'fastnet-e', cpes: ['cpe:2.3:a:*:*'] }, /^'input\.cpes\[0\]' value 'cpe:2\.3:a:\*:\*' is refused: a catalogue CPE names a vendor and a product/],
      ['the id of a builtin stack', { id: 'lwip', name: 'Not lwIP' }, /^'input\.id' value 'lwip' is refused: the catalogue already has a stack with this id/],
      ['an id that is not lower-case letters, digits and dashes', { id: 'Fast Net' }, /^'input\.id' value 'Fast Net' is refused/],
      ['an unknown derivedFrom', { id: 'fastnet-f', derivedFrom: 'no-such-stack' }, /^'input\.derivedFrom' value 'no-such-stack' is refused: names no stack of the catalogue/],
      ['no sources', { id: 'fastnet-g', sources: [] }, /^'input\.sources' value '\[\]' is refused: every catalogue fact needs a source/],
      ['sources without URLs', { id: 'fastnet-h', sources: [{ fact: 'purls', urls: [] }] }, /^'input\.sources' value '\[\]' is refused/],
      ['a source that is no http(s) URL', { id: 'fastnet-i', sources: [{ fact: 'purls', urls: ['ftp://fastnet.example/sbom'] }] }, /value 'ftp:\/\/fastnet\.example\/sbom' is refused: a source is an http\(s\) URL/],
      ['a source of an unknown fact', { id: 'fastnet-j', sources: [{ fact: 'colour', urls: ['https://fastnet.example'] }] }, /^'input\.sources\.fact' value 'colour' is refused/],
      ['an unknown vendor', { id: 'fastnet-k', vendor: { name: 'Nobody Ltd' } }, /^'input\.vendor\.name' value 'Nobody Ltd' names no known vendor/],
      [
        'facts stated without a source (only the purls have one)',
        { id: 'fastnet-l', sources: [{ fact: 'purls', urls: ['https://fastnet.example/sbom'] }] },
        /^'input\.sources' value 'purls' is refused: every fact stated needs a source URL; none given for aliases, cpes, derivedFrom, status\.$/,
      ],
      [
        'a status stated without a source',
        { id: 'fastnet-m', sources: FASTNET.sources.filter((s) => s.fact !== 'status') },
        /^'input\.sources' value 'aliases, purls, cpes, derivedFrom' is refused: every fact stated needs a source URL; none given for status\.$/,
      ],
    ])('refuses %s with BAD_USER_INPUT naming the field and value, and stores nothing', async (_, change, message) => {
      await expectBadUserInput(w, ADD_STACK, message, { input: { ...FASTNET, ...change } });
      expect(await data(w, 'query($id: String!) { stack(id: $id) { id name } }', { id: change.id })).toEqual({ stack: change.id === 'lwip' ? { id: 'lwip', name: 'lwIP' } : null });
      expect((await data(w, '{ stacks(search: "fastnet") { id } }')).stacks).toEqual([]);
      expect(sortChains(await gatewayChains()).map((c) => c.target.name)).toEqual(['lwIP']);
    });

    it("adds a vendor's stack and recognises the components already stored at once", async () => {
      await expectBadUserInput(w, `{ chains(product: { purl: "pkg:generic/acme/acme-gateway@1.0" }, to: { stack: "fastnet" }) { truncated } }`, /^'to\.stack' value 'fastnet' names no stack/);
      const { addStack } = await data(w, ADD_STACK, { input: FASTNET });
      expect({ ...addStack, sources: [...addStack.sources].sort((a: any, b: any) => cmp(a.fact, b.fact)) }).toEqual({
        id: 'fastnet',
        name: 'FastNet TCP',
        vendorName: 'FastNet Ltd',
        status: 'MAINTAINED',
        aliases: ['FastNet'],
        purls: ['pkg:generic/fastnet/fastnet-tcp'],
        cpes: ['cpe:2.3:a:fastnet:fastnet_tcp'],
        derivedFrom: { id: 'treck' },
        relation: 'FORK',
        notes: 'Licensed Treck source, renamed.',
        sources: [...FASTNET.sources].sort((a, b) => cmp(a.fact, b.fact)),
        builtin: false,
        addedBy: { name: 'Acme Devices GmbH' },
      });

      const chains = sortChains(await gatewayChains(', to: { stack: "FastNet" }'));
      expect(chains.map((c) => [c.depth, c.vendorHops, c.target, c.stack, route(c)])).toEqual([
        [0, 1, { name: 'FastNet TCP', version: '3.1' }, { id: 'fastnet' }, ['acme-gateway 1.0 ROOT', 'FastNet TCP 3.1 IN_DOCUMENT']],
      ]);
      expect(chains[0].hops.map((h: any) => readHop(w, h)).at(-1)).toEqual({
        position: 1,
        name: 'FastNet TCP',
        version: '3.1',
        purl: 'pkg:generic/fastnet/fastnet-tcp@3.1',
        vendor: 'FastNet Ltd',
        sbom: null,
        assertedBy: GATEWAY,
        matchRule: 'IN_DOCUMENT',
        vendorHop: true,
        open: true,
      });
      expect(sortChains(await gatewayChains()).map((c) => c.stack.id)).toEqual(['fastnet', 'lwip']);
    });

    it('recognises the added stack in documents uploaded later, by alias, and counts it as derived from Treck', async () => {
      await w.upload('acme-router 2.0', firmwareSbom('acme-router', '2.0', 'Acme Devices GmbH', [{ type: 'library', name: 'fastnet', version: '3.2', supplier: { name: 'FastNet Ltd' } }]));
      const { chains } = await data(w, `{ chains(product: { purl: "pkg:generic/acme/acme-router@2.0" }) { chains { ${CHAIN_FIELDS} } } }`);
      expect(chains.chains.map((c: any) => [c.stack, route(c)])).toEqual([[{ id: 'fastnet' }, ['acme-router 2.0 ROOT', 'fastnet 3.2 IN_DOCUMENT']]]);

      expect((await data(w, '{ stack(id: "treck") { derivatives { id } } }')).stack.derivatives.map((s: any) => s.id).sort()).toEqual(['fastnet', 'kasago']);
      const { stackExposure } = await data(w, '{ stackExposure(stack: "treck", includeDerived: true) { stacks { id } products { product { name version } depth stackVersions } } }');
      expect(stackExposure.stacks.map((s: any) => s.id).sort()).toEqual(['fastnet', 'kasago', 'treck']);
      expect(stackExposure.products.map((p: any) => [`${p.product.name} ${p.product.version}`, p.depth, p.stackVersions]).sort()).toEqual([
        ['acme-gateway 1.0', 1, ['3.1']],
        ['acme-router 2.0', 1, ['3.2']],
        ['bm700-firmware 3.1.0', 1, ['5.2.0']],
        ['ip3000-firmware 2.4.0', 2, ['6.0.1.41']],
        ['mb7-firmware 1.3.0', 1, ['6.0.1.41']],
      ]);
    });

    it('refuses the id of a stack a vendor added, and keeps the first entry', async () => {
      await expectBadUserInput(w, ADD_STACK, /^'input\.id' value 'fastnet' is refused: the catalogue already has a stack with this id/, { input: { ...FASTNET, name: 'Other', stackVendor: 'Other Ltd' } });
      expect((await data(w, '{ stack(id: "fastnet") { name vendorName } }')).stack).toEqual({ name: 'FastNet TCP', vendorName: 'FastNet Ltd' });
    });
  });
});
