-- Raised in the same write as every change to what a town's public reads answer (news), so
-- cached answers are keyed by it: a change reaches every process and edge location that
-- re-reads the town, without anyone having to find and purge the old answers.
ALTER TABLE tenants ADD COLUMN content_version INTEGER NOT NULL DEFAULT 0;

-- The scheduler asks every few seconds which published items still await their fan-out. Only
-- those few rows are in this index, so the question costs the same with 100 or 100,000 items.
CREATE INDEX news_awaiting_fanout ON news (status, fanned_out_at) WHERE fanned_out_at IS NULL;
