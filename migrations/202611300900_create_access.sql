-- Parties, tokens and tenancy (issue 5; DOMAIN.md "Parties"). Access is by API token; each token belongs to one
-- organisation and carries one role. Every request runs its queries as the role `patchpath_app` with the caller's
-- organisation and role in two settings (src/db/principal-dialect.ts), so the row-level security below decides what
-- a query can see and write whatever the code above it does: a bug in a resolver cannot leak another tenant's rows.
-- Start-up, migrations and the CLI run as the connecting user (the owner), which row-level security does not bind.

-- A role of the cluster, shared by every database on it: created once, tolerating a concurrent creator.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'patchpath_app') then
    create role patchpath_app nologin;
  end if;
exception when duplicate_object or unique_violation then null;
end $$;
-- The connecting user must be a member to switch to it (a superuser needs no membership).
do $$
begin
  execute format('grant patchpath_app to %I', current_user);
exception when others then null; -- already a member, or a superuser granting to itself
end $$;

grant usage on schema public to patchpath_app;
grant select, insert, update, delete on all tables in schema public to patchpath_app;
grant usage, select on all sequences in schema public to patchpath_app;
-- Tables of later migrations get the same grants; their policies come with them.
alter default privileges in schema public grant select, insert, update, delete on tables to patchpath_app;
alter default privileges in schema public grant usage, select on sequences to patchpath_app;

-- The caller, as the request set it; null/'none' outside a request.
create or replace function patchpath_org() returns bigint language sql stable
  as $$ select nullif(current_setting('patchpath.org_id', true), '')::bigint $$;
create or replace function patchpath_role() returns text language sql stable
  as $$ select coalesce(nullif(current_setting('patchpath.role', true), ''), 'none') $$;

alter table organisation drop constraint if exists organisation_kind_check;
alter table organisation add constraint organisation_kind_check check (kind in ('vendor', 'operator', 'procurement', 'admin'));

-- API tokens: only a SHA-256 of the token is kept (the token is 256 random bits, so a slow hash adds nothing); its
-- first characters are kept to tell tokens apart in lists. Shown once, at creation.
create table if not exists api_token (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisation (id) on delete cascade,
  role text not null check (role in ('admin', 'vendor', 'operator', 'procurement')),
  name text not null default '',
  token_hash text collate "C" not null,
  token_prefix text not null,
  created_at timestamptz not null default now(),
  created_by bigint references api_token (id) on delete set null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz,
  constraint api_token_hash_key unique (token_hash)
);
create index if not exists api_token_organisation_idx on api_token (organisation_id);

-- An admin's grant: vendor `grantee_id` may upload SBOMs and VEX whose subject supplier is `supplier_id` (a contract
-- manufacturer publishing for its customer, a subsidiary for its parent).
create table if not exists upload_grant (
  id bigint generated always as identity primary key,
  grantee_id bigint not null references organisation (id) on delete cascade,
  supplier_id bigint not null references organisation (id) on delete cascade,
  granted_at timestamptz not null default now(),
  granted_by bigint references api_token (id) on delete set null,
  constraint upload_grant_key unique (grantee_id, supplier_id)
);

-- Who wrote what and when: one row per write, in the write's own transaction. Append-only: no policy lets a
-- request change or delete a row, and the trigger stops the owner too.
create table if not exists audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  token_id bigint,
  organisation_id bigint,
  role text not null,
  action text not null,
  target_type text,
  target_id text,
  detail jsonb not null default '{}',
  request_id text
);
create index if not exists audit_log_at_idx on audit_log (at desc, id desc);
create index if not exists audit_log_organisation_idx on audit_log (organisation_id, at desc);

create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
drop trigger if exists audit_log_append_only on audit_log;
create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_append_only();
drop trigger if exists audit_log_no_truncate on audit_log;
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only();

