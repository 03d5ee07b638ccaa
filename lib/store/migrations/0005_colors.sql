-- Chart colours from data/catalog/colors.csv: one per dimension, instrument and progress measure,
-- the same on every page.
CREATE TABLE color (
    kind VARCHAR NOT NULL,                 -- dimension | instrument | progress
    key VARCHAR NOT NULL,                  -- 1-4 | IIT/EIT/OIT/none | planned/reported/done/no_report/spent
    color VARCHAR NOT NULL,                -- #RRGGBB
    PRIMARY KEY (kind, key)
);
