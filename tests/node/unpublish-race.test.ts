import { afterEach, describe, expect, it } from "vitest";
import type { OutgoingMail, OutgoingSms } from "../../server/delivery/ports.js";
import { silentLogger } from "../../server/http/logger.js";
import { newsFanout } from "../../server/news/fanout.js";
import { createDispatcher } from "../../server/outbox/dispatcher.js";
import { call, verifiedAccount } from "../api/flows.js";
import { createTestApp } from "../harness/node.js";
import { openGate } from "../harness/types.js";
import { seedSubscribers } from "./seed.js";

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const T = "/api/v1/tenants/tangerhuette";

/**
 * A mail server and SMS gateway that hold every message until the test lets it through, so
 * the test knows exactly which messages are on the wire when it unpublishes. No timing.
 */
function heldSink() {
  const held: Array<() => void> = [];
  const started: string[] = [];
  const delivered: string[] = [];
  let open = false;
  let onHeld = () => {};
  const send = (to: string) => {
    started.push(to);
    if (open) {
      delivered.push(to);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      held.push(() => {
        delivered.push(to);
        resolve();
      });
      onHeld();
    });
  };
  return {
    mail: { send: (m: OutgoingMail) => send(m.to) },
    sms: { send: (s: OutgoingSms) => send(s.to) },
    started,
    delivered,
    /** Resolves once `n` messages are held at once. */
    holding(n: number) {
      return new Promise<void>((resolve) => {
        onHeld = () => held.length >= n && resolve();
        onHeld();
      });
    },
    release() {
      for (const f of held.splice(0)) f();
    },
    /** Everything from now on goes straight through. */
    openUp() {
      open = true;
      this.release();
    },
  };
}

/** Tangerhütte with `count` subscribers to an urgent item who also take SMS alerts, and a staff token. */
async function town(count: number) {
  const t = await createTestApp();
  cleanup.push(() => t.close());
  const tenant = (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
  const editor = await verifiedAccount(t, "tangerhuette");
  await t.store.db.updateTable("accounts").set({ role: "staff" }).where("id", "=", editor.account.id).execute();
  const sqlite = (t.store as unknown as { sqlite: import("better-sqlite3").Database }).sqlite;
  seedSubscribers(sqlite, tenant, count, "gesundheit", t.clock.now());
  await t.store.db.updateTable("accounts").set({ sms_alerts: 1 }).where("tenant_id", "=", tenant).where("id", "like", "a_seed%").execute();
  const created = await call(t, "POST", `${T}/news`, { token: editor.token, body: { title: "Trinkwasser abkochen", summary: "Verunreinigung.", body: "Bitte abkochen.", topics: ["gesundheit"], urgent: true } });
  expect(created.status).toBe(201);
  expect((await call(t, "POST", `${T}/news/${created.json.id}/publish`, { token: editor.token })).status).toBe(200);
  return { t, tenant, token: editor.token, id: created.json.id as string };
}

describe("withdrawing news while the dispatcher sends it", () => {
  for (const how of ["unpublish", "delete"] as const) {
    it(`${how}: after it returns, only the messages already on the wire (at most concurrency) go out`, async () => {
      const subscribers = 40;
      const concurrency = 4;
      const { t, tenant, token, id } = await town(subscribers);
      await newsFanout({ store: t.store, clock: t.clock, secret: "s", publicUrl: "http://rathaus.test" }).runDue();
      const queued = await t.store.db.selectFrom("outbox").select("id").where("tenant_id", "=", tenant).where("status", "=", "pending").execute();
      // One mail and one SMS per subscriber, all claimable in a single batch of 200.
      expect(queued).toHaveLength(2 * subscribers);

      const sink = heldSink();
      const dispatcher = createDispatcher({ store: t.store, clock: t.clock, mail: sink.mail, sms: sink.sms, logger: silentLogger, mailFrom: "r@test.example", publicUrl: "http://rathaus.test", rateGate: openGate, concurrency });
      const sending = dispatcher.runOnce();
      // A first round goes out, then the next `concurrency` messages are on the wire.
      await sink.holding(concurrency);
      sink.release();
      await sink.holding(concurrency);

      const res = how === "unpublish" ? await call(t, "POST", `${T}/news/${id}/unpublish`, { token }) : await call(t, "DELETE", `${T}/news/${id}`, { token });
      expect(res.status).toBe(how === "unpublish" ? 200 : 204);
      const startedBefore = sink.started.length;
      const deliveredBefore = sink.delivered.length;
      expect(startedBefore).toBe(2 * concurrency);
      expect(deliveredBefore).toBe(concurrency);

      sink.openUp();
      expect(await sending).toBe(2 * subscribers);
      // Nothing new was handed over after unpublish returned; what was on the wire finished.
      expect(sink.started.length).toBe(startedBefore);
      expect(sink.delivered.length - deliveredBefore).toBe(concurrency);
      // The record shows the messages sent before the withdrawal, and nothing left to send.
      const rows = await t.store.db.selectFrom("outbox").select("status").where("tenant_id", "=", tenant).where("dedupe_key", "like", `news%:${id}:%`).execute();
      expect(rows.map((r) => r.status)).toEqual(Array.from({ length: concurrency }, () => "sent"));
      // A later pass finds nothing either.
      await dispatcher.drain();
      expect(sink.started.length).toBe(startedBefore);
    });
  }

  it("a fan-out page prepared just before the unpublish writes nothing after it", async () => {
    const { t, tenant, token, id } = await town(30);
    let pages = 0;
    // The unpublish request lands between the fan-out reading a page and writing it.
    const store = {
      ...t.store,
      atomic: async (q: Parameters<typeof t.store.atomic>[0]) => {
        if (++pages === 2) expect((await call(t, "POST", `${T}/news/${id}/unpublish`, { token })).status).toBe(200);
        await t.store.atomic(q);
      },
    };
    await newsFanout({ store, clock: t.clock, secret: "s", publicUrl: "http://rathaus.test", pageSize: 10 }).runDue();
    expect(pages).toBe(2);
    const left = await t.store.db.selectFrom("outbox").select(["status"]).where("tenant_id", "=", tenant).where("dedupe_key", "like", `news%:${id}:%`).execute();
    expect(left).toEqual([]);
    expect(await t.store.db.selectFrom("outbox_shared").select("id").where("tenant_id", "=", tenant).execute()).toEqual([]);
    const item = await t.store.db.selectFrom("news").select(["status", "fanout_cursor", "fanned_out_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(item).toEqual({ status: "draft", fanout_cursor: expect.any(String), fanned_out_at: null });
  });
});
