import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { requireAuth } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { preferredLang } from "../http/errors.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { randomToken } from "../lib/crypto.js";
import { exchangeInput, startQuery } from "./inputs.js";
import { outcomeResponse } from "./pages.js";
import type { IdentityService, Outcome } from "./service.js";

/** Pages of the login flow: never cached, no referrer (the provider's answer is in the URL). */
const pageHeaders = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

/**
 * The cookie that ties a login to the browser that started it (the start, the provider's answer
 * and the popup are all on the API's origin: first-party, also where third-party cookies are
 * blocked). SameSite=None: SAML's answer is a cross-site POST from the IdP.
 */
const browserCookie = "__Host-dr-login";
const cookieOf = (c: Context<AppEnv>) => {
  const v = getCookie(c, browserCookie);
  return v && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : undefined;
};

async function answer(c: Context<AppEnv>, o: Outcome) {
  const r = await outcomeResponse(c.get("tenant"), o, preferredLang(c.req.header("accept-language")));
  return c.html(r.html, r.status as 200 | 400, { ...pageHeaders, "Content-Security-Policy": r.csp });
}

/** `auth/providers…` and `me/identities…` under /api/v1/tenants/{slug}/. HTTP only; the rules are in the service. */
export function identityRoutes(store: Store, clock: Clock, identity: IdentityService, publicUrl: (requestUrl: string) => string) {
  const app = new Hono<AppEnv>();
  const account = requireAuth(store, clock);

  // Opened by the widget in a popup or as the whole page: on to the provider.
  app.get("/auth/providers/:id/start", async (c) => {
    // One value per browser, kept while logins are under way: two tabs logging in at once both answer.
    const browser = cookieOf(c) ?? randomToken(32);
    const started = await identity.start(c.get("tenant"), c.req.param("id"), parseWith(startQuery, c.req.query()), publicUrl(c.req.url), browser);
    setCookie(c, browserCookie, browser, { path: "/", secure: true, httpOnly: true, sameSite: "None", maxAge: 15 * 60 });
    if ("redirect" in started) return c.redirect(started.redirect, 302);
    return c.html(started.html, 200, { ...pageHeaders, "Content-Security-Policy": started.csp });
  });

  // The OIDC provider sends the browser back here (the client's redirect URI).
  app.get("/auth/providers/:id/callback", async (c) => answer(c, await identity.finishOidc(c.get("tenant"), c.req.param("id"), new URL(c.req.url), publicUrl(c.req.url), cookieOf(c))));

  app.post("/auth/providers/exchange", async (c) => c.json(await identity.exchange(c.get("tenant"), await jsonBody(c, exchangeInput))));

  app.get("/me/identities", account, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await identity.linked(c.get("tenant"), c.get("auth").account));
  });
  app.post("/me/identities/:id/link", account, async (c) => c.json(await identity.linkIntent(c.get("tenant"), c.get("auth").account, c.req.param("id")), 201));
  app.delete("/me/identities/:id", account, async (c) => {
    await identity.unlink(c.get("tenant"), c.get("auth").account, c.req.param("id"));
    return c.body(null, 204);
  });
  return app;
}

/** `/saml/{slug}/…`: the addresses registered with the IdP (BundID): our metadata and the assertion consumer service. */
export function samlRoutes(identity: IdentityService, publicUrl: (requestUrl: string) => string) {
  const app = new Hono<AppEnv>();
  app.get("/metadata.xml", async (c) =>
    c.body(await identity.metadata(c.get("tenant"), publicUrl(c.req.url)), 200, { "Content-Type": "application/samlmetadata+xml; charset=utf-8", "Cache-Control": "public, max-age=3600" }),
  );
  // The IdP's browser POST (HTTP-POST binding): form fields SAMLResponse and RelayState.
  app.post("/acs", async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : undefined);
    return answer(c, await identity.finishSaml(c.get("tenant"), { SAMLResponse: field("SAMLResponse"), RelayState: field("RelayState") }, publicUrl(c.req.url), cookieOf(c)));
  });
  return app;
}
