-- Tables of the serial-equivalence tests: the anomaly catalogue's two-row table, a
-- write-skew table, and a ledger whose ids come from a sequence.
create table test (
  id    integer primary key,
  value integer not null
);

create table doctors (
  name    text    primary key,
  on_call boolean not null
);

create table ledger (
  id      bigserial primary key,
  account integer not null,
  amount  integer not null
);
