create table fine (id integer primary key);
create table broken (id integer primary key, ref integer references no_such_table (id));
