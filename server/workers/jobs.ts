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
import type { RateGate } from "../outbox/rate-gate.js";
import { createWebhookDispatcher } from "../handoff/dispatcher.js";
import type { SecretSource } from "../handoff/secrets.js";
import { smsGatewayFromEnv } from "../sms/config.js";
import { httpSmsGateway } from "../sms/http-gateway.js";
import type { WorkerVars } from "./env.js";
import { type JobQueueMessage, type JobQueues, consumeJobs, planFanouts, requeueStranded } from "./queues.js";

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

export interface WorkerJobsDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  env: JobsVars;
  senders: { mail: MailSender; sms: SmsSender };
  /** Every town's mail rate across all of the Worker's senders (the MAIL_RATE Durable Object); per isolate without it. */
  rateGate?: RateGate;
  /** The fan-out and delivery queues; without them the Cron run fans out and sends itself. */
  queues?: JobQueues;
  /** A scheduled item of this town was published; the isolate re-reads the town. */
  onPublicChange?: (tenantId: string) => void;
}

/** The fan-out and the dispatcher as the Worker runs them, for the Cron run and the queue consumers alike. */
export function workerParts(opts: WorkerJobsDeps) {
  const publicUrl = opts.env.PUBLIC_URL ?? "";
  // Pages of 100: one D1 batch each, well within a consumer's or a Cron run's limits.
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
    // A Worker keeps at most six connections open at once, and a consumer handles one message at a time.
    concurrency: 6,
    // A sweep's claim (a receipt costs about five queries) stays well within D1's 1,000 per invocation.
    batchSize: 50,
    ...(opts.rateGate ? { rateGate: opts.rateGate } : {}),
    // No font files in the Worker bundle: receipts use the PDF standard font (server/forms/receipt-pdf.ts).
    attachments: allAttachments(receiptAttachments(opts.store, inPlaceReceipts), appointmentAttachments(opts.store)),
  });
  return { fanout, dispatcher };
}

/** Handles a batch of queue messages (the Worker's `queue()` handler). */
export function consumeWorkerJobs(messages: ReadonlyArray<JobQueueMessage>, opts: WorkerJobsDeps & { queues: JobQueues }) {
  const { fanout, dispatcher } = workerParts(opts);
  return consumeJobs(messages, { queues: opts.queues, fanout, dispatcher, clock: opts.clock, logger: opts.logger });
}

/** Hands due submissions to the towns' webhooks for at most `budgetMs` (after a request, and every Cron run). */
export async function runWebhooks(opts: Pick<WorkerJobsDeps, "store" | "clock" | "logger" | "env"> & { secrets?: SecretSource; budgetMs: number }) {
  try {
    const webhooks = createWebhookDispatcher({ store: opts.store, clock: opts.clock, secrets: opts.secrets ?? (() => undefined), logger: opts.logger, publicUrl: opts.env.PUBLIC_URL ?? "" });
    await webhooks.runDue({ budgetMs: opts.budgetMs });
  } catch (e) {
    opts.logger.error("webhook_error", { error: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * What the Cron trigger runs every minute on Workers: publish what is due and plan its
 * fan-out onto the queue (without queues: fan it out, 500 recipients a run), housekeeping,
 * webhooks, and send from the outbox for at most `budgetMs` — with queues, the safety net for
 * whatever a queue lost.
 */
export async function runWorkerJobs(
  opts: WorkerJobsDeps & {
    budgetMs?: number;
    /** The Cron run prunes once an hour; runs right after a request leave it out. */
    housekeeping?: boolean;
    /** Uploaded files, for the hourly removal of those no submission took. */
    blobs?: BlobStore;
    /** The webhooks' secrets (the Worker's env); without them, deliveries wait in their queue. */
    secrets?: SecretSource;
    /** Without queues: how many messages one run sends at most. */
    maxMessages?: number;
  },
) {
  const { fanout, dispatcher } = workerParts(opts);
  try {
    if (opts.queues) await planFanouts({ queues: opts.queues, fanout, clock: opts.clock });
    else await fanout.runDue();
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
  await runWebhooks({ ...opts, budgetMs: Math.min(opts.budgetMs ?? 25_000, 10_000) });
  if (opts.queues) {
    try {
      // The safety net: due messages to one person (reminders just queued among them) are swept,
      // what a lost queue message left waiting goes on the queue again. The consumers send.
      await opts.queues.priority.send({ type: "singles" });
      await requeueStranded({ queues: opts.queues, clock: opts.clock, store: opts.store });
    } catch (e) {
      opts.logger.error("requeue_error", { error: e instanceof Error ? e.message : String(e) });
    }
    return 0;
  }
  // Without queues the run sends itself, within its time and D1's 1,000 queries (two to five per mail).
  const started = Date.now();
  let sent = 0;
  for (let n = -1; n !== 0 && sent < (opts.maxMessages ?? 150) && Date.now() - started < (opts.budgetMs ?? 25_000); ) {
    n = await dispatcher.runOnce();
    sent += n;
  }
  return sent;
}
