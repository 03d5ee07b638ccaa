-- ITA framework catalog (data/catalog/ita/ plus corrections users import), scores and targets.
-- Items are keyed by (framework year, code): o36 means different things in different years.
CREATE TABLE ita_indicator (
    indicator INTEGER PRIMARY KEY,         -- 1-10
    name VARCHAR NOT NULL,
    instrument VARCHAR NOT NULL,           -- IIT | EIT | OIT
    confidence VARCHAR NOT NULL,           -- verified | third-party | unverified
    source VARCHAR
);

CREATE TABLE ita_weight (
    framework_year INTEGER NOT NULL,
    instrument VARCHAR NOT NULL,
    weight DECIMAL(5, 2) NOT NULL,         -- points of the total (IIT 30 / EIT 30 / OIT 40)
    confidence VARCHAR NOT NULL,
    source VARCHAR,
    PRIMARY KEY (framework_year, instrument)
);

-- origin 'catalog' rows come from data/catalog/ita/items_<year>.csv; 'import' rows are a user's
-- corrected catalog for one year and, when present, replace the catalog rows of that year.
CREATE TABLE ita_item (
    framework_year INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    instrument VARCHAR NOT NULL,
    indicator INTEGER,                     -- NULL when the reference does not say
    sub_indicator VARCHAR,
    title VARCHAR,                         -- NULL when the reference gives no title
    confidence VARCHAR NOT NULL,
    source VARCHAR,
    origin VARCHAR NOT NULL,               -- catalog | import
    PRIMARY KEY (framework_year, code, origin)
);

CREATE VIEW ita_item_active AS
SELECT i.* FROM ita_item i
WHERE i.origin = CASE WHEN EXISTS (SELECT 1 FROM ita_item x WHERE x.framework_year = i.framework_year
                                   AND x.origin = 'import') THEN 'import' ELSE 'catalog' END;

CREATE TABLE ita_grade_band (
    grade VARCHAR PRIMARY KEY,
    min_score DECIMAL(5, 2) NOT NULL,
    passes BOOLEAN NOT NULL,
    confidence VARCHAR NOT NULL,
    source VARCHAR
);

CREATE TABLE ita_verbal_level (
    level VARCHAR PRIMARY KEY,
    rank INTEGER NOT NULL,
    min_total DECIMAL(5, 2) NOT NULL,
    min_each_instrument DECIMAL(5, 2),
    confidence VARCHAR NOT NULL,
    source VARCHAR
);

-- Every score or catalog file a user imported, with its original bytes.
CREATE SEQUENCE IF NOT EXISTS ita_upload_id;
CREATE TABLE ita_upload (
    id INTEGER PRIMARY KEY DEFAULT nextval('ita_upload_id'),
    kind VARCHAR NOT NULL,                 -- scores | catalog
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    content BLOB NOT NULL,
    rows_written INTEGER NOT NULL,
    rows_skipped INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR NOT NULL
);

-- Current scores; an import replaces the scores of each (organization, year) it holds, and the
-- replaced rows are kept in history.
CREATE TABLE ita_score (
    organization_id INTEGER NOT NULL REFERENCES organization(id),
    framework_year INTEGER NOT NULL,
    level VARCHAR NOT NULL,                -- item | indicator | instrument | total
    code VARCHAR NOT NULL,                 -- i7 / 2 / IIT / total
    score DECIMAL(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
    upload_id INTEGER NOT NULL REFERENCES ita_upload(id),
    PRIMARY KEY (organization_id, framework_year, level, code)
);

CREATE TABLE ita_target (
    organization_id INTEGER NOT NULL REFERENCES organization(id),
    framework_year INTEGER NOT NULL,
    target DECIMAL(5, 2) NOT NULL,
    set_at TIMESTAMP NOT NULL,
    set_by VARCHAR NOT NULL,
    PRIMARY KEY (organization_id, framework_year)
);

-- Why a suggested link was proposed (measure_item_link itself has no room for it).
CREATE TABLE ita_link_reason (
    measure_id INTEGER NOT NULL,
    framework_year INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    decided_by VARCHAR NOT NULL,
    PRIMARY KEY (measure_id, framework_year, code)
);
