-- Webhooks also tell the town's systems when a clerk changes a submission's status
-- (`submission.status_changed`, docs/handoff.md). The event's CHECK cannot be widened in place,
-- so the table is rebuilt; nothing references it. `entry_id` names the status entry of the
-- submission's timeline the event reports, so every delivery of it sends the same change.
CREATE TABLE webhook_deliveries_new (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('submission.created', 'submission.status_changed')),
  webhook_id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  entry_id TEXT,
  replay_of TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (tenant_id, id),
  CHECK ((event = 'submission.status_changed') = (entry_id IS NOT NULL))
);
INSERT INTO webhook_deliveries_new (tenant_id, id, event_id, event, webhook_id, submission_id, entry_id, replay_of, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at)
  SELECT tenant_id, id, event_id, event, webhook_id, submission_id, NULL, replay_of, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_new RENAME TO webhook_deliveries;
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (tenant_id, webhook_id, event_id) WHERE replay_of IS NULL;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (tenant_id, created_at);
