-- As Micronaut Data's schema generator writes a sequence-id entity: the sequence on its own, no OWNED BY, no DEFAULT.
CREATE SEQUENCE "ledger_entry_seq" MINVALUE 1 START WITH 1;
CREATE TABLE "ledger_entry" ("id" BIGINT PRIMARY KEY NOT NULL,"memo" VARCHAR(255) NOT NULL);
CREATE SEQUENCE "Order Lines; DROP TABLE x_seq" MINVALUE 1 START WITH 1;
CREATE TABLE "Order Lines; DROP TABLE x" ("id" BIGINT PRIMARY KEY NOT NULL,"item" VARCHAR(255) NOT NULL);
