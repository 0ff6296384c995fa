CREATE TABLE script_item (id bigserial PRIMARY KEY, source text NOT NULL DEFAULT 'application');
