import { sql } from "kysely";
import type { Db } from "../db/schema.js";
import { AppError } from "../http/errors.js";
import { errorMessages } from "../http/messages.js";
import { sha256Hex } from "../lib/crypto.js";

export interface Limit {
  /** What is limited, e.g. "login:ip". */
  name: string;
  max: number;
  windowMs: number;
}

/** The limits of the account routes; per IP against spraying, per account against guessing. */
export const defaultLimits = {
  loginPerIp: { name: "login:ip", max: 30, windowMs: 15 * 60_000 },
  loginPerAccount: { name: "login:account", max: 10, windowMs: 15 * 60_000 },
  registerPerIp: { name: "register:ip", max: 10, windowMs: 60 * 60_000 },
  codePerIp: { name: "code:ip", max: 30, windowMs: 15 * 60_000 },
  codePerAccount: { name: "code:account", max: 15, windowMs: 15 * 60_000 },
  resendPerAccount: { name: "resend:account", max: 5, windowMs: 60 * 60_000 },
  resetPerIp: { name: "reset:ip", max: 10, windowMs: 60 * 60_000 },
  resetPerAddress: { name: "reset:address", max: 3, windowMs: 60 * 60_000 },
  /** Wrong passwords given to a signed-in route (change password, change address, delete account). */
  passwordCheckPerAccount: { name: "password:account", max: 10, windowMs: 15 * 60_000 },
  passwordCheckPerIp: { name: "password:ip", max: 30, windowMs: 15 * 60_000 },
  /** Forms sent without an account, besides the proof of work each one needs. */
  anonymousSubmitPerIp: { name: "submit:ip", max: 20, windowMs: 60 * 60_000 },
  anonymousUploadPerIp: { name: "upload:ip", max: 60, windowMs: 60 * 60_000 },
  /** Uploads of one account: enough for any form, not enough to use the town as a file host. */
  uploadPerAccount: { name: "upload:account", max: 200, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;

export type Limits = Record<keyof typeof defaultLimits, Limit>;

/**
 * Counts one attempt in a fixed window with a single upsert, so concurrent requests on
 * Node or on several Worker isolates see one counter. The subject (an IP, an address) is
 * stored hashed: the table must not become a log of who tried what.
 */
export async function hit(db: Db, tenantId: string, limit: Limit, subject: string, now: number) {
  const key = await limitKey(limit, subject);
  const expired = now - limit.windowMs;
  const row = await db
    .insertInto("rate_limits")
    .values({ tenant_id: tenantId, key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "key"]).doUpdateSet({
        count: sql<number>`CASE WHEN rate_limits.window_start <= ${expired} THEN 1 ELSE rate_limits.count + 1 END`,
        window_start: sql<number>`CASE WHEN rate_limits.window_start <= ${expired} THEN ${now} ELSE rate_limits.window_start END`,
      }),
    )
    .returning(["count", "window_start"])
    .executeTakeFirstOrThrow();
  return { allowed: row.count <= limit.max, retryAfterMs: row.window_start + limit.windowMs - now, key, windowStart: row.window_start };
}

const limitKey = async (limit: Limit, subject: string) => `${limit.name}:${await sha256Hex(subject)}`;

/** Gives back one attempt counted by `hit`, unless its window has ended since (then there is nothing to give back). */
async function unhit(db: Db, tenantId: string, key: string, windowStart: number) {
  await db
    .updateTable("rate_limits")
    .set((eb) => ({ count: eb("count", "-", 1) }))
    .where("tenant_id", "=", tenantId)
    .where("key", "=", key)
    .where("window_start", "=", windowStart)
    .where("count", ">", 0)
    .execute();
}

export function rateLimited(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(429, "rate_limited", errorMessages.rate_limited, undefined, { "Retry-After": String(seconds) });
}

/** Counts every check, then throws 429 with the longest wait if any limit is exceeded. */
export async function enforce(db: Db, tenantId: string, now: number, checks: ReadonlyArray<[Limit, string]>) {
  let wait = 0;
  for (const [limit, subject] of checks) {
    const r = await hit(db, tenantId, limit, subject, now);
    if (!r.allowed) wait = Math.max(wait, r.retryAfterMs);
  }
  if (wait > 0) throw rateLimited(wait);
}

/** Attempts taken by `reserve`: a failed check keeps them, a successful one gives them back. */
export interface Reservation {
  release(): Promise<void>;
}

/**
 * Limits that count failures only (wrong passwords), yet hold under concurrency. Reading the
 * counter, checking and counting afterwards would let a burst of parallel guesses all read
 * "below the limit"; so every attempt takes its slot first, with the same atomic upsert as
 * `enforce`, and is checked against the limit before any password is verified. A request that
 * then succeeds calls `release()` and the slot is free again, so logging in a hundred times
 * locks nobody out. A refused request gives its slots back at once: it verified nothing.
 */
export async function reserve(db: Db, tenantId: string, now: number, checks: ReadonlyArray<[Limit, string]>): Promise<Reservation> {
  const taken: Array<{ key: string; windowStart: number }> = [];
  let wait = 0;
  for (const [limit, subject] of checks) {
    const r = await hit(db, tenantId, limit, subject, now);
    taken.push({ key: r.key, windowStart: r.windowStart });
    if (!r.allowed) wait = Math.max(wait, r.retryAfterMs);
  }
  const release = async () => {
    for (const t of taken) await unhit(db, tenantId, t.key, t.windowStart);
  };
  if (wait > 0) {
    await release();
    throw rateLimited(wait);
  }
  return { release };
}
