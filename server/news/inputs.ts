import { z } from "zod";
import { fieldError } from "../http/validate.js";
import { hasXmlForbiddenChars, normaliseWordBreaks } from "./chars.js";

const invalidCharacters = fieldError("invalid_characters", {
  de: "Der Text enthält unsichtbare Steuerzeichen (oft aus Word oder PDF kopiert). Bitte tippen Sie die betroffene Stelle neu.",
  en: "The text contains invisible control characters (often copied from Word or a PDF). Please retype the affected part.",
});

/** Text staff write: Word's line breaks become newlines, other control characters are refused. */
const text = (max: number) =>
  z
    .string()
    .overwrite(normaliseWordBreaks)
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !hasXmlForbiddenChars(s), { params: invalidCharacters });

const topics = z.array(z.string().max(40)).min(1).max(20);
const publishAt = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

export const createNewsInput = z
  .object({
    title: text(200),
    summary: text(600),
    body: text(50_000),
    topics,
    urgent: z.boolean().optional(),
    publishAt: publishAt.nullable().optional(),
  })
  .strict();

export const updateNewsInput = createNewsInput.partial().strict();

export const listNewsQuery = z
  .object({
    topic: z.string().max(40).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(50).optional(),
  })
  .strict();

// Not strict: feed readers and caches add their own parameters; an unknown topic is a 404 (service).
export const feedQuery = z.object({ topic: z.string().optional() });

export type CreateNewsInput = z.output<typeof createNewsInput>;
export type UpdateNewsInput = z.output<typeof updateNewsInput>;
export type ListNewsQuery = z.output<typeof listNewsQuery>;
