-- Counts per status of a town's submissions, per department, kept by the database itself: the
-- office shows them above every inbox page, and counting them from an index read all of a big
-- town's submissions on every page (about 8 ms of 9 at 100,000, npm run bench -- office). When
-- no filter but status narrows the inbox, the counts come from here (server/office/repo.ts).
-- Triggers keep them exact through every insert, status or department change and delete, in the
-- same transaction, on SQLite and D1 alike. Department '' is "none".
CREATE TABLE submission_counts (
  tenant_id TEXT NOT NULL,
  department TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, department, status)
) WITHOUT ROWID;

INSERT INTO submission_counts (tenant_id, department, status, n)
  SELECT tenant_id, coalesce(department, ''), status, count(*) FROM submissions GROUP BY tenant_id, coalesce(department, ''), status;

CREATE TRIGGER submission_counts_insert AFTER INSERT ON submissions BEGIN
  INSERT OR IGNORE INTO submission_counts (tenant_id, department, status, n) VALUES (NEW.tenant_id, coalesce(NEW.department, ''), NEW.status, 0);
  UPDATE submission_counts SET n = n + 1 WHERE tenant_id = NEW.tenant_id AND department = coalesce(NEW.department, '') AND status = NEW.status;
END;

CREATE TRIGGER submission_counts_update AFTER UPDATE OF status, department ON submissions
WHEN OLD.status IS NOT NEW.status OR OLD.department IS NOT NEW.department BEGIN
  UPDATE submission_counts SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND department = coalesce(OLD.department, '') AND status = OLD.status;
  INSERT OR IGNORE INTO submission_counts (tenant_id, department, status, n) VALUES (NEW.tenant_id, coalesce(NEW.department, ''), NEW.status, 0);
  UPDATE submission_counts SET n = n + 1 WHERE tenant_id = NEW.tenant_id AND department = coalesce(NEW.department, '') AND status = NEW.status;
END;

CREATE TRIGGER submission_counts_delete AFTER DELETE ON submissions BEGIN
  UPDATE submission_counts SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND department = coalesce(OLD.department, '') AND status = OLD.status;
END;
