--liquibase formatted sql

--changeset seqguard-test:1
CREATE TABLE book (
    id bigserial PRIMARY KEY,
    title text NOT NULL
);

--changeset seqguard-test:2
-- Rows loaded with their ids, as a cutover or an import does: book_id_seq is not called and stays at 1.
INSERT INTO book (id, title) VALUES (1, 'imported 1'), (2, 'imported 2'), (3, 'imported 3');
