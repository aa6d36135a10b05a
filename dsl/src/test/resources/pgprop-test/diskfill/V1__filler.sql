-- A table that fills a small disk: unlogged, so the rows go to data files and not to the WAL
-- (a WAL write that fails stops the whole server; a data file that cannot grow is an ERROR, 53100).
create unlogged table filler (a bigint, b bigint, c bigint, d bigint);
