-- A hand-written script's sequence, counting by 1, under an entity that takes 50 ids per value.
ALTER SEQUENCE invoice_seq INCREMENT BY 1;
