import type { Context, MiddlewareHandler } from "hono";
import type { Role } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { type Account, isVerified } from "./account.js";
import type { TrustLevel } from "../identity/types.js";
import { validateSessionToken } from "./sessions.js";

/** What every authenticated handler sees: the domain account (never its password hash) and the session. */
export interface AuthContext {
  account: Account;
  sessionId: string;
  /** The trust level of the login at an identity provider this session came from; null after a password login. */
  trustLevel: TrustLevel | null;
}

/**
 * `Authorization: Bearer <token>` (the widget runs cross-site, where cookies are blocked).
 * The token is checked against the town in the URL only.
 */
export function requireAuth(store: Store, clock: Clock): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await optionalAuth(store, clock, c);
    if (!auth) throw AppError.of(401, "unauthorized");
    c.set("auth", auth);
    await next();
  };
}

/**
 * For routes open to everyone that act for an account when one is signed in (anonymous forms):
 * no header is nobody; a header with a dead token is still a 401, so a lapsed session is never
 * silently turned into an anonymous submission.
 */
export async function optionalAuth(store: Store, clock: Clock, c: Context<AppEnv>): Promise<AuthContext | null> {
  const header = c.req.header("authorization");
  if (header === undefined) return null;
  const token = /^Bearer ([^\s]+)$/i.exec(header)?.[1];
  const session = token ? await validateSessionToken(store.db, c.get("tenant").id, token, clock.now()) : null;
  if (!session) throw AppError.of(401, "unauthorized");
  return { account: session.account, sessionId: session.sessionId, trustLevel: session.trustLevel };
}

/** Services that act for the account (subscriptions, forms) need a confirmed address and number. */
export const requireVerified: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isVerified(c.get("auth").account)) throw AppError.of(403, "verification_required");
  await next();
};

export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!roles.includes(c.get("auth").account.role)) throw AppError.of(403, "forbidden");
    await next();
  };
}
