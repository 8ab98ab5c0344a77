import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { validateSessionToken } from "../accounts/sessions.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";

/**
 * The office's session: an `HttpOnly; Secure; SameSite=Strict` cookie on the API origin, one per
 * town (`__Host-` binds it to this host and path /), holding a token whose SHA-256 is the
 * session id; never readable by page scripts. Writes also need `X-CSRF-Token`: an HMAC of the
 * session id under the deployment secret, handed out with the session and never stored.
 */
const cookieName = (slug: string) => `dr-office-${slug}`;

export function setOfficeCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, cookieName(c.get("tenant").slug), token, { prefix: "host", httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
}

export function clearOfficeCookie(c: Context<AppEnv>) {
  deleteCookie(c, cookieName(c.get("tenant").slug), { prefix: "host", secure: true, path: "/" });
}

export async function csrfToken(secret: string, sessionId: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(`csrf:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return encodeBase64urlNoPadding(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(sessionId))));
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Office routes: a staff or admin session from the cookie (a bearer token counts for nothing
 * here), and for every write the CSRF token of that session.
 */
export function requireOffice(store: Store, clock: Clock, secret: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, cookieName(c.get("tenant").slug), "host");
    const session = token ? await validateSessionToken(store.db, c.get("tenant").id, token, clock.now(), "office") : null;
    if (!session) throw AppError.of(401, "unauthorized");
    if (session.account.role === "citizen") throw AppError.of(403, "forbidden");
    if (!safeMethods.has(c.req.method)) {
      const sent = c.req.header("x-csrf-token") ?? "";
      const expected = await csrfToken(secret, session.sessionId);
      if (!timingSafeEqual(sent, expected)) throw AppError.of(403, "csrf_failed");
    }
    c.set("auth", { account: session.account, sessionId: session.sessionId, trustLevel: session.trustLevel });
    c.header("Cache-Control", "no-store");
    await next();
  };
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
