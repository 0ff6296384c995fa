--liquibase formatted sql

--changeset seqguard:1
create table "Billing ""Lines""" (id bigserial primary key, amount numeric not null);
insert into "Billing ""Lines""" (id, amount) select g, g from generate_series(1, 25) g;
