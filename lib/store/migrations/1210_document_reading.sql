-- What a document read by OCR said when it was imported: its ParsedDocument as JSON
-- (lib.records.to_jsonable). Showing it again (a version's differences, its records written when the
-- user chooses it) reads this instead of running OCR on its pages again (it took 40 s a document on a busy machine).
CREATE TABLE document_reading (
    document_id INTEGER PRIMARY KEY,
    parsed VARCHAR NOT NULL
);
