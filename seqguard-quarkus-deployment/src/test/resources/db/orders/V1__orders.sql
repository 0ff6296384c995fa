create table "Orders; DROP TABLE x" (id bigserial primary key, total numeric not null);
insert into "Orders; DROP TABLE x" (id, total) select g, g * 10 from generate_series(1, 40) g;
-- a table left out of the check in one test: its sequence lags
create table legacy (id serial primary key);
insert into legacy (id) select g from generate_series(1, 5) g;
