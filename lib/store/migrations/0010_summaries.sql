-- Summaries kept on write (lib/store/summaries.py): what every follow-up page adds up, updated in the
-- same transaction as each write that changes records or progress. Derived from the raw rows
-- (plan_item, measure, progress), never edited by hand; `python -m lib.store.summaries --check`
-- recomputes them and compares. The store fills them when `summary_state` lacks the current version
-- (this migration on an existing database: the first open backfills them).

-- One row per progress report with the time a later report of the same record and quarter replaced
-- it: the latest report at a cutoff is the row with reported_at < cutoff and (until_at IS NULL or
-- until_at >= cutoff). organization_id and fiscal_year are the record's, so scoped reads filter first.
CREATE TABLE progress_latest (
    progress_id INTEGER NOT NULL,
    record_kind VARCHAR NOT NULL,
    record_id INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    organization_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    reason VARCHAR,
    spent DECIMAL(14, 2),
    reported_at TIMESTAMP NOT NULL,
    until_at TIMESTAMP
);

-- Per organization, fiscal year and group (plan items by dimension, measures by instrument): the
-- records and their budget. Nothing here depends on the as-of date.
CREATE TABLE record_summary (
    organization_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
    group_kind VARCHAR NOT NULL,           -- dimension (plan items) | instrument (measures)
    group_key VARCHAR NOT NULL,            -- dimension number, or IIT/EIT/OIT/none
    records INTEGER NOT NULL,
    without_quarters INTEGER NOT NULL,
    with_budget INTEGER NOT NULL,          -- plan items with budget > 0
    without_budget INTEGER NOT NULL,       -- plan items with budget = 0
    budget DECIMAL(18, 2),                 -- NULL for measures
    q1 INTEGER NOT NULL,                   -- records planning quarter 1 (2, 3, 4)
    q2 INTEGER NOT NULL,
    q3 INTEGER NOT NULL,
    q4 INTEGER NOT NULL
);

-- Per organization, fiscal year, group and quarter, counted with every report made so far (the
-- latest per record and quarter); reads at an earlier as-of date correct it with the few records
-- reported on after that date (lib/queries/dashboard.py).
CREATE TABLE quarter_summary (
    organization_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
    group_kind VARCHAR NOT NULL,
    group_key VARCHAR NOT NULL,
    quarter INTEGER NOT NULL,
    planned INTEGER NOT NULL,              -- planned quarters (record x quarter it plans)
    reported INTEGER NOT NULL,             -- of those, with a report
    done INTEGER NOT NULL,                 -- of those, latest report done
    blocked INTEGER NOT NULL,              -- of those, latest report blocked
    spent DECIMAL(18, 2),                  -- baht spent by the latest reports of this quarter (planned or not)
    records_through INTEGER NOT NULL,      -- records planning some quarter <= this one
    done_through INTEGER NOT NULL          -- of those, every planned quarter <= this one done
);

CREATE TABLE summary_state (
    version INTEGER NOT NULL,              -- summaries.VERSION they were built with
    built_at TIMESTAMP NOT NULL
);
