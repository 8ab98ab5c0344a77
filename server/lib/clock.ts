/** Time as a port, so tests can move it (code expiry, sessions, scheduled news). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
