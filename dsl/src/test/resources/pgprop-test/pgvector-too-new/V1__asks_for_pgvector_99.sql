-- Asks for a pgvector version no server has: pgprop must say so before Flyway runs this.
create extension if not exists vector version '99.0.0';
create table widget (
    id    integer primary key,
    label text not null,
    e     halfvec(3)
);
