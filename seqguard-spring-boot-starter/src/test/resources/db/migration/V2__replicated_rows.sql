-- The old primary's rows, written with their ids as logical replication (or pgcopydb, DMS, COPY) writes them:
-- nextval() is never called, so every sequence still hands out 1 next.
INSERT INTO invoice (id, number, amount) SELECT g, 'INV-' || g, g * 1.5 FROM generate_series(1, 1000) g;
INSERT INTO customer (id, name) SELECT g, 'customer ' || g FROM generate_series(1, 300) g;
INSERT INTO audit_event (id, message) SELECT g, 'replicated' FROM generate_series(1, 42) g;
