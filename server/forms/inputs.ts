import { z } from "zod";
import type { FormData } from "./definition.js";

/**
 * Request shapes of the forms routes. The answers inside `data` are checked by the rules module
 * against the form (forms/rules), not here: this only makes sure it is a JSON object.
 */
const answers = z.record(z.string().max(100), z.unknown()).transform((d) => d as FormData);

export const formIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/);

export const draftInput = z.object({ data: answers, version: z.number().int().min(1) }).strict();
export type DraftInput = z.output<typeof draftInput>;

export const submissionInput = z
  .object({
    data: answers,
    /** The version the citizen filled in; another one than the current gets `409 form_changed`. */
    version: z.number().int().min(1),
    /** Anonymous senders: where the receipt goes. */
    email: z.email().max(254).optional(),
    /** Anonymous senders: a solved challenge of `GET proof/challenge?purpose=submission`. */
    proof: z.string().max(4000).optional(),
    /** Anonymous senders: the language of the receipt. */
    lang: z.enum(["de", "en"]).optional(),
  })
  .strict();
export type SubmissionInput = z.output<typeof submissionInput>;

/** A client's key for one attempt to send; resending with it answers with the same submission. */
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/).optional();

export const challengeQuery = z.object({ purpose: z.enum(["upload", "submission", "appointment"]) }).strict();

const cursor = z
  .string()
  .regex(/^\d{1,15}\.s_[A-Za-z0-9_-]{1,40}$/, "a cursor from the previous page")
  .transform((c) => {
    const dot = c.indexOf(".");
    return { at: Number(c.slice(0, dot)), id: c.slice(dot + 1) };
  });

export const mySubmissionsQuery = z
  .object({ cursor: cursor.optional(), limit: z.coerce.number().int().min(1).max(100).optional() })
  .strict();
export type MySubmissionsQuery = z.output<typeof mySubmissionsQuery>;

export const receiptQuery = z.object({ token: z.string().max(100).optional() }).strict();
