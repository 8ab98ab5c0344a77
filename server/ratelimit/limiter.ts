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
} satisfies Record<string, Limit>;

export type Limits = Record<keyof typeof defaultLimits, Limit>;

/**
 * Counts one attempt in a fixed window with a single upsert, so concurrent requests on
 * Node or on several Worker isolates see one counter. The subject (an IP, an address) is
 * stored hashed: the table must not become a log of who tried what.
 */
export async function hit(db: Db, tenantId: string, limit: Limit, subject: string, now: number) {
  const key = `${limit.name}:${await sha256Hex(subject)}`;
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
  return { allowed: row.count <= limit.max, retryAfterMs: row.window_start + limit.windowMs - now };
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


/** One IPv6 /64 is one subscriber line: counted as one address, or it would offer 2^64 fresh limits. */
export function limitSubject(ip: string): string {
  if (!ip.includes(":") || ip.startsWith("::ffff:")) return ip.replace(/^::ffff:/, "");
  const [head] = ip.split("::");
  const groups = (head ?? "").split(":").filter(Boolean);
  const full = ip.includes("::") ? [...groups, "0", "0", "0", "0"].slice(0, 4) : ip.split(":").slice(0, 4);
  return `${full.join(":")}::/64`;
}
