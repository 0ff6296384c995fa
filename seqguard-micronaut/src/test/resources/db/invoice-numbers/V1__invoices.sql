-- As an application that hands out invoice numbers in code writes it: the sequence feeds no column the catalog can
-- see (no OWNED BY, no DEFAULT); only the application knows that invoice.number comes from it.
CREATE SEQUENCE invoice_number_seq;
CREATE TABLE "Invoice Lines; DROP TABLE x" (
    id bigserial PRIMARY KEY,
    number bigint NOT NULL UNIQUE
);
-- the old primary's rows, copied with their numbers
INSERT INTO "Invoice Lines; DROP TABLE x" (id, number) VALUES (1, 5001), (2, 5002), (3, 5003);
