/**
 * @module
 * What the chain resolvers of schema.graphql work on (codegen mappers): the results of src/chains/ with what a
 * field needs beside them, and the hops of a chain with their vendors worked out once per chain.
 */
import type { OpenHopScope } from '../chains/open-hops.js';
import type { Chain, ChainResult, ChainStep } from '../chains/resolve-chains.js';
import type { StackRecord } from '../chains/stack-catalogue.js';
import type { ExposureResult } from '../chains/stack-exposure.js';
import type { VendorNetwork } from '../chains/vendor-network.js';
import type { Organisation, SbomRecord, StoredComponent } from '../model/sbom-record.js';
import type { ComponentStatement } from '../patch-status/affected-components.js';
import type { ComponentKey } from '../store/component.repository.js';
import type { VexStatementRecord } from '../store/vulnerability.repository.js';
import type { GraphQLContext } from './context.js';

export interface ChainModel {
  chain: Chain;
  result: ChainResult;
}

export interface ChainHopModel {
  position: number;
  step: ChainStep;
  component: StoredComponent;
  /** The vendor's own SBOM of this tier. */
  sbom?: SbomRecord;
  vendorId?: number;
  vendorHop: boolean;
  open: boolean;
}

export interface StackExposureModel {
  stacks: StackRecord[];
  result: ExposureResult;
  page: { first: number; offset: number };
}

export interface VendorNetworkModel {
  vendor: Organisation;
  network: VendorNetwork;
}

export type OpenHopGroupScope = OpenHopScope;

/** A component covered by statements about one vulnerability, each statement with its record. */
export interface StatedComponentModel {
  component: ComponentKey;
  version?: string;
  statements: (ComponentStatement & { statement: VexStatementRecord })[];
}

const hopsOfChain = new WeakMap<Chain, Promise<ChainHopModel[]>>();

/**
 * The hops of a chain with their vendors: a tier's vendor is the owner of its own SBOM, else the supplier the
 * document above names, else (a component naming no supplier) that document's owner. A tier is open when it
 * belongs to another vendor than the document that lists it and has no SBOM of its own.
 */
export function chainHops(chain: Chain, ctx: GraphQLContext): Promise<ChainHopModel[]> {
  let hops = hopsOfChain.get(chain);
  if (!hops) {
    hops = (async () => {
      const [components, sboms, listers] = await Promise.all([
        Promise.all(chain.steps.map((s) => ctx.loaders.component.load(s.component))),
        Promise.all(chain.steps.map((s) => (s.sbomId === undefined ? undefined : ctx.loaders.sbom.load(s.sbomId)))),
        Promise.all(chain.steps.map((s) => (s.assertedBy === undefined ? undefined : ctx.loaders.sbom.load(s.assertedBy)))),
      ]);
      const out: ChainHopModel[] = [];
      chain.steps.forEach((step, position) => {
        const component = components[position];
        if (!component) throw new Error(`chain step ${step.component.sbomId}:${step.component.index} names no stored component`);
        const sbom = sboms[position];
        const lister = listers[position];
        const vendorId = sbom?.organisationId ?? component.supplierId ?? lister?.organisationId;
        const previous = out.at(-1);
        out.push({
          position,
          step,
          component,
          sbom,
          vendorId,
          vendorHop: previous !== undefined && vendorId !== previous.vendorId,
          open: step.rule === 'IN_DOCUMENT' && sbom === undefined && vendorId !== undefined && vendorId !== lister?.organisationId,
        });
      });
      return out;
    })();
    hopsOfChain.set(chain, hops);
  }
  return hops;
}
