-- Mutant: the trigger counts cancelled allocations too (the status filter is lost).
create or replace function allocations_maintain_inventory() returns trigger
  language plpgsql
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update inventory set allocated = allocated - old.quantity where sku = old.sku;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update inventory set allocated = allocated + new.quantity where sku = new.sku;
  end if;
  return null;
end
$$;
