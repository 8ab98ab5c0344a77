-- Hand-off of submissions to a town's systems: signed webhooks (tenant.json `webhooks`).
--
-- A table of its own rather than a new outbox channel. The outbox's `channel` has a CHECK
-- (email, sms) that SQLite cannot change in place; widening it means rebuilding the outbox
-- (create, copy, drop, rename) on every live database, while mails are being queued, with
-- its indexes and the dispatchers' claims, for a channel that shares little with it: a
-- webhook has an event id, an HTTP status per attempt, a replay, and no recipient, template
-- or language. So deliveries live here, sent by server/handoff/dispatcher.ts with the
-- outbox's backoff (`backoffMs`), claimed and leased the way the outbox is.
--
-- One row per delivery of an event to one webhook. The event id is what receivers dedupe
-- by: every delivery of the same event (retries are the same row; a replay is a new row)
-- carries the same `event_id`. The body is built when it is sent, from the submission,
-- whose data and files never change, so a retry or a replay sends the same event.
CREATE TABLE webhook_deliveries (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('submission.created')),
  -- The id of the webhook in tenant.json; its URL and secret are looked up when sending.
  webhook_id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  -- Set on a replay: the delivery it repeats.
  replay_of TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  -- While 'sending': the end of the claim's lease, after which another dispatcher may take it over.
  next_attempt_at INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
-- An event goes to a webhook once; only replays add deliveries of it.
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (tenant_id, webhook_id, event_id) WHERE replay_of IS NULL;
-- One queue for all towns, like the outbox: the index leads with the state.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (tenant_id, created_at);

-- Every HTTP attempt of a delivery, for the delivery log: when, the receiver's status code or
-- why there was none, and how long it took. Never the receiver's answer body.
CREATE TABLE webhook_attempts (
  tenant_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, delivery_id, attempt)
);
