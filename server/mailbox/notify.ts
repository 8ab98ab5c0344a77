import type { Compilable } from "kysely";
import type { Account } from "../accounts/account.js";
import type { Db } from "../db/schema.js";
import { enqueue } from "../outbox/enqueue.js";
import type { Tenant } from "../tenants/tenant.js";

/** Where the widget opens the Postfach on the town's website. */
export const postfachLink = (tenant: Tenant) => `${tenant.config.contact.website.replace(/#.*$/, "")}#rathaus/postfach`;

/**
 * The mail (and SMS for those who opted in) that says only that something is new: no
 * application data and no documents leave the Postfach. Written with the change that causes it.
 */
export function postfachNotice(db: Db, tenant: Tenant, account: Account, entryId: string, now: number): Compilable[] {
  const link = postfachLink(tenant);
  const writes: Compilable[] = [
    enqueue(db, tenant.id, { channel: "email", template: "postfach_notice", recipient: account.email, lang: account.lang, accountId: account.id, dedupeKey: `postfach:${entryId}`, vars: { name: account.name, link } }, now),
  ];
  if (account.smsAlerts && account.mobileVerifiedAt !== null) {
    writes.push(enqueue(db, tenant.id, { channel: "sms", template: "postfach_notice", recipient: account.mobile, lang: account.lang, accountId: account.id, dedupeKey: `postfach-sms:${entryId}`, vars: { url: link } }, now));
  }
  return writes;
}
