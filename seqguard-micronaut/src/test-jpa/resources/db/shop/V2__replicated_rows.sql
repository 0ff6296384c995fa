-- Rows loaded with their ids, as logical replication applies them: no nextval() was called.
INSERT INTO invoice (id, number) SELECT i, 'INV-' || i FROM generate_series(1, 500) AS i;
INSERT INTO payment (id, cents) SELECT i, 100 * i FROM generate_series(1, 40) AS i;
INSERT INTO credit_note (id, reason) SELECT i, 'credit' FROM generate_series(1, 30) AS i;
INSERT INTO debit_note (id, reason) SELECT i, 'debit' FROM generate_series(31, 75) AS i;
INSERT INTO customer (id, name) SELECT i, 'customer ' || i FROM generate_series(1, 20) AS i;
INSERT INTO ticket (id, subject) SELECT i, 'ticket ' || i FROM generate_series(1, 12) AS i;
INSERT INTO "order _lines; _drop _table x" ("line _no", quantity) SELECT i, 1 FROM generate_series(1, 9) AS i;
