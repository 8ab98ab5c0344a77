import { sql } from "kysely";
import type { Store } from "../db/store.js";
import { DeferredDeliveryError, type MailAttachment, type MailSender, PermanentDeliveryError, type SmsSender, ThrottledDeliveryError, WaitDeliveryError } from "../delivery/ports.js";
import type { Logger } from "../http/logger.js";
import type { Clock } from "../lib/clock.js";
import { type MailTemplateName, renderMail } from "../mail/render.js";
import { isSmsTemplate, renderSms } from "../sms/texts.js";
import { findTenantById } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import { mailBranding } from "./branding.js";
import { type RateGate, tenantRateGate } from "./rate-gate.js";

export interface DispatcherDeps {
  store: Store;
  clock: Clock;
  mail: MailSender;
  sms: SmsSender;
  logger: Logger;
  /** Sender address unless a town sets its own. */
  mailFrom: string;
  /** Public base URL of the API, for logo links in mails. */
  publicUrl: string;
  batchSize?: number;
  /** Messages in flight at once; the SMTP pool's connections are the real limit. */
  concurrency?: number;
  maxAttempts?: number;
  /** How long a claimed message stays reserved before another dispatcher may take it over. */
  leaseMs?: number;
  /** Per-town sending rate; defaults to each town's `mail.ratePerSecond`. */
  rateGate?: RateGate;
  /** Work that produces messages (news fan-out), run before each pass of the background loop. */
  prepare?: () => Promise<unknown>;
  /** Files that go with a mail, made when it is sent (a form's receipt PDF); none by default. */
  attachments?: AttachmentSource;
}

/** Makes the attachments of one mail from its template and variables. */
export type AttachmentSource = (tenant: Tenant, template: MailTemplateName, vars: Record<string, string>) => Promise<MailAttachment[]>;

interface Claimed {
  tenant_id: string;
  id: string;
  shared_id: string | null;
  channel: "email" | "sms";
  recipient: string;
  template: string;
  lang: "de" | "en";
  payload: string | null;
  attempts: number;
}

/** A message that stays in the outbox after a failed try, due again at `at`. */
export interface Retry {
  tenantId: string;
  id: string;
  at: number;
}

export interface SendResult {
  claimed: number;
  retries: Retry[];
  /** The claim took a whole batch: more may be waiting. */
  full?: boolean;
}

