-- Array columns of many element types, and a sequence: for the dsl's own tests of arrays and sequences.
create extension if not exists vector;
create table ticket (
    id   bigserial primary key,
    note text
);
create table arrays (
    id      integer primary key,
    texts   text[],
    codes   varchar(5)[],
    bigs    bigint[],
    ints    integer[],
    grid    integer[][],
    flags   boolean[],
    reals   real[],
    amounts numeric(10, 2)[],
    ids     uuid[],
    days    date[],
    ats     timestamptz[],
    locals  timestamp[],
    docs    jsonb[],
    vecs    vector(2)[]
);
