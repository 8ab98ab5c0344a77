-- Termine (server/appointments/): booked appointments, the time they hold, and clerks' absences.
--
-- Booking takes its time atomically without reading first: an appointment writes one row per
-- 5 minutes it lasts for its clerk ("clerk:<id>") and for a seat of its service
-- ("seat:<service>:<n>", n < the service's capacity) into appointment_cells, whose primary key
-- refuses a second claim. Two bookings that overlap for the same clerk or seat cannot both be
-- written, on SQLite and on D1 alike; the loser's whole write is rolled back and it gets
-- 409 slot_taken (or another clerk or seat, if one is free). Cancelling deletes the cells.
CREATE TABLE appointments (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  clerk_id TEXT NOT NULL,
  seat INTEGER NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  -- pending: booked without an account, not yet confirmed through the mail's link (until confirm_by).
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'no_show')),
  account_id TEXT,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  -- iCalendar SEQUENCE: raised with every change the invitation reports.
  sequence INTEGER NOT NULL DEFAULT 0,
  confirm_by INTEGER,
  reminder_queued_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  cancelled_at INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX appointments_account ON appointments (tenant_id, account_id, start_at);
CREATE INDEX appointments_clerk ON appointments (tenant_id, clerk_id, start_at);
CREATE INDEX appointments_service ON appointments (tenant_id, service_id, start_at);
-- Anonymous bookings whose confirmation is overdue, across towns, for the housekeeping.
CREATE INDEX appointments_unconfirmed ON appointments (confirm_by) WHERE status = 'pending';

CREATE TABLE appointment_cells (
  tenant_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  -- Minutes since the epoch divided by 5.
  cell INTEGER NOT NULL,
  appointment_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, resource, cell)
) WITHOUT ROWID;
CREATE INDEX appointment_cells_appointment ON appointment_cells (tenant_id, appointment_id);

-- Entered in the office. Not cells: an absence of weeks would be thousands of rows, and it is
-- entered by the town, which sees the appointments it collides with.
CREATE TABLE clerk_absences (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  clerk_id TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  note TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX clerk_absences_clerk ON clerk_absences (tenant_id, clerk_id, start_at);
