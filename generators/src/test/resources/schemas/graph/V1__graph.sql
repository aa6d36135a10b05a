-- An org chart and a graph with a foreign-key cycle: department <-> employee through an
-- initially deferred key, employee -> employee (self), and node <-> edge.
create table department (
    id integer primary key,
    name text not null,
    head_id integer not null
);
create table employee (
    id integer primary key,
    department_id integer not null references department,
    manager_id integer references employee,
    salary integer not null check (salary between 1000 and 100000),
    check (manager_id <> id)
);
alter table department add constraint department_head_fk foreign key (head_id) references employee
    deferrable initially deferred;
create table node (id bigint primary key, label varchar(8) not null);
create table edge (
    source bigint not null references node,
    target bigint not null references node,
    weight real not null check (weight >= 0),
    primary key (source, target),
    check (source <> target)
);
