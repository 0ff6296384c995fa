-- Rows with explicit ids, as replication writes them: the sequence stays at 1.
CREATE TABLE flyway_item (id bigserial PRIMARY KEY, source text NOT NULL DEFAULT 'application');
INSERT INTO flyway_item (id, source) SELECT g, 'flyway' FROM generate_series(1, 11) g;
