-- Stock per SKU. allocated is maintained by the allocations trigger (V3):
-- the sum of the quantities of the SKU's allocations that are not cancelled.

create table inventory (
  sku       text    not null primary key,
  on_hand   integer not null,
  allocated integer not null default 0,
  constraint inventory_sku_format       check (sku ~ '^SKU-[0-9]{6}$'),
  constraint inventory_on_hand_nonneg   check (on_hand >= 0),
  constraint inventory_allocated_nonneg check (allocated >= 0),
  -- The last line of defence against overselling: any write, by allocate()
  -- or by the trigger, that would allocate more than is on hand fails.
  constraint inventory_not_oversold     check (allocated <= on_hand)
);
