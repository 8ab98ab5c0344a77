-- Free slots read every appointment of a service's clerks over the booking window (8 weeks of
-- a busy office: thousands), and of the service itself for its capacity. These indexes answer
-- both from the index alone, by start within the window (npm run bench -- slots).
DROP INDEX appointments_clerk;
DROP INDEX appointments_service;
CREATE INDEX appointments_clerk ON appointments (tenant_id, clerk_id, start_at, end_at, status, confirm_by);
CREATE INDEX appointments_service ON appointments (tenant_id, service_id, start_at, end_at, status, confirm_by, seat);

-- A version per town that every change to its appointments or absences raises, in the same
-- transaction: free slots are computed once per version (and minute) and then answered from
-- memory (server/appointments/service.ts), on Node and per Workers isolate alike.
CREATE TABLE appointment_versions (
  tenant_id TEXT NOT NULL PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER appointment_versions_insert AFTER INSERT ON appointments BEGIN
  INSERT OR IGNORE INTO appointment_versions (tenant_id, version) VALUES (NEW.tenant_id, 0);
  UPDATE appointment_versions SET version = version + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER appointment_versions_update AFTER UPDATE ON appointments BEGIN
  INSERT OR IGNORE INTO appointment_versions (tenant_id, version) VALUES (NEW.tenant_id, 0);
  UPDATE appointment_versions SET version = version + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER appointment_versions_delete AFTER DELETE ON appointments BEGIN
  UPDATE appointment_versions SET version = version + 1 WHERE tenant_id = OLD.tenant_id;
END;
CREATE TRIGGER appointment_versions_absence_insert AFTER INSERT ON clerk_absences BEGIN
  INSERT OR IGNORE INTO appointment_versions (tenant_id, version) VALUES (NEW.tenant_id, 0);
  UPDATE appointment_versions SET version = version + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER appointment_versions_absence_update AFTER UPDATE ON clerk_absences BEGIN
  UPDATE appointment_versions SET version = version + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER appointment_versions_absence_delete AFTER DELETE ON clerk_absences BEGIN
  UPDATE appointment_versions SET version = version + 1 WHERE tenant_id = OLD.tenant_id;
END;
