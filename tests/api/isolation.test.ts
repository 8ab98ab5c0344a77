import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, call, mailCode, person, verifiedAccount } from "./flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const A = api("tangerhuette");
const B = api("musterstadt");

/** Every authenticated route, as a town's token would be tried against another town. */
const authedRoutes: Array<[string, string, unknown?]> = [
  ["GET", "/me"],
  ["PATCH", "/me", { name: "X" }],
  ["GET", "/me/export"],
  ["DELETE", "/me", { password: "irgendwas-langes" }],
  ["POST", "/me/password", { currentPassword: "x", newPassword: "Ein-neues-Passwort-1" }],
  ["POST", "/auth/logout"],
  ["POST", "/auth/logout-all"],
  ["POST", "/auth/verify-email", { code: "123456" }],
  ["POST", "/auth/verify-mobile", { code: "123456" }],
  ["POST", "/auth/resend", { channel: "email" }],
  ["GET", "/me/subscriptions"],
  ["PUT", "/me/subscriptions", { topics: [], smsAlerts: false }],
  ["GET", "/news/manage"],
  ["POST", "/news", { title: "x", summary: "x", body: "x", topics: ["gesundheit"] }],
  ["GET", "/forms/hundesteuer/draft"],
  ["PUT", "/forms/hundesteuer/draft", { version: 1, data: {} }],
  ["DELETE", "/forms/hundesteuer/draft"],
  ["POST", "/forms/hundesteuer/submissions", { version: 1, data: {} }],
  ["GET", "/me/submissions"],
  ["GET", "/me/submissions/s_abcdefghijklmnop"],
  ["GET", "/me/submissions/s_abcdefghijklmnop/receipt.pdf"],
  ["DELETE", "/forms/hundesteuer/uploads/u_abcdefghijklmnop"],
];

describe("tenant isolation", () => {
  it("rejects one town's session token on every route of another town", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    for (const [method, path, body] of authedRoutes) {
      const res = await call(t, method, `${B}${path}`, { token: a.token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    // …and the token still works at home: nothing in the other town touched it.
    expect((await call(t, "GET", `${A}/me`, { token: a.token })).status).toBe(200);
  });

  it("keeps the same e-mail address as two separate accounts in two towns", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const inB = await call(t, "POST", `${B}/auth/login`, { body: { email: a.email, password: a.password } });
    expect(inB.status).toBe(401);
    const b = await verifiedAccount(t, "musterstadt", { email: a.email, password: "Marktplatz-Eins-2026" });
    expect(b.account.id).not.toBe(a.account.id);
    expect((await call(t, "POST", `${A}/auth/login`, { body: { email: a.email, password: "Marktplatz-Eins-2026" } })).status).toBe(401);
    expect((await call(t, "POST", `${B}/auth/login`, { body: { email: a.email, password: a.password } })).status).toBe(401);
    expect((await call(t, "GET", `${B}/me`, { token: b.token })).json.account.id).toBe(b.account.id);
  });

  it("does not accept a code of one town's account in another town", async () => {
    const body = person();
    const inA = await call(t, "POST", `${A}/auth/register`, { body });
    const codeA = await mailCode(t, body.email);
    const inB = await call(t, "POST", `${B}/auth/register`, { body });
    const codeB = await mailCode(t, body.email);
    // One chance in a million that B drew the same digits; then this run proves nothing either way.
    if (codeA === codeB) return;
    const res = await call(t, "POST", `${B}/auth/verify-email`, { token: inB.json.token, body: { code: codeA } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_code");
    // …and the other way round, with B's code in A.
    const back = await call(t, "POST", `${A}/auth/verify-email`, { token: inA.json.token, body: { code: codeB } });
    expect(back.status).toBe(400);
    expect(back.json.error.code).toBe("invalid_code");
    for (const [base, token] of [[A, inA.json.token], [B, inB.json.token]] as const) {
      expect((await call(t, "GET", `${base}/me`, { token })).json.account.emailVerified).toBe(false);
    }
    // Each code still works in its own town.
    expect((await call(t, "POST", `${B}/auth/verify-email`, { token: inB.json.token, body: { code: codeB } })).status).toBe(200);
  });

  it("does not accept a reset code of one town in another town", async () => {
    const body = person();
    await call(t, "POST", `${A}/auth/register`, { body });
    await call(t, "POST", `${B}/auth/register`, { body });
    // Sent first, so that the newest mail to the address is the reset code.
    await t.deliver();
    await call(t, "POST", `${A}/auth/password-reset`, { body: { email: body.email } });
    const codeA = await mailCode(t, body.email);
    const res = await call(t, "POST", `${B}/auth/password-reset/confirm`, { body: { email: body.email, code: codeA, password: "Neues-Passwort-2026" } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("reset_code_invalid");
    expect((await call(t, "POST", `${B}/auth/login`, { body: { email: body.email, password: body.password } })).status).toBe(200);
    expect((await call(t, "POST", `${A}/auth/password-reset/confirm`, { body: { email: body.email, code: codeA, password: "Neues-Passwort-2026" } })).status).toBe(200);
  });

  it("sends each town's mail with its own name and colors", async () => {
    const ta = person();
    const tb = person();
    await call(t, "POST", `${A}/auth/register`, { body: ta });
    await call(t, "POST", `${B}/auth/register`, { body: tb });
    await t.deliver();
    const mailA = t.mails().find((m) => m.to.includes(ta.email))!;
    const mailB = t.mails().find((m) => m.to.includes(tb.email))!;
    expect(mailA.html).toContain("Tangerhütte");
    expect(mailA.html).not.toContain("Musterstadt");
    expect(mailB.html).toContain("Musterstadt");
    expect(mailB.html).toContain("#1d4f91");
  });
});
