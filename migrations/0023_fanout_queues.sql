-- A news fan-out on Workers is split into pages of recipients, one queue message each
-- (server/workers/queues.ts). A plan is one such split; its pages are marked done in the same
-- write that adds their messages, and the last page done marks the item fanned out. An item
-- whose plan made no progress for ten minutes (a queue lost messages) has its pages not done put on
-- the queue again by the Cron trigger; `fanout_planned_at` is the time of the last progress.
ALTER TABLE news ADD COLUMN fanout_plan TEXT;
ALTER TABLE news ADD COLUMN fanout_planned_at INTEGER;

CREATE TABLE news_fanout_pages (
  tenant_id TEXT NOT NULL,
  news_id TEXT NOT NULL,
  plan TEXT NOT NULL,
  -- Accounts with an id after `after_id` up to and including `until_id` (NULL: to the end).
  after_id TEXT NOT NULL,
  until_id TEXT,
  done_at INTEGER,
  PRIMARY KEY (tenant_id, news_id, plan, after_id)
);

-- Messages to one person (codes, receipts, notifications) are sent ahead of a news fan-out's
-- thousands: the sweep after a request looks only at these.
CREATE INDEX outbox_due_single ON outbox (status, next_attempt_at) WHERE shared_id IS NULL AND template <> 'news_alert';
