/**
 * @module
 * The arguments of the chain queries, read and checked: each bad value gets a BAD_USER_INPUT error that names
 * the argument, the value and the rule, before any walk starts.
 */
import type { Kysely } from 'kysely';
import { findNamedProductSbom, findProductSbom } from '../chains/find-product.js';
import { MAX_DEPTH_LIMIT, type ChainTarget } from '../chains/resolve-chains.js';
import { findStack, type StackRecord } from '../chains/stack-catalogue.js';
import type { VersionRange } from '../chains/version-order.js';
import type { Database } from '../db/database.js';
import type { Organisation } from '../model/sbom-record.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { purlIdentity } from '../normalise/purl-identity.js';
import { findOrganisationByKey, findOrganisationsByIds } from '../store/organisation.repository.js';
import { findSbomsByIds } from '../store/sbom.repository.js';
import { toComponentFilter } from './component-filter.js';
import { badUserInput } from './errors.js';
import { parseNumericId } from './ids.js';
import type { ChainTargetInput, ProductInput, VendorInput, VersionRangeInput } from './resolvers-types.generated.js';

type Db = Kysely<Database>;

export function readMaxDepth(value: number | null | undefined): number {
  const depth = value ?? 10;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH_LIMIT) {
    throw badUserInput(`'maxDepth' argument value ${depth} is out of range: a walk goes 1 to ${MAX_DEPTH_LIMIT} documents deep.`);
  }
  return depth;
}

/** The SBOM a ProductInput means. */
export async function readProduct(db: Db, input: ProductInput): Promise<number> {
  const named = Boolean(input.vendor || input.name || input.version);
  if ((input.sbomId ? 1 : 0) + (input.purl ? 1 : 0) + (named ? 1 : 0) !== 1) {
    throw badUserInput(`'product' needs exactly one of 'sbomId', 'purl', or 'vendor' and 'name' (with an optional 'version').`);
  }
  if (named) {
    if (!input.vendor || !input.name) throw badUserInput(`'product' names a product by 'vendor' and 'name' together; ${input.vendor ? "'name'" : "'vendor'"} is missing.`);
    const vendor = await readVendor(db, 'product.vendor', { name: input.vendor });
    const id = await findNamedProductSbom(db, { supplierId: vendor.id, name: input.name, version: input.version ?? undefined });
    if (id === undefined) {
      throw badUserInput(`'product': no stored SBOM of ${vendor.name} describes '${input.name.slice(0, 200)}'${input.version ? ` version '${input.version.slice(0, 100)}'` : ''}.`);
    }
    return id;
  }
  if (input.sbomId) {
    const id = parseNumericId('product.sbomId', input.sbomId);
    const [found] = await findSbomsByIds(db, [id]);
    if (!found) throw badUserInput(`'product.sbomId' value '${input.sbomId}' names no stored SBOM.`);
    return id;
  }
  const read = purlIdentity(input.purl!);
  if (!read.ok) throw badUserInput(`'product.purl' value '${input.purl!.slice(0, 200)}' is not a valid purl: ${read.reason}`);
  const id = await findProductSbom(db, read.identity);
  if (id === undefined) {
    throw badUserInput(`'product.purl' value '${input.purl!.slice(0, 200)}': no stored SBOM describes ${read.identity.version === undefined ? 'any version of this product' : 'this product version'}.`);
  }
  return id;
}

export async function readStack(db: Db, argument: string, value: string): Promise<StackRecord> {
  const stack = await findStack(db, value);
  if (!stack) throw badUserInput(`'${argument}' value '${value.slice(0, 200)}' names no stack of the catalogue (an id such as 'lwip', a name or an alias; see the 'stacks' query).`);
  return stack;
}

/** Returns undefined when the target cannot match anything (an unknown supplier in the component filter). */
export async function readChainTarget(db: Db, input: ChainTargetInput | null | undefined): Promise<ChainTarget | undefined> {
  if (input?.stack && input.component) throw badUserInput(`'to' takes one of 'stack' or 'component', not both.`);
  if (input?.component) {
    const filter = await toComponentFilter(db, input.component, true, 'to.component');
    return filter && { kind: 'components', filter };
  }
  if (input?.stack) return { kind: 'stacks', stackIds: [(await readStack(db, 'to.stack', input.stack)).id] };
  return { kind: 'stacks' };
}

export async function readVendor(db: Db, argument: string, input: VendorInput): Promise<Organisation> {
  if ((input.id ? 1 : 0) + (input.name ? 1 : 0) !== 1) throw badUserInput(`'${argument}' needs exactly one of 'id' or 'name'.`);
  if (input.id) {
    const [found] = await findOrganisationsByIds(db, [parseNumericId(`${argument}.id`, input.id)]);
    if (!found) throw badUserInput(`'${argument}.id' value '${input.id}' names no vendor.`);
    return found;
  }
  const key = normaliseVendorName(input.name!);
  const found = key ? await findOrganisationByKey(db, key) : undefined;
  if (!found) throw badUserInput(`'${argument}.name' value '${input.name!.slice(0, 200)}' names no known vendor (names are matched whatever their case, punctuation or legal suffix).`);
  return found;
}

export function readVersionRange(input: VersionRangeInput | null | undefined): VersionRange | undefined {
  if (!input) return undefined;
  const range: VersionRange = {};
  if (input.introduced) range.introduced = input.introduced;
  if (input.fixed) range.fixed = input.fixed;
  if (input.lastAffected) range.lastAffected = input.lastAffected;
  if (range.fixed && range.lastAffected) throw badUserInput(`'versions' takes 'fixed' or 'lastAffected' as its upper bound, not both.`);
  return Object.keys(range).length ? range : undefined;
}
