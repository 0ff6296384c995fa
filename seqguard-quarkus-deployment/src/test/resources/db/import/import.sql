-- Hibernate ORM's import script, as many applications seed data: explicit ids, no nextval(). (Hibernate's script
-- parser splits at every ';', even inside a quoted name, so the Panache entity's table is not seeded here.)
insert into Invoice (id, number) values (1, 'seed 1'), (2, 'seed 2'), (3, 'seed 3'), (60, 'seed 60');
