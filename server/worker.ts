/**
 * The same app on Cloudflare Workers: D1 instead of the SQLite file, an HTTP mail API instead
 * of SMTP, and a Cron trigger instead of the in-process dispatcher loop. Built once per
 * isolate; the bindings do not change between requests.
 */
import type { ExecutionContext, ScheduledController } from "@cloudflare/workers-types";
import { type App, createApp } from "./app.js";
import { jsonLogger } from "./http/logger.js";
import { memoryAnswerStore } from "./http/public-answers.js";
import { systemClock } from "./lib/clock.js";
import { type TenantRegistry, databaseTenantRegistry } from "./tenants/registry.js";
import { workersArgon2Hasher } from "./workers/argon2-hasher.js";
import { d1Store } from "./workers/d1-store.js";
import { r2BlobStore } from "./workers/r2-blobs.js";
import { type EdgeCache, edgeAnswerStore } from "./workers/edge-answers.js";
import { type WorkerBindings, type WorkerVars, readWorkerVars, stringVars } from "./workers/env.js";
import { runWorkerJobs, workerSenders } from "./workers/jobs.js";
import { envSecrets } from "./handoff/secrets.js";

export type WorkerEnv = WorkerBindings;

interface Isolate {
  app: App;
  vars: WorkerVars;
  tenants: TenantRegistry;
  /** Set when a request put messages into the outbox; they go out right after its answer. */
  enqueued: boolean;
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
      ...(vars.PUBLIC_URL ? { publicUrl: vars.PUBLIC_URL } : {}),
      blobs: r2BlobStore(env.BLOBS),
      // The identity providers' client secrets (wrangler secret put …); SAML is served by the Node deployment.
      env: (name) => stringVars(env as unknown as Record<string, unknown>)[name],
      answerStore: edgeAnswerStore(memoryAnswerStore(16 * 1024 * 1024), (caches as unknown as { default: EdgeCache }).default, env.CF_VERSION_METADATA?.id ?? "local"),
    }),
  };
  return (isolate = state);
}

function jobs(env: WorkerEnv, worker: Isolate, extra: { budgetMs?: number; housekeeping?: boolean } = {}) {
  return runWorkerJobs({
    store: d1Store(env.DB),
    clock: systemClock,
    logger: jsonLogger,
    env: worker.vars,
    senders: workerSenders(worker.vars, stringVars(env)),
    blobs: r2BlobStore(env.BLOBS),
    secrets: envSecrets(env),
    // A scheduled item published here shows on this isolate's next request; elsewhere within the TTL.
    onPublicChange: (tenantId) => worker.tenants.invalidate(tenantId),
    ...extra,
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const worker = boot(env);
    const response = await worker.app.fetch(request, env, ctx);
    // A verification code must not wait for the next Cron minute: send it after the answer.
    if (worker.enqueued) {
      worker.enqueued = false;
      ctx.waitUntil(jobs(env, worker, { budgetMs: 10_000, housekeeping: false }));
    }
    return response;
  },

  scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext) {
    ctx.waitUntil(jobs(env, boot(env)));
  },
};
