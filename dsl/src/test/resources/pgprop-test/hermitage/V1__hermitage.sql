-- The two-row table of the anomaly catalogue (Hermitage, github.com/ept/hermitage).
-- Each try loads its rows (1, 10) and (2, 20); the scenarios add rows 3 and 4.
create table test (
  id    integer primary key,
  value integer not null
);
