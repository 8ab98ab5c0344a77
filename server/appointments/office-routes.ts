import { Hono } from "hono";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireOffice } from "../office/session.js";
import { requireService } from "../tenants/middleware.js";
import { dayList } from "./day-list.js";
import { absenceInput, calendarQuery, clerkSlotsQuery, dayListQuery, officeCancelInput, scheduleInput } from "./inputs.js";
import type { AppointmentsOffice } from "./office-service.js";

/** `office/appointments…` under /api/v1/tenants/{slug}/: the office's calendar, absences and no-shows, on the office session. */
export function appointmentOfficeRoutes(store: Store, clock: Clock, secret: string, office: AppointmentsOffice, publicUrl: (requestUrl: string) => string) {
  const app = new Hono<AppEnv>();
  for (const path of ["/office/appointments", "/office/appointments/*"]) app.use(path, requireService("appointments"));
  const staff = requireOffice(store, clock, secret);

  app.get("/office/appointments", staff, async (c) => c.json(await office.calendar(c.get("tenant"), c.get("auth").account, parseWith(calendarQuery, c.req.query()))));
  app.get("/office/appointments/day.html", staff, async (c) => {
    const q = parseWith(dayListQuery, c.req.query());
    const calendar = await office.calendar(c.get("tenant"), c.get("auth").account, { from: q.date, to: q.date, ...(q.location ? { location: q.location } : {}) });
    return c.html(dayList(c.get("tenant"), q.date, calendar), 200, { "Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "no-referrer" });
  });
  app.post("/office/appointments/absences", staff, async (c) => {
    const input = await jsonBody(c, absenceInput);
    return c.json(await office.addAbsence(c.get("tenant"), c.get("auth").account, input), 201);
  });
  app.delete("/office/appointments/absences/:id", staff, async (c) => {
    await office.removeAbsence(c.get("tenant"), c.get("auth").account, c.req.param("id"));
    return c.body(null, 204);
  });
  app.get("/office/appointments/slots", staff, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await office.clerkSlots(c.get("tenant"), c.get("auth").account, parseWith(clerkSlotsQuery, c.req.query())));
  });
  app.get("/office/appointments/requests", staff, async (c) => c.json(await office.requests(c.get("tenant"), c.get("auth").account)));
  app.post("/office/appointments/requests/:id/schedule", staff, async (c) => {
    const input = await jsonBody(c, scheduleInput);
    return c.json(await office.schedule(c.get("tenant"), c.get("auth").account, c.req.param("id"), input, publicUrl(c.req.url)), 201);
  });
  app.post("/office/appointments/:id/cancel", staff, async (c) => {
    const input = await jsonBody(c, officeCancelInput);
    return c.json(await office.cancel(c.get("tenant"), c.get("auth").account, c.req.param("id"), input, publicUrl(c.req.url)));
  });
  app.post("/office/appointments/:id/no-show", staff, async (c) => c.json(await office.noShow(c.get("tenant"), c.get("auth").account, c.req.param("id"))));
  return app;
}
