import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, shareVars } from "../outbox/enqueue.js";
import { createTestApp } from "../../tests/harness/node.js";
import type { TestApp } from "../../tests/harness/types.js";
import { prune, retention } from "./prune.js";

let t: TestApp;
let tenant: string;
beforeAll(async () => {
  t = await createTestApp();
  tenant = (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

describe("housekeeping", () => {
  it("removes expired sessions and old delivery records, keeps what is still needed", async () => {
    const reg = await t.app.request("/api/v1/tenants/tangerhuette/auth/register", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "person", name: "Alt", email: "alt@example.org", mobile: "0171 1112223", password: "Lindenallee-17-Tanger", acceptPrivacy: true }),
    });
    const { token } = (await reg.json()) as { token: string };
    await t.deliver();
    const now = t.clock.now();
    const text = (title: string) => ({ title, summary: "s", bodyHtml: "<p>b</p>", bodyText: "b", readUrl: "https://www.example.de/#rathaus/news/1" });
    await t.store.atomic([
      shareVars(t.store.db, tenant, "news:old:1", text("x"), now),
      shareVars(t.store.db, tenant, "news:queued:1", text("y"), now),
      enqueue(
        t.store.db,
        tenant,
        { channel: "email", recipient: "q@example.org", template: "news", lang: "de", vars: { name: "Q", topics: "Gesundheit", unsubscribeUrl: "https://rathaus.test/u/1" }, sharedId: "news:queued:1" },
        now,
      ),
      // A login at an identity provider under way, its one-time code, a SAML assertion seen.
      t.store.db.insertInto("identity_flows").values({ tenant_id: tenant, id: "flow-1", provider_id: "test-buergerkonto", nonce: "n", code_verifier: "v", request_id: null, origin: "http://localhost:8080", mode: "popup", return_to: null, challenge: "c", lang: "de", link_account_id: null, created_at: now, expires_at: now + 15 * 60_000, used_at: null }),
      t.store.db.insertInto("identity_codes").values({ tenant_id: tenant, id: "code-1", purpose: "login", account_id: "a_1", provider_id: "test-buergerkonto", trust_level: "high", challenge: "c", expires_at: now + 2 * 60_000, used_at: null }),
      t.store.db.insertInto("saml_assertions").values({ tenant_id: tenant, id: "_assertion-1", expires_at: now + 5 * 60_000 }),
      // Two items fanned out through the queue: one still under way (its pages stay), one done.
      ...(["running", "done"] as const).map((id) =>
        t.store.db.insertInto("news").values({ tenant_id: tenant, id, title: id, summary: "s", body: "b", body_html: "<p>b</p>", topics: "[]", urgent: 0, status: "published", publish_at: null, published_at: now, fanned_out_at: id === "done" ? now : null, fanout_cursor: null, fanout_plan: "p_1", fanout_planned_at: now, created_by: null, created_at: now, updated_at: now }),
      ),
      t.store.db.insertInto("news_fanout_pages").values(["running", "done"].map((id) => ({ tenant_id: tenant, news_id: id, plan: "p_1", after_id: "", until_id: null, done_at: null }))),
    ]);

    // Nothing is old yet; only the finished fan-out's page has no reason to stay.
    expect(await prune(t.store.db, now)).toEqual({ sessions: 0, codes: 0, rateLimits: 0, messages: 0, drafts: 0, proofs: 0, webhookAttempts: 0, webhookDeliveries: 0, identityFlows: 0, identityCodes: 0, samlAssertions: 0, sharedTexts: 0, fanoutPages: 1 });
    expect(await t.store.db.selectFrom("news_fanout_pages").select("news_id").execute()).toEqual([{ news_id: "running" }]);

    const later = now + retention.messagesMs + 1;
    const result = await prune(t.store.db, later);
    expect(result.sessions).toBe(1);
    expect(result.codes).toBe(2);
    expect(result.messages).toBeGreaterThanOrEqual(2);
    expect(result).toMatchObject({ identityFlows: 1, identityCodes: 1, samlAssertions: 1 });
    // The text of a message still waiting to be sent stays; the orphaned one goes.
    const shared = await t.store.db.selectFrom("outbox_shared").select("id").execute();
    expect(shared.map((s) => s.id)).toEqual(["news:queued:1"]);
    expect(await t.store.db.selectFrom("outbox").select("status").where("recipient", "=", "q@example.org").execute()).toEqual([{ status: "pending" }]);
    t.clock.advance(retention.messagesMs + 1);
    expect((await t.app.request("/api/v1/tenants/tangerhuette/me", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
