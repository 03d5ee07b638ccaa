-- The weak-point summary kept on write (lib/store/summaries/weak_points.py): per organization,
-- assessment (framework) year and weak point, the measures of the next fiscal year that name it and
-- whether any is under way (latest report in progress or done) or all are done, counting every report
-- so far. What the gap page adds up across organizations; derived from measure, measure_item_link and
-- progress_latest, refreshed with the other summaries, checked by `python -m lib.store.summaries --check`.
CREATE TABLE weak_point_summary (
    organization_id INTEGER NOT NULL,
    framework_year INTEGER NOT NULL,       -- the assessment year the weakness is of
    fiscal_year INTEGER NOT NULL,          -- the measures' fiscal year (framework_year + 1)
    code VARCHAR,                          -- the item code; NULL for a weakness named in words only
    instrument VARCHAR,                    -- for a weakness in words: the measure's instrument (may be NULL)
    measures INTEGER NOT NULL,             -- measures naming it
    under_way BOOLEAN NOT NULL,            -- some measure's latest report is in progress or done
    done BOOLEAN NOT NULL                  -- every measure's latest report is done
);
