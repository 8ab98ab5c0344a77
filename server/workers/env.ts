import type { D1Database, R2Bucket } from "@cloudflare/workers-types";
import { z } from "zod";
import { emailAddress, httpUrl, optionalString, parseEnv, trustProxy } from "../config/env-schema.js";
import type { MailRateNamespace } from "./durable-rate-gate.js";
import type { JobQueue, JobQueues } from "./queues.js";

/** The Worker's variables and secrets (wrangler.toml `[vars]`, `wrangler secret put`, `.dev.vars`). */
export const workerVarsSchema = z.object({
  /** Encrypts unsubscribe tokens: `wrangler secret put APP_SECRET` in production. */
  APP_SECRET: z.string({ error: "missing: set it with `wrangler secret put APP_SECRET`" }).min(16, "at least 16 characters"),
  PUBLIC_URL: httpUrl,
  /** Proxies between Cloudflare's edge and the Worker; 0 means CF-Connecting-IP is the client. */
  TRUST_PROXY: trustProxy,
  MAIL_FROM: emailAddress,
  MAIL_API_URL: httpUrl,
  MAIL_API_KEY: optionalString,
  MAIL_API_KEY_HEADER: optionalString,
});

export type WorkerVars = z.output<typeof workerVarsSchema>;

/** What wrangler hands the Worker: the bindings plus string variables (SMS_GATEWAY_* among them). */
export interface WorkerBindings {
  DB: D1Database;
  /** Uploaded files (wrangler.toml `[[r2_buckets]]`). */
  BLOBS: R2Bucket;
  /** wrangler.toml `[version_metadata]`: which deployment runs (keys the Cache API answers). */
  CF_VERSION_METADATA?: { id: string };
  /** wrangler.toml `[[queues.producers]]`: news pages to write, outbox rows to send (server/workers/queues.ts). */
  FANOUT_QUEUE?: JobQueue;
  DELIVERY_QUEUE?: JobQueue;
  PRIORITY_QUEUE?: JobQueue;
  /** wrangler.toml `[[durable_objects.bindings]]`: every town's mail rate (server/workers/mail-rate-limiter.ts). */
  MAIL_RATE?: MailRateNamespace;
  [variable: string]: unknown;
}

/** The variables as text, for the SMS gateway's own parser. */
export function stringVars(env: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export const readWorkerVars = (env: Record<string, unknown>): WorkerVars => parseEnv(workerVarsSchema, env);

/** All three queues, or none: the Worker then fans out and sends from its Cron run alone. */
export function jobQueues(env: WorkerBindings): JobQueues | undefined {
  return env.FANOUT_QUEUE && env.DELIVERY_QUEUE && env.PRIORITY_QUEUE ? { fanout: env.FANOUT_QUEUE, delivery: env.DELIVERY_QUEUE, priority: env.PRIORITY_QUEUE } : undefined;
}
