-- Document versions (lib/ingest/versions.py). content_key identifies what a document says, whatever
-- its bytes or format; version_of names the document a revised one is a version of; version_state:
--   NULL      counted on the pages
--   pending   a version awaiting the user's choice: kept as a source document, its records not written
--   kept      kept beside the other version (the user said they are different documents)
--   replaced  replaced by a newer version: its records moved to the *_replaced tables (undo moves them back)
ALTER TABLE source_document ADD COLUMN content_key VARCHAR;
ALTER TABLE source_document ADD COLUMN version_of INTEGER;
ALTER TABLE source_document ADD COLUMN version_state VARCHAR;
CREATE TABLE plan_item_replaced AS SELECT * FROM plan_item LIMIT 0;
CREATE TABLE measure_replaced AS SELECT * FROM measure LIMIT 0;
CREATE TABLE measure_item_link_replaced AS SELECT * FROM measure_item_link LIMIT 0;
-- DuckDB refuses to delete a measure whose links were deleted in the same transaction while the
-- link table holds a foreign key to it; the store keeps links and measures together instead.
CREATE TABLE measure_item_link_copy AS SELECT * FROM measure_item_link;
DROP TABLE measure_item_link;
CREATE TABLE measure_item_link (
    measure_id INTEGER NOT NULL,
    framework_year INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,               -- document | suggested
    status VARCHAR NOT NULL,               -- as_read | pending | confirmed | rejected
    PRIMARY KEY (measure_id, framework_year, code)
);
INSERT INTO measure_item_link SELECT * FROM measure_item_link_copy;
DROP TABLE measure_item_link_copy;
