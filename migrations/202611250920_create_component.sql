-- Components are keyed by (sbom_id, idx): idx is the position in the document, so a whole document's rows and
-- edges are written in bulk (COPY) without a round trip for generated ids. organisation_id is the document
-- owner's. The big per-document tables (component, component_hash, component_edge) carry no foreign keys:
-- they are written only by store-sbom.ts, all rows of a document in the transaction that creates its sbom row,
-- and per-row FK triggers would cost more than the COPY itself on a 300k-component SBOM.
-- Identity columns compare bytewise (collate "C"): exact matching needs no linguistic order, and it is cheaper.
create table if not exists component (
  sbom_id bigint not null,
  idx integer not null,
  organisation_id bigint,
  parent_idx integer,
  bom_ref text not null,
  is_subject boolean not null default false,
  type text,
  group_name text,
  name text not null,
  version text,
  description text,
  purl text,
  purl_type text,
  purl_namespace text,
  purl_name text,
  purl_version text,
  -- Canonical purl without qualifiers and subpath: the strongest identity (DOMAIN.md "Identity").
  purl_key text collate "C",
  cpe text collate "C",
  supplier_id bigint,
  supplier_name text,
  manufacturer_name text,
  author text,
  license_expression text,
  licenses jsonb not null default '[]',
  external_references jsonb not null default '[]',
  copyright text,
  scope text,
  primary key (sbom_id, idx)
);
-- Identity matching is equality on the canonical purl: a hash index, cheaper to fill than a B-tree.
create index if not exists component_purl_key_idx on component using hash (purl_key) where purl_key is not null;
create index if not exists component_cpe_idx on component (cpe) where cpe is not null;
create index if not exists component_name_idx on component (lower(name) text_pattern_ops);
create index if not exists component_supplier_idx on component (supplier_id) where supplier_id is not null;
create index if not exists component_subject_idx on component (sbom_id) where is_subject;

-- Hashes are matched by value (the weakest identity rule), so they live in rows of their own, not on component.
create table if not exists component_hash (
  sbom_id bigint not null,
  organisation_id bigint,
  idx integer not null,
  alg text not null,
  value text collate "C" not null
);
-- A hash index: hash matching is equality only, and random hex keys make a B-tree twice as slow to fill.
create index if not exists component_hash_value_idx on component_hash using hash (value);
create index if not exists component_hash_component_idx on component_hash (sbom_id, idx);

-- The dependency / containment graph inside one document, edges in the direction "from needs/holds to". One row
-- holds every target of one component for one edge kind (to_idx is an array): a document with 300k edges from
-- 100k components writes 100k rows and one index, which is what keeps a large upload within seconds. Walking
-- down (dependencies) uses the key; walking up (dependents) scans the edges of one document only.
create table if not exists component_edge (
  sbom_id bigint not null,
  organisation_id bigint,
  from_idx integer not null,
  type text not null,
  original_type text not null,
  to_idx integer[] not null,
  primary key (sbom_id, from_idx, type, original_type)
);
