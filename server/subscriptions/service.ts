import type { z } from "zod";
import type { Account } from "../accounts/account.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { unknownTopics } from "../news/topics.js";
import type { Tenant } from "../tenants/tenant.js";
import type { subscriptionsInput } from "./inputs.js";
import { deleteSubscriptions, findTopics, replaceSubscriptions } from "./repo.js";
import { readUnsubscribeToken } from "./unsubscribe-token.js";

export interface Subscriptions {
  topics: string[];
  smsAlerts: boolean;
}

/** Which news topics an account receives, and the one-click way out from a mail. */
export function subscriptionService(deps: { store: Store; clock: Clock; secret: string }) {
  const { store, clock, secret } = deps;
  const db = store.db;

  return {
    async read(tenant: Tenant, account: Account): Promise<Subscriptions> {
      return { topics: await findTopics(db, tenant.id, account.id), smsAlerts: account.smsAlerts };
    },

    async replace(tenant: Tenant, account: Account, input: z.output<typeof subscriptionsInput>): Promise<Subscriptions> {
      const topics = [...new Set(input.topics)];
      unknownTopics(tenant, topics);
      await store.atomic(replaceSubscriptions(db, tenant.id, account.id, topics, input.smsAlerts, clock.now()));
      return { topics, smsAlerts: input.smsAlerts };
    },

    /** Is this a token of this town? (A GET only shows a confirmation; it changes nothing.) */
    async isValidToken(tenant: Tenant, token: string): Promise<boolean> {
      return (await readUnsubscribeToken(secret, token))?.tenantId === tenant.id;
    },

    /**
     * The token, not a session, names the account and topics. A token of another town, a forged
     * or a garbled one is simply not found here.
     */
    async unsubscribe(tenant: Tenant, token: string): Promise<void> {
      const payload = await readUnsubscribeToken(secret, token);
      if (!payload || payload.tenantId !== tenant.id) throw AppError.of(404, "not_found");
      await deleteSubscriptions(db, tenant.id, payload.accountId, payload.topics);
    },
  };
}

export type SubscriptionService = ReturnType<typeof subscriptionService>;
