/**
 * What the office routes (`/api/v1/tenants/{slug}/office/…`) answer, as the office app reads it
 * (`import type`; no runtime imports here).
 */
import type { PublicAccount } from "../accounts/account.js";
import type { FormData, FormDefinition, Text } from "../forms/definition.js";
import type { SubmissionStatus } from "../forms/api-types.js";
import type { TimelineEntry } from "../mailbox/api-types.js";

/** `POST office/login`, `GET office/session`. The session itself is an HttpOnly cookie. */
export interface OfficeSession {
  account: PublicAccount;
  /** Department ids this account works for; admins see every department. */
  departments: string[];
  /** Send as `X-CSRF-Token` on every write. */
  csrfToken: string;
  /** The session ends after this long without a request. */
  idleTimeoutSeconds: number;
  town: { slug: string; name: string; departments: Array<{ id: string; name: Text }>; primaryColor: string; logoUrl: string | null };
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface OfficeSubmissionSummary {
  id: string;
  reference: string;
  formId: string;
  formTitle: Text;
  department: string | null;
  status: SubmissionStatus;
  /** ISO 8601. */
  submittedAt: string;
  applicantName: string;
  assignee: PersonRef | null;
  /** New, or the citizen wrote since a clerk last opened it. */
  unread: boolean;
}

/** `GET office/submissions`. */
export interface OfficeInbox {
  items: OfficeSubmissionSummary[];
  nextCursor: string | null;
  /** Per status, over everything this account may see with the other filters applied. */
  counts: Record<SubmissionStatus, number>;
}

export interface OfficeFile {
  id: string;
  name: string;
  size: number;
  mediaType: string;
}

export interface InternalNote {
  id: string;
  text: string;
  author: PersonRef;
  /** ISO 8601. */
  at: string;
}

/** `GET office/submissions/{id}`. */
export interface OfficeSubmissionDetail extends OfficeSubmissionSummary {
  /** The form as it was when this was sent: lay out `data` with it. */
  form: FormDefinition;
  data: FormData;
  files: OfficeFile[];
  applicant:
    | { anonymous: false; kind: PublicAccount["kind"]; name: string; organisation: string | null; email: string; mobile: string; address: PublicAccount["address"] }
    | { anonymous: true; email: string };
  /** Set when rejected (or closed) with a reason. */
  statusReason: string | null;
  /** What the citizen sees too, oldest first. */
  history: TimelineEntry[];
  /** Staff only. */
  notes: InternalNote[];
  /** Which statuses may follow the current one. */
  nextStatuses: SubmissionStatus[];
}

export interface AuditEntry {
  id: string;
  /** ISO 8601. */
  at: string;
  actor: PersonRef | null;
  /** e.g. `submission.status`, `submission.assign`, `submission.message`, `submission.note`, `staff.update`. */
  action: string;
  /** e.g. `submission:s_…`. */
  subject: string;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  role: "staff" | "admin";
  departments: string[];
  disabled: boolean;
}
