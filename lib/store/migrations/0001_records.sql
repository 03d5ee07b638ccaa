-- Version 1 of the record store. lib/store.py applies each numbered migration once.
CREATE SEQUENCE IF NOT EXISTS organization_id;
CREATE TABLE organization (
    id INTEGER PRIMARY KEY DEFAULT nextval('organization_id'),
    name VARCHAR NOT NULL UNIQUE,          -- full official name
    short_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,                 -- อบต. / เทศบาลตำบล / ...
    district VARCHAR,
    province VARCHAR,
    website VARCHAR,
    location_confirmed BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE SEQUENCE IF NOT EXISTS source_document_id;
CREATE TABLE source_document (
    id INTEGER PRIMARY KEY DEFAULT nextval('source_document_id'),
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL UNIQUE,
    format VARCHAR NOT NULL,               -- txt, docx, xlsx, csv
    layout VARCHAR NOT NULL,
    layout_label VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,                 -- plan | measures
    title VARCHAR,
    organization_id INTEGER REFERENCES organization(id),
    fiscal_year INTEGER,
    framework_year INTEGER,
    report_round INTEGER,
    period_text VARCHAR,
    period_start DATE,
    period_end DATE,
    as_of DATE,
    content BLOB NOT NULL,                 -- the original bytes, exactly as imported
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS document_issue_id;
CREATE TABLE document_issue (
    id INTEGER PRIMARY KEY DEFAULT nextval('document_issue_id'),
    document_id INTEGER NOT NULL REFERENCES source_document(id),
    code VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,             -- warning | question
    message VARCHAR NOT NULL,
    options VARCHAR[],
    subject VARCHAR,
    answer VARCHAR,
    answered_at TIMESTAMP,
    answered_by VARCHAR
);

CREATE TABLE document_dimension (
    document_id INTEGER NOT NULL REFERENCES source_document(id),
    dimension INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (document_id, dimension)
);

CREATE SEQUENCE IF NOT EXISTS plan_item_id;
CREATE TABLE plan_item (
    id INTEGER PRIMARY KEY DEFAULT nextval('plan_item_id'),
    organization_id INTEGER NOT NULL REFERENCES organization(id),
    fiscal_year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    item_type VARCHAR,
    dimension INTEGER NOT NULL,
    budget DECIMAL(14, 2) NOT NULL,
    quarters INTEGER[] NOT NULL,
    remark VARCHAR,
    detail_seq INTEGER,
    rationale VARCHAR,
    objectives VARCHAR,
    target_group VARCHAR,
    method VARCHAR,
    period_text VARCHAR,
    period_start DATE,
    period_end DATE,
    budget_text VARCHAR,
    responsible VARCHAR,
    outputs VARCHAR,
    outcomes VARCHAR,
    document_id INTEGER NOT NULL REFERENCES source_document(id),
    source_excerpt VARCHAR NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS measure_id;
CREATE TABLE measure (
    id INTEGER PRIMARY KEY DEFAULT nextval('measure_id'),
    organization_id INTEGER NOT NULL REFERENCES organization(id),
    fiscal_year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    instrument VARCHAR,
    item_topic VARCHAR,
    category VARCHAR,
    category_no INTEGER,
    weakness VARCHAR,
    steps VARCHAR,
    responsible VARCHAR,
    monitoring VARCHAR,
    period_text VARCHAR,
    period_source VARCHAR,
    period_start DATE,
    period_end DATE,
    quarters INTEGER[] NOT NULL,
    recurrence VARCHAR,
    result VARCHAR,
    outcome VARCHAR,
    links VARCHAR[] NOT NULL,
    document_id INTEGER NOT NULL REFERENCES source_document(id),
    source_excerpt VARCHAR NOT NULL
);

-- Many to many: a measure serves ITA items, each keyed by (framework year, code).
CREATE TABLE measure_item_link (
    measure_id INTEGER NOT NULL REFERENCES measure(id),
    framework_year INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,               -- document | suggested
    status VARCHAR NOT NULL,               -- as_read | pending | confirmed | rejected
    PRIMARY KEY (measure_id, framework_year, code)
);

-- Appended, never overwritten; the latest row per record and quarter wins.
CREATE SEQUENCE IF NOT EXISTS progress_id;
CREATE TABLE progress (
    id INTEGER PRIMARY KEY DEFAULT nextval('progress_id'),
    record_kind VARCHAR NOT NULL,          -- plan_item | measure
    record_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    status VARCHAR NOT NULL,
    reason VARCHAR,
    spent DECIMAL(14, 2),
    note VARCHAR,
    evidence_url VARCHAR,
    reported_at TIMESTAMP NOT NULL,
    reported_by VARCHAR NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS history_id;
CREATE TABLE history (
    id INTEGER PRIMARY KEY DEFAULT nextval('history_id'),
    changed_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,               -- import | answer | update | ...
    table_name VARCHAR NOT NULL,
    record_id INTEGER,
    old_value JSON,
    new_value JSON,
    document_id INTEGER
);
