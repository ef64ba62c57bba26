/**
 * @module
 * Which SBOM describes each installed device: its product version, found by the strongest identity that holds
 * (DOMAIN.md "Identity"), or why there is none. Worked out at query time in one query over sbom_subject's indexes,
 * so an SBOM uploaded after the inventory, or a vendor that registers later, matches without a re-import.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DeviceMatch, DeviceMatchRule } from '../model/inventory.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Versions named in a reason, the latest ones. */
const VERSIONS_SHOWN = 10;
/** Products of the device's vendor named when the model is not among them. */
const MODELS_SHOWN = 5;

interface MatchRow {
  id: number;
  asset_tag: string;
  vendor_name: string | null;
  model: string | null;
  purl: string | null;
  purl_product: string | null;
  purl_versioned: boolean;
  cpe: string | null;
  cpe_product: string | null;
  cpe_versioned: boolean;
  firmware_version: string | null;
  sbom_id: number | null;
  rule: DeviceMatchRule | null;
  vendor_known: boolean | null;
  purl_versions: (string | null)[] | null;
  cpe_versions: (string | null)[] | null;
  model_versions: (string | null)[] | null;
  vendor_models: string[] | null;
}

/** No rule matched the device (`p`, `c`, `v`: the purl, CPE and vendor-model lookups below). */
const unmatched = sql`p.sbom_id is null and c.sbom_id is null and v.sbom_id is null`;

/** The newest SBOM among those a condition on `s` picks (several SBOMs of one product version: a re-issue). */
const newest = sql`order by s.created_at desc nulls last, s.sbom_id desc limit 1`;

/** Distinct versions (`V2.1` and `2.1` are one) of the subjects a condition on `s` picks, the latest few, in version order. */
const knownVersions = (where: RawBuilder<unknown>) => sql`array(
  select k.version from (
    select distinct on (s.version_sort) s.version, s.version_sort from sbom_subject s where ${where}
    order by s.version_sort desc nulls last, s.version limit ${VERSIONS_SHOWN + 1}
  ) k order by k.version_sort nulls first)`;

/**
 * Matches an operator's devices (all, or those with the given ids or asset tags) to the SBOMs of their product
 * versions, strongest rule first:
 * 1. `PURL`: a purl with a version is that product version; a purl without one, with the firmware version;
 * 2. `CPE`: a CPE with a version, or the CPE's product with the firmware version;
 * 3. `VENDOR_MODEL_VERSION`: the vendor (by any spelling or alias of its name), the model as the SBOM names its
 *    subject (case does not matter) and the firmware version.
 * Versions compare as their vendors mean them (`V2.1` = `2.1`, src/chains/version-order.ts). Of several SBOMs of one
 * product version, the newest counts. One query; an unmatched device's reason names the values looked for and what
 * is known instead.
 *
 * @returns one match per device, in device id order.
 *
 * @example
 * await matchDevices(db, { operatorId: 9 });
 * // [{ deviceId: 1, assetTag: 'SEH-ICU-0101', sbomId: 2, rule: 'PURL' },
 * //  { deviceId: 4, assetTag: 'SEH-ICU-0104', reason: "no SBOM for firmware 2.3.1 of 'ip3000-firmware' (known versions: 2.4.0)" }]
 */
export async function matchDevices(db: Db, scope: MatchScope): Promise<DeviceMatch[]> {
  const rows = await matchDevicesQuery(scope).execute(db);
  return rows.rows.map((r) => {
    const match: DeviceMatch = { deviceId: Number(r.id), assetTag: r.asset_tag };
    if (r.sbom_id !== null) return { ...match, sbomId: Number(r.sbom_id), rule: r.rule! };
    return { ...match, reason: unmatchedReason(r) };
  });
}

export interface MatchScope {
  operatorId: number;
  deviceIds?: readonly number[];
  assetTags?: readonly string[];
}

