import { sql } from "kysely";
import type { Store } from "../db/store.js";
import type { Logger } from "../http/logger.js";
import type { Clock } from "../lib/clock.js";
import { backoffMs } from "../outbox/dispatcher.js";
import { findTenantById } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import { statusChangedEvent, submissionCreatedEvent } from "./payload.js";
import { type SecretSource, minSecretLength } from "./secrets.js";
import { signatureHeader } from "./signature.js";
import { type WebhookEvent } from "./tables.js";

export interface WebhookDispatcherDeps {
  store: Store;
  clock: Clock;
  secrets: SecretSource;
  logger: Logger;
  /** Public base URL of the API, for the file links in the events. */
  publicUrl: string;
  /** How requests leave; tests in workerd pass a receiver of their own. */
  fetch?: (request: Request) => Promise<Response>;
  batchSize?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** After this many attempts a delivery fails for good (about 17 hours with the backoff); a replay sends it again. */
  maxAttempts?: number;
  /** How long a claimed delivery stays reserved before another dispatcher may take it over. */
  leaseMs?: number;
  /** How long a receiver may take to answer. */
  timeoutMs?: number;
}

interface Claimed {
  tenant_id: string;
  id: string;
  event_id: string;
  event: WebhookEvent;
  webhook_id: string;
  submission_id: string;
  entry_id: string | null;
  attempts: number;
}

/** Not the delivery's fault (no secret configured yet): it waits without using up an attempt. */
class Deferred extends Error {}
/** Can never succeed (the webhook or the submission is gone): fails at once. */
class Permanent extends Error {}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a certificate) is in its cause. */
function networkError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : "";
  return detail ? `${message}: ${detail}` : message;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: unknown };

