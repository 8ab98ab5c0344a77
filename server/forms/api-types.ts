/**
 * What the forms routes answer, as the widget reads it (`import type`; no runtime imports here).
 */
import type { FormData, FormDefinition, FormSummary } from "./definition.js";

/** `GET forms`. */
export interface FormList {
  items: FormSummary[];
}

/** `GET forms/{id}`: the definition to render. */
export type PublicForm = FormDefinition;

/** `GET`/`PUT forms/{id}/draft`. */
export interface Draft {
  data: FormData;
  /** The form version the draft was saved against. */
  version: number;
  /** True when the form changed since: the widget says so and the citizen checks the answers again. */
  outdated: boolean;
  /** ISO 8601. */
  updatedAt: string;
  /** ISO 8601; drafts are deleted 30 days after their last change. */
  expiresAt: string;
  /** The files the answers name that are still there, so a draft resumed on another device shows their names. */
  uploads: Array<Omit<Upload, "sha256">>;
}

/** `POST forms/{id}/uploads`. */
export interface Upload {
  id: string;
  name: string;
  size: number;
  mediaType: string;
  sha256: string;
}

/** `GET proof/challenge`: an ALTCHA challenge for anonymous sending. */
export interface ProofChallenge {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

/** `POST forms/{id}/submissions` → 201. */
export interface SubmissionReceipt {
  id: string;
  reference: string;
  /** ISO 8601. */
  submittedAt: string;
  /** The receipt PDF: for anonymous senders a link carrying a one-time-readable token. */
  receiptUrl: string;
}

export type SubmissionStatus = "received" | "in_progress" | "waiting" | "approved" | "rejected" | "closed";

/** `GET me/submissions` item. */
export interface SubmissionSummary {
  id: string;
  reference: string;
  formId: string;
  formTitle: FormDefinition["title"];
  status: SubmissionStatus;
  submittedAt: string;
}

/** `GET me/submissions/{id}`. */
export interface SubmissionDetail extends SubmissionSummary {
  formVersion: number;
  data: FormData;
  uploads: Array<Omit<Upload, "sha256">>;
  receiptUrl: string;
}

export interface SubmissionPage {
  items: SubmissionSummary[];
  nextCursor: string | null;
}
