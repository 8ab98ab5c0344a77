import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { createUnsubscribeToken } from "../../server/subscriptions/unsubscribe-token.js";
import { type TestApp, testSecret } from "../harness/types.js";
import { api, call, person, verifiedAccount } from "./flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const T = api("tangerhuette");
const M = api("musterstadt");
const json = { Accept: "application/json" };

const tenantId = async (slug: string) => (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
const topicsOf = async (accountId: string) =>
  (await t.store.db.selectFrom("subscriptions").select("topic").where("account_id", "=", accountId).orderBy("topic").execute()).map((r) => r.topic);

describe("me/subscriptions", () => {
  it("stores the ticked topics and the SMS choice, and reads them back", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token: a.token })).json).toEqual({ topics: [], smsAlerts: false });
    const put = await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["verwaltung", "gesundheit", "verwaltung"], smsAlerts: true } });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ topics: ["verwaltung", "gesundheit"], smsAlerts: true });
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token: a.token })).json).toEqual({ topics: ["gesundheit", "verwaltung"], smsAlerts: true });
    await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["gesundheit"], smsAlerts: false } });
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token: a.token })).json).toEqual({ topics: ["gesundheit"], smsAlerts: false });
  });

  it("refuses topics the town does not have, naming the entry, and changes nothing", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["gesundheit"], smsAlerts: false } });
    const res = await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["verwaltung", "kultur"], smsAlerts: true } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    expect(res.json.error.fields["topics.1"].code).toBe("unknown_topic");
    expect(await topicsOf(a.account.id)).toEqual(["gesundheit"]);
    const extra = await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: [], smsAlerts: false, all: true } });
    expect(extra.json.error.fields.all.code).toBe("unknown_field");
  });

  it("needs a confirmed e-mail address and mobile number", async () => {
    const reg = await call(t, "POST", `${T}/auth/register`, { body: person() });
    for (const [method, body] of [["GET"], ["PUT", { topics: ["gesundheit"], smsAlerts: false }]] as const) {
      const res = await call(t, method, `${T}/me/subscriptions`, { token: reg.json.token, ...(body ? { body } : {}) });
      expect(res.status, method).toBe(403);
      expect(res.json.error.code).toBe("verification_required");
    }
    expect(await topicsOf(reg.json.account.id)).toEqual([]);
  });
});

describe("one-click unsubscribe", () => {
  it("removes exactly the topics in the token, without login", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["gesundheit", "verwaltung", "veranstaltungen"], smsAlerts: false } });
    const token = await createUnsubscribeToken(testSecret, { tenantId: await tenantId("tangerhuette"), accountId: a.account.id, topics: ["gesundheit", "verwaltung"] });
    const res = await call(t, "POST", `${T}/unsubscribe/${token}`, { headers: json });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "unsubscribed" });
    expect(await topicsOf(a.account.id)).toEqual(["veranstaltungen"]);
    // A second click changes nothing and is no error.
    expect((await call(t, "POST", `${T}/unsubscribe/${token}`, { headers: json })).status).toBe(200);
  });

  it("answers an invalid token with the standard error envelope, or a page for people", async () => {
    const res = await call(t, "POST", `${T}/unsubscribe/${"A".repeat(80)}`, { headers: { ...json, "Accept-Language": "en" } });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
    expect(res.json.error.message).toBe(res.json.error.messages.en);
    expect(res.json.error.messages.de).toBeTruthy();
    const page = await t.app.request(`${T}/unsubscribe/${"A".repeat(80)}`, { method: "POST" });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("does not accept one town's token in another town, and the GET only asks", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    await call(t, "PUT", `${T}/me/subscriptions`, { token: a.token, body: { topics: ["gesundheit"], smsAlerts: false } });
    const token = await createUnsubscribeToken(testSecret, { tenantId: await tenantId("tangerhuette"), accountId: a.account.id, topics: ["gesundheit"] });
    const elsewhere = await call(t, "POST", `${M}/unsubscribe/${token}`, { headers: json });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json.error.code).toBe("not_found");
    expect((await call(t, "GET", `${M}/unsubscribe/${token}`)).status).toBe(404);
    const confirm = await call(t, "GET", `${T}/unsubscribe/${token}`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("<form method=\"post\">");
    expect(await topicsOf(a.account.id)).toEqual(["gesundheit"]);
    // A token forged with another secret is as unknown as garbage.
    const forged = await createUnsubscribeToken("another-secret", { tenantId: await tenantId("tangerhuette"), accountId: a.account.id, topics: ["gesundheit"] });
    expect((await call(t, "POST", `${T}/unsubscribe/${forged}`, { headers: json })).status).toBe(404);
    expect(await topicsOf(a.account.id)).toEqual(["gesundheit"]);
  });
});
