-- Summaries by responsible unit, per province, and the in-progress / not-started counts
-- (lib/store/summaries): record_summary and quarter_summary now also hold, besides the rows per
-- dimension (plan items) and instrument (measures), rows per responsible unit (group_kind
-- 'plan_unit' / 'measure_unit', group_key the unit's name as the pages show it). The area_* tables
-- hold the same figures added up per province (NULL: location awaiting confirmation), so a national
-- or province view adds up a few thousand rows, not one per organization. summaries.VERSION moves
-- on with this change, so the first open rebuilds them all from the raw rows.
ALTER TABLE quarter_summary ADD COLUMN in_progress INTEGER DEFAULT 0;  -- of the planned, latest report in progress
ALTER TABLE quarter_summary ADD COLUMN not_started INTEGER DEFAULT 0;  -- of the planned, latest report not started

CREATE TABLE area_record_summary (
    province VARCHAR,
    fiscal_year INTEGER NOT NULL,
    group_kind VARCHAR NOT NULL,
    group_key VARCHAR NOT NULL,
    records INTEGER NOT NULL,
    without_quarters INTEGER NOT NULL,
    with_budget INTEGER NOT NULL,
    without_budget INTEGER NOT NULL,
    budget DECIMAL(18, 2),
    q1 INTEGER NOT NULL,
    q2 INTEGER NOT NULL,
    q3 INTEGER NOT NULL,
    q4 INTEGER NOT NULL
);

CREATE TABLE area_quarter_summary (
    province VARCHAR,
    fiscal_year INTEGER NOT NULL,
    group_kind VARCHAR NOT NULL,
    group_key VARCHAR NOT NULL,
    quarter INTEGER NOT NULL,
    planned INTEGER NOT NULL,
    reported INTEGER NOT NULL,
    done INTEGER NOT NULL,
    blocked INTEGER NOT NULL,
    spent DECIMAL(18, 2),
    records_through INTEGER NOT NULL,
    done_through INTEGER NOT NULL,
    in_progress INTEGER NOT NULL,
    not_started INTEGER NOT NULL
);
