-- A trigram index of the folded name and the mobile number, so a search
-- for a substring of three or more characters reads the matching customers
-- instead of every row. The index keeps no copy of the text: it reads the
-- customers table, and the triggers keep it in step with that table.
CREATE VIRTUAL TABLE customer_search USING fts5 (
    search_key, mobile,
    content = 'customers', content_rowid = 'crf', tokenize = 'trigram');

CREATE TRIGGER customer_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_search (rowid, search_key, mobile) VALUES (new.crf, new.search_key, new.mobile);
END;

CREATE TRIGGER customer_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_key, mobile)
        VALUES ('delete', old.crf, old.search_key, old.mobile);
END;

CREATE TRIGGER customer_search_update AFTER UPDATE OF crf, search_key, mobile ON customers BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_key, mobile)
        VALUES ('delete', old.crf, old.search_key, old.mobile);
    INSERT INTO customer_search (rowid, search_key, mobile) VALUES (new.crf, new.search_key, new.mobile);
END;

INSERT INTO customer_search (customer_search) VALUES ('rebuild');

-- Few customers are archived, so a search counts its hits and takes away
-- the archived ones found through this index.
CREATE INDEX customers_archived ON customers (archived_at) WHERE archived_at IS NOT NULL;

-- Text too short for the trigram index is tested on every customer; this
-- index holds just what that test reads, so a count reads it instead of
-- the wider table.
CREATE INDEX customers_search_scan ON customers (search_key, mobile, archived_at);
