-- A tiny vector schema of the dsl's own tests (never the reference schema).
create extension if not exists vector;
create table item (
    id  text primary key,
    v   vector(3) not null,
    tag text not null default 'a'
);
create index item_v_hnsw on item using hnsw (v vector_cosine_ops);
