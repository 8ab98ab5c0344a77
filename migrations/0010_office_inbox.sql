-- The office inbox reads the newest submissions first, a page at a time, with counts per status.
-- Without these, every page sorted all of a town's submissions and every count read the table:
-- p95 of 0.6–2 s at 100,000 submissions (npm run bench -- office). Pages now walk
-- submissions_inbox and check each filter inside it; counts read submissions_inbox_status
-- only (tests/node/office-query-plans.test.ts). The form index serves the CSV export by period.
DROP INDEX submissions_office_status;
DROP INDEX submissions_office;
CREATE INDEX submissions_inbox ON submissions (tenant_id, submitted_at, id, status, department, form_id, assignee_id, office_unread, reference, applicant_name);
CREATE INDEX submissions_inbox_status ON submissions (tenant_id, status, submitted_at, id, department, form_id, assignee_id, office_unread, reference, applicant_name);
CREATE INDEX submissions_inbox_form ON submissions (tenant_id, form_id, submitted_at, id);