-- May the caller write rows owned by organisation `owner` (a document's supplier)? Admins always; a vendor for
-- itself and for the suppliers an admin granted it. Security definer: upload_grant is not readable by vendors.
create or replace function patchpath_may_write_for(owner bigint) returns boolean language sql stable security definer
  set search_path = public, pg_temp
  as $$
    select patchpath_role() = 'admin'
      or (patchpath_role() = 'vendor' and owner is not null
          and (owner = patchpath_org() or exists (select 1 from upload_grant g where g.grantee_id = patchpath_org() and g.supplier_id = owner)))
  $$;

-- Published vendor data: every party reads it; writes follow the document's owner.
-- The rows of a document that are loaded with COPY (component, component_hash, component_edge, sbom_issue) carry no
-- row-level security: PostgreSQL refuses COPY FROM into a table that has it, and COPY is what stores a 100k-component
-- SBOM in seconds. Every party may read them anyway, and they are written only by src/store/store-sbom.ts, in the
-- transaction that inserts their sbom row, which the policy below checks: a request cannot add rows to a document it
-- could not have created.
do $$
declare t text;
begin
  foreach t in array array['sbom', 'sbom_content', 'sbom_document_reference'] loop
    execute format('alter table %I enable row level security', t);
    execute format('drop policy if exists %I on %I', t || '_read', t);
    execute format('create policy %I on %I for select to patchpath_app using (true)', t || '_read', t);
    execute format('drop policy if exists %I on %I', t || '_write', t);
    execute format('create policy %I on %I for insert to patchpath_app with check (patchpath_may_write_for(organisation_id))', t || '_write', t);
  end loop;
end $$;
-- Stitching marks the new document stitched.
drop policy if exists sbom_stitch on sbom;
create policy sbom_stitch on sbom for update to patchpath_app using (patchpath_may_write_for(organisation_id)) with check (patchpath_may_write_for(organisation_id));

-- Advisories: read by all; a vendor publishes only as itself; coordinator and database advisories (no owner) by admins.
do $$
declare t text;
begin
  foreach t in array array['advisory', 'advisory_content', 'advisory_issue', 'advisory_vulnerability', 'vex_statement'] loop
    execute format('alter table %I enable row level security', t);
    execute format('drop policy if exists %I on %I', t || '_read', t);
    execute format('create policy %I on %I for select to patchpath_app using (true)', t || '_read', t);
    execute format('drop policy if exists %I on %I', t || '_write', t);
    execute format('create policy %I on %I for insert to patchpath_app with check (patchpath_role() = ''admin'' or patchpath_may_write_for(organisation_id))', t || '_write', t);
  end loop;
end $$;

-- Derived and shared data (vendors named in documents, stitching, the stack catalogue's matches, aliases): read by
-- all, written by the uploads that derive it (vendors and admins).
do $$
declare t text;
begin
  foreach t in array array['organisation', 'organisation_alias', 'sbom_subject', 'sbom_subject_hash', 'component_link', 'component_stack', 'vulnerability_alias'] loop
    execute format('alter table %I enable row level security', t);
    execute format('drop policy if exists %I on %I', t || '_read', t);
    execute format('create policy %I on %I for select to patchpath_app using (true)', t || '_read', t);
    execute format('drop policy if exists %I on %I', t || '_write', t);
    execute format('create policy %I on %I for all to patchpath_app using (patchpath_role() in (''admin'', ''vendor'')) with check (patchpath_role() in (''admin'', ''vendor''))', t || '_write', t);
  end loop;
end $$;
-- An operator's inventory import locks its own organisation row (imports into one inventory run one after another).
drop policy if exists organisation_operator_lock on organisation;
create policy organisation_operator_lock on organisation for update to patchpath_app
  using (patchpath_role() = 'operator' and id = patchpath_org()) with check (patchpath_role() = 'operator' and id = patchpath_org());

-- The stack catalogue: read by all, changed by admins.
do $$
declare t text;
begin
  foreach t in array array['stack', 'stack_identifier'] loop
    execute format('alter table %I enable row level security', t);
    execute format('drop policy if exists %I on %I', t || '_read', t);
    execute format('create policy %I on %I for select to patchpath_app using (true)', t || '_read', t);
    execute format('drop policy if exists %I on %I', t || '_write', t);
    execute format('create policy %I on %I for all to patchpath_app using (patchpath_role() = ''admin'') with check (patchpath_role() = ''admin'')', t || '_write', t);
  end loop;
end $$;

-- Inventories: an operator sees and changes its own; admins all; vendors and procurement none.
alter table device enable row level security;
drop policy if exists device_own on device;
create policy device_own on device for all to patchpath_app
  using (patchpath_role() = 'admin' or (patchpath_role() = 'operator' and organisation_id = patchpath_org()))
  with check (patchpath_role() = 'admin' or (patchpath_role() = 'operator' and organisation_id = patchpath_org()));

-- Tokens and grants: admins; a caller sees its own token row (who am I) and a vendor its own grants.
alter table api_token enable row level security;
drop policy if exists api_token_admin on api_token;
create policy api_token_admin on api_token for all to patchpath_app using (patchpath_role() = 'admin') with check (patchpath_role() = 'admin');
drop policy if exists api_token_own on api_token;
create policy api_token_own on api_token for select to patchpath_app using (organisation_id = patchpath_org());
alter table upload_grant enable row level security;
drop policy if exists upload_grant_admin on upload_grant;
create policy upload_grant_admin on upload_grant for all to patchpath_app using (patchpath_role() = 'admin') with check (patchpath_role() = 'admin');
drop policy if exists upload_grant_own on upload_grant;
create policy upload_grant_own on upload_grant for select to patchpath_app using (grantee_id = patchpath_org());

-- The audit log: every caller appends as itself; only admins read.
alter table audit_log enable row level security;
drop policy if exists audit_log_append on audit_log;
create policy audit_log_append on audit_log for insert to patchpath_app
  with check (organisation_id is not distinct from patchpath_org() and role = patchpath_role());
drop policy if exists audit_log_read on audit_log;
create policy audit_log_read on audit_log for select to patchpath_app using (patchpath_role() = 'admin');
grant select, insert, update, delete on api_token, upload_grant, audit_log to patchpath_app;
grant usage, select on all sequences in schema public to patchpath_app;
