-- Forms (Anträge). Definitions come from tenants/ at sync; every version a town ever served is
-- kept, because a submission is read (and a draft checked) against the version it was made with.
CREATE TABLE form_versions (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  form_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  -- SHA-256 of the definition JSON; the sync adds a version only when this changes.
  hash TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, form_id, version)
);

-- The forms a town serves now, pointing at their current version.
CREATE TABLE forms (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- One draft per account and form; may be invalid; deleted 30 days after its last change.
CREATE TABLE form_drafts (
  tenant_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  form_id TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, account_id, form_id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX form_drafts_expiry ON form_drafts (expires_at);

CREATE TABLE submissions (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  -- Readable and unique per town: TGH-2026-000123.
  reference TEXT NOT NULL,
  form_id TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  -- Null for anonymous senders; they are reached by `email`.
  account_id TEXT,
  email TEXT NOT NULL,
  lang TEXT NOT NULL,
  data TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'in_progress', 'waiting', 'approved', 'rejected', 'closed')),
  -- Scope (account id or "anon") and the client's Idempotency-Key: the same key twice is one submission.
  idempotency_key TEXT NOT NULL,
  -- SHA-256 of what was sent with that key, to refuse the key reused for different content.
  request_hash TEXT NOT NULL,
  -- Anonymous senders open their receipt with a token from the mail; only its hash is kept.
  receipt_token_hash TEXT,
  submitted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX submissions_reference ON submissions (tenant_id, reference);
CREATE UNIQUE INDEX submissions_idempotency ON submissions (tenant_id, idempotency_key);
CREATE INDEX submissions_account ON submissions (tenant_id, account_id, submitted_at);

-- One counter per town and year; the increment and the submission are one atomic write.
CREATE TABLE reference_counters (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  year INTEGER NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, year)
);

-- Metadata of uploaded files; the bytes are in the blob store under `blob_key`, never here.
CREATE TABLE uploads (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  form_id TEXT NOT NULL,
  -- The file field it was uploaded for, without entry indexes: `hunde.nachweis`.
  field TEXT NOT NULL,
  -- Null for anonymous uploads: those can only go into an anonymous submission.
  account_id TEXT,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX uploads_created ON uploads (created_at);

-- Which uploads belong to which submission. The key makes an upload usable once: a second
-- submission naming it fails as a whole.
CREATE TABLE submission_uploads (
  tenant_id TEXT NOT NULL,
  upload_id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, upload_id)
);
CREATE INDEX submission_uploads_submission ON submission_uploads (tenant_id, submission_id);

-- Solved proof-of-work challenges, each usable once until it expires.
CREATE TABLE proof_uses (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX proof_uses_expiry ON proof_uses (expires_at);
