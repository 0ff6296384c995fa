-- Rows that arrive with explicit ids, as logical replication, pgcopydb, DMS or COPY deliver them: no nextval().
insert into invoice (id, number) select g, 'imported ' || g from generate_series(1, 120) g;
insert into "Order Lines; DROP TABLE x" (id, note) select g, 'imported ' || g from generate_series(1, 75) g;
insert into "Audit ""log""" (id, what) overriding system value select g, 'imported' from generate_series(1, 30) g;
