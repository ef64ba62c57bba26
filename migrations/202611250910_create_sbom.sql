-- One row per accepted document. organisation_id is the vendor the document's subject belongs to (its owner);
-- every row of the document, in every table, carries it too, so tenancy and row-level security can be added
-- without reshaping tables.
create table if not exists sbom (
  id bigint generated always as identity primary key,
  organisation_id bigint references organisation (id),
  sha256 text not null,
  byte_size bigint not null,
  -- How sbom_content holds the bytes: gzip (level 1, compressed on a worker thread while the document is
  -- parsed) or identity. GET /v1/sboms/:id/raw always answers with the original bytes.
  content_encoding text not null default 'identity' check (content_encoding in ('identity', 'gzip')),
  format text not null,
  spec_version text not null,
  serial_number text,
  document_version integer,
  name text,
  -- As the document states it (kept verbatim, it may be malformed) and parsed where it can be.
  document_created_text text,
  document_created_at timestamptz,
  authors jsonb not null default '[]',
  tools jsonb not null default '[]',
  subject_name text,
  subject_version text,
  subject_purl text,
  schema_valid boolean not null,
  ingested_strict boolean not null default false,
  component_count integer not null,
  relationship_count integer not null,
  issue_count integer not null,
  ingested_at timestamptz not null default now(),
  constraint sbom_sha256_key unique (sha256)
);
create index if not exists sbom_organisation_idx on sbom (organisation_id);
create index if not exists sbom_serial_number_idx on sbom (serial_number);
create index if not exists sbom_subject_purl_idx on sbom (subject_purl);

-- The original bytes, in chunks: a 256 MB document does not fit one protocol message comfortably,
-- and chunks let GET /v1/sboms/:id/raw stream without holding the whole document.
create table if not exists sbom_content (
  sbom_id bigint not null references sbom (id) on delete cascade,
  organisation_id bigint,
  seq integer not null,
  data bytea not null,
  primary key (sbom_id, seq)
);
-- Already compressed (content_encoding): no second, slower pglz pass by PostgreSQL.
alter table sbom_content alter column data set storage external;

-- Every problem found in an accepted document (schema violations, warnings): they count against the
-- vendor's SBOM hygiene later.
create table if not exists sbom_issue (
  sbom_id bigint not null references sbom (id) on delete cascade,
  organisation_id bigint,
  seq integer not null,
  code text not null,
  severity text not null,
  path text not null,
  message text not null,
  primary key (sbom_id, seq)
);

-- Links to other documents: SPDX externalDocumentRefs and CycloneDX BOM-Links (followed by the chain resolver).
create table if not exists sbom_document_reference (
  sbom_id bigint not null references sbom (id) on delete cascade,
  organisation_id bigint,
  seq integer not null,
  ref_id text not null,
  target text not null,
  checksum_alg text,
  checksum_value text,
  primary key (sbom_id, seq)
);
create index if not exists sbom_document_reference_target_idx on sbom_document_reference (target);
