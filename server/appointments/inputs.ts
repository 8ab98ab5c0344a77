import { z } from "zod";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");

export const slotsQuery = z.object({ from: day.optional(), to: day.optional() }).strict();
export type SlotsQuery = z.output<typeof slotsQuery>;

export const bookingInput = z
  .object({
    serviceId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    /** A slot's start as `GET …/slots` gave it: ISO 8601 with its offset. */
    start: z.iso.datetime({ offset: true }),
    /** Without an account: who comes, where the confirmation link goes, and a solved proof-of-work challenge (`GET proof/challenge?purpose=appointment`). */
    name: z.string().trim().min(2).max(100).optional(),
    email: z.email().max(254).optional(),
    lang: z.enum(["de", "en"]).optional(),
    proof: z.string().max(2000).optional(),
  })
  .strict();
export type BookingInput = z.output<typeof bookingInput>;

/** `POST me/appointments/{id}/move` and the mail's move link: the new slot's start as `GET …/slots` gave it. */
export const moveInput = z.object({ start: z.iso.datetime({ offset: true }) }).strict();
export type MoveInput = z.output<typeof moveInput>;

export const tokenQuery = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "the token from the mail's link") }).strict();

/** The page behind the mail's move link: the free slots of a week from `from` on. */
export const movePageQuery = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "the token from the mail's link"), from: day.optional() }).strict();

/** `GET office/appointments/slots`: a clerk's free slots for a service (also one given on request). */
export const clerkSlotsQuery = z
  .object({
    service: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    clerk: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    from: day.optional(),
    to: day.optional(),
  })
  .strict();
export type ClerkSlotsQuery = z.output<typeof clerkSlotsQuery>;

export const calendarQuery = z
  .object({
    from: day,
    to: day,
    location: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).optional(),
    clerk: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).optional(),
  })
  .strict();
export type CalendarQuery = z.output<typeof calendarQuery>;

export const absenceInput = z
  .object({
    clerkId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    note: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((a) => Date.parse(a.end) > Date.parse(a.start), { path: ["end"], message: "after the start" });
export type AbsenceInput = z.output<typeof absenceInput>;

export const dayListQuery = z.object({ date: day, location: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).optional() }).strict();

export const requestInput = z
  .object({
    serviceId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    /** Preferred days and times of day, in order of preference. */
    preferences: z
      .array(z.object({ date: day, time: z.enum(["morning", "afternoon", "any"]) }).strict())
      .min(1)
      .max(5),
    note: z.string().trim().min(1).max(1000).optional(),
    name: z.string().trim().min(2).max(100).optional(),
    email: z.email().max(254).optional(),
    lang: z.enum(["de", "en"]).optional(),
    proof: z.string().max(2000).optional(),
  })
  .strict();
export type RequestInput = z.output<typeof requestInput>;

/** `POST office/appointments/{id}/cancel`: the reason the citizen reads in the mail. */
export const officeCancelInput = z.object({ reason: z.string().trim().min(3).max(300) }).strict();
export type OfficeCancelInput = z.output<typeof officeCancelInput>;

export const scheduleInput = z.object({ clerkId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/), start: z.iso.datetime({ offset: true }) }).strict();
export type ScheduleInput = z.output<typeof scheduleInput>;
