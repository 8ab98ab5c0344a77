import { z } from "zod";
import { messageInput } from "../mailbox/inputs.js";

const status = z.enum(["received", "in_progress", "waiting", "approved", "rejected", "closed"]);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");

export const inboxQuery = z
  .object({
    status: status.optional(),
    form: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/).optional(),
    /** `me`, `none` or an account id. */
    assignee: z.string().regex(/^(me|none|a_[A-Za-z0-9_-]{1,40})$/).optional(),
    q: z.string().trim().min(1).max(100).optional(),
    from: day.optional(),
    to: day.optional(),
    unread: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    sort: z.enum(["newest", "oldest"]).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,15}\.s_[A-Za-z0-9_-]{1,40}$/, "a cursor from the previous page")
      .transform((c) => ({ at: Number(c.slice(0, c.indexOf("."))), id: c.slice(c.indexOf(".") + 1) }))
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();
export type InboxQuery = z.output<typeof inboxQuery>;

export const statusInput = z
  .object({
    status,
    reason: z.string().trim().min(1).max(1000).optional(),
    message: z.string().trim().min(1).max(5000).optional(),
  })
  .strict();
export type StatusInput = z.output<typeof statusInput>;

export const assignInput = z.object({ accountId: z.string().regex(/^a_[A-Za-z0-9_-]{1,40}$/).nullable() }).strict();

export const officeMessageInput = messageInput;

export const noteInput = z.object({ text: z.string().trim().min(1).max(5000) }).strict();

export const auditQuery = z
  .object({
    cursor: z
      .string()
      .regex(/^\d{1,15}\.[A-Za-z0-9_-]{1,80}$/)
      .transform((c) => ({ at: Number(c.slice(0, c.indexOf("."))), id: c.slice(c.indexOf(".") + 1) }))
      .optional(),
  })
  .strict();

export const staffPatch = z
  .object({
    departments: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)).max(50).optional(),
    disabled: z.boolean().optional(),
    role: z.enum(["staff", "admin"]).optional(),
  })
  .strict();
export type StaffPatch = z.output<typeof staffPatch>;

export const staffInvite = z
  .object({
    email: z.email().max(254).transform((e) => e.toLowerCase()),
    name: z.string().trim().min(1).max(120),
    role: z.enum(["staff", "admin"]),
    departments: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)).max(50),
  })
  .strict();
export type StaffInvite = z.output<typeof staffInvite>;
