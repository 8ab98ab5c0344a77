import { z } from "zod";

export const mailboxQuery = z
  .object({
    cursor: z
      .string()
      .regex(/^\d{1,15}\.[A-Za-z0-9_-]{1,80}$/, "a cursor from the previous page")
      .transform((c) => ({ at: Number(c.slice(0, c.indexOf("."))), id: c.slice(c.indexOf(".") + 1) }))
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();
export type MailboxQuery = z.output<typeof mailboxQuery>;

export const readInput = z.object({ upTo: z.iso.datetime({ offset: true }).transform((v) => Date.parse(v)) }).strict();

/** A message: the citizen's reply or the town's message, with files uploaded before. */
export const messageInput = z
  .object({
    text: z.string().trim().min(1).max(5000),
    uploads: z.array(z.string().regex(/^u_[A-Za-z0-9_-]{10,64}$/)).max(10).optional(),
  })
  .strict();
export type MessageInput = z.output<typeof messageInput>;

export const anonymousQuery = z.object({ token: z.string().max(100) }).strict();
