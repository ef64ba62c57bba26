-- Advisories and VEX (DOMAIN.md "Documents in"): OSV, CSAF 2.0, CycloneDX VEX/VDR, OpenVEX. Each accepted document is
-- kept verbatim with its sha256 (the same bytes twice return the first record), with what it says normalised into
-- vulnerabilities and statements; every status and justification keeps the document's own word beside ours.

create table if not exists advisory (
  id bigint generated always as identity primary key,
  -- The publishing vendor, when the publisher is one (CSAF publisher category vendor, a vendor's OpenVEX/CycloneDX
  -- VEX); coordinators such as CISA and databases such as OSV leave it null and are named in publisher_name.
  organisation_id bigint references organisation (id),
  sha256 text not null,
  byte_size bigint not null,
  format text not null check (format in ('osv', 'csaf', 'cyclonedx-vex', 'openvex')),
  spec_version text,
  document_id text,
  document_version text,
  title text,
  publisher_name text,
  publisher_namespace text,
  publisher_category text,
  published_text text,
  published_at timestamptz,
  modified_text text,
  modified_at timestamptz,
  schema_valid boolean not null,
  ingested_strict boolean not null default false,
  vulnerability_count integer not null,
  statement_count integer not null,
  issue_count integer not null,
  ingested_at timestamptz not null default now(),
  constraint advisory_sha256_key unique (sha256)
);
create index if not exists advisory_document_idx on advisory (document_id);
create index if not exists advisory_organisation_idx on advisory (organisation_id);

create table if not exists advisory_content (
  advisory_id bigint primary key references advisory (id) on delete cascade,
  organisation_id bigint,
  data bytea not null
);

create table if not exists advisory_issue (
  advisory_id bigint not null references advisory (id) on delete cascade,
  organisation_id bigint,
  seq integer not null,
  code text not null,
  severity text not null,
  path text not null,
  message text not null,
  primary key (advisory_id, seq)
);

-- A vulnerability as one advisory describes it (two advisories may describe one CVE differently: both are kept).
create table if not exists advisory_vulnerability (
  advisory_id bigint not null references advisory (id) on delete cascade,
  organisation_id bigint,
  seq integer not null,
  vulnerability_id text collate "C" not null,
  aliases text[] not null default '{}',
  title text,
  summary text,
  published_text text,
  modified_text text,
  cvss jsonb not null default '[]',
  -- The highest CVSS base score the advisory gives, for sorting and filters.
  cvss_max numeric(3, 1),
  cwes text[] not null default '{}',
  reference_urls text[] not null default '{}',
  primary key (advisory_id, seq)
);
create index if not exists advisory_vulnerability_id_idx on advisory_vulnerability (vulnerability_id);

-- Every id a vulnerability is known by (CVE, GHSA, OSV ids, vendor ids) -> the id patchpath files it under.
create table if not exists vulnerability_alias (
  alias text collate "C" not null,
  vulnerability_id text collate "C" not null,
  primary key (alias, vulnerability_id)
);

-- One product's status for one vulnerability, as one document states it. Product identities are stored the way
-- components' are (purl without qualifiers, CPE 2.3, vendor key + lower-case name) so that matching is equality.
create table if not exists vex_statement (
  advisory_id bigint not null references advisory (id) on delete cascade,
  organisation_id bigint,
  seq integer not null,
  vulnerability_id text collate "C" not null,
  product_ref text,
  purl text,
  purl_key text collate "C",
  purl_product text collate "C",
  cpe text collate "C",
  cpe_product text collate "C",
  vendor_name text,
  vendor_id bigint,
  product_name text,
  name_key text collate "C",
  version text,
  versions text[] not null default '{}',
  ranges jsonb not null default '[]',
  status text not null check (status in ('affected', 'fixed', 'not_affected', 'under_investigation', 'unknown')),
  status_original text not null,
  justification text,
  justification_original text,
  impact_statement text,
  action_statement text,
  remediations jsonb not null default '[]',
  recommended boolean not null default false,
  stated_text text,
  stated_at timestamptz,
  path text not null,
  primary key (advisory_id, seq)
);
create index if not exists vex_statement_vulnerability_idx on vex_statement (vulnerability_id);
create index if not exists vex_statement_purl_product_idx on vex_statement (purl_product) where purl_product is not null;
create index if not exists vex_statement_cpe_product_idx on vex_statement (cpe_product) where cpe_product is not null;
create index if not exists vex_statement_vendor_name_idx on vex_statement (vendor_id, name_key) where vendor_id is not null;
