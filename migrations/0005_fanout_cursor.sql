-- Where a news fan-out stopped: the next run goes on from there instead of starting over, so a
-- town larger than one Cron run can handle still gets every message.
ALTER TABLE news ADD COLUMN fanout_cursor TEXT;
