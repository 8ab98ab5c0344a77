-- News items of a town. `body` is the Markdown staff wrote; `body_html` its sanitized rendering.
CREATE TABLE news (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,
  body_html TEXT NOT NULL,
  topics TEXT NOT NULL,
  urgent INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
  publish_at INTEGER,
  published_at INTEGER,
  -- Set once every subscriber's message is in the outbox; until then the fan-out job resumes it.
  fanned_out_at INTEGER,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX news_published ON news (tenant_id, status, published_at, id);
-- The scheduler looks across towns for items that are due or not yet fanned out.
CREATE INDEX news_due ON news (status, publish_at);

CREATE TABLE subscriptions (
  tenant_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, account_id, topic),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX subscriptions_topic ON subscriptions (tenant_id, topic, account_id);

ALTER TABLE accounts ADD COLUMN sms_alerts INTEGER NOT NULL DEFAULT 0;

-- Variables shared by many outbox messages (a news item's text), stored once instead of per recipient.
CREATE TABLE outbox_shared (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  vars TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE outbox ADD COLUMN shared_id TEXT;
