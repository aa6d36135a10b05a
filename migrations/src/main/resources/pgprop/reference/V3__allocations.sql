-- Allocations of stock, the trigger that keeps inventory.allocated in step
-- with them, and allocate(), the safe way to take stock.

create table allocations (
  id           uuid        not null primary key,
  sku          text        not null,
  quantity     integer     not null,
  status       text        not null,
  allocated_at timestamptz not null default now(),
  constraint allocations_sku_fk         foreign key (sku) references inventory (sku),
  constraint allocations_quantity_range check (quantity between 1 and 1000),
  constraint allocations_status_valid   check (status in ('pending', 'allocated', 'shipped', 'cancelled'))
);

-- Keeps inventory.allocated = sum(quantity) of the SKU's allocations whose
-- status is not 'cancelled'.
--
-- Concurrency (READ COMMITTED): the trigger never recomputes the sum, which a
-- concurrent transaction could make stale before commit. It applies a
-- relative delta, allocated = allocated + delta. The UPDATE takes the row
-- lock on the inventory row, so concurrent writers to one SKU queue up, and
-- each one re-reads the committed value after the wait before adding its
-- delta: no update is lost. inventory_not_oversold then rejects a delta that
-- would allocate more than is on hand.
--
-- A change of SKU touches two inventory rows. They are locked in sku order,
-- so two transactions moving allocations between the same two SKUs in
-- opposite directions take the locks in the same order and cannot deadlock.
create function allocations_maintain_inventory() returns trigger
  language plpgsql
as $$
declare
  old_sku text;
  old_qty integer := 0;  -- what the old row contributed to allocated
  new_sku text;
  new_qty integer := 0;  -- what the new row contributes to allocated
  change  record;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    old_sku := old.sku;
    if old.status <> 'cancelled' then
      old_qty := old.quantity;
    end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    new_sku := new.sku;
    if new.status <> 'cancelled' then
      new_qty := new.quantity;
    end if;
  end if;

  for change in
    select d.sku, sum(d.delta) as delta
      from (values (old_sku, -old_qty), (new_sku, new_qty)) as d (sku, delta)
     where d.sku is not null
     group by d.sku
    having sum(d.delta) <> 0
     order by d.sku                     -- consistent lock order
  loop
    update inventory
       set allocated = allocated + change.delta
     where sku = change.sku;
  end loop;

  return null;  -- after trigger: the result is ignored
end
$$;

create trigger allocations_maintain_inventory
  after insert or delete or update of status, quantity, sku
  on allocations
  for each row
  execute function allocations_maintain_inventory();

-- Allocates p_quantity units of p_sku and returns the new allocation's id,
-- or raises 'out of stock' (SQLSTATE P0001) when fewer units are free.
-- An unknown SKU has no stock, so it is 'out of stock' too (the DETAIL says
-- which case it was). A quantity outside 1..1000 or null is rejected by the
-- table's constraints.
--
-- Concurrency (READ COMMITTED): the inventory row is locked before the free
-- stock is read. A concurrent allocate() of the same SKU, or any writer of
-- that row (the trigger), waits for the lock and then works on the row as
-- committed by the holder, so two callers can never both see the last free
-- units. (Without the lock both would pass the check and the loser would fail
-- later, on inventory_not_oversold with 23514 instead of 'out of stock'.)
-- FOR NO KEY UPDATE is the lock the trigger's UPDATE takes anyway; unlike
-- FOR UPDATE it does not block the foreign key checks (FOR KEY SHARE) of
-- other transactions inserting or moving allocations of this SKU.
create function allocate(p_sku text, p_quantity integer) returns uuid
  language plpgsql
as $$
declare
  free_units integer;
  new_id     uuid;
begin
  select i.on_hand - i.allocated
    into free_units
    from inventory i
   where i.sku = p_sku
     for no key update;

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
