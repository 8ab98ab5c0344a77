import { describe, expect, it } from "vitest";
import { BULK_HORIZON_MS, type Reservation, pauseUntil, reserve } from "./rate-plan.js";

/** Books like the Durable Object does, one request after the other, and collects every send time handed out. */
function bookings() {
  let nextFree = 0;
  const times: number[] = [];
  return {
    times,
    ask(now: number, count: number, perSecond: number, bulk: boolean): Reservation {
      const r = reserve(nextFree, now, { count, perSecond, bulk });
      nextFree = r.nextFree;
      if (r.reservation.granted) for (let i = 0; i < r.reservation.count; i++) times.push(now + r.reservation.delayMs + i * r.reservation.spacingMs);
      return r.reservation;
    },
    pause(now: number, ms: number) {
      nextFree = pauseUntil(nextFree, now, ms);
    },
  };
}

/** The most send times in any window of one second. */
function busiestSecond(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("a town's mail rate shared by many senders", () => {
  it("never hands out more send times in a second than the rate, however many senders ask at once", () => {
    const b = bookings();
    // 40 consumers asking in turns for runs of 50 at 500/s, mails to one person in between.
    for (let round = 0; round < 30; round++) {
      const now = round * 97;
      for (let consumer = 0; consumer < 40; consumer++) b.ask(now + consumer, 50, 500, true);
      b.ask(now + 50, 1, 500, false);
    }
    expect(b.times.length).toBeGreaterThan(500);
    expect(busiestSecond(b.times)).toBeLessThanOrEqual(500);
    // No two mails at the same moment: every time is its own.
    expect(new Set(b.times.map((t) => t.toFixed(3))).size).toBe(b.times.length);
  });

  it("lets a fan-out book at most a second ahead, so a code behind it waits about a second, not the whole town", () => {
    const b = bookings();
    const granted = Array.from({ length: 100 }, () => b.ask(0, 50, 500, true)).filter((r) => r.granted);
    // 50 at 500/s is 100 ms: runs starting up to 1 s ahead are granted, the rest told when to ask again.
    expect(granted.length).toBe(11);
    const refused = b.ask(0, 50, 500, true);
    expect(refused).toEqual({ granted: false, retryInMs: 1100 - BULK_HORIZON_MS });
    const code = b.ask(0, 1, 500, false);
    expect(code.granted && code.delayMs).toBe(1100);
  });

  it("keeps sending at the rate once the booked time has passed", () => {
    const b = bookings();
    b.ask(0, 500, 500, false);
    const later = b.ask(5_000, 10, 500, true);
    expect(later).toEqual({ granted: true, count: 10, delayMs: 0, spacingMs: 2 });
  });

  it("books nothing before a pause the provider asked for ends", () => {
    const b = bookings();
    b.ask(0, 10, 100, true);
    b.pause(50, 2_000);
    const next = b.ask(60, 1, 100, false);
    expect(next.granted && next.delayMs).toBe(1_990);
    // A fan-out waits until the pause is less than the horizon away.
    expect(b.ask(60, 10, 100, true)).toEqual({ granted: false, retryInMs: 2_000 - BULK_HORIZON_MS });
  });
});
