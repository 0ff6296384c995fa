-- A sequence only application code calls (nextval for an invoice number): no entity, no column ties it to data.
CREATE SEQUENCE invoice_number_seq;
