-- Privileges of the API roles. Tables are named one by one rather than with
-- "all tables in schema public", which would also reach Flyway's history
-- table.

grant usage on schema public to anon, authenticated, service_role;
grant usage on schema auth   to anon, authenticated, service_role;

grant execute on function auth.uid() to anon, authenticated, service_role;

-- authenticated: its own payments (RLS, see V4) and the vectors.
grant select, insert on payments to authenticated;
grant select         on vectors  to authenticated;

-- anon: the vectors only.
grant select on vectors to anon;

-- service_role: everything (it also bypasses RLS).
grant all on inventory, allocations, payments, vectors to service_role;

-- allocate() writes stock; only service_role (and the owner) may call it.
-- It runs with the caller's privileges, so the table grants would refuse
-- other roles anyway; revoking PUBLIC's default EXECUTE makes that explicit.
revoke execute on function allocate(text, integer) from public;
grant  execute on function allocate(text, integer) to service_role;

-- vector_search() runs with the caller's privileges too, so what it returns
-- is governed by SELECT on vectors. PUBLIC keeps its default EXECUTE: the
-- planner inlines a function only for a caller allowed to execute it.
grant execute on function vector_search(vector, integer, jsonb) to anon, authenticated, service_role;
