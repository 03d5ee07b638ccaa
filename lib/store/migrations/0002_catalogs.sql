-- Reviewed catalogs from data/catalog/, reloaded when their file changes.
CREATE TABLE catalog_file (
    name VARCHAR PRIMARY KEY,              -- e.g. plan_dimensions
    sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE plan_dimension (
    first_fiscal_year INTEGER NOT NULL,
    last_fiscal_year INTEGER NOT NULL,
    dimension INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    confidence VARCHAR NOT NULL,           -- verified | third-party | unverified
    source VARCHAR,
    PRIMARY KEY (first_fiscal_year, dimension)
);
