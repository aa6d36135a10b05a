-- pgvector, the Supabase-style roles, and auth.uid().

create extension if not exists vector;

-- Roles are global to the cluster, while this migration runs once per
-- database (several databases of one cluster get migrated, possibly at the
-- same time). So: create each role only when it is missing, and treat losing
-- a creation race to a concurrent migration as "already there".
-- An existing role is left exactly as it is.
do $$
declare
  r record;
begin
  for r in
    select * from (values
      ('anon', 'nologin'),
      ('authenticated', 'nologin'),
      ('service_role', 'nologin bypassrls')
    ) as wanted(name, options)
    where not exists (select 1 from pg_roles where rolname = wanted.name)
  loop
    begin
      execute format('create role %I %s', r.name, r.options);
    exception
      when duplicate_object or unique_violation then
        null;  -- created by a concurrent migration in the meantime
    end;
  end loop;
end
$$;

create schema if not exists auth;

-- The caller's user id, from the JWT "sub" claim that the API layer puts in
-- the request.jwt.claim.sub setting; null when the setting is absent or empty.
create or replace function auth.uid() returns uuid
  language sql
  stable
as $$
  select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid
$$;
