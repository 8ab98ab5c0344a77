-- The office: staff work on submissions; citizens follow them in their Postfach.

-- Office sessions live in a cookie and end after 30 idle minutes; widget sessions are bearer tokens.
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'bearer' CHECK (kind IN ('bearer', 'office'));

-- A disabled staff account can no longer log in; its name stays on what it did.
ALTER TABLE accounts ADD COLUMN disabled_at INTEGER;

-- Which departments (tenant.json) a staff account works for; admins see all of them.
CREATE TABLE staff_departments (
  tenant_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  department TEXT NOT NULL,
  PRIMARY KEY (tenant_id, account_id, department),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id) ON DELETE CASCADE
);

-- What the office filters and sorts by, kept on the submission: the department its form had when
-- it was sent, the applicant's name for search, who works on it, and whether a clerk has seen
-- the latest from the citizen.
ALTER TABLE submissions ADD COLUMN department TEXT;
ALTER TABLE submissions ADD COLUMN applicant_name TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN assignee_id TEXT;
ALTER TABLE submissions ADD COLUMN office_unread INTEGER NOT NULL DEFAULT 1;
ALTER TABLE submissions ADD COLUMN status_reason TEXT;
CREATE INDEX submissions_office ON submissions (tenant_id, department, submitted_at);
CREATE INDEX submissions_office_status ON submissions (tenant_id, status, submitted_at);

-- The timeline of a submission, which is also the citizen's Postfach: arrival, status changes,
-- messages of the town (with documents) and replies of the citizen.
CREATE TABLE timeline (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  -- Null for anonymous submissions: they are followed through the receipt link.
  account_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('submitted', 'status', 'message', 'reply')),
  status TEXT,
  reason TEXT,
  text TEXT,
  author_id TEXT,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX timeline_submission ON timeline (tenant_id, submission_id, created_at);
CREATE INDEX timeline_account ON timeline (tenant_id, account_id, created_at);

-- Files attached to timeline entries: documents from the town, files with a citizen's reply.
-- The bytes are in the blob store like uploads.
CREATE TABLE timeline_files (
  tenant_id TEXT NOT NULL,
  upload_id TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, upload_id)
);
CREATE INDEX timeline_files_entry ON timeline_files (tenant_id, entry_id);

-- Notes staff write for each other; never shown to citizens.
CREATE TABLE submission_notes (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX submission_notes_submission ON submission_notes (tenant_id, submission_id, created_at);

-- Every staff action: who, when, what, before and after. Append-only: the database refuses
-- changes and deletions, so not even a bug in the app can rewrite it.
CREATE TABLE audit_log (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  actor_id TEXT,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  before TEXT,
  after TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_time ON audit_log (tenant_id, created_at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
