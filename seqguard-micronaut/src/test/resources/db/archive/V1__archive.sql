CREATE SEQUENCE "archived_entry_seq" MINVALUE 1 START WITH 1;
CREATE TABLE "archived_entry" ("id" BIGINT PRIMARY KEY NOT NULL,"memo" VARCHAR(255) NOT NULL);
INSERT INTO "archived_entry" ("id", "memo") VALUES (1, 'replicated'), (2, 'replicated'), (30, 'replicated');