/**
 * Sends webhook deliveries: at least once per event and webhook, with the outbox's backoff.
 * Claimed in one UPDATE … RETURNING with a lease like the outbox, so two dispatchers (Node's
 * loop, overlapping Cron runs) never send the same delivery at once; a delivery counts as
 * delivered only on a 2xx, and a crash between the receiver's 2xx and the mark sends it again
 * after the lease: the receiver dedupes by event id (X-Rathaus-Event-Id).
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps) {
  const { store, clock, logger } = deps;
  const db = store.db;
  const send = deps.fetch ?? ((request: Request) => fetch(request));
  const batchSize = deps.batchSize ?? 50;
  const concurrency = deps.concurrency ?? 4;
  const maxAttempts = deps.maxAttempts ?? 24;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const tenants = new Map<string, Promise<Tenant | null>>();
  const tenantOf = (id: string) => {
    let t = tenants.get(id);
    if (!t) tenants.set(id, (t = findTenantById(store.db, id)));
    return t;
  };

  async function claim(): Promise<Claimed[]> {
    const now = clock.now();
    const result = await sql<Claimed>`
      UPDATE webhook_deliveries SET status = 'sending', next_attempt_at = ${now + leaseMs}, attempts = attempts + 1
      WHERE rowid IN (
        SELECT rowid FROM webhook_deliveries
        WHERE status IN ('pending', 'sending') AND next_attempt_at <= ${now}
        ORDER BY next_attempt_at LIMIT ${batchSize}
      )
      RETURNING tenant_id, id, event_id, event, webhook_id, submission_id, entry_id, attempts`.execute(store.db);
    return result.rows;
  }

  async function attempt(d: Claimed): Promise<Outcome> {
    const tenant = await tenantOf(d.tenant_id);
    if (!tenant) return { ok: false, status: null, error: new Permanent("town not found") };
    const hook = (tenant.config.webhooks ?? []).find((w) => w.id === d.webhook_id);
    if (!hook) return { ok: false, status: null, error: new Permanent(`webhook ${d.webhook_id} is no longer in tenant.json`) };
    const secret = deps.secrets(hook.secretEnv);
    if (!secret) return { ok: false, status: null, error: new Deferred(`environment variable ${hook.secretEnv} is not set`) };
    if (secret.length < minSecretLength) return { ok: false, status: null, error: new Deferred(`${hook.secretEnv} is shorter than ${minSecretLength} characters`) };
    const event =
      d.event === "submission.status_changed"
        ? d.entry_id && (await statusChangedEvent(store.db, tenant, d.event_id, d.submission_id, d.entry_id))
        : await submissionCreatedEvent(store.db, tenant, d.event_id, d.submission_id, deps.publicUrl);
    if (!event) return { ok: false, status: null, error: new Permanent(`submission ${d.submission_id} not found`) };
    const body = JSON.stringify(event);
    const timestamp = Math.floor(clock.now() / 1000);
    const request = new Request(hook.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Digitales-Rathaus-Webhooks/1",
        "X-Rathaus-Event": d.event,
        "X-Rathaus-Event-Id": d.event_id,
        "X-Rathaus-Delivery-Id": d.id,
        "X-Rathaus-Timestamp": String(timestamp),
        "X-Rathaus-Signature": await signatureHeader(secret, timestamp, body),
      },
      body,
      // A redirect is an answer of its own, not a reason to send the signed body somewhere else.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    try {
      const res = await send(request);
      // The answer's body is of no interest (and never stored); cancelling it frees the connection.
      await res.body?.cancel().catch(() => {});
      return res.status >= 200 && res.status < 300 ? { ok: true, status: res.status } : { ok: false, status: res.status, error: new Error(`HTTP ${res.status}`) };
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
      return { ok: false, status: null, error: timedOut ? new Error(`no answer within ${timeoutMs / 1000} s`) : new Error(networkError(e)) };
    }
  }

  async function settle(d: Claimed, outcome: Outcome, startedAt: number) {
    const now = clock.now();
    const update = db
      .updateTable("webhook_deliveries")
      .where("tenant_id", "=", d.tenant_id)
      .where("id", "=", d.id)
      // Only under this claim: one taken over after the lease is the other dispatcher's to settle.
      .where("status", "=", "sending")
      .where("attempts", "=", d.attempts);
    const message = outcome.ok ? null : (outcome.error instanceof Error ? outcome.error.message : String(outcome.error)).slice(0, 500);
    const logAttempt = db
      .insertInto("webhook_attempts")
      .values({ tenant_id: d.tenant_id, delivery_id: d.id, attempt: d.attempts, at: startedAt, status_code: outcome.status, error: message, duration_ms: Math.max(0, now - startedAt) })
      .onConflict((oc) => oc.doNothing());
    if (outcome.ok) {
      await store.atomic([update.set({ status: "delivered", delivered_at: now, last_status: outcome.status, last_error: null }), logAttempt]);
      return;
    }
    if (outcome.error instanceof Deferred) {
      // Nothing was sent: no attempt to log, none used up.
      await update.set({ status: "pending", attempts: d.attempts - 1, next_attempt_at: now + 5 * 60_000, last_error: message }).execute();
      return;
    }
    const permanent = outcome.error instanceof Permanent || d.attempts >= maxAttempts;
    await store.atomic([
      update.set(permanent ? { status: "failed", last_status: outcome.status, last_error: message } : { status: "pending", next_attempt_at: now + backoffMs(d.attempts), last_status: outcome.status, last_error: message }),
      ...(outcome.error instanceof Permanent ? [] : [logAttempt]),
    ]);
    if (permanent) logger.error("webhook_failed", { deliveryId: d.id, eventId: d.event_id, webhook: d.webhook_id, attempts: d.attempts, status: outcome.status, error: message });
    else logger.info("webhook_retry", { deliveryId: d.id, webhook: d.webhook_id, attempts: d.attempts, status: outcome.status, error: message });
  }

  /** One batch of due deliveries; the number claimed. */
  async function runOnce(): Promise<number> {
    const batch = await claim();
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const d = batch[next++]!;
        const startedAt = clock.now();
        let outcome: Outcome;
        try {
          outcome = await attempt(d);
        } catch (e) {
          outcome = { ok: false, status: null, error: e ?? new Error("unknown webhook error") };
        }
        await settle(d, outcome, startedAt);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    tenants.clear();
    return batch.length;
  }

  return {
    runOnce,
    /**
     * Sends what is due until nothing is or `budgetMs` has passed (the rest waits for the next
     * run). A failed delivery is due again only after its backoff, so this always ends.
     */
    async runDue(opts: { budgetMs?: number } = {}): Promise<number> {
      const started = Date.now();
      let sent = 0;
      for (let n = -1; n !== 0 && Date.now() - started < (opts.budgetMs ?? 20_000); ) {
        n = await runOnce();
        sent += n;
      }
      return sent;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
