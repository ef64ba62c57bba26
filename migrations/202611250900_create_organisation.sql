-- Organisations: vendors now; operators (hospitals), procurement and admin parties later (DOMAIN.md "Parties").
-- Vendors are found by their normalised name key, so "ACME Inc." and "Acme, Inc" are one row.
create table if not exists organisation (
  id bigint generated always as identity primary key,
  kind text not null default 'vendor' check (kind in ('vendor', 'operator', 'procurement', 'admin')),
  name text not null,
  name_key text not null unique,
  created_at timestamptz not null default now()
);

-- Further names that mean the same organisation (merged by alias, DOMAIN.md "Identity").
create table if not exists organisation_alias (
  name_key text primary key,
  organisation_id bigint not null references organisation (id) on delete cascade,
  name text not null
);
create index if not exists organisation_alias_organisation_idx on organisation_alias (organisation_id);
