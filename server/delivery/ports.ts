/**
 * Ports of outgoing delivery. Features never call these directly: they write to the outbox,
 * and the dispatcher renders and hands each message to a sender.
 */

export interface OutgoingMail {
  to: string;
  from: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

/** A file sent with a mail (the receipt PDF of a form). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** Resolves when the SMTP server (or mail API) accepted the message; rejects otherwise. */
export interface MailSender {
  send(mail: OutgoingMail): Promise<void>;
  close?(): Promise<void>;
}

export interface OutgoingSms {
  /** E.164, e.g. +491712345678 */
  to: string;
  text: string;
}

export interface SmsSender {
  send(sms: OutgoingSms): Promise<void>;
}

/** A failure that retrying cannot fix (e.g. the gateway rejected the number): no more attempts. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}

/** Nothing to send with (no provider configured): the message waits and keeps all its attempts. */
export class DeferredDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeferredDeliveryError";
  }
}

/**
 * Not now, and not the message's fault: it waits `retryAfterMs` without using up an attempt
 * (the town's booked send times lie further ahead than a sender may wait).
 */
export class WaitDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = "WaitDeliveryError";
  }
}

/**
 * The provider asked us to slow down (HTTP 429 or 503 with `Retry-After`): the message waits
 * that long without using up an attempt, and the town's sending pauses with it.
 */
export class ThrottledDeliveryError extends WaitDeliveryError {
  constructor(message: string, retryAfterMs: number) {
    super(message, retryAfterMs);
    this.name = "ThrottledDeliveryError";
  }
}
