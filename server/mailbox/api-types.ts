/**
 * The Postfach: one timeline per account of everything between the citizen and the town
 * (`import type` only; the widget and the office read these).
 */
import type { SubmissionStatus } from "../forms/api-types.js";
import type { Text } from "../forms/definition.js";

export interface DocumentRef {
  id: string;
  name: string;
  size: number;
  mediaType: string;
}

export interface TimelineEntry {
  id: string;
  submissionId: string;
  reference: string;
  formTitle: Text;
  /** submitted: the application arrived; status: it changed; message: the town wrote; reply: the citizen wrote. */
  kind: "submitted" | "status" | "message" | "reply";
  /** ISO 8601. */
  at: string;
  /** kind status: the new status (and a reason for rejections). */
  status?: SubmissionStatus;
  reason?: string;
  text?: string;
  /** Documents from the town (`GET me/documents/{id}`) or files the citizen sent with a reply. */
  documents?: DocumentRef[];
  /** For the citizen: not yet marked read. */
  unread: boolean;
}

/** `GET me/mailbox`. */
export interface MailboxPage {
  items: TimelineEntry[];
  nextCursor: string | null;
  /** Unread entries in the whole Postfach (the launcher's badge). */
  unread: number;
}
