-- How the quarter summaries moved day by day (lib/store/summaries: `changes`), so a read as of a past
-- date takes the rows kept now and subtracts the days after it, instead of counting again every record
-- reported on since. Per organization, fiscal year, group and quarter as quarter_summary, and per day
-- on which one of its records was reported on: the counts as of that day's end less those as of the
-- day before (a report made on the day is known at its end: the as-of date D counts reports made up to
-- the end of D). Days on which nothing moved have no row. The counts are quarter_summary's (planned and
-- records_through never move with a report: always 0 here); spent is 0, never NULL, when unmoved.
-- national_quarter_change adds them up over every organization (national views); a province's or a
-- narrower view adds up its organizations' rows. Kept on write with the other summaries; summaries.VERSION
-- moves on with this change, so the first open fills them from the raw rows.
CREATE TABLE quarter_change (
    organization_id INTEGER NOT NULL,
    fiscal_year INTEGER NOT NULL,
    group_kind VARCHAR NOT NULL,
    group_key VARCHAR NOT NULL,
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

CREATE TABLE national_quarter_change (
    fiscal_year INTEGER NOT NULL,
    group_kind VARCHAR NOT NULL,
    group_key VARCHAR NOT NULL,
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
