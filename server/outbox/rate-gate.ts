/**
 * Spaces sends per town to its `mail.ratePerSecond`, so a news fan-out to the whole town
 * stays within what its SMTP provider accepts. Reservations are made synchronously, so
 * concurrent senders queue up behind each other instead of bursting.
 */
export interface RateGate {
  /** Resolves when the town may send its next mail; `bulk` (a news fan-out's) gives way to mails to one person where the gate can tell. */
  take(tenantId: string, perSecond: number, opts?: { bulk?: boolean }): Promise<void>;
  /** The town's provider asked to wait: no mail of the town is let through for `ms`. */
  pause?(tenantId: string, ms: number): Promise<void> | void;
}

export function tenantRateGate(now: () => number = () => performance.now()): RateGate {
  const nextFree = new Map<string, number>();
  return {
    take(tenantId, perSecond) {
      const t = now();
      const slot = Math.max(t, nextFree.get(tenantId) ?? t);
      nextFree.set(tenantId, slot + 1000 / perSecond);
      const wait = slot - t;
      return wait < 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
    },
    pause(tenantId, ms) {
      nextFree.set(tenantId, Math.max(nextFree.get(tenantId) ?? 0, now() + ms));
    },
  };
}
