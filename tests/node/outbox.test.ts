import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../server/http/logger.js";
import { type MailCatcher, startMailCatcher } from "../../server/node/mail-catcher.js";
import { smtpMailSender } from "../../server/node/smtp-sender.js";
import { type DispatcherDeps, backoffMs, createDispatcher } from "../../server/outbox/dispatcher.js";
import { enqueue, shareVars } from "../../server/outbox/enqueue.js";
import { devSmsOutbox } from "../../server/sms/dev-outbox.js";
import { type MailSender, ThrottledDeliveryError, WaitDeliveryError } from "../../server/delivery/ports.js";
import { createTestApp } from "../harness/node.js";
import { type TestApp, openGate } from "../harness/types.js";
import { freePort } from "./process.js";

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(sender: MailSender) {
  const t: TestApp = await createTestApp();
  cleanup.push(() => t.close());
  const tenant = (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
  const sms = devSmsOutbox();
  const dispatcherWith = (mail: MailSender, opts: Partial<DispatcherDeps> = {}) =>
    createDispatcher({ store: t.store, clock: t.clock, mail, sms, logger: silentLogger, mailFrom: "rathaus@test.example", publicUrl: "http://rathaus.test", rateGate: openGate, ...opts });
  const dispatcher = dispatcherWith(sender);
  const queue = async (n: number) => {
    const queries = Array.from({ length: n }, (_, i) =>
      enqueue(t.store.db, tenant, { channel: "email", recipient: `person${i}@example.org`, template: "account_deleted", lang: "de", vars: { name: `Person ${i}` } }, t.clock.now()),
    );
    await t.store.atomic(queries);
  };
  const states = async () =>
    Object.fromEntries(
      (await t.store.db.selectFrom("outbox").select(["status"]).select((eb) => eb.fn.countAll<number>().as("n")).groupBy("status").execute()).map((r) => [r.status, r.n]),
    );
  return { t, tenant, sms, dispatcher, dispatcherWith, queue, states };
}

describe("outbox", () => {
  it("survives an SMTP server that is down and delivers once it returns", async () => {
    const port = await freePort();
    const sender = smtpMailSender(`smtp://127.0.0.1:${port}`);
    cleanup.push(async () => sender.close?.());
    const { t, dispatcher, queue, states } = await setup(sender);
    await queue(5);

    await dispatcher.drain();
    expect(await states()).toEqual({ pending: 5 });
    const row = await t.store.db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.next_attempt_at).toBe(t.clock.now() + backoffMs(1));
    expect(row.last_error).toMatch(/ECONNREFUSED/);
    expect(JSON.parse(row.payload!)).toEqual({ name: expect.stringMatching(/^Person \d$/) });

    // Not before the backoff has passed…
    const catcher: MailCatcher = await startMailCatcher({ port });
    cleanup.push(() => catcher.close());
    await dispatcher.drain();
    expect(catcher.list()).toHaveLength(0);
    // …then everything, exactly once.
    t.clock.advance(backoffMs(1));
    await dispatcher.drain();
    expect(await states()).toEqual({ sent: 5 });
    expect(catcher.list()).toHaveLength(5);
    expect(new Set(catcher.list().map((m) => m.to[0])).size).toBe(5);
    // Sent: the payload (which may hold a code) and the old error are gone, the attempts stay on record.
    const rows = await t.store.db.selectFrom("outbox").select(["payload", "attempts", "last_error", "sent_at"]).execute();
    expect(rows).toEqual(Array.from({ length: 5 }, () => ({ payload: null, attempts: 2, last_error: null, sent_at: t.clock.now() })));
  });

  it("gives up after the last attempt and keeps the failure on record", async () => {
    let calls = 0;
    // A server that always answers "try later" (here in-process: what matters is the dispatcher's bookkeeping).
    const failing: MailSender = {
      send: async () => {
        calls++;
        throw new Error("421 try later");
      },
    };
    const { t, dispatcher, queue, states } = await setup(failing);
    await queue(1);
    for (let attempt = 1; attempt <= 8; attempt++) {
      await dispatcher.drain();
      // One attempt per backoff period, not a burst.
      expect(calls).toBe(attempt);
      expect(await states()).toEqual(attempt < 8 ? { pending: 1 } : { failed: 1 });
      t.clock.advance(backoffMs(attempt));
    }
    expect(calls).toBe(8);
    expect(await states()).toEqual({ failed: 1 });
    const row = await t.store.db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(row.last_error).toContain("421");
    expect(row.payload).toBeNull();
  });

  it("resumes after a crash: messages claimed but never settled go out after recover(), the rest once", async () => {
    const catcher = await startMailCatcher();
    cleanup.push(() => catcher.close());
    const sender = smtpMailSender(catcher.url);
    cleanup.push(async () => sender.close?.());
    const { t, queue, states } = await setup(sender);
    await queue(10);
    // A process that claimed a batch and died before sending: rows stay 'sending'.
    await t.store.db.updateTable("outbox").set({ status: "sending", next_attempt_at: t.clock.now() + 5 * 60_000 }).where("recipient", "in", ["person0@example.org", "person1@example.org"]).execute();
    const restarted = createDispatcher({ store: t.store, clock: t.clock, mail: sender, sms: devSmsOutbox(), logger: silentLogger, mailFrom: "r@test.example", publicUrl: "http://x", rateGate: openGate });
    expect(await restarted.recover()).toBe(2);
    await restarted.drain();
    expect(await states()).toEqual({ sent: 10 });
    const recipients = catcher.list().map((m) => m.to[0]);
    expect(recipients.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `person${i}@example.org`).sort());
  });

  it("a dispatcher whose claim was taken over after its lease ran out sends nothing more of that batch", async () => {
    let release = () => {};
    let started = () => {};
    const sending = new Promise<void>((r) => (started = r));
    const sentByFirst: string[] = [];
    // The first dispatcher hangs on its first message (a stuck connection)…
    const stuck: MailSender = {
      send: async (m) => {
        sentByFirst.push(m.to);
        started();
        if (sentByFirst.length === 1) await new Promise<void>((r) => (release = r));
      },
    };
    const { t, dispatcherWith, queue, states } = await setup(stuck);
    await queue(3);
    const first = dispatcherWith(stuck, { concurrency: 1, leaseMs: 60_000 }).runOnce();
    await sending;
    // …until its lease has run out and a second dispatcher takes the batch over and sends it.
    t.clock.advance(60_000);
    const bySecond: string[] = [];
    await dispatcherWith({ send: async (m) => void bySecond.push(m.to) }).drain();
    expect(bySecond.sort()).toEqual(["person0@example.org", "person1@example.org", "person2@example.org"]);
    release();
    expect(await first).toBe(3);
    // The first one finishes the mail it was stuck on and sends none of the rest again.
    expect(sentByFirst).toHaveLength(1);
    expect(await states()).toEqual({ sent: 3 });
    const attempts = await t.store.db.selectFrom("outbox").select("attempts").execute();
    expect(attempts.map((r) => r.attempts)).toEqual([2, 2, 2]);
  });

  it("fails an SMS that lacks a variable instead of texting 'undefined'", async () => {
    const { t, tenant, sms, dispatcher, states } = await setup({ send: async () => {} });
    // Written around the typed enqueue(), as an old row or a bug elsewhere could leave it.
    await t.store.db
      .insertInto("outbox")
      .values({ tenant_id: tenant, id: "m_sms", channel: "sms", dedupe_key: null, account_id: null, recipient: "+491711234567", template: "verify_mobile", lang: "de", payload: JSON.stringify({ code: "123456" }), status: "pending", attempts: 0, next_attempt_at: t.clock.now(), last_error: null, created_at: t.clock.now(), sent_at: null, shared_id: null })
      .execute();
    await dispatcher.drain();
    expect(await states()).toEqual({ failed: 1 });
    const row = await t.store.db.selectFrom("outbox").select(["attempts", "last_error"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 1, last_error: expect.stringContaining('missing variable "minutes"') });
    expect(sms.list()).toEqual([]);
  });

  it("sweeps a code ahead of a fan-out's thousands queued before it, and sends a throttled mail later without using an attempt", async () => {
    const sent: string[] = [];
    const { t, tenant, dispatcherWith } = await setup({ send: async (m) => void sent.push(m.to) });
    const now = t.clock.now();
    const shared = { title: "Impfangebot", summary: "Ab Montag.", bodyHtml: "<p>Text</p>", bodyText: "Text", readUrl: "https://www.tangerhuette.de/#rathaus/news/n_1" };
    await t.store.atomic([
      shareVars(t.store.db, tenant, "news:n_1:1", shared, now - 1_000),
      ...Array.from({ length: 300 }, (_, i) =>
        enqueue(
          t.store.db,
          tenant,
          { channel: "email", recipient: `einwohner${i}@example.org`, template: "news", lang: "de", sharedId: "news:n_1:1", dedupeKey: `news:n_1:a${i}`, vars: { name: "E", unsubscribeUrl: "https://rathaus.test/u", topics: "Gesundheit" } },
          now - 1_000,
        ),
      ),
    ]);
    // An urgent item's SMS alerts are part of the fan-out too, though they share no text.
    await t.store.atomic([enqueue(t.store.db, tenant, { channel: "sms", recipient: "+491711234567", template: "news_alert", lang: "de", dedupeKey: "news-sms:n_1:a0", vars: { title: "Impfangebot", url: "https://www.tangerhuette.de/" } }, now - 1_000)]);
    await t.store.atomic([enqueue(t.store.db, tenant, { channel: "email", recipient: "code@example.org", template: "account_deleted", lang: "de", vars: { name: "Max" } }, now)]);
    // The sweep after the request takes only the message to one person, though 301 are older.
    const swept = await dispatcherWith({ send: async (m) => void sent.push(m.to) }).sendSingles();
    expect(swept).toMatchObject({ claimed: 1, retries: [] });
    expect(sent).toEqual(["code@example.org"]);

    // A provider asking to wait: the message keeps its attempts and is due when it said.
    const busy = dispatcherWith({
      send: async () => {
        throw new ThrottledDeliveryError("mail API answered 429", 7_000);
      },
    });
    const ids = (await t.store.db.selectFrom("outbox").select("id").where("recipient", "=", "einwohner0@example.org").execute()).map((r) => r.id);
    const r = await busy.sendThese(tenant, ids);
    expect(r.retries).toEqual([{ tenantId: tenant, id: ids[0], at: t.clock.now() + 7_000 }]);
    const row = await t.store.db.selectFrom("outbox").select(["status", "attempts", "next_attempt_at"]).where("id", "=", ids[0]!).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "pending", attempts: 0, next_attempt_at: t.clock.now() + 7_000 });
    // Asked for again before then, it is not claimed: nothing goes out early.
    expect((await busy.sendThese(tenant, ids)).claimed).toBe(0);
  });

  it("never settles a mail already handed over as failed when marking it sent fails, and sends it once", async () => {
    const sent: string[] = [];
    const { t, dispatcherWith, queue } = await setup({ send: async (m) => void sent.push(m.to) });
    await queue(3);
    // The database refuses to mark anything sent for a while.
    for (const statement of [
      "CREATE TEMP TABLE refuse_mark (on_ INTEGER)",
      "INSERT INTO refuse_mark VALUES (1)",
      "CREATE TEMP TRIGGER no_mark BEFORE UPDATE OF status ON outbox WHEN NEW.status = 'sent' AND (SELECT on_ FROM refuse_mark) = 1 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    ]) {
      await sql.raw(statement).execute(t.store.db);
    }
    const d = dispatcherWith({ send: async (m) => void sent.push(m.to) });
    await d.runOnce();
    expect(sent).toHaveLength(3);
    // Still 'sending' under their claim: not back to pending, so no retry sends them again…
    const rows = await t.store.db.selectFrom("outbox").select(["status", "attempts"]).execute();
    expect(rows).toEqual(Array.from({ length: 3 }, () => ({ status: "sending", attempts: 1 })));
    await sql.raw("UPDATE refuse_mark SET on_ = 0").execute(t.store.db);
    expect(await d.runOnce()).toBe(0);
    expect(sent).toHaveLength(3);
  });

  it("puts a message back without using an attempt when the town's send time lies too far ahead", async () => {
    const sent: string[] = [];
    const { t, dispatcherWith, queue } = await setup({ send: async (m) => void sent.push(m.to) });
    await queue(1);
    const d = dispatcherWith(
      { send: async (m) => void sent.push(m.to) },
      {
        rateGate: {
          take: async () => {
            throw new WaitDeliveryError("the town's mail rate is booked 40 s ahead", 40_000);
          },
        },
      },
    );
    await d.runOnce();
    expect(sent).toEqual([]);
    expect(await t.store.db.selectFrom("outbox").select(["status", "attempts", "next_attempt_at"]).executeTakeFirstOrThrow()).toEqual({ status: "pending", attempts: 0, next_attempt_at: t.clock.now() + 40_000 });
  });
});
