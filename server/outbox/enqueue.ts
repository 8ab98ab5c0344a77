import { type Expression, type SqlBool, sql } from "kysely";
import type { Db, OutboxSharedTable, OutboxTable } from "../db/schema.js";
import type { Lang } from "../http/errors.js";
import { randomId } from "../lib/crypto.js";
import type { MailTemplateName, MailVars, RecipientMailVars, SharedMailTemplate, SharedMailVars } from "../mail/types.js";
import type { SmsTemplateName, SmsVars } from "../sms/texts.js";

interface Envelope {
  recipient: string;
  lang: Lang;
  accountId?: string | null;
  /** Same key, same message: a second enqueue is ignored, so fan-outs cannot send twice. */
  dedupeKey?: string;
}

/** A mail that carries all of its template's variables. */
export type MailMessage = {
  [T in MailTemplateName]: Envelope & { channel: "email"; template: T; vars: MailVars<T>; sharedId?: undefined };
}[MailTemplateName];

/**
 * One of many mails sharing variables stored once under `sharedId` (see `shareVars`): it
 * carries only its recipient's own variables.
 */
export type SharedMailMessage = {
  [T in SharedMailTemplate]: Envelope & { channel: "email"; template: T; sharedId: string; vars: RecipientMailVars<T> };
}[SharedMailTemplate];

export type SmsMessage = {
  [T in SmsTemplateName]: Envelope & { channel: "sms"; template: T; vars: SmsVars<T>; sharedId?: undefined };
}[SmsTemplateName];

/**
 * What goes into the outbox, checked against the templates: a misspelt template, a missing
 * or misspelt variable is a type error here rather than a mail that fails to render later.
 */
export type OutboxMessage = MailMessage | SharedMailMessage | SmsMessage;

/**
 * The insert that puts one message into the outbox; run it in the same atomic write as the
 * change that causes it. With `onlyIf` the row is written only if that condition holds when
 * the write runs (checked in the same statement, so nothing can change in between). With
 * `fill`, a placeholder in the variables is replaced by a value that an earlier write of the
 * same atomic unit made (a submission's reference number, counted in SQL).
 */
export function enqueue(
  db: Db,
  tenantId: string,
  msg: OutboxMessage,
  now: number,
  opts: { onlyIf?: Expression<SqlBool>; fill?: { placeholder: string; value: Expression<string> } } = {},
) {
  const row: OutboxTable = {
    tenant_id: tenantId,
    id: randomId("m"),
    channel: msg.channel,
    dedupe_key: msg.dedupeKey ?? null,
    account_id: msg.accountId ?? null,
    recipient: msg.recipient,
    template: msg.template,
    lang: msg.lang,
    payload: JSON.stringify(msg.vars),
    status: "pending",
    attempts: 0,
    next_attempt_at: now,
    last_error: null,
    created_at: now,
    sent_at: null,
    shared_id: msg.sharedId ?? null,
  };
  const insert = db.insertInto("outbox");
  if (opts.fill) {
    const payload = sql<string>`replace(${row.payload}, ${opts.fill.placeholder}, ${opts.fill.value})`;
    return insert.values({ ...row, payload }).onConflict((oc) => oc.columns(["tenant_id", "dedupe_key"]).doNothing());
  }
  return (opts.onlyIf ? insert.columns(columnsOf(row)).expression(valuesWhere(row, opts.onlyIf)) : insert.values(row)).onConflict((oc) =>
    oc.columns(["tenant_id", "dedupe_key"]).doNothing(),
  );
}

/** Stores variables common to many messages (a news item's text) once. */
export function shareVars<T extends SharedMailTemplate = "news">(
  db: Db,
  tenantId: string,
  id: string,
  vars: SharedMailVars<T>,
  now: number,
  opts: { onlyIf?: Expression<SqlBool> } = {},
) {
  const row: OutboxSharedTable = { tenant_id: tenantId, id, vars: JSON.stringify(vars), created_at: now };
  const insert = db.insertInto("outbox_shared");
  return (opts.onlyIf ? insert.columns(columnsOf(row)).expression(valuesWhere(row, opts.onlyIf)) : insert.values(row)).onConflict((oc) =>
    oc.columns(["tenant_id", "id"]).doNothing(),
  );
}

/** The columns of a row, in the order `valuesWhere` selects them. */
const columnsOf = <R extends object>(row: R) => Object.keys(row) as (keyof R & string)[];

/**
 * `SELECT <the row's values> WHERE <condition>`, for `INSERT … SELECT`: the row is written
 * only if the condition holds. (The WHERE is also what SQLite needs to tell that SELECT from
 * a following ON CONFLICT.)
 */
const valuesWhere = <R extends object>(row: R, condition: Expression<SqlBool>) =>
  sql`SELECT ${sql.join(columnsOf(row).map((k) => row[k]))} WHERE ${condition}`;
