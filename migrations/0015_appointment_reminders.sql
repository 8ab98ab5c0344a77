-- The reminder the day before an appointment (server/appointments/reminders.ts): the job finds
-- confirmed appointments not yet reminded that start soon, across towns, through this index only.
CREATE INDEX appointments_to_remind ON appointments (start_at) WHERE status = 'confirmed' AND reminder_queued_at IS NULL;
