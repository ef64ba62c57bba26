-- Operators' inventories (DOMAIN.md "Parties": an operator owns an inventory of installed devices). One row per
-- installed device, keyed by the operator's own asset tag. Identities are stored the way sbom_subject stores them
-- (purl without qualifiers, CPE 2.3, vendor key + lower-case name), so that matching a device to the SBOM of its
-- product version is equality on indexed columns. The match itself is not stored: it is worked out at query time
-- (src/inventory/match-devices.ts), so an SBOM uploaded after the inventory, or a vendor registered later, matches
-- without a re-import. For the same reason the vendor is kept by name key, not by organisation id.
create table if not exists device (
  id bigint generated always as identity primary key,
  -- The operator (hospital or clinic) whose device it is.
  organisation_id bigint not null references organisation (id) on delete cascade,
  asset_tag text not null,
  -- The vendor as the inventory writes it, and its normalised key (src/normalise/normalise-vendor-name.ts), in the
  -- collation of organisation.name_key, whose index finds the vendor.
  vendor_name text,
  vendor_key text,
  model text,
  -- lower(model), as sbom_subject.name_key.
  name_key text collate "C",
  purl text,
  purl_key text collate "C",
  purl_product text collate "C",
  -- The canonical CPE 2.3 and its part:vendor:product, as sbom_subject.cpe / cpe_product.
  cpe text collate "C",
  cpe_product text collate "C",
  firmware_version text,
  -- versionSortKey(firmware_version) (src/chains/version-order.ts), as sbom_subject.version_sort: V2.1 = 2.1.
  firmware_sort text collate "C",
  location text,
  segment text,
  criticality text check (criticality in ('critical', 'high', 'medium', 'low')),
  created_at timestamptz not null default now(),
  -- When an import last changed the row (an import that changes nothing leaves it).
  updated_at timestamptz not null default now(),
  constraint device_organisation_asset_tag_key unique (organisation_id, asset_tag)
);
-- "What else shares this device's network segment" (DOMAIN.md: isolate a device that has no fix).
create index if not exists device_organisation_segment_idx on device (organisation_id, segment);
