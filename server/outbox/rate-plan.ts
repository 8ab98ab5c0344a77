/**
 * The arithmetic of one town's mail rate when many senders share it (Workers: queue
 * consumers in parallel, see server/workers/mail-rate-limiter.ts). Senders reserve runs of
 * send times; runs never overlap and are spaced `1000 / perSecond` ms apart, so in any second
 * at most `perSecond` of the town's mails leave, however many senders there are.
 *
 * A news fan-out's senders (bulk) may book at most `horizonMs` ahead; beyond that they are
 * told to ask again later. Mails to one person (a code, a receipt) book the next free time, so
 * they wait at most about the horizon behind a fan-out of thousands; a sender that would not
 * wait as long as the next free time says so (`maxDelayMs`) and nothing is booked.
 */
export interface ReservationRequest {
  count: number;
  perSecond: number;
  bulk: boolean;
  /** Book nothing if the first time would lie further ahead than this (the sender would not wait that long). */
  maxDelayMs?: number;
}

export type Reservation =
  /** Send the i-th mail `delayMs + i * spacingMs` from now. */
  | { granted: true; count: number; delayMs: number; spacingMs: number }
  | { granted: false; retryInMs: number };

/** How far ahead a fan-out may book: also how long a code waits behind one, at most. */
export const BULK_HORIZON_MS = 1_000;

/** The reservation for `req` when the town's next free time is `nextFree`, and the next free time after it. */
export function reserve(nextFree: number, now: number, req: ReservationRequest, horizonMs = BULK_HORIZON_MS): { reservation: Reservation; nextFree: number } {
  const start = Math.max(now, nextFree);
  const limit = Math.min(req.bulk ? horizonMs : Number.POSITIVE_INFINITY, req.maxDelayMs ?? Number.POSITIVE_INFINITY);
  if (start - now > limit) return { reservation: { granted: false, retryInMs: start - now - limit }, nextFree };
  const spacingMs = 1000 / req.perSecond;
  const count = Math.max(1, Math.floor(req.count));
  return { reservation: { granted: true, count, delayMs: start - now, spacingMs }, nextFree: start + count * spacingMs };
}

/** The provider asked to wait `ms`: nothing of the town is booked before then. */
export const pauseUntil = (nextFree: number, now: number, ms: number) => Math.max(nextFree, now + ms);