/** Retry after 30 s, 1, 2, 4 … minutes, at most an hour. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);

/**
 * Sends what the outbox holds. Each batch is claimed in one UPDATE … RETURNING, so two
 * dispatchers never take the same message; messages are marked sent in small groups right after
 * their server accepted them, so a crash re-sends at most the few messages in flight or just sent.
 *
 * A claimed message may be withdrawn (news unpublished or deleted: its row is removed) or,
 * after the lease ran out, taken over by another dispatcher. So right before handing a
 * message to the mail server or SMS gateway, the dispatcher checks that its row is still
 * 'sending' under this claim, and it settles a message only under that same condition.
 * Guarantee: once a withdrawal has committed, the only messages of it that still go out
 * are those that passed that check before, i.e. that were already being handed over: at
 * most `concurrency` per running dispatcher.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const { store, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 200;
  const concurrency = deps.concurrency ?? 8;
  const maxAttempts = deps.maxAttempts ?? 8;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const gate = deps.rateGate ?? tenantRateGate();
  const tenants = new Map<string, Promise<Tenant | null>>();
  // Per batch: a news fan-out shares one text among thousands of messages.
  const shared = new Map<string, Promise<Record<string, string>>>();
  const sharedVars = (tenantId: string, id: string) => {
    let v = shared.get(`${tenantId}/${id}`);
    if (!v) {
      v = store.db
        .selectFrom("outbox_shared")
        .select("vars")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst()
        .then((r) => {
          if (!r) throw new PermanentDeliveryError(`shared message text ${id} is gone`);
          return JSON.parse(r.vars) as Record<string, string>;
        });
      shared.set(`${tenantId}/${id}`, v);
    }
    return v;
  };
  const tenantOf = (id: string) => {
    let t = tenants.get(id);
    if (!t) {
      t = findTenantById(store.db, id);
      tenants.set(id, t);
    }
    return t;
  };

  /**
   * Takes due messages for this dispatcher: the oldest of all towns; with `singles`, only
   * messages to one person (not a news mail or news SMS), so a code is not queued behind a fan-out;
   * with `ids`, exactly those of one town that are still due (a queue message's list).
   */
  async function claim(which: { singles?: boolean; ids?: { tenantId: string; ids: ReadonlyArray<string> } } = {}): Promise<Claimed[]> {
    const now = clock.now();
    const due = sql`status IN ('pending', 'sending') AND next_attempt_at <= ${now}`;
    const rows = which.ids
      ? sql`SELECT rowid FROM outbox WHERE tenant_id = ${which.ids.tenantId} AND id IN (SELECT value FROM json_each(${JSON.stringify(which.ids.ids)})) AND ${due}`
      : which.singles
        ? sql`SELECT rowid FROM outbox WHERE ${due} AND shared_id IS NULL AND template <> 'news_alert' ORDER BY next_attempt_at LIMIT ${batchSize}`
        : sql`SELECT rowid FROM outbox WHERE ${due} ORDER BY next_attempt_at LIMIT ${batchSize}`;
    const result = await sql<Claimed>`
      UPDATE outbox SET status = 'sending', next_attempt_at = ${now + leaseMs}, attempts = attempts + 1
      WHERE rowid IN (${rows})
      RETURNING tenant_id, id, shared_id, channel, recipient, template, lang, payload, attempts`.execute(store.db);
    return result.rows;
  }

  /**
   * The row is still 'sending' under this claim (`attempts` counts claims, so a takeover would
   * have raised it) and stays ours while it is handed over: not withdrawn, not taken over. A
   * read while the lease has more than a minute left (a hand-over and its mark end well within
   * that); otherwise the lease is renewed in the statement that checks, so that no other
   * dispatcher can take the row over while this one hands it over.
   */
  async function stillClaimed(m: Claimed): Promise<boolean> {
    const now = clock.now();
    const row = await store.db
      .selectFrom("outbox")
      .select("next_attempt_at")
      .where("tenant_id", "=", m.tenant_id)
      .where("id", "=", m.id)
      .where("status", "=", "sending")
      .where("attempts", "=", m.attempts)
      .executeTakeFirst();
    if (!row) return false;
    if (row.next_attempt_at > now + 60_000) return true;
    const r = await store.db
      .updateTable("outbox")
      .set({ next_attempt_at: now + leaseMs })
      .where("tenant_id", "=", m.tenant_id)
      .where("id", "=", m.id)
      .where("status", "=", "sending")
      .where("attempts", "=", m.attempts)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Renders and hands over one message; false if it was no longer wanted and nothing went out. */
  async function deliver(m: Claimed): Promise<boolean> {
    const tenant = await tenantOf(m.tenant_id);
    if (!tenant) throw new PermanentDeliveryError("town not found");
    if (m.payload === null) throw new PermanentDeliveryError("message has no payload");
    const own = JSON.parse(m.payload) as Record<string, string>;
    const vars = m.shared_id ? { ...(await sharedVars(m.tenant_id, m.shared_id)), ...own } : own;
    if (m.channel === "sms") {
      if (!isSmsTemplate(m.template)) throw new PermanentDeliveryError(`unknown SMS template ${m.template}`);
      let text;
      try {
        text = renderSms(m.template, m.lang, tenant.config.name, vars);
      } catch (e) {
        throw new PermanentDeliveryError(`cannot render ${m.template}: ${(e as Error).message}`);
      }
      if (!(await stillClaimed(m))) return false;
      await deps.sms.send({ to: m.recipient, text });
      return true;
    }
    let rendered;
    try {
      rendered = renderMail(m.template as MailTemplateName, m.lang, mailBranding(tenant, deps.publicUrl), vars);
    } catch (e) {
      throw new PermanentDeliveryError(`cannot render ${m.template}: ${(e as Error).message}`);
    }
    const attachments = deps.attachments ? await deps.attachments(tenant, m.template as MailTemplateName, vars) : [];
    // A news mail gives way to mails to one person (codes) in a shared gate.
    await gate.take(tenant.id, tenant.config.mail.ratePerSecond, { bulk: m.shared_id !== null });
    // Last moment before the message leaves: the rate gate may have waited a while.
    if (!(await stillClaimed(m))) return false;
    await deps.mail.send({
      to: m.recipient,
      from: { name: tenant.config.mail.fromName, address: tenant.config.mail.fromAddress ?? deps.mailFrom },
      ...rendered,
      ...(attachments.length ? { attachments } : {}),
      headers: {
        // Stable per outbox message: if a crash makes us send it again, mail systems see the same message.
        "Message-ID": `<${m.id}.${m.tenant_id}@digitales-rathaus>`,
        ...(vars.unsubscribeUrl ? { "List-Unsubscribe": `<${vars.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
      },
    });
    return true;
  }

  /** Settles a message that failed; returns when it is due again if it stays in the outbox for another try. */
  async function settle(m: Claimed, error: unknown): Promise<number | undefined> {
    const now = clock.now();
    // Only under this claim: a withdrawn row stays gone, a taken-over one is the other dispatcher's.
    const where = (q: ReturnType<typeof store.db.updateTable<"outbox">>) =>
      q.where("tenant_id", "=", m.tenant_id).where("id", "=", m.id).where("status", "=", "sending").where("attempts", "=", m.attempts);
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    if (error instanceof DeferredDeliveryError || error instanceof WaitDeliveryError) {
      // Not the message's fault (no provider yet, it asked us to slow down, the town's rate is booked ahead): it waits without using up an attempt.
      const at = now + (error instanceof WaitDeliveryError ? error.retryAfterMs : 5 * 60_000);
      const r = await where(store.db.updateTable("outbox").set({ status: "pending", attempts: m.attempts - 1, next_attempt_at: at, last_error: message })).executeTakeFirst();
      if (error instanceof ThrottledDeliveryError && m.channel === "email") {
        // The town's other senders wait too; if telling them fails, each learns it from the provider.
        await Promise.resolve(gate.pause?.(m.tenant_id, error.retryAfterMs)).catch((e: unknown) => logger.error("rate_pause_failed", { error: e instanceof Error ? e.message : String(e) }));
      }
      return Number(r.numUpdatedRows) > 0 ? at : undefined;
    }
    const permanent = error instanceof PermanentDeliveryError || m.attempts >= maxAttempts;
    const at = now + backoffMs(m.attempts);
    const r = await where(
      store.db.updateTable("outbox").set(permanent ? { status: "failed", payload: null, last_error: message } : { status: "pending", next_attempt_at: at, last_error: message }),
    ).executeTakeFirst();
    // A withdrawn message fails to render once its shared text is gone: nothing to report.
    if (Number(r.numUpdatedRows) > 0) {
      logger.error("delivery_failed", { outboxId: m.id, channel: m.channel, template: m.template, attempts: m.attempts, permanent, error: message });
      if (!permanent) return at;
    }
    return undefined;
  }

  /** Marks handed-over messages sent, one statement per town and claim instead of one per message. */
  async function settleSent(group: Claimed[]) {
    const byClaim = new Map<string, Claimed[]>();
    for (const m of group) {
      const key = `${m.tenant_id}\n${m.attempts}`;
      byClaim.set(key, [...(byClaim.get(key) ?? []), m]);
    }
    const now = clock.now();
    for (const ms of byClaim.values()) {
      // The payload may hold a code; once sent it has no reason to stay.
      await store.db
        .updateTable("outbox")
        .set({ status: "sent", sent_at: now, payload: null, last_error: null })
        .where("tenant_id", "=", ms[0]!.tenant_id)
        .where("id", "in", sql<string>`(SELECT value FROM json_each(${JSON.stringify(ms.map((m) => m.id))}))`)
        .where("status", "=", "sending")
        .where("attempts", "=", ms[0]!.attempts)
        .execute();
    }
  }

  /**
   * Sends a claimed batch; returns the messages that stay for another try, with when. Sent
   * messages are marked in groups — when `concurrency` have been handed over, or half a second
   * after the first of a group — so a crash sends again at most the messages on the wire and
   * those handed over in the last half second. A mark that fails is logged and leaves its rows
   * 'sending': a message already handed over is never settled as failed (that would send it again).
   */
  async function send(batch: Claimed[]): Promise<Retry[]> {
    const retries: Retry[] = [];
    const handedOver: Claimed[] = [];
    let marking = Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const mark = () => {
      clearTimeout(timer);
      timer = undefined;
      const group = handedOver.splice(0);
      if (group.length > 0) {
        marking = marking.then(() =>
          settleSent(group).catch((e: unknown) => logger.error("mark_sent_failed", { count: group.length, error: e instanceof Error ? e.message : String(e) })),
        );
      }
      return marking;
    };
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const m = batch[next++]!;
        let error: unknown;
        try {
          if (!(await deliver(m))) continue;
        } catch (e) {
          error = e ?? new Error("unknown delivery error");
        }
        if (error === undefined) {
          handedOver.push(m);
          if (handedOver.length >= concurrency) await mark();
          else timer ??= setTimeout(() => void mark(), 500);
          continue;
        }
        try {
          const at = await settle(m, error);
          if (at !== undefined) retries.push({ tenantId: m.tenant_id, id: m.id, at });
        } catch (e) {
          // Left 'sending': its lease runs out and it is tried again. The other workers go on.
          logger.error("settle_failed", { outboxId: m.id, error: e instanceof Error ? e.message : String(e) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    await mark();
    tenants.clear();
    shared.clear();
    return retries;
  }

  async function runOnce(): Promise<number> {
    const batch = await claim();
    await send(batch);
    return batch.length;
  }

  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = true;
  let again = false;

  /**
   * Sends while `prepare` (the news fan-out) is still writing: its first pages go out while
   * later ones are written, instead of the whole town waiting for the last page.
   */
  async function prepareAndSend(shouldStop: () => boolean) {
    let prepared = false;
    const preparing = (deps.prepare?.() ?? Promise.resolve()).finally(() => void (prepared = true));
    // Observed below; a failure here is the caller's to report after sending.
    preparing.catch(() => {});
    for (;;) {
      if ((await runOnce()) > 0) {
        if (shouldStop()) break;
        continue;
      }
      if (prepared) break;
      await Promise.race([preparing.catch(() => {}), new Promise((r) => setTimeout(r, 25))]);
    }
    await runUntilEmpty(shouldStop);
    await preparing;
  }

  async function runUntilEmpty(shouldStop: () => boolean) {
    while ((await runOnce()) > 0) if (shouldStop()) break;
  }

  /** Runs batches until nothing is due; a wake() during a run triggers one more pass. */
  function pump() {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await prepareAndSend(() => stopped);
        } catch (e) {
          // A failing fan-out is logged; the sending around it has already happened.
          logger.error("dispatcher_error", { error: e instanceof Error ? e.message : String(e) });
          try {
            await runUntilEmpty(() => stopped);
          } catch (inner) {
            logger.error("dispatcher_error", { error: inner instanceof Error ? inner.message : String(inner) });
          }
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  }

  return {
    runOnce,
    /** Sends those of `ids` (one town's) that are due and not claimed elsewhere (a delivery queue message). */
    async sendThese(tenantId: string, ids: ReadonlyArray<string>): Promise<SendResult> {
      const batch = await claim({ ids: { tenantId, ids } });
      return { claimed: batch.length, retries: await send(batch) };
    },
    /** Sends one batch of due messages to one person each (the sweep after a request put one in). */
    async sendSingles(): Promise<SendResult> {
      const batch = await claim({ singles: true });
      return { claimed: batch.length, retries: await send(batch), full: batch.length === batchSize };
    },
    /** Prepares and sends everything that is due now (tests, CLI, benchmarks). */
    drain: () => prepareAndSend(() => false),
    /**
     * Hands messages left in 'sending' by a crashed process back to the queue. Only for a
     * dispatcher that knows it is the only one (a single Node process on its SQLite file).
     */
    async recover() {
      const r = await store.db.updateTable("outbox").set({ status: "pending", next_attempt_at: clock.now() }).where("status", "=", "sending").executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    start(pollMs = 2_000) {
      stopped = false;
      const tick = () => {
        pump();
        timer = setTimeout(tick, pollMs);
      };
      tick();
    },
    wake() {
      if (!stopped) pump();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
