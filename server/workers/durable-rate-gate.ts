import { WaitDeliveryError } from "../delivery/ports.js";
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

export interface DurableRateGateOptions {
  /** How much sending time one booking of a fan-out covers. */
  runMs?: number;
  /** A booked time passed by more than this is dropped, not used late. */
  lateMs?: number;
  /** Longer than this a sender does not wait: the message is put back until then (WaitDeliveryError). */
  maxWaitMs?: number;
  now?: () => number;
  random?: () => number;
}

/**
 * The town's rate across all consumers: send times are booked from the town's Durable Object —
 * a fan-out in runs of about `runMs`, so 11,000 mails cost a few hundred calls to it, a message
 * to one person one time at a time. Booked times are used at most `lateMs` late, and booked at
 * a rate lower by that share, so that late sends bunching up with times booked after them still
 * stay within the town's rate in every second. A sender never waits longer than `maxWaitMs`:
 * a consumer holding claimed messages must not sleep through its lease or its time limit.
 */
export function durableRateGate(ns: MailRateNamespace, opts: DurableRateGateOptions = {}): RateGate {
  const runMs = opts.runMs ?? 100;
  const lateMs = opts.lateMs ?? 20;
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const pools = new Map<string, Pool>();
  const stub = (tenantId: string) => ns.get(ns.idFromName(tenantId) as never);

  /** Books send times into the pool, or throws WaitDeliveryError if none can be had before `deadline`. */
  async function refill(pool: Pool, tenantId: string, perSecond: number, bulk: boolean, deadline: number) {
    const booked = perSecond * (1 - lateMs / 1000);
    const count = bulk ? Math.max(1, Math.round((booked * runMs) / 1000)) : 1;
    for (;;) {
      const left = deadline - now();
      const r = await stub(tenantId).reserve({ count, perSecond: booked, bulk, maxDelayMs: Math.max(0, left) });
      if (r.granted) {
        const base = now() + r.delayMs;
        for (let i = 0; i < r.count; i++) pool.slots.push(base + i * r.spacingMs);
        return;
      }
      // Spread out, so the fan-outs told to come back do not all ask at the same moment.
      const pauseMs = r.retryInMs * (1 + random() / 2);
      if (now() + pauseMs > deadline) throw new WaitDeliveryError(`the town's mail rate is booked ${Math.round(r.retryInMs / 1000)} s ahead`, Math.max(r.retryInMs, 1_000));
      await sleep(pauseMs);
    }
  }

  return {
    async take(tenantId, perSecond, { bulk = false } = {}) {
      const deadline = now() + maxWaitMs;
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
        p.refill ??= refill(p, tenantId, perSecond, bulk, deadline).finally(() => (p.refill = undefined));
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
