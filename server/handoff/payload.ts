import type { Db } from "../db/schema.js";
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
