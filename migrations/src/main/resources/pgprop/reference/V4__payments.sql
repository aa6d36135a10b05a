-- Payments for allocations, visible to their owner only.

create table payments (
  id              uuid        not null primary key,
  allocation_id   uuid        not null,
  owner_id        uuid        not null,
  amount_cents    bigint      not null,
  currency        char(3)     not null,
  status          text        not null,
  idempotency_key text        not null,
  created_at      timestamptz not null default now(),
  constraint payments_allocation_fk          foreign key (allocation_id) references allocations (id) on delete restrict,
  constraint payments_amount_positive        check (amount_cents > 0),
  constraint payments_currency_format        check (currency ~ '^[A-Z]{3}$'),
  constraint payments_status_valid           check (status in ('pending', 'captured', 'refunded', 'failed')),
  constraint payments_idempotency_key_unique unique (idempotency_key)
);

-- Row level security: a role subject to RLS sees only the rows a policy
-- allows. There is a policy for SELECT only, so authenticated reads its own
-- payments and every other command by authenticated is refused by RLS even
-- where a table privilege exists. The table owner and service_role
-- (BYPASSRLS) are not subject to it.
alter table payments enable row level security;

create policy payments_owner_select on payments
  for select
  to authenticated
  using (owner_id = auth.uid());
