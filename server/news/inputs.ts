import { z } from "zod";

const topics = z.array(z.string().max(40)).min(1).max(20);
const publishAt = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

export const createNewsInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().min(1).max(600),
    body: z.string().trim().min(1).max(50_000),
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
