import { z } from "zod";
import type { Logger } from "../http/logger.js";
import type { Clock } from "../lib/clock.js";
import type { NewsFanout } from "../news/fanout.js";
import type { Store } from "../db/store.js";
import type { Dispatcher, Retry } from "../outbox/dispatcher.js";
import { strandedMessages } from "../outbox/stranded.js";

/**
 * The Worker's background work as queue messages (wrangler.toml `[[queues]]`). A publish
 * becomes pages of 100 recipients on the fan-out queue; each page, once its outbox rows are
 * written, becomes one message on the delivery queue naming them; a request that put a
 * message to one person into the outbox (a code) sends a sweep. Every message may come twice
 * or after a crash half-way: pages write under the outbox's unique key (item, account), and a
 * delivery claims only rows still due, so a second delivery sends nothing twice.
 */
/** Row ids per `send` message: a consumer's D1 queries stay within the 1,000 per invocation (about two per mail). */
export const IDS_PER_SEND = 100;

export const jobMessageSchema = z.discriminatedUnion("type", [
  /** Publish what is due and split every published item not yet planned into pages. */
  z.object({ type: z.literal("plan") }),
  /** One page of a plan: accounts after `after` up to the page's end. */
  z.object({ type: z.literal("page"), tenantId: z.string(), newsId: z.string(), plan: z.string(), after: z.string() }),
  /** These outbox rows of one town, if still due; `priority`: messages to one person, tried again on the priority queue. */
  z.object({ type: z.literal("send"), tenantId: z.string(), ids: z.array(z.string()).max(IDS_PER_SEND), priority: z.literal(true).optional() }),
  /** Due messages to one person each, of every town. */
  z.object({ type: z.literal("singles") }),
]);

export type JobMessage = z.infer<typeof jobMessageSchema>;

/** The producer side of a queue binding (Cloudflare's `Queue<JobMessage>`). */
export interface JobQueue {
  send(body: JobMessage, opts?: { delaySeconds?: number }): Promise<unknown>;
  sendBatch(messages: Iterable<{ body: JobMessage; delaySeconds?: number }>): Promise<unknown>;
}

export interface JobQueues {
  fanout: JobQueue;
  /** Pages' and retried messages' `send`s: the bulk. */
  delivery: JobQueue;
  /** `singles` sweeps: never behind a fan-out's backlog on the delivery queue. */
  priority: JobQueue;
}

/** The consumer side of one message (Cloudflare's `Message`). */
export interface JobQueueMessage {
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(opts?: { delaySeconds?: number }): void;
}

export interface QueueDeps {
  queues: JobQueues;
  fanout: NewsFanout;
  dispatcher: Dispatcher;
  clock: Clock;
  logger: Logger;
}

/**
 * A plan without a page done for this long lost its messages in a queue: the Cron trigger puts
 * its open pages on the queue again.
 */
export const STALE_MS = 10 * 60_000;
/** Longer than a whole town takes at a modest rate, so rows waiting their turn are seldom named twice. */
export const STRANDED_MS = 30 * 60_000;

/** Queues take at most 100 messages per sendBatch. */
const BATCH = 100;
/** Cloudflare Queues delay a message by at most 12 hours. */
const MAX_DELAY_S = 12 * 60 * 60;

/** Publishes what is due and puts every unplanned (or stale) item's pages on the fan-out queue. */
export async function planFanouts(deps: Pick<QueueDeps, "queues" | "fanout" | "clock">): Promise<number> {
  await deps.fanout.publishDue();
  let pages = 0;
  for (const plan of await deps.fanout.planDue(deps.clock.now() - STALE_MS)) {
    const messages = plan.pages.map((p) => ({ body: { type: "page" as const, tenantId: plan.tenantId, newsId: plan.newsId, plan: plan.plan, after: p.after } }));
    for (let i = 0; i < messages.length; i += BATCH) await deps.queues.fanout.sendBatch(messages.slice(i, i + BATCH));
    pages += messages.length;
  }
  return pages;
}

