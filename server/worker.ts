/**
 * The same app on Cloudflare Workers: D1 instead of the SQLite file, an HTTP mail API instead
 * of SMTP, and a Cron trigger instead of the in-process dispatcher loop. Built once per
 * isolate; the bindings do not change between requests.
 */
import type { D1Database, ExecutionContext, ScheduledController } from "@cloudflare/workers-types";
import { type App, createApp } from "./app.js";
import { jsonLogger } from "./http/logger.js";
import { systemClock } from "./lib/clock.js";
import { databaseTenantRegistry } from "./tenants/registry.js";
import { workersArgon2Hasher } from "./workers/argon2-hasher.js";
import { d1Store } from "./workers/d1-store.js";
import { type JobsEnv, runWorkerJobs, workerSenders } from "./workers/jobs.js";

export interface WorkerEnv extends JobsEnv {
  DB: D1Database;
  /** Encrypts unsubscribe tokens: `wrangler secret put APP_SECRET` in production. */
  APP_SECRET: string;
}

let app: App | undefined;

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    if (!app) {
      const store = d1Store(env.DB);
      app = createApp({
        store,
        clock: systemClock,
        tenants: databaseTenantRegistry(store, systemClock),
        hasher: workersArgon2Hasher,
        secret: env.APP_SECRET,
        ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
      });
    }
    return app.fetch(request, env, ctx);
  },

  scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext) {
    ctx.waitUntil(runWorkerJobs({ store: d1Store(env.DB), clock: systemClock, logger: jsonLogger, env, senders: workerSenders(env) }));
  },
};
