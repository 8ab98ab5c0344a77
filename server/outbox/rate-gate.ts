/**
 * Spaces sends per town to its `mail.ratePerSecond`, so a news fan-out to the whole town
 * stays within what its SMTP provider accepts. Reservations are made synchronously, so
 * concurrent senders queue up behind each other instead of bursting.
 */
export interface RateGate {
  take(tenantId: string, perSecond: number): Promise<void>;
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
  };
}