/** Puts messages that stay for another try back on their queue, due when they are: the priority queue for messages to one person. */
export async function requeue(queues: JobQueues, retries: ReadonlyArray<Retry>, now: number, priority = false) {
  const queue = priority ? queues.priority : queues.delivery;
  const groups = new Map<string, { tenantId: string; ids: string[]; delaySeconds: number }>();
  for (const r of retries) {
    // Rounded up: a message arriving before its row is due would find nothing to claim.
    const delaySeconds = Math.min(MAX_DELAY_S, Math.max(0, Math.ceil((r.at - now) / 1000)));
    const key = `${r.tenantId}/${delaySeconds}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { tenantId: r.tenantId, ids: [], delaySeconds }));
    g.ids.push(r.id);
  }
  const messages = [...groups.values()].flatMap((g) => chunks(g.ids, IDS_PER_SEND).map((ids) => ({ body: { type: "send" as const, tenantId: g.tenantId, ids, ...(priority ? { priority: true as const } : {}) }, delaySeconds: g.delaySeconds })));
  for (let i = 0; i < messages.length; i += BATCH) await queue.sendBatch(messages.slice(i, i + BATCH));
}

async function handle(msg: JobMessage, deps: QueueDeps) {
  switch (msg.type) {
    case "plan":
      await planFanouts(deps);
      return;
    case "page": {
      const ids = await deps.fanout.writePage(msg.tenantId, msg.newsId, msg.plan, msg.after);
      for (const part of chunks(ids, IDS_PER_SEND)) await deps.queues.delivery.send({ type: "send", tenantId: msg.tenantId, ids: part });
      return;
    }
    case "send": {
      const r = await deps.dispatcher.sendThese(msg.tenantId, msg.ids);
      await requeue(deps.queues, r.retries, deps.clock.now(), msg.priority);
      return;
    }
    case "singles": {
      // A full batch means more may be waiting: one more sweep after this one.
      const r = await deps.dispatcher.sendSingles();
      // A code tried again stays ahead of the fan-outs, on the priority queue.
      await requeue(deps.queues, r.retries, deps.clock.now(), true);
      if (r.full) await deps.queues.priority.send({ type: "singles" });
      return;
    }
  }
}

/**
 * Handles one batch, message after message (a Worker has six connections and 1,000 D1 queries
 * per invocation; the town's rate gate, not parallel messages, decides how fast mail goes out).
 * A message that fails is retried on its own, later each time, and after the queue's
 * `max_retries` lands in the dead-letter queue; whatever it left undone is picked up by the
 * Cron trigger (stale plans, messages due for long).
 */
export async function consumeJobs(messages: ReadonlyArray<JobQueueMessage>, deps: QueueDeps): Promise<void> {
  for (const message of messages) {
    const parsed = jobMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      deps.logger.error("queue_message_invalid", { error: parsed.error.issues[0]?.message ?? "invalid" });
      message.ack();
      continue;
    }
    try {
      await handle(parsed.data, deps);
      message.ack();
    } catch (e) {
      deps.logger.error("queue_message_failed", { type: parsed.data.type, attempts: message.attempts, error: e instanceof Error ? e.message : String(e) });
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

/**
 * The Cron trigger's safety net: messages due for longer than `STRANDED_MS` go on the delivery
 * queue again. A message only waiting its turn in a long backlog may be named twice then; the
 * claim lets only one of the two send it.
 */
export async function requeueStranded(deps: Pick<QueueDeps, "queues" | "clock"> & { store: Store }, limit = 5_000): Promise<number> {
  const now = deps.clock.now();
  const rows = await strandedMessages(deps.store.db, now - STRANDED_MS, limit);
  await requeue(deps.queues, rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, at: now })), now);
  return rows.length;
}

function chunks<T>(items: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
