-- Citizen, staff and admin accounts of one town. Email is unique per town among verified
-- accounts only: registering an address that is taken must look exactly like registering a
-- new one (no enumeration), so an unverified duplicate may exist until it is verified or expires.
CREATE TABLE accounts (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'association', 'company')),
  role TEXT NOT NULL DEFAULT 'citizen' CHECK (role IN ('citizen', 'staff', 'admin')),
  email TEXT NOT NULL,
  email_verified_at INTEGER,
  mobile TEXT NOT NULL,
  mobile_verified_at INTEGER,
  password_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  organisation TEXT,
  register_number TEXT,
  address TEXT,
  lang TEXT NOT NULL DEFAULT 'de',
  privacy_version TEXT NOT NULL,
  privacy_accepted_at INTEGER NOT NULL,
  demo INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX accounts_verified_email ON accounts (tenant_id, email) WHERE email_verified_at IS NOT NULL;
CREATE INDEX accounts_email ON accounts (tenant_id, email);

-- Lucia-style sessions: the id is the SHA-256 of the token the client holds; the token itself is never stored.
CREATE TABLE sessions (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_account ON sessions (tenant_id, account_id);

-- One open code per account and purpose; a new code replaces the old one.
CREATE TABLE verification_codes (
  tenant_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('email', 'mobile', 'password_reset')),
  target TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, account_id, purpose),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);

-- Fixed-window counters for rate limits, in the database so that they hold across Node
-- processes and Worker isolates alike.
CREATE TABLE rate_limits (
  tenant_id TEXT NOT NULL,
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

-- Every e-mail and SMS is written here first; the dispatcher renders and sends it with retries.
-- The payload holds template variables (including codes) only until the message is sent.
CREATE TABLE outbox (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  dedupe_key TEXT,
  account_id TEXT,
  recipient TEXT NOT NULL,
  template TEXT NOT NULL,
  lang TEXT NOT NULL,
  payload TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX outbox_dedupe ON outbox (tenant_id, dedupe_key);
CREATE INDEX outbox_account ON outbox (tenant_id, account_id);
-- The dispatcher serves all towns from one queue, so this one index leads with the state, not the town.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
