/**
 * The same app on Cloudflare Workers: D1 instead of the SQLite file. Built once per isolate;
 * the bindings do not change between requests.
 */
import type { D1Database, ExecutionContext } from "@cloudflare/workers-types";
import { type App, createApp } from "./app.js";
import { systemClock } from "./lib/clock.js";
import { databaseTenantRegistry } from "./tenants/registry.js";
import { workersArgon2Hasher } from "./workers/argon2-hasher.js";
import { d1Store } from "./workers/d1-store.js";

export interface WorkerEnv {
  DB: D1Database;
  PUBLIC_URL?: string;
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
};
