import { DurableObject } from "cloudflare:workers";
import { type Reservation, type ReservationRequest, pauseUntil, reserve } from "../outbox/rate-plan.js";

/**
 * One instance per town (`idFromName(tenantId)`): the single place where that town's send
 * times are handed out, so `mail.ratePerSecond` holds across every queue consumer and Cron
 * run at once. A Durable Object runs one request at a time, so booking needs no locks; the
 * next free time is stored, so a restart in the middle of a fan-out does not forget what
 * was booked (the runtime answers only once the write is durable).
 */
export class MailRateLimiter extends DurableObject {
  #nextFree: number | undefined;

  async #load(): Promise<number> {
    if (this.#nextFree === undefined) this.#nextFree = (await this.ctx.storage.get<number>("nextFree")) ?? 0;
    return this.#nextFree;
  }

  #store(nextFree: number) {
    if (nextFree === this.#nextFree) return;
    this.#nextFree = nextFree;
    void this.ctx.storage.put("nextFree", nextFree);
  }

  async reserve(req: ReservationRequest): Promise<Reservation> {
    const current = await this.#load();
    const r = reserve(current, Date.now(), req);
    this.#store(r.nextFree);
    return r.reservation;
  }

  async pause(ms: number): Promise<void> {
    this.#store(pauseUntil(await this.#load(), Date.now(), ms));
  }
}
