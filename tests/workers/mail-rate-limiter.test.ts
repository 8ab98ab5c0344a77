import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Reservation } from "../../server/outbox/rate-plan.js";

/** The MAIL_RATE Durable Object in workerd: one per town, booking send times for every consumer at once. */
const limiter = (town: string) => env.MAIL_RATE.get(env.MAIL_RATE.idFromName(town));
const delay = (r: Reservation) => (r.granted ? r.delayMs : Number.NaN);

describe("MailRateLimiter", () => {
  it("books twenty consumers asking at once one after the other, and keeps the end of its bookings", async () => {
    const town = `t_${crypto.randomUUID()}`;
    // Twenty runs of one second each (100 mails at 100/s), asked for at the same moment.
    const runs = await Promise.all(Array.from({ length: 20 }, () => limiter(town).reserve({ count: 100, perSecond: 100, bulk: false })));
    expect(runs.every((r) => r.granted && r.count === 100 && r.spacingMs === 10)).toBe(true);
    const delays = runs.map(delay).sort((a, b) => a - b);
    expect(delays[0]).toBeLessThan(1_000);
    // The last starts after the other nineteen seconds: nothing overlaps.
    expect(delays[19]).toBeGreaterThan(18_000);
    // Stored, so a restarted instance does not hand out those seconds again.
    const stored = await runInDurableObject(limiter(town), (_instance, state) => state.storage.get<number>("nextFree"));
    expect(stored).toBeGreaterThan(Date.now() + 18_000);
  });

  it("tells a fan-out to wait while the town is booked more than a second ahead, but books a code", async () => {
    const town = `t_${crypto.randomUUID()}`;
    await limiter(town).reserve({ count: 1_000, perSecond: 10, bulk: true });
    const fanout = await limiter(town).reserve({ count: 10, perSecond: 10, bulk: true });
    expect(fanout.granted).toBe(false);
    expect(!fanout.granted && fanout.retryInMs).toBeGreaterThan(90_000);
    expect(delay(await limiter(town).reserve({ count: 1, perSecond: 10, bulk: false }))).toBeGreaterThan(90_000);
    // Another town is not held up by it.
    expect(delay(await limiter(`t_${crypto.randomUUID()}`).reserve({ count: 10, perSecond: 10, bulk: true }))).toBe(0);
  });

  it("books nothing before the end of a pause the provider asked for", async () => {
    const town = `t_${crypto.randomUUID()}`;
    await limiter(town).pause(60_000);
    expect(delay(await limiter(town).reserve({ count: 1, perSecond: 10, bulk: false }))).toBeGreaterThan(55_000);
  });
});
