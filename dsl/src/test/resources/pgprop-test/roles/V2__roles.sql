-- Roles and row-level security on the tiny schema, for the dsl's role tests.
-- Roles are global to the cluster: create each one only when missing, and
-- treat losing a creation race to a concurrent migration as "already there".
do $$
declare
  r text;
begin
  foreach r in array array['pgprop_test_reader', 'pgprop_test_nobody'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin', r);
      exception
        when duplicate_object or unique_violation then
          null;
      end;
    end if;
  end loop;
end
$$;

-- pgprop_test_reader reads the widgets whose owner is its request.jwt.claim.sub;
-- pgprop_test_nobody has no privilege at all.
grant select on widget to pgprop_test_reader;
alter table widget enable row level security;
create policy widget_owner_select on widget
  for select
  to pgprop_test_reader
  using (owner = current_setting('request.jwt.claim.sub', true));
