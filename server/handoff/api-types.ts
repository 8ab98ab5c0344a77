/**
 * What the hand-off routes answer, as the office app reads it (`import type`; no runtime imports here).
 */

/** One HTTP attempt of a delivery. */
export interface WebhookAttempt {
  attempt: number;
  /** ISO 8601. */
  at: string;
  /** The receiver's HTTP status; null when none came (refused, timed out). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** `GET office/webhooks`: one delivery of an event to one webhook, with its attempts. */
export interface WebhookDelivery {
  id: string;
  /** What receivers dedupe by; a replay carries the event id of the delivery it repeats. */
  eventId: string;
  event: "submission.created" | "submission.status_changed";
  webhookId: string;
  /** The webhook's URL in tenant.json now; null when it was removed from there. */
  url: string | null;
  submission: { id: string; reference: string | null };
  replayOf: string | null;
  status: "pending" | "sending" | "delivered" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  /** When it is tried next, while pending. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  log: WebhookAttempt[];
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[];
  nextCursor: string | null;
}
