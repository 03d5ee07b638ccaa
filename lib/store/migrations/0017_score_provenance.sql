-- Where a score file came from (issue 17): asked at import and shown beside every score. Files imported
-- before this have NULL here and are shown as "not stated".
ALTER TABLE ita_upload ADD COLUMN source VARCHAR;        -- e.g. ระบบ ITAS itas.nacc.go.th, หนังสือ ป.ป.ช. จังหวัด
ALTER TABLE ita_upload ADD COLUMN source_date DATE;      -- the date of the results (announced or received)
