import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { parseCpe } from '../normalise/cpe.js';
import { normaliseVendorName } from '../normalise/normalise-vendor-name.js';
import { purlIdentity } from '../normalise/purl-identity.js';
import type { ComponentFilter } from '../store/component.repository.js';
import { findOrganisationByKey } from '../store/organisation.repository.js';
import { badUserInput } from './errors.js';
import type { ComponentFilter as ComponentFilterInput } from './resolvers-types.generated.js';

/**
 * GraphQL filter -> store filter: purls and CPEs are normalised the way stored ones were, supplier names are
 * resolved to the vendor (any spelling). Returns `undefined` when the filter cannot match anything (an
 * unknown supplier), so the caller answers with an empty page without querying.
 */
export async function toComponentFilter(db: Kysely<Database>, input: ComponentFilterInput | null | undefined, requireOne: boolean, argument = 'filter'): Promise<ComponentFilter | undefined> {
  const filter: ComponentFilter = {};
  const given = Object.entries(input ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (requireOne && given.length === 0) throw badUserInput(`'${argument}' argument must set at least one of purl, cpe, name, version, supplier, hash, subjectsOnly.`);
  if (!input) return filter;
  if (input.purl) {
    const r = purlIdentity(input.purl);
    if (!r.ok) throw badUserInput(`'${argument}.purl' value '${input.purl.slice(0, 200)}' is not a valid purl: ${r.reason}`);
    filter.purlKey = r.identity.key;
  }
  if (input.cpe) {
    const r = parseCpe(input.cpe);
    if (!r.ok) throw badUserInput(`'${argument}.cpe' value '${input.cpe.slice(0, 200)}' is not a valid CPE: ${r.reason}`);
    filter.cpe = r.cpe23;
  }
  if (input.name) filter.name = input.name;
  if (input.version) filter.version = input.version;
  if (input.hash) {
    if (!/^[0-9a-fA-F]{16,128}$/.test(input.hash)) throw badUserInput(`'${argument}.hash' value '${input.hash.slice(0, 200)}' is not a hex digest (16 to 128 hex digits).`);
    filter.hash = input.hash;
  }
  if (input.subjectsOnly) filter.subjectsOnly = true;
  if (input.supplier) {
    const key = normaliseVendorName(input.supplier);
    const vendor = key ? await findOrganisationByKey(db, key) : undefined;
    if (!vendor) return undefined;
    filter.supplierId = vendor.id;
  }
  return filter;
}
