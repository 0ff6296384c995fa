-- A reporting database the application reaches through the raw data source only (no entity): a sequence application
-- code calls for report numbers, and its table loaded with numbers from the old primary.
CREATE SEQUENCE "Report Numbers; DROP TABLE x";
CREATE TABLE report (id bigint PRIMARY KEY, title text NOT NULL);
INSERT INTO report (id, title) SELECT i, 'report ' || i FROM generate_series(1, 30) AS i;
