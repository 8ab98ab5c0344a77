/**
 * The same app on Cloudflare Workers: D1 instead of the SQLite file, an HTTP mail API instead
 * of SMTP, and Queues with a Cron trigger as safety net instead of the in-process dispatcher
 * loop (server/workers/queues.ts). Built once per isolate; the bindings do not change between
 * requests.
 */
import type { ExecutionContext, MessageBatch, ScheduledController } from "@cloudflare/workers-types";
import { type App, createApp } from "./app.js";
import { jsonLogger } from "./http/logger.js";
import { memoryAnswerStore } from "./http/public-answers.js";
import { systemClock } from "./lib/clock.js";
import { type TenantRegistry, databaseTenantRegistry } from "./tenants/registry.js";
import { workersArgon2Hasher } from "./workers/argon2-hasher.js";
import { d1Store } from "./workers/d1-store.js";
import { r2BlobStore } from "./workers/r2-blobs.js";
import { type EdgeCache, edgeAnswerStore } from "./workers/edge-answers.js";
import { type WorkerBindings, type WorkerVars, jobQueues, readWorkerVars, stringVars } from "./workers/env.js";
import { consumeWorkerJobs, runWebhooks, runWorkerJobs, workerSenders } from "./workers/jobs.js";
import { durableRateGate } from "./workers/durable-rate-gate.js";
import { type RateGate, tenantRateGate } from "./outbox/rate-gate.js";
import { envSecrets } from "./handoff/secrets.js";

export type WorkerEnv = WorkerBindings;

interface Isolate {
  app: App;
  vars: WorkerVars;
  tenants: TenantRegistry;
  /** Set when a request put messages into the outbox; they go out right after its answer. */
  enqueued: boolean;
  /** Set when a request published a news item now; its fan-out is planned right after the answer. */
  published: boolean;
  /** Every town's mail rate, shared by all isolates through the MAIL_RATE Durable Object if bound. */
  rateGate: RateGate;
}

let isolate: Isolate | undefined;

/** Validated once per isolate: a bad variable fails every request with its name in the log, not silently. */
function boot(env: WorkerEnv): Isolate {
  if (isolate) return isolate;
  const vars = readWorkerVars(env);
  const store = d1Store(env.DB);
  // A request must not wait on work another request started: the runtime may cancel that one.
  const tenants = databaseTenantRegistry(store, systemClock, 5_000, { shareReads: false });
  const state: Isolate = {
    vars,
    tenants,
    enqueued: false,
    published: false,
    rateGate: env.MAIL_RATE ? durableRateGate(env.MAIL_RATE) : tenantRateGate(),
    app: createApp({
      store,
      clock: systemClock,
      tenants,
      shareInFlight: false,
      hasher: workersArgon2Hasher,
      secret: vars.APP_SECRET,
      // Cloudflare's edge sets CF-Connecting-IP to the client that connected to it; clients cannot.
      clientAddress: { peer: (c) => c.req.header("cf-connecting-ip"), trustProxy: vars.TRUST_PROXY },
      onEnqueued: () => void (state.enqueued = true),
      onPublished: () => void (state.published = true),
      ...(vars.PUBLIC_URL ? { publicUrl: vars.PUBLIC_URL } : {}),
      blobs: r2BlobStore(env.BLOBS),
      // The identity providers' client secrets (wrangler secret put …); SAML is served by the Node deployment.
      env: (name) => stringVars(env as unknown as Record<string, unknown>)[name],
      answerStore: edgeAnswerStore(memoryAnswerStore(16 * 1024 * 1024), (caches as unknown as { default: EdgeCache }).default, env.CF_VERSION_METADATA?.id ?? "local"),
    }),
  };
  return (isolate = state);
}

function jobsDeps(env: WorkerEnv, worker: Isolate) {
  const queues = jobQueues(env);
  return {
    store: d1Store(env.DB),
    clock: systemClock,
    logger: jsonLogger,
    env: worker.vars,
    senders: workerSenders(worker.vars, stringVars(env)),
    rateGate: worker.rateGate,
    ...(queues ? { queues } : {}),
    // A scheduled item published here shows on this isolate's next request; elsewhere within the TTL.
    onPublicChange: (tenantId: string) => worker.tenants.invalidate(tenantId),
  };
}

function jobs(env: WorkerEnv, worker: Isolate, extra: { budgetMs?: number; housekeeping?: boolean } = {}) {
  return runWorkerJobs({ ...jobsDeps(env, worker), blobs: r2BlobStore(env.BLOBS), secrets: envSecrets(env), ...extra });
}

/** After a request's answer: a code goes out within seconds, a published item's fan-out starts. */
async function afterRequest(env: WorkerEnv, worker: Isolate, what: { enqueued: boolean; published: boolean }) {
  const queues = jobQueues(env);
  if (!queues) return jobs(env, worker, { budgetMs: 10_000, housekeeping: false });
  if (what.published) await queues.fanout.send({ type: "plan" });
  if (!what.enqueued) return;
  await queues.priority.send({ type: "singles" });
  // A submission's webhook goes to the town's systems right away too, not at the next Cron minute.
  await runWebhooks({ store: d1Store(env.DB), clock: systemClock, logger: jsonLogger, env: worker.vars, secrets: envSecrets(env), budgetMs: 10_000 });
}

export { MailRateLimiter } from "./workers/mail-rate-limiter.js";

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const worker = boot(env);
    const response = await worker.app.fetch(request, env, ctx);
    if (worker.enqueued || worker.published) {
      const what = { enqueued: worker.enqueued, published: worker.published };
      worker.enqueued = worker.published = false;
      ctx.waitUntil(afterRequest(env, worker, what));
    }
    return response;
  },

  scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext) {
    ctx.waitUntil(jobs(env, boot(env)));
  },

  async queue(batch: MessageBatch<unknown>, env: WorkerEnv): Promise<void> {
    const queues = jobQueues(env);
    if (!queues) throw new Error("queue message without FANOUT_QUEUE, DELIVERY_QUEUE and PRIORITY_QUEUE bound");
    await consumeWorkerJobs(batch.messages, { ...jobsDeps(env, boot(env)), queues });
  },
};
