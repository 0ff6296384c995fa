-- Rows loaded with their ids, as logical replication applies them: no nextval() was called.
INSERT INTO "ledger_entry" ("id", "memo") SELECT i, 'replicated ' || i FROM generate_series(1, 120) AS i;
INSERT INTO "Order Lines; DROP TABLE x" ("id", "item") VALUES (1, 'replicated'), (7, 'replicated');