/** The one query of {@link matchDevices} (exported so that tests can read its plan). */
export function matchDevicesQuery(scope: MatchScope): RawBuilder<MatchRow> {
  return sql<MatchRow>`
    with d as materialized (
      select d.id, d.asset_tag, d.vendor_name, d.vendor_key, d.model, d.name_key, d.purl, d.purl_key, d.purl_product, d.cpe, d.cpe_product,
        d.firmware_version, d.firmware_sort,
        coalesce(d.purl_key <> d.purl_product, false) as purl_versioned,
        coalesce(split_part(d.cpe, ':', 6) not in ('*', '-'), false) as cpe_versioned
      from device d
      where d.organisation_id = ${scope.operatorId}
        ${scope.deviceIds ? sql`and d.id = any(${[...scope.deviceIds]}::bigint[])` : sql``}
        ${scope.assetTags ? sql`and d.asset_tag = any(${[...scope.assetTags]}::text[])` : sql``}
    )
    select d.id, d.asset_tag, d.vendor_name, d.model, d.purl, d.purl_product, d.purl_versioned, d.cpe, d.cpe_product, d.cpe_versioned, d.firmware_version,
      coalesce(p.sbom_id, c.sbom_id, v.sbom_id) as sbom_id,
      case when p.sbom_id is not null then 'PURL' when c.sbom_id is not null then 'CPE' when v.sbom_id is not null then 'VENDOR_MODEL_VERSION' end as rule,
      -- What is known instead, for the reason of an unmatched device only (a case runs its subquery only when it holds).
      cardinality(vo.ids) > 0 as vendor_known,
      case when ${unmatched} and d.purl_product is not null then ${knownVersions(sql`s.purl_product = d.purl_product`)} end as purl_versions,
      case when ${unmatched} and d.cpe_product is not null then ${knownVersions(sql`s.cpe_product = d.cpe_product`)} end as cpe_versions,
      case when ${unmatched} and d.name_key is not null and cardinality(vo.ids) > 0 then ${knownVersions(sql`s.supplier_id = any(vo.ids) and s.name_key = d.name_key`)} end as model_versions,
      case when ${unmatched} and cardinality(vo.ids) > 0 then array(
        select m.name_key from (select distinct s.name_key from sbom_subject s where s.supplier_id = any(vo.ids)) m order by m.name_key limit ${MODELS_SHOWN + 1}
      ) end as vendor_models
    from d
    left join lateral (
      select s.sbom_id from sbom_subject s
      where d.purl_product is not null and s.purl_product = d.purl_product
        and case when d.purl_versioned then s.purl_key = d.purl_key else s.version_sort = d.firmware_sort end
      ${newest}
    ) p on true
    left join lateral (
      select s.sbom_id from sbom_subject s
      where p.sbom_id is null and d.cpe_product is not null and s.cpe_product = d.cpe_product
        and case when d.cpe_versioned then s.cpe = d.cpe else s.version_sort = d.firmware_sort end
      ${newest}
    ) c on true
    -- The vendor's organisations by its name key or an alias (so a vendor that registered after the import counts),
    -- looked up only for devices that purl and CPE did not match.
    cross join lateral (
      select case when p.sbom_id is null and c.sbom_id is null and d.vendor_key is not null then array(
        select o.id from organisation o where o.name_key = d.vendor_key
        union all select a.organisation_id from organisation_alias a where a.name_key = d.vendor_key
      ) end as ids
      offset 0 -- computed once per device, not again in each expression that reads it
    ) vo
    left join lateral (
      select s.sbom_id from sbom_subject s
      where p.sbom_id is null and c.sbom_id is null and d.name_key is not null and d.firmware_sort is not null
        and s.supplier_id = any(vo.ids) and s.name_key = d.name_key and s.version_sort = d.firmware_sort
      ${newest}
    ) v on true
    order by d.id`;
}

function versionList(versions: readonly (string | null)[]): string {
  const named = versions.filter((v): v is string => v !== null);
  const shown = named.length > VERSIONS_SHOWN ? ['...', ...named.slice(named.length - VERSIONS_SHOWN)] : named;
  const unversioned = named.length < versions.length ? ' and SBOMs that state no version' : '';
  return shown.length ? `known versions: ${shown.join(', ')}${unversioned}` : `only SBOMs that state no version`;
}

/**
 * Why no SBOM matches: for the first identity whose product is known, which version was asked for and which exist;
 * when no product is known, what each identity the device has found (and, for its vendor, which models it has).
 */
function unmatchedReason(r: MatchRow): string {
  const q = (s: string) => `'${s}'`;
  const versionReason = (product: string, asked: string | null, versions: readonly (string | null)[]) =>
    asked === null ? `no firmware version given for ${product} (${versionList(versions)})` : `no SBOM for firmware ${asked} of ${product} (${versionList(versions)})`;

  if (r.purl_versions?.length) {
    const asked = r.purl_versioned ? r.purl!.slice(r.purl!.lastIndexOf('@') + 1).replace(/[?#].*$/, '') : r.firmware_version;
    return versionReason(q(r.purl_product!), asked, r.purl_versions);
  }
  if (r.cpe_versions?.length) return versionReason(q(r.cpe_product!), r.cpe_versioned ? r.cpe!.split(':')[5]! : r.firmware_version, r.cpe_versions);
  if (r.model_versions?.length) return versionReason(q(r.model!), r.firmware_version, r.model_versions);

  const reasons: string[] = [];
  if (r.purl !== null) reasons.push(`no SBOM describes purl product ${q(r.purl_product!)}`);
  if (r.cpe !== null) reasons.push(`no SBOM describes CPE product ${q(r.cpe_product!)}`);
  if (r.vendor_name !== null && r.model !== null) {
    if (!r.vendor_known) reasons.push(`no SBOM describes vendor ${q(r.vendor_name)} product ${q(r.model)} (no vendor by that name)`);
    else if (!r.vendor_models?.length) reasons.push(`vendor ${q(r.vendor_name)} has published no SBOM`);
    else {
      const models = r.vendor_models.length > MODELS_SHOWN ? [...r.vendor_models.slice(0, MODELS_SHOWN), '...'] : r.vendor_models;
      reasons.push(`vendor ${q(r.vendor_name)} has published no SBOM for model ${q(r.model)} (its SBOMs describe: ${models.join(', ')})`);
    }
  }
  return reasons.join('; ');
}
