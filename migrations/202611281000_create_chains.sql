-- Vendor chains (DOMAIN.md "Vendor chain"): what the walk from a device down to its TCP/IP stack reads.
-- Everything here is derived from the stored SBOMs and maintained by the upload that changes it, in the same
-- transaction, so a chain query is a recursive walk over small, indexed tables rather than identity matching
-- over every component of every document at query time.

-- Whether the document's links, subject and stacks below have been recorded (documents stored before this
-- migration are stitched on the next start).
alter table sbom add column if not exists stitched boolean not null default false;
create index if not exists sbom_unstitched_idx on sbom (id) where not stitched;

-- The order of versions as people read them (2.10 after 2.9, 2.2.0-rc1 before 2.2.0): the same key as
-- versionSortKey in src/chains/version-order.ts (tests hold the two together), for the database's own comparisons.
create or replace function version_sort_key(v text) returns text language sql immutable strict parallel safe as $$
  select coalesce(string_agg(
    case
      when t.m[1] is not null then '#' || lpad(least(length(regexp_replace(t.m[1], '^0+(?=\d)', '')), 99)::text, 2, '0') || regexp_replace(t.m[1], '^0+(?=\d)', '') || ' '
      when t.m[2] = any (array['v', 'ver', 'version', 'release', 'stable', 'final', 'ga', 'r']) then ''
      when t.m[2] = any (array['alpha', 'a', 'beta', 'b', 'rc', 'cr', 'pre', 'preview', 'dev', 'snapshot', 'm', 'milestone']) then '!' || t.m[2] || ' '
      else '~' || t.m[2] || ' '
    end, '' order by t.n), '') || '"'
  from regexp_matches(lower(v), '(\d+)|([a-z]+)', 'g') with ordinality as t(m, n)
$$;

-- The product version each SBOM describes (its first subject), with every identity a component elsewhere can
-- match it by. The *_product columns are the same identities without the version: "the same product", for
-- queries that ask for the latest version instead of the one a document pins.
create table if not exists sbom_subject (
  sbom_id bigint primary key references sbom (id) on delete cascade,
  organisation_id bigint,
  idx integer not null,
  -- What links in other documents name: the document (urn:cdx:<uuid>/<version>, the SPDX document namespace,
  -- the SPDX 3 document id) and the subject element in it (`<document>#<bom-ref or SPDXID>`, an SPDX 3 IRI).
  document_uri text collate "C",
  element_uri text collate "C",
  purl_key text collate "C",
  purl_product text collate "C",
  cpe text collate "C",
  cpe_product text collate "C",
  supplier_id bigint,
  name_key text collate "C" not null,
  version text collate "C",
  -- Sorts versions as people read them (2.10 after 2.9); see src/chains/version-order.ts.
  version_sort text collate "C",
  created_at timestamptz
);
create index if not exists sbom_subject_document_uri_idx on sbom_subject (document_uri) where document_uri is not null;
create index if not exists sbom_subject_element_uri_idx on sbom_subject (element_uri) where element_uri is not null;
create index if not exists sbom_subject_purl_key_idx on sbom_subject (purl_key) where purl_key is not null;
create index if not exists sbom_subject_purl_product_idx on sbom_subject (purl_product) where purl_product is not null;
create index if not exists sbom_subject_cpe_idx on sbom_subject (cpe) where cpe is not null;
create index if not exists sbom_subject_cpe_product_idx on sbom_subject (cpe_product) where cpe_product is not null;
create index if not exists sbom_subject_name_idx on sbom_subject (supplier_id, name_key, version);
create index if not exists sbom_subject_organisation_idx on sbom_subject (organisation_id);

-- The subject's hashes (the weakest identity rule), few rows: one document's component hashes join them.
create table if not exists sbom_subject_hash (
  sbom_id bigint not null references sbom (id) on delete cascade,
  value text collate "C" not null,
  primary key (value, sbom_id)
);

-- Identity matching by purl looks a product up by its purl without the version, for both the version a document
-- pins (then the full key is compared too) and the latest one: one index, on the product, serves both.
drop index if exists component_purl_key_idx;
create index if not exists component_purl_product_idx on component using hash (split_part(purl_key, '@', 1)) where purl_key is not null;

-- A component of one document that another document describes: the edge a chain walk crosses. One row per
-- (component, describing document); `pinned` marks the one a walk follows by default (the version the
-- component names, strongest rule, newest document) and `latest` the one it follows when asked for the latest
-- version of the product. Both are recomputed for every component an upload touches.
create table if not exists component_link (
  sbom_id bigint not null,
  idx integer not null,
  organisation_id bigint,
  target_sbom_id bigint not null,
  rule text not null check (rule in ('BOM_LINK', 'PURL', 'CPE', 'SUPPLIER_NAME_VERSION', 'HASH')),
  -- 1 = strongest (BOM_LINK) .. 5 = weakest (HASH), DOMAIN.md "Identity".
  rule_rank smallint not null,
  same_version boolean not null,
  pinned boolean not null default false,
  latest boolean not null default false,
  primary key (sbom_id, idx, target_sbom_id)
);
create index if not exists component_link_target_idx on component_link (target_sbom_id);
create index if not exists component_link_pinned_idx on component_link (sbom_id) include (idx, target_sbom_id, rule) where pinned;
create index if not exists component_link_latest_idx on component_link (sbom_id) include (idx, target_sbom_id, rule) where latest;
create index if not exists component_link_pinned_target_idx on component_link (target_sbom_id) include (sbom_id) where pinned;
create index if not exists component_link_latest_target_idx on component_link (target_sbom_id) include (sbom_id) where latest;

-- The TCP/IP stack catalogue: the project's own entries (builtin, from src/chains/tcpip-stacks.json with their
-- sources) and those vendors add.
create table if not exists stack (
  id bigint generated always as identity primary key,
  slug text not null unique,
  name text not null,
  vendor_name text not null,
  status text not null default 'unknown' check (status in ('maintained', 'eol', 'unknown')),
  status_note text,
  -- As the entry writes them; stack_identifier holds the normalised forms components are matched by.
  aliases text[] not null default '{}',
  purls text[] not null default '{}',
  cpes text[] not null default '{}',
  derived_from text,
  relation text check (relation in ('rebrand', 'fork', 'embeds')),
  disclosures jsonb not null default '[]',
  notes text,
  sources jsonb not null default '{}',
  builtin boolean not null default false,
  -- The vendor that added the entry (null for builtin ones).
  organisation_id bigint references organisation (id),
  created_at timestamptz not null default now()
);

-- How a component is recognised as a stack: purl without version (pkg:type/namespace/name), CPE product
-- (part:vendor:product) or name (lower case).
create table if not exists stack_identifier (
  stack_id bigint not null references stack (id) on delete cascade,
  kind text not null check (kind in ('purl', 'cpe', 'name')),
  value text collate "C" not null,
  primary key (kind, value, stack_id)
);

-- Components recognised as a stack, at any tier of any document.
create table if not exists component_stack (
  sbom_id bigint not null,
  idx integer not null,
  stack_id bigint not null references stack (id) on delete cascade,
  organisation_id bigint,
  matched_by text not null check (matched_by in ('purl', 'cpe', 'name')),
  primary key (sbom_id, idx, stack_id)
);
create index if not exists component_stack_stack_idx on component_stack (stack_id);
