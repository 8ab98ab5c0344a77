import { z } from "zod";

/**
 * `tenants/<slug>/appointments.json`: where and when a town hall gives appointments, for what,
 * and by whom. Validated at sync with the town (server/tenants/definitions.ts) and stored in the
 * town's configuration, so the slot arithmetic reads it without a query.
 */

const text = z.object({ de: z.string().min(1).max(200), en: z.string().min(1).max(200).optional() }).strict();
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lowercase letters, digits and dashes");
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5][05]$|^24:00$/, "a time like 08:00 or 13:30 (minutes in steps of 5)");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2026-12-24");

/** `[["08:00", "12:00"], ["13:00", "16:00"]]`: the open windows of a weekday, in order. */
const windows = z
  .array(z.tuple([time, time]))
  .max(6)
  .refine((ws) => ws.every(([a, b]) => a < b), { message: "each window must end after it starts" })
  .refine((ws) => ws.every((w, i) => i === 0 || ws[i - 1]![1] <= w[0]), { message: "windows must be in order and must not overlap" });

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];
const week = z.object(Object.fromEntries(weekdays.map((d) => [d, windows.optional()])) as Record<Weekday, z.ZodOptional<typeof windows>>).strict();
export type WeekHours = z.output<typeof week>;

/** The states whose public holidays the holiday library knows (feiertagejs regions). */
export const states = ["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"] as const;

const location = z
  .object({
    id,
    name: text,
    address: z.string().min(3).max(200),
    /** Opening hours of the counter; clerks are only booked within them. */
    hours: week,
  })
  .strict();

const service = z
  .object({
    id,
    name: text,
    description: text.optional(),
    location: id,
    /** Who handles it in the office; requests go to the department's coordinators. */
    department: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/).optional(),
    durationMinutes: z
      .number()
      .int()
      .min(5)
      .max(480)
      .refine((m) => m % 5 === 0, { message: "a multiple of 5 minutes" }),
    /** `booking`: citizens pick a free slot; `request`: they ask, a coordinator gives a time. */
    mode: z.enum(["booking", "request"]),
    /** Documents to bring, shown before booking and in the confirmation. */
    bring: z.array(text).max(20).default([]),
    /** How many clerks serve it at the same time at most. */
    capacity: z.number().int().min(1).max(50).default(1),
  })
  .strict();

const clerk = z
  .object({
    id,
    name: z.string().min(1).max(80),
    /** Receives the calendar invitations; a staff account with this address sees the clerk's calendar. */
    email: z.email(),
    services: z.array(id).min(1),
    /** Regular weekly hours; within the location's opening hours. */
    hours: week,
  })
  .strict();

export const appointmentsConfigSchema = z
  .object({
    /** The town's state: its public holidays are closed days. */
    state: z.enum(states),
    /** The town's own closed days (Brückentage, Heiligabend, Silvester …). */
    closedDays: z.array(z.object({ date: day, reason: text.optional() }).strict()).max(400).default([]),
    /** How far ahead slots are offered. */
    bookingWindowDays: z.number().int().min(1).max(365).default(56),
    /** The earliest a slot may start after booking it. */
    minLeadMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
    /** Until how long before the start citizens may cancel or move an appointment themselves. */
    cancelCutoffHours: z.number().int().min(0).max(14 * 24).default(24),
    locations: z.array(location).min(1).max(20),
    services: z.array(service).min(1).max(100),
    clerks: z.array(clerk).min(1).max(200),
  })
  .strict()
  .superRefine((c, ctx) => {
    const unique = (items: Array<{ id: string }>, path: string) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: "custom", path: [path, i, "id"], message: `"${item.id}" is used twice` });
        seen.add(item.id);
      });
    };
    unique(c.locations, "locations");
    unique(c.services, "services");
    unique(c.clerks, "clerks");
    c.services.forEach((s, i) => {
      if (!c.locations.some((l) => l.id === s.location)) ctx.addIssue({ code: "custom", path: ["services", i, "location"], message: `"${s.location}" is not one of the locations` });
      if (!c.clerks.some((k) => k.services.includes(s.id))) ctx.addIssue({ code: "custom", path: ["services", i, "id"], message: `no clerk serves "${s.id}"` });
    });
    c.clerks.forEach((k, i) =>
      k.services.forEach((sid, j) => {
        if (!c.services.some((s) => s.id === sid)) ctx.addIssue({ code: "custom", path: ["clerks", i, "services", j], message: `"${sid}" is not one of the services` });
      }),
    );
  });

export type AppointmentsConfig = z.output<typeof appointmentsConfigSchema>;
export type AppointmentService = AppointmentsConfig["services"][number];
export type AppointmentLocation = AppointmentsConfig["locations"][number];
export type Clerk = AppointmentsConfig["clerks"][number];
