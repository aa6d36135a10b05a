-- A table the migrations fill: serial replays must start from its seeded row.
create table setting (
  name  text    primary key,
  value integer not null
);
insert into setting (name, value) values ('limit', 2);
