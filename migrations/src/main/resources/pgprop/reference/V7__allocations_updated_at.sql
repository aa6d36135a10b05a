-- When an allocation last changed. Existing rows are backfilled with the
-- time they were allocated; new rows start at now(), and every update of a
-- row moves it to now(). The column stays nullable, so writers that name
-- every column (and tools that load rows as they were) keep working.

alter table allocations add column updated_at timestamptz;

update allocations set updated_at = allocated_at;

alter table allocations alter column updated_at set default now();

create function allocations_touch_updated_at() returns trigger
  language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger allocations_touch_updated_at
  before update on allocations
  for each row
  execute function allocations_touch_updated_at();
