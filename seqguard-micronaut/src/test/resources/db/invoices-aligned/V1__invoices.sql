CREATE TABLE invoice (
    id serial PRIMARY KEY,
    number text NOT NULL
);
INSERT INTO invoice (number) VALUES ('INV-1'), ('INV-2');
