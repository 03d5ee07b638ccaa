-- Synthetic data (bench/generate) is marked: each organization it creates carries synthetic = TRUE and a
-- name ending in "(สังเคราะห์)"; each run is one row here with what generated it.
ALTER TABLE organization ADD COLUMN synthetic BOOLEAN DEFAULT FALSE;

CREATE SEQUENCE IF NOT EXISTS synthetic_dataset_id;
CREATE TABLE synthetic_dataset (
    id INTEGER PRIMARY KEY DEFAULT nextval('synthetic_dataset_id'),
    generator VARCHAR NOT NULL,            -- bench/generate
    seed INTEGER NOT NULL,
    size VARCHAR NOT NULL,                 -- national | province | N
    as_of DATE NOT NULL,                   -- the "today" the fiscal years and reports were drawn for
    parameters JSON NOT NULL,
    counts JSON NOT NULL,                  -- rows written per table
    fingerprint VARCHAR NOT NULL,          -- sha256 of the generated rows (independent of database ids)
    generated_at TIMESTAMP NOT NULL,
    seconds DOUBLE NOT NULL
);
