import type { RateGate } from "../outbox/rate-gate.js";
import type { Reservation, ReservationRequest } from "../outbox/rate-plan.js";

/** What the gate needs of the `MAIL_RATE` Durable Object binding (server/workers/mail-rate-limiter.ts). */
export interface MailRateNamespace {
  idFromName(name: string): unknown;
  get(id: never): { reserve(req: ReservationRequest): Promise<Reservation>; pause(ms: number): Promise<void> };
}

interface Pool {
  /** Send times booked for this isolate and not used yet (Date.now() values). */
  slots: number[];
  refill?: Promise<void> | undefined;
}

/**
 * The town's rate across all consumers: send times are booked from the town's Durable Object
 * in runs of about `runMs` worth, so a fan-out of 11,000 costs a few hundred calls to it, not
 * one per mail. A time passed by more than `lateMs` (this isolate was busy) is dropped rather
 * than used late, so late sends cannot bunch up with the times booked after them.
 */
export function durableRateGate(ns: MailRateNamespace, opts: { runMs?: number; lateMs?: number; now?: () => number } = {}): RateGate {
  const runMs = opts.runMs ?? 100;
  const lateMs = opts.lateMs ?? 250;
  const now = opts.now ?? Date.now;
  const pools = new Map<string, Pool>();
  const stub = (tenantId: string) => ns.get(ns.idFromName(tenantId) as never);

  async function refill(pool: Pool, tenantId: string, perSecond: number, bulk: boolean) {
    for (;;) {
      const r = await stub(tenantId).reserve({ count: Math.max(1, Math.round((perSecond * runMs) / 1000)), perSecond, bulk });
      if (r.granted) {
        const base = now() + r.delayMs;
        for (let i = 0; i < r.count; i++) pool.slots.push(base + i * r.spacingMs);
        return;
      }
      await sleep(r.retryInMs);
    }
  }

  return {
    async take(tenantId, perSecond, { bulk = false } = {}) {
      const key = `${bulk ? "bulk" : "single"}/${tenantId}`;
      let pool = pools.get(key);
      if (!pool) pools.set(key, (pool = { slots: [] }));
      for (;;) {
        const slot = pool.slots.shift();
        if (slot !== undefined) {
          const wait = slot - now();
          if (wait < -lateMs) continue;
          if (wait >= 1) await sleep(wait);
          return;
        }
        const p: Pool = pool;
        p.refill ??= refill(p, tenantId, perSecond, bulk).finally(() => (p.refill = undefined));
        await p.refill;
      }
    },
    async pause(tenantId, ms) {
      for (const [key, pool] of pools) if (key.endsWith(`/${tenantId}`)) pool.slots.length = 0;
      await stub(tenantId).pause(ms);
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
