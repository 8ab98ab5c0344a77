import type { Db, SubmissionStatusColumn } from "../db/schema.js";
import type { FormData } from "../forms/definition.js";
import { findSubmission, uploadsOfSubmission } from "../forms/repo.js";
import type { Tenant } from "../tenants/tenant.js";

/** The body of a `submission.created` delivery (docs/handoff.md). */
export interface SubmissionCreatedEvent {
  event: "submission.created";
  /** The event id: the same in every delivery of this event, retries and replays included. */
  id: string;
  /** The town's slug. */
  tenant: string;
  form: string;
  formVersion: number;
  submission: {
    id: string;
    reference: string;
    submittedAt: string;
    data: FormData;
    files: Array<{ id: string; name: string; size: number; mediaType: string; sha256: string; url: string }>;
  };
}

/**
 * The event as sent, built from the stored submission when it is sent. Its data and files never
 * change after sending, so every delivery of the event carries the same content; null when the
 * submission is gone.
 */
export async function submissionCreatedEvent(db: Db, tenant: Tenant, eventId: string, submissionId: string, publicUrl: string): Promise<SubmissionCreatedEvent | null> {
  const s = await findSubmission(db, tenant.id, submissionId);
  if (!s) return null;
  const files = await uploadsOfSubmission(db, tenant.id, submissionId);
  const base = `${publicUrl}/api/v1/tenants/${tenant.slug}/office/submissions/${s.id}/files`;
  return {
    event: "submission.created",
    id: eventId,
    tenant: tenant.slug,
    form: s.formId,
    formVersion: s.formVersion,
    submission: {
      id: s.id,
      reference: s.reference,
      submittedAt: new Date(s.submittedAt).toISOString(),
      data: s.data,
      files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, mediaType: f.mediaType, sha256: f.sha256, url: `${base}/${f.id}` })),
    },
  };
}

/** The body of a `submission.status_changed` delivery: the change a clerk made, without the form data (docs/handoff.md). */
export interface SubmissionStatusChangedEvent {
  event: "submission.status_changed";
  id: string;
  tenant: string;
  form: string;
  formVersion: number;
  submission: { id: string; reference: string; submittedAt: string };
  status: {
    value: SubmissionStatusColumn;
    /** The reason a clerk gave (required for a rejection), as the citizen reads it. */
    reason: string | null;
    changedAt: string;
  };
}

/** Built from the status entry of the submission's timeline, which never changes: every delivery reports the same change. */
export async function statusChangedEvent(db: Db, tenant: Tenant, eventId: string, submissionId: string, entryId: string): Promise<SubmissionStatusChangedEvent | null> {
  const s = await findSubmission(db, tenant.id, submissionId);
  const entry = await db
    .selectFrom("timeline")
    .select(["status", "reason", "created_at"])
    .where("tenant_id", "=", tenant.id)
    .where("id", "=", entryId)
    .where("submission_id", "=", submissionId)
    .where("kind", "=", "status")
    .executeTakeFirst();
  if (!s || !entry?.status) return null;
  return {
    event: "submission.status_changed",
    id: eventId,
    tenant: tenant.slug,
    form: s.formId,
    formVersion: s.formVersion,
    submission: { id: s.id, reference: s.reference, submittedAt: new Date(s.submittedAt).toISOString() },
    status: { value: entry.status, reason: entry.reason, changedAt: new Date(entry.created_at).toISOString() },
  };
}
