-- Free slots are kept per service and day (server/appointments/service.ts): a booking changes one
-- day, so only the days it touches are computed again, not the whole booking window. A day's
-- version (the UTC day an appointment starts in) rises with every change of an appointment
-- starting that day, in the same transaction. Absences, which may span weeks, keep raising the
-- town's version (appointment_versions), on which every day's slots depend.
CREATE TABLE appointment_day_versions (
  tenant_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, day)
) WITHOUT ROWID;

DROP TRIGGER appointment_versions_insert;
DROP TRIGGER appointment_versions_update;
DROP TRIGGER appointment_versions_delete;

CREATE TRIGGER appointment_day_versions_insert AFTER INSERT ON appointments BEGIN
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version) VALUES (NEW.tenant_id, NEW.start_at / 86400000, 0);
  UPDATE appointment_day_versions SET version = version + 1 WHERE tenant_id = NEW.tenant_id AND day = NEW.start_at / 86400000;
END;
CREATE TRIGGER appointment_day_versions_update AFTER UPDATE ON appointments BEGIN
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version) VALUES (OLD.tenant_id, OLD.start_at / 86400000, 0);
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version) VALUES (NEW.tenant_id, NEW.start_at / 86400000, 0);
  UPDATE appointment_day_versions SET version = version + 1 WHERE tenant_id = NEW.tenant_id AND day IN (OLD.start_at / 86400000, NEW.start_at / 86400000);
END;
CREATE TRIGGER appointment_day_versions_delete AFTER DELETE ON appointments BEGIN
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version) VALUES (OLD.tenant_id, OLD.start_at / 86400000, 0);
  UPDATE appointment_day_versions SET version = version + 1 WHERE tenant_id = OLD.tenant_id AND day = OLD.start_at / 86400000;
END;
