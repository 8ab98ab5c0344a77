import { z } from "zod";
import { fieldError } from "../http/validate.js";

const cursor = z
  .string()
  .regex(/^\d{1,15}\.wd_[A-Za-z0-9_-]{1,40}$/, "a cursor from the previous page")
  .transform((c) => ({ at: Number(c.slice(0, c.indexOf("."))), id: c.slice(c.indexOf(".") + 1) }));

export const webhooksQuery = z
  .object({
    cursor: cursor.optional(),
    status: z.enum(["pending", "sending", "delivered", "failed"]).optional(),
  })
  .strict();
export type WebhooksQuery = z.output<typeof webhooksQuery>;

/** A calendar day that exists: 2026-02-30 is refused, not rolled over into March. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, "a day that exists");

/** `from` and `to` are days in Berlin, both included. */
export const submissionsCsvQuery = z
  .object({ from: day, to: day })
  .strict()
  .refine((q) => q.from <= q.to, {
    path: ["to"],
    params: fieldError("invalid", { de: "Das Ende des Zeitraums liegt vor seinem Anfang.", en: "The end of the period is before its start." }),
  });
export type SubmissionsCsvQuery = z.output<typeof submissionsCsvQuery>;
