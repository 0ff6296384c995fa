--liquibase formatted sql

--changeset seqguard:1
CREATE TABLE liquibase_item (id bigserial PRIMARY KEY, source text NOT NULL DEFAULT 'application');
INSERT INTO liquibase_item (id, source) SELECT g, 'liquibase' FROM generate_series(1, 22) g;
