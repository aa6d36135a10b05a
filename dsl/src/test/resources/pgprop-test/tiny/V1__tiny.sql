-- A tiny schema of the dsl's own tests (never the reference schema).
create table widget (
    id    integer primary key,
    label varchar(${label_width}) not null,
    owner text
);
create table part (
    id        integer primary key,
    widget_id integer not null references widget (id),
    weight    integer not null check (weight > 0)
);
