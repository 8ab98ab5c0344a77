import { describe, expect, it } from "vitest";
import { WaitDeliveryError } from "../delivery/ports.js";
import { reserve } from "../outbox/rate-plan.js";
import { type MailRateNamespace, durableRateGate } from "./durable-rate-gate.js";

/** The Durable Object's booking, in memory: one next free time per town, requests one at a time. */
function townLimiters() {
  const nextFree = new Map<string, number>();
  let calls = 0;
  const ns: MailRateNamespace = {
    idFromName: (name) => name,
    get: (id) => ({
      async reserve(req) {
        calls++;
        const town = id as unknown as string;
        const r = reserve(nextFree.get(town) ?? 0, Date.now(), req);
        nextFree.set(town, r.nextFree);
        return r.reservation;
      },
      async pause() {},
    }),
  };
  return { ns, calls: () => calls };
}

describe("the Worker's gate on a town's shared mail rate", () => {
  it("holds the rate for two isolates sending at once: 200 mails at 1,000/s take at least 0.19 s", async () => {
    const limiters = townLimiters();
    const a = durableRateGate(limiters.ns);
    const b = durableRateGate(limiters.ns);
    const started = performance.now();
    await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).take("town-1", 1000, { bulk: true })));
    // The last of 200 send times 1 ms apart is at least 199 ms after the first: a slow machine only adds to it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // Booked in runs of 100 ms (100 mails), not one call per mail.
    expect(limiters.calls()).toBeLessThanOrEqual(4);
  });

  it("keeps towns apart: one town's fan-out does not slow another town", async () => {
    const limiters = townLimiters();
    const gate = durableRateGate(limiters.ns);
    const done: string[] = [];
    // Town 1 books a full second ahead (100 mails at 100/s)…
    const busy = Promise.all(Array.from({ length: 100 }, (_, i) => gate.take("town-1", 100, { bulk: true }).then(() => done.push(`town-1 #${i}`))));
    // …while town 2's code takes the first time of its own town, before most of town 1's.
    await gate.take("town-2", 100).then(() => done.push("town-2"));
    await busy;
    expect(done.indexOf("town-2")).toBeLessThan(10);
  });

  it("books a code one send time at a time, and puts a message back rather than wait longer than its limit", async () => {
    const limiters = townLimiters();
    const gate = durableRateGate(limiters.ns, { maxWaitMs: 2_000 });
    await gate.take("town-1", 1_000);
    await gate.take("town-1", 1_000);
    // Two codes used two calls for two send times, not two runs of 100 ms each.
    expect(limiters.calls()).toBe(2);
    // A fan-out of a town booked 100 s ahead (1,000 at 10/s) is told to come back, not kept waiting.
    const far = await limiters.ns.get("town-3" as never).reserve({ count: 1_000, perSecond: 10, bulk: false });
    expect(far.granted).toBe(true);
    const e = await gate.take("town-3", 10, { bulk: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WaitDeliveryError);
    expect((e as WaitDeliveryError).retryAfterMs).toBeGreaterThan(90_000);
    // A code is told the same instead of sleeping a hundred seconds with its message claimed,
    // and books nothing: the town's next free time stays where it was.
    const code = await gate.take("town-3", 10).catch((x: unknown) => x);
    expect(code).toBeInstanceOf(WaitDeliveryError);
    const next = await limiters.ns.get("town-3" as never).reserve({ count: 1, perSecond: 10, bulk: false });
    expect(next.granted && next.delayMs).toBeLessThanOrEqual(100_000);
    expect(next.granted && next.delayMs).toBeGreaterThan(99_000);
  });
});
