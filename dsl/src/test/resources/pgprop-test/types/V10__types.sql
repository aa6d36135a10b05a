-- Every column type the bulk paths encode, all nullable: for the dsl's bulk-load tests.
create extension if not exists vector;
create table sample (
    id      integer primary key,
    flag    boolean,
    small   smallint,
    big     bigint,
    real4   real,
    real8   double precision,
    amount  numeric(20, 6),
    label   text,
    code    varchar(20),
    fixed   char(3),
    doc     jsonb,
    raw     bytea,
    ref     uuid,
    day     date,
    at      timestamptz,
    local   timestamp,
    embedding vector(3)
);
