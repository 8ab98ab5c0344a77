-- Terminanfragen: for services given on request, citizens name their concern and preferred days;
-- coordinators (staff of the service's department) give a time with a clerk, which becomes an
-- appointment like a booking. One appointment per request at most: the unique index refuses a
-- second, should two coordinators schedule the same request at once.
CREATE TABLE appointment_requests (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  account_id TEXT,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  -- JSON: [{"date": "2026-12-01", "time": "morning" | "afternoon" | "any"}]
  preferences TEXT NOT NULL,
  note TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'scheduled')),
  appointment_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX appointment_requests_queue ON appointment_requests (tenant_id, status, created_at);
ALTER TABLE appointments ADD COLUMN request_id TEXT;
CREATE UNIQUE INDEX appointments_request ON appointments (tenant_id, request_id) WHERE request_id IS NOT NULL;
