INSERT INTO script_item (id, source) SELECT g, 'data.sql' FROM generate_series(1, 33) g;
