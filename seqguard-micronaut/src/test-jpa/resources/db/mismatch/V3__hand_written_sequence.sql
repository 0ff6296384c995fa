-- The sequence as people write it by hand: it counts by 1, while the entity takes 50 ids per value.
DROP SEQUENCE invoice_seq;
CREATE SEQUENCE invoice_seq;
