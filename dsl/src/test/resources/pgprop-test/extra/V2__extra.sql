create table extra_marker (id integer primary key);
