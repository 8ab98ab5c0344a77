import type { OutgoingSms, SmsSender } from "../delivery/ports.js";
import { systemClock, type Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";

export interface DevSms {
  id: string;
  to: string;
  text: string;
  /** ISO 8601 */
  sentAt: string;
}

export interface DevSmsOutbox extends SmsSender {
  /** Newest first; copies, so callers cannot alter what the outbox holds. */
  list(): DevSms[];
  clear(): void;
  /**
   * The newest stored SMS matching `predicate`, or the first one sent later.
   * Rejects after `timeoutMs`.
   */
  waitFor(predicate: (sms: DevSms) => boolean, timeoutMs?: number): Promise<DevSms>;
}

interface Waiter {
  predicate: (sms: DevSms) => boolean;
  resolve: (sms: DevSms) => void;
  reject: (error: unknown) => void;
}

/**
 * Keeps SMS in memory instead of sending them: `npm start` without a gateway shows them at
 * GET /dev/sms, tests read verification codes from here. Bounded so a long-running dev server
 * does not grow without limit.
 */
export function devSmsOutbox(max = 500, clock: Clock = systemClock): DevSmsOutbox {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`devSmsOutbox: max must be a positive integer, got ${max}`);

  // Oldest first internally: appending is cheap, list() reverses.
  const messages: DevSms[] = [];
  const waiters = new Set<Waiter>();

  function settle(waiter: Waiter, sms: DevSms): boolean {
    let matches: boolean;
    try {
      matches = waiter.predicate(sms);
    } catch (error) {
      // A throwing predicate is the waiting test's bug; it must not make send() fail.
      waiters.delete(waiter);
      waiter.reject(error);
      return true;
    }
    if (!matches) return false;
    waiters.delete(waiter);
    waiter.resolve({ ...sms });
    return true;
  }

  return {
    async send(sms: OutgoingSms): Promise<void> {
      const stored: DevSms = { id: randomId("sms"), to: sms.to, text: sms.text, sentAt: new Date(clock.now()).toISOString() };
      messages.push(stored);
      if (messages.length > max) messages.splice(0, messages.length - max);
      for (const waiter of [...waiters]) settle(waiter, stored);
    },

    list() {
      return messages.map((m) => ({ ...m })).reverse();
    },

    clear() {
      messages.length = 0;
    },

    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise<DevSms>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const stop = () => {
          if (timer !== undefined) clearTimeout(timer);
        };
        const waiter: Waiter = {
          predicate,
          resolve: (sms) => {
            stop();
            resolve(sms);
          },
          reject: (error) => {
            stop();
            reject(error);
          },
        };
        for (let i = messages.length - 1; i >= 0; i--) {
          if (settle(waiter, messages[i]!)) return;
        }
        waiters.add(waiter);
        timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`devSmsOutbox: no matching SMS within ${timeoutMs} ms`));
        }, timeoutMs);
      });
    },
  };
}
