-- MUTANT (a planted bug, for the meta-tests of the concurrency suite): allocate() reads the
-- free stock without locking the inventory row, then writes, and the last line of defence,
-- inventory_not_oversold, is gone. Two sessions can both read the last free units, both pass
-- the check, and both allocate them: the trigger's relative update then adds both quantities.

alter table inventory drop constraint inventory_not_oversold;

create or replace function allocate(p_sku text, p_quantity integer) returns uuid
  language plpgsql
as $$
declare
  free_units integer;
  new_id     uuid;
begin
  select i.on_hand - i.allocated
    into free_units
    from inventory i
   where i.sku = p_sku;                  -- the bug: no "for no key update"

  if not found then
    raise exception 'out of stock'
      using errcode = 'P0001',
            detail  = format('SKU %L does not exist.', p_sku);
  end if;
  if free_units < p_quantity then
    raise exception 'out of stock'
      using errcode = 'P0001',
            detail  = format('SKU %L has %s free units, %s requested.', p_sku, free_units, p_quantity);
  end if;

  insert into allocations (id, sku, quantity, status)
  values (gen_random_uuid(), p_sku, p_quantity, 'allocated')
  returning id into new_id;

  return new_id;
end
$$;
