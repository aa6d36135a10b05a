-- The two-phase-commit coordinator's durable decision log, kept in shard A's database: a row
-- means "commit the distributed transaction gid". It is written after both shards prepared and
-- before the first COMMIT PREPARED; recovery commits the prepared transactions that have a
-- row and rolls back the others (presumed abort).
create table coordinator_log (
  gid        text        primary key,
  decided_at timestamptz not null default now()
);
