-- Scorecards over time: each vendor's scorecard as patchpath computed it on a day, with what it knew that day
-- (src/scorecards/scorecard-history.ts). Recorded once a day by a serving instance, or on demand by an admin; a new
-- recording on the same day replaces that day's. Kept per method (score-method.ts): scores of different methods
-- are never compared.
create table if not exists scorecard_snapshot (
  organisation_id bigint not null references organisation (id) on delete cascade,
  method text not null,
  taken_on date not null,
  taken_at timestamptz not null,
  verdict text not null check (verdict in ('SCORED', 'INSUFFICIENT_EVIDENCE')),
  score numeric(4, 1) check (score between 0 and 100),
  -- [{name, score, value, unit}] in the method's order: enough to chart every part; the evidence stays with the live card.
  parts jsonb not null,
  primary key (organisation_id, method, taken_on)
);

-- One recording a day across every instance on this database: the first to claim the day does it, others skip; a
-- claim left unfinished for an hour (the instance died) may be taken over.
create table if not exists scorecard_snapshot_run (
  method text not null,
  taken_on date not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  vendors int,
  primary key (method, taken_on)
);

-- Read by every role (procurement's history is the point); written by the system and admins.
do $$
declare t text;
begin
  foreach t in array array['scorecard_snapshot', 'scorecard_snapshot_run'] loop
    execute format('alter table %I enable row level security', t);
    execute format('drop policy if exists %I on %I', t || '_read', t);
    execute format('create policy %I on %I for select to patchpath_app using (true)', t || '_read', t);
    execute format('drop policy if exists %I on %I', t || '_write', t);
    execute format('create policy %I on %I for all to patchpath_app using (patchpath_role() = ''admin'') with check (patchpath_role() = ''admin'')', t || '_write', t);
  end loop;
end $$;
