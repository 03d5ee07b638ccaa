-- Per organization, fiscal year and quarter, the rows over all its records (quarter_summary's and
-- quarter_change's group_kind 'total' rows, without the group columns), kept apart so the national
-- lists that rank organizations read them alone (lib/store/summaries: ORG_QUARTER, ORG_CHANGE):
-- organization_quarter as counted now (156 k rows nationally, against 2.9 M in quarter_summary);
-- organization_change how they moved day by day, stored in day order, so a read as of a past date reads
-- only the blocks of the days after it (the upkeep changes only the rows of the days a write moved).
-- Filled here from the summary rows kept so far (the same rows a rebuild would write).
CREATE TABLE organization_quarter (
    organization_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
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

CREATE TABLE organization_change (
    organization_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    on_day DATE NOT NULL,
    planned INTEGER NOT NULL,
    reported INTEGER NOT NULL,
    done INTEGER NOT NULL,
    blocked INTEGER NOT NULL,
    spent DECIMAL(18, 2) NOT NULL,
    records_through INTEGER NOT NULL,
    done_through INTEGER NOT NULL,
    in_progress INTEGER NOT NULL,
    not_started INTEGER NOT NULL
);

INSERT INTO organization_quarter
SELECT organization_id, fiscal_year, quarter, planned, reported, done, blocked, spent, records_through, done_through,
       in_progress, not_started
FROM quarter_summary WHERE group_kind = 'total' ORDER BY organization_id, fiscal_year, quarter;

INSERT INTO organization_change
SELECT organization_id, fiscal_year, quarter, on_day, planned, reported, done, blocked, spent, records_through,
       done_through, in_progress, not_started
FROM quarter_change WHERE group_kind = 'total' ORDER BY on_day, organization_id, fiscal_year, quarter;
