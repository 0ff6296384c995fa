CREATE TABLE book (
    id bigserial PRIMARY KEY,
    title text NOT NULL
);
