-- A report without a status withdraws the quarter's report it follows (a status answer taken back,
-- lib/store/db.py `Store.withdraw_answer`): the latest report still wins, and a latest report with no
-- status counts as no report, as a quarter never reported (the summaries already read a missing
-- status so). Progress stays append-only: the withdrawn report and the withdrawal are both kept.
ALTER TABLE progress ALTER COLUMN status DROP NOT NULL;
ALTER TABLE progress_latest ALTER COLUMN status DROP NOT NULL;
