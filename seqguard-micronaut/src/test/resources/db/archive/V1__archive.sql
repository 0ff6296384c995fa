-- As Micronaut Data's schema generator writes an entity of @MappedEntity(schema = "archive"): the sequence on its own.
CREATE SCHEMA "archive";
CREATE SEQUENCE "archive"."archived_entry_seq" MINVALUE 1 START WITH 1;
CREATE TABLE "archive"."archived_entry" ("id" BIGINT PRIMARY KEY NOT NULL,"memo" VARCHAR(255) NOT NULL);
INSERT INTO "archive"."archived_entry" ("id", "memo") VALUES (1, 'replicated'), (2, 'replicated'), (30, 'replicated');
