-- The office's inbox search without reading a whole town (server/office/search.ts): a substring
-- search (LIKE '%q%') cost 100–130 ms at 100,000 submissions (npm run bench -- office).
-- Each word of an applicant's name, folded (Müller → muller, mueller), points to its submission;
-- submitted_at comes along so a match is checked against the inbox index without reading the row.
CREATE TABLE submission_terms (
  tenant_id TEXT NOT NULL,
  term TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  submission_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, term, submitted_at, submission_id),
  FOREIGN KEY (tenant_id, submission_id) REFERENCES submissions (tenant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX submission_terms_submission ON submission_terms (tenant_id, submission_id);

-- Submissions received before this migration: their terms are written by the housekeeping
-- (indexSearchBacklog) because folding needs Unicode rules SQLite does not have.
CREATE TABLE search_backlog (
  tenant_id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, submission_id)
) WITHOUT ROWID;
INSERT INTO search_backlog (tenant_id, submission_id) SELECT tenant_id, id FROM submissions;

-- The number of a reference (TGH-2026-000123 → 123), for a search by number alone.
CREATE INDEX submissions_reference_number ON submissions (tenant_id, CAST(substr(reference, instr(reference, '-') + 6) AS INTEGER));
