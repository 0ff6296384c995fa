CREATE TABLE invoice (
    id serial PRIMARY KEY,
    number text NOT NULL
);
INSERT INTO invoice (id, number) VALUES (10, 'INV-10'), (11, 'INV-11');
