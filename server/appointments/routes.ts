import { type Context, Hono } from "hono";
import { isVerified } from "../accounts/account.js";
import { optionalAuth, requireAuth, requireVerified } from "../accounts/auth.js";
import { AppError, preferredLang } from "../http/errors.js";
import { linkPage, linkPageHeaders } from "../http/link-page.js";
import { fieldMessages } from "../http/messages.js";
import type { Tenant } from "../tenants/tenant.js";
import { pages } from "./pages.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireService } from "../tenants/middleware.js";
import { bookingInput, moveInput, movePageQuery, requestInput, slotsQuery, tokenQuery } from "./inputs.js";
import type { AppointmentsService, Booker } from "./service.js";

/** `appointments…` and `me/appointments…` under /api/v1/tenants/{slug}/. HTTP only; the rules are in the service. */
/** What guards booking without an account: the per-IP limit and a solved proof-of-work challenge (both from the forms feature). */
export interface AnonymousGuard {
  limit(tenant: Tenant, ip: string): Promise<void>;
  spendProof(tenant: Tenant, payload: string | undefined): Promise<void>;
}

const wantsJson = (c: Context<AppEnv>) => c.req.header("accept")?.includes("application/json") ?? false;

export function appointmentRoutes(store: Store, clock: Clock, appointments: AppointmentsService, publicUrl: (requestUrl: string) => string, guard: AnonymousGuard) {
  const app = new Hono<AppEnv>();
  for (const path of ["/appointments/*", "/me/appointments", "/me/appointments/*"]) app.use(path, requireService("appointments"));
  const account = [requireAuth(store, clock), requireVerified] as const;

  app.get("/appointments/services", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(appointments.services(c.get("tenant")));
  });

  // Free slots change with every booking: never kept by caches.
  app.get("/appointments/services/:id/slots", async (c) => {
    c.header("Cache-Control", "no-store");
    // Browsers reloading send `no-cache`, or `max-age=0` for fetch's `cache: "no-cache"`.
    const fresh = /no-cache|max-age=0/.test(c.req.header("cache-control") ?? "");
    return c.json(await appointments.slots(c.get("tenant"), c.req.param("id"), parseWith(slotsQuery, c.req.query()), fresh));
  });

  /** Who asks: a verified account, or, without one, a name and an e-mail address behind the per-IP limit and a solved challenge. */
  async function booker(c: Context<AppEnv>, input: { name?: string | undefined; email?: string | undefined; lang?: "de" | "en" | undefined; proof?: string | undefined }): Promise<Booker> {
    const tenant = c.get("tenant");
    const auth = await optionalAuth(store, clock, c);
    if (auth) {
      if (!isVerified(auth.account)) throw AppError.of(403, "verification_required");
      return { account: auth.account };
    }
    const missing = Object.fromEntries((["name", "email"] as const).filter((f) => !input[f]).map((f) => [f, { code: "required", messages: fieldMessages.required }]));
    if (Object.keys(missing).length > 0) throw AppError.of(400, "validation_failed", missing);
    await guard.limit(tenant, c.get("clientIp")());
    await guard.spendProof(tenant, input.proof);
    return { anonymous: { name: input.name!, email: input.email!, lang: input.lang ?? preferredLang(c.req.header("accept-language")) } };
  }

  // With an account at once; without one held until confirmed through the mail's link.
  app.post("/appointments/bookings", async (c) => {
    const input = await jsonBody(c, bookingInput);
    return c.json(await appointments.book(c.get("tenant"), await booker(c, input), input, publicUrl(c.req.url)), 201);
  });

  app.post("/appointments/requests", async (c) => {
    const input = await jsonBody(c, requestInput);
    return c.json(await appointments.request(c.get("tenant"), await booker(c, input), input), 201);
  });

  app.get("/me/appointments", ...account, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await appointments.mine(c.get("tenant"), c.get("auth").account, publicUrl(c.req.url)));
  });

  app.post("/me/appointments/:id/cancel", ...account, async (c) =>
    c.json(await appointments.cancel(c.get("tenant"), { account: c.get("auth").account }, c.req.param("id"), publicUrl(c.req.url))),
  );

  app.post("/me/appointments/:id/move", ...account, async (c) => {
    const input = await jsonBody(c, moveInput);
    return c.json(await appointments.move(c.get("tenant"), { account: c.get("auth").account }, c.req.param("id"), input, publicUrl(c.req.url)));
  });

  // The move link in the mails: a page listing a week's free times in one form, which POSTs the chosen one.
  app.get("/appointments/bookings/:id/move", async (c) => {
    const { token, from } = parseWith(movePageQuery, c.req.query());
    const lang = preferredLang(c.req.header("accept-language"));
    const { appointment, free, next } = await appointments.moveChoices(c.get("tenant"), c.req.param("id"), token, from, publicUrl(c.req.url));
    return c.html(linkPage(c.get("tenant"), lang, pages.move(lang, appointment, free, `?token=${token}&from=${next}`)), 200, linkPageHeaders);
  });

  app.post("/appointments/bookings/:id/move", async (c) => {
    const { token } = parseWith(movePageQuery, c.req.query());
    const form = c.req.header("content-type")?.startsWith("application/x-www-form-urlencoded") ?? false;
    const input = form ? parseWith(moveInput, { start: (await c.req.parseBody()).start }) : await jsonBody(c, moveInput);
    const a = await appointments.move(c.get("tenant"), { token }, c.req.param("id"), input, publicUrl(c.req.url));
    if (wantsJson(c)) return c.json(a);
    const lang = preferredLang(c.req.header("accept-language"));
    return c.html(linkPage(c.get("tenant"), lang, pages.moved(lang, a)), 200, linkPageHeaders);
  });

  // The link in the mails: cancel without logging in (the page's button, or a client asking for JSON).
  app.post("/appointments/bookings/:id/cancel", async (c) => {
    const { token } = parseWith(tokenQuery, c.req.query());
    const a = await appointments.cancel(c.get("tenant"), { token }, c.req.param("id"), publicUrl(c.req.url));
    if (wantsJson(c)) return c.json(a);
    const lang = preferredLang(c.req.header("accept-language"));
    return c.html(linkPage(c.get("tenant"), lang, pages.cancelled(lang, a)), 200, linkPageHeaders);
  });

  // The confirmation link of a booking without an account: a page with a button, which POSTs.
  app.get("/appointments/bookings/:id/confirm", async (c) => {
    const { token } = parseWith(tokenQuery, c.req.query());
    const lang = preferredLang(c.req.header("accept-language"));
    const a = await appointments.peek(c.get("tenant"), c.req.param("id"), token, publicUrl(c.req.url));
    return c.html(linkPage(c.get("tenant"), lang, pages.confirm(lang, a)), 200, linkPageHeaders);
  });

  app.post("/appointments/bookings/:id/confirm", async (c) => {
    const { token } = parseWith(tokenQuery, c.req.query());
    const a = await appointments.confirm(c.get("tenant"), c.req.param("id"), token, publicUrl(c.req.url));
    if (wantsJson(c)) return c.json(a);
    const lang = preferredLang(c.req.header("accept-language"));
    return c.html(linkPage(c.get("tenant"), lang, pages.confirmed(lang, a)), 200, linkPageHeaders);
  });

  app.get("/appointments/bookings/:id/cancel", async (c) => {
    const { token } = parseWith(tokenQuery, c.req.query());
    const lang = preferredLang(c.req.header("accept-language"));
    const a = await appointments.peek(c.get("tenant"), c.req.param("id"), token, publicUrl(c.req.url));
    return c.html(linkPage(c.get("tenant"), lang, pages.cancel(lang, a)), 200, linkPageHeaders);
  });

  app.get("/appointments/bookings/:id{ap_[A-Za-z0-9_-]+\\.ics}", async (c) => {
    const { token } = parseWith(tokenQuery, c.req.query());
    const ics = await appointments.calendar(c.get("tenant"), c.req.param("id").slice(0, -".ics".length), token);
    return c.body(ics, 200, {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="termin.ics"',
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
    });
  });
  return app;
}
