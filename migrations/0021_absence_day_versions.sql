-- An absence changes the free slots of the days it covers only: it now raises the versions of
-- those days (the UTC days from its start to its end) instead of the town's, so entering a day
-- off makes that day's slots be computed again, not the whole booking window. Absences longer
-- than a year still raise the town's version, on which every day depends. Triggers cannot use
-- a recursive WITH: the days are counted off a table of numbers.
CREATE TABLE day_offsets (n INTEGER NOT NULL PRIMARY KEY) WITHOUT ROWID;
INSERT INTO day_offsets (n) WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 366) SELECT n FROM c;

DROP TRIGGER appointment_versions_absence_insert;
DROP TRIGGER appointment_versions_absence_update;
DROP TRIGGER appointment_versions_absence_delete;

CREATE TRIGGER appointment_day_versions_absence_insert AFTER INSERT ON clerk_absences BEGIN
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version)
    SELECT NEW.tenant_id, NEW.start_at / 86400000 + n, 0 FROM day_offsets WHERE n <= (NEW.end_at - 1) / 86400000 - NEW.start_at / 86400000;
  UPDATE appointment_day_versions SET version = version + 1
    WHERE tenant_id = NEW.tenant_id AND day BETWEEN NEW.start_at / 86400000 AND (NEW.end_at - 1) / 86400000;
  INSERT OR IGNORE INTO appointment_versions (tenant_id, version) VALUES (NEW.tenant_id, 0);
  UPDATE appointment_versions SET version = version + 1
    WHERE tenant_id = NEW.tenant_id AND (NEW.end_at - 1) / 86400000 - NEW.start_at / 86400000 > 366;
END;

CREATE TRIGGER appointment_day_versions_absence_update AFTER UPDATE ON clerk_absences BEGIN
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version)
    SELECT OLD.tenant_id, OLD.start_at / 86400000 + n, 0 FROM day_offsets WHERE n <= (OLD.end_at - 1) / 86400000 - OLD.start_at / 86400000;
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version)
    SELECT NEW.tenant_id, NEW.start_at / 86400000 + n, 0 FROM day_offsets WHERE n <= (NEW.end_at - 1) / 86400000 - NEW.start_at / 86400000;
  UPDATE appointment_day_versions SET version = version + 1
    WHERE tenant_id = NEW.tenant_id
      AND (day BETWEEN OLD.start_at / 86400000 AND (OLD.end_at - 1) / 86400000 OR day BETWEEN NEW.start_at / 86400000 AND (NEW.end_at - 1) / 86400000);
  INSERT OR IGNORE INTO appointment_versions (tenant_id, version) VALUES (NEW.tenant_id, 0);
  UPDATE appointment_versions SET version = version + 1
    WHERE tenant_id = NEW.tenant_id AND ((OLD.end_at - 1) / 86400000 - OLD.start_at / 86400000 > 366 OR (NEW.end_at - 1) / 86400000 - NEW.start_at / 86400000 > 366);
END;

CREATE TRIGGER appointment_day_versions_absence_delete AFTER DELETE ON clerk_absences BEGIN
  INSERT OR IGNORE INTO appointment_day_versions (tenant_id, day, version)
    SELECT OLD.tenant_id, OLD.start_at / 86400000 + n, 0 FROM day_offsets WHERE n <= (OLD.end_at - 1) / 86400000 - OLD.start_at / 86400000;
  UPDATE appointment_day_versions SET version = version + 1
    WHERE tenant_id = OLD.tenant_id AND day BETWEEN OLD.start_at / 86400000 AND (OLD.end_at - 1) / 86400000;
  INSERT OR IGNORE INTO appointment_versions (tenant_id, version) VALUES (OLD.tenant_id, 0);
  UPDATE appointment_versions SET version = version + 1
    WHERE tenant_id = OLD.tenant_id AND (OLD.end_at - 1) / 86400000 - OLD.start_at / 86400000 > 366;
END;
