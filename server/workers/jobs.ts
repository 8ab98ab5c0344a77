import type { Store } from "../db/store.js";
import { httpMailApi } from "../delivery/http-mail-api.js";
import { DeferredDeliveryError, type MailSender, type SmsSender } from "../delivery/ports.js";
import type { Logger } from "../http/logger.js";
import type { Clock } from "../lib/clock.js";
import type { BlobStore } from "../files/blobs.js";
import { inPlaceReceipts, receiptAttachments } from "../forms/receipt.js";
import { appointmentAttachments } from "../appointments/attachments.js";
import { queueReminders } from "../appointments/reminders.js";
import { releaseUnconfirmed } from "../appointments/service.js";
import { allAttachments } from "../outbox/attachment-sources.js";
import { pruneUnusedUploads } from "../forms/uploads.js";
import { prune } from "../housekeeping/prune.js";
import { indexSearchBacklog } from "../office/search-backlog.js";
import { newsFanout } from "../news/fanout.js";
import { createDispatcher } from "../outbox/dispatcher.js";
import { createWebhookDispatcher } from "../handoff/dispatcher.js";
import type { SecretSource } from "../handoff/secrets.js";
import { smsGatewayFromEnv } from "../sms/config.js";
import { httpSmsGateway } from "../sms/http-gateway.js";
import type { WorkerVars } from "./env.js";

/** The variables the jobs need; validated once by server/workers/env.ts. */
export type JobsVars = Pick<WorkerVars, "APP_SECRET"> & Partial<Pick<WorkerVars, "PUBLIC_URL" | "MAIL_FROM">>;

/** Without a provider a message waits in the outbox (retried with backoff) until one is configured. */
const unconfigured = (what: string) => ({
  send: async () => {
    throw new DeferredDeliveryError(`no ${what} configured for this Worker`);
  },
});

export function workerSenders(vars: WorkerVars, strings: Record<string, string>): { mail: MailSender; sms: SmsSender } {
  const mail = vars.MAIL_API_URL && vars.MAIL_API_KEY
    ? httpMailApi({ url: vars.MAIL_API_URL, apiKey: vars.MAIL_API_KEY, ...(vars.MAIL_API_KEY_HEADER ? { keyHeader: vars.MAIL_API_KEY_HEADER } : {}) })
    : unconfigured("MAIL_API_URL/MAIL_API_KEY");
  const gateway = smsGatewayFromEnv(strings);
  return { mail, sms: gateway ? httpSmsGateway(gateway) : unconfigured("SMS_GATEWAY_URL") };
}

/**
 * What the Cron trigger runs every minute on Workers: publish what is due, fan it out, and
 * send from the outbox for at most `budgetMs`, leaving the rest to the next run.
 */
export async function runWorkerJobs(opts: {
  store: Store;
  clock: Clock;
  logger: Logger;
  env: JobsVars;
  senders: { mail: MailSender; sms: SmsSender };
  budgetMs?: number;
  /** The Cron run prunes once an hour; runs right after a request leave it out. */
  housekeeping?: boolean;
  /** A scheduled item of this town was published; the isolate re-reads the town. */
  onPublicChange?: (tenantId: string) => void;
  /** Uploaded files, for the hourly removal of those no submission took. */
  blobs?: BlobStore;
  /** The webhooks' secrets (the Worker's env); without them, deliveries wait in their queue. */
  secrets?: SecretSource;
}) {
  const publicUrl = opts.env.PUBLIC_URL ?? "";
  // Bounded per Cron run (D1 limits queries per invocation); the cursor on the item carries on next minute.
  const fanout = newsFanout({
    store: opts.store,
    clock: opts.clock,
    secret: opts.env.APP_SECRET,
    publicUrl,
    pageSize: 100,
    maxPages: 5,
    ...(opts.onPublicChange ? { onPublicChange: opts.onPublicChange } : {}),
  });
  const dispatcher = createDispatcher({
    store: opts.store,
    clock: opts.clock,
    mail: opts.senders.mail,
    sms: opts.senders.sms,
    logger: opts.logger,
    mailFrom: opts.env.MAIL_FROM ?? "no-reply@digitales-rathaus.example",
    publicUrl,
    // No font files in the Worker bundle: receipts use the PDF standard font (server/forms/receipt-pdf.ts).
    attachments: allAttachments(receiptAttachments(opts.store, inPlaceReceipts), appointmentAttachments(opts.store)),
  });
  try {
    await fanout.runDue();
  } catch (e) {
    opts.logger.error("fanout_error", { error: e instanceof Error ? e.message : String(e) });
  }
  // Once an hour is enough for housekeeping.
  if (opts.housekeeping !== false && new Date(opts.clock.now()).getUTCMinutes() === 0) {
    await prune(opts.store.db, opts.clock.now());
    if (opts.blobs) await pruneUnusedUploads(opts.store, opts.blobs, opts.clock.now());
  }
  try {
    await releaseUnconfirmed(opts.store, opts.clock.now());
    await queueReminders(opts.store, opts.clock.now());
    await indexSearchBacklog(opts.store);
  } catch (e) {
    opts.logger.error("housekeeping_error", { error: e instanceof Error ? e.message : String(e) });
  }
  try {
    const webhooks = createWebhookDispatcher({ store: opts.store, clock: opts.clock, secrets: opts.secrets ?? (() => undefined), logger: opts.logger, publicUrl });
    await webhooks.runDue({ budgetMs: Math.min(opts.budgetMs ?? 25_000, 10_000) });
  } catch (e) {
    opts.logger.error("webhook_error", { error: e instanceof Error ? e.message : String(e) });
  }
  const started = Date.now();
  let sent = 0;
  for (let n = -1; n !== 0 && Date.now() - started < (opts.budgetMs ?? 25_000); ) {
    n = await dispatcher.runOnce();
    sent += n;
  }
  return sent;
}
