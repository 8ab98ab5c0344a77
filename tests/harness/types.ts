import type { App } from "../../server/app.js";
import type { Store } from "../../server/db/store.js";

/** A movable clock for expiry tests. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export interface TestApp {
  app: App;
  store: Store;
  clock: TestClock;
  runtime: "node" | "workers";
}

export function testClock(start = Date.UTC(2026, 10, 25, 9, 0, 0)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
