-- Progress reports read from a results document (lib/ingest/results.py) are marked so until a user
-- confirms or corrects them (a new report). document_id names the document they came from.
ALTER TABLE progress ADD COLUMN from_document BOOLEAN DEFAULT FALSE;
ALTER TABLE progress ADD COLUMN document_id INTEGER;
UPDATE progress SET from_document = FALSE WHERE from_document IS NULL;
