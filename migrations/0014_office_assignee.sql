-- "Assigned to me" in the office inbox: without this, a clerk's filter walked all of a town's
-- submissions in submissions_inbox to find their own (p95 95–113 ms for an admin with none at
-- 100,000 submissions, npm run bench -- office). Covering like the other inbox indexes, so the
-- page and the counts read this index only.
CREATE INDEX submissions_inbox_assignee ON submissions (tenant_id, assignee_id, submitted_at, id, status, department, form_id, office_unread, reference, applicant_name);
