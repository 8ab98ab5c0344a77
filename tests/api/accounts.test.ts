import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, e164, mailCode, person, call as rawCall, smsCode, uniqueEmail, verifiedAccount } from "./flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const T = api("tangerhuette");

/** Every answer in this file is checked for the password hash, in any spelling. */
async function call(...args: Parameters<typeof rawCall>) {
  const res = await rawCall(...args);
  expect(res.text).not.toContain("$argon2");
  expect(res.text).not.toMatch(/password_?hash/i);
  return res;
}

/** The exact shape of an account in every answer: a new field (a hash, an internal flag) must be a decision, not an accident. */
const publicAccountKeys = ["address", "createdAt", "email", "emailVerified", "id", "identityVerified", "kind", "lang", "mobile", "mobileVerified", "name", "organisation", "registerNumber", "role"];
function expectAccountAnswer(res: Awaited<ReturnType<typeof rawCall>>, withToken: boolean, keys: string[] = withToken ? ["account", "token"] : ["account"]) {
  expect(Object.keys(res.json).sort()).toEqual(keys);
  expect(Object.keys(res.json.account).sort()).toEqual(publicAccountKeys);
}

describe("registration", () => {
  it("creates an account with a session, normalises the mobile number and stores the consent", async () => {
    const body = person({ email: `  ${uniqueEmail().toUpperCase()} ` });
    const res = await call(t, "POST", `${T}/auth/register`, { body });
    expect(res.status).toBe(201);
    expect(res.json.token).toMatch(/^[a-z2-7]{32}$/);
    expect(res.json.account).toMatchObject({
      kind: "person",
      role: "citizen",
      name: "Erika Mustermann",
      email: body.email.trim().toLowerCase(),
      mobile: e164(body.mobile),
      emailVerified: false,
      mobileVerified: false,
    });
    expectAccountAnswer(res, true);
    const row = await t.store.db.selectFrom("accounts").selectAll().where("id", "=", res.json.account.id).executeTakeFirstOrThrow();
    expect(row.privacy_version).toBe("2026-11-01");
    expect(row.privacy_accepted_at).toBe(t.clock.now());
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it("registers a Verein and a company with organisation, contact person and register number", async () => {
    for (const kind of ["association", "company"]) {
      const res = await call(t, "POST", `${T}/auth/register`, {
        body: person({ kind, name: "Max Vorstand", organisation: "Heimatverein Grieben e. V.", registerNumber: "VR 1234", address: { street: "Dorfstraße 1", postalCode: "39517", city: "Tangerhütte" } }),
      });
      expect(res.status).toBe(201);
      expect(res.json.account).toMatchObject({ kind, organisation: "Heimatverein Grieben e. V.", registerNumber: "VR 1234", address: { city: "Tangerhütte" } });
    }
    const missingOrg = await call(t, "POST", `${T}/auth/register`, { body: person({ kind: "company" }) });
    expect(missingOrg.status).toBe(400);
    expect(missingOrg.json.error.fields.organisation.code).toBe("required");
  });

  it("rejects bad input field by field, in German and English, and writes nothing", async () => {
    const tried: string[] = [];
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ email: "keine-adresse" }, "email", "invalid_email"],
      [{ mobile: "12" }, "mobile", "invalid_mobile"],
      [{ mobile: "030 1234567" }, "mobile", "invalid_mobile"],
      [{ password: "kurz" }, "password", "password_too_short"],
      [{ password: "Passwort123!" }, "password", "password_common"],
      [{ acceptPrivacy: false }, "acceptPrivacy", "privacy_required"],
      [{ name: "" }, "name", "required"],
      [{ kind: "behörde" }, "kind", "invalid"],
      [{ isAdmin: true }, "isAdmin", "unknown_field"],
    ];
    for (const [override, field, code] of cases) {
      const body = person(override);
      tried.push(String(body.email));
      const res = await call(t, "POST", `${T}/auth/register`, { body });
      expect(res.status, field).toBe(400);
      expect(res.json.error.code).toBe("validation_failed");
      expect(res.json.error.fields[field].code, field).toBe(code);
      expect(res.json.error.fields[field].messages.de).toBeTruthy();
      expect(res.json.error.fields[field].messages.en).toBeTruthy();
    }
    const noPrivacyBody = { ...person(), acceptPrivacy: undefined };
    tried.push(noPrivacyBody.email);
    const noPrivacy = await call(t, "POST", `${T}/auth/register`, { body: noPrivacyBody });
    expect(noPrivacy.json.error.fields.acceptPrivacy.code).toBe("privacy_required");
    const written = await t.store.db.selectFrom("accounts").select("id").where("email", "in", tried).execute();
    expect(written).toHaveLength(0);
  });
});

describe("verification", () => {
  it("verifies e-mail and mobile with the codes from the real mail and SMS; services then open", async () => {
    const body = person();
    const reg = await call(t, "POST", `${T}/auth/register`, { body });
    const token = reg.json.token;
    await t.deliver();
    const mail = t.mails().find((m) => m.to.includes(body.email))!;
    expect(mail.subject).toMatch(/Tangerhütte/);
    expect(mail.html).toContain("#1f6f3f");
    expect(mail.html).toContain("/api/v1/tenants/tangerhuette/logo.png");
    expect(mail.text).not.toMatch(/<[a-z]+/);

    let me = await call(t, "GET", `${T}/me`, { token });
    expectAccountAnswer(me, false, ["account", "trustLevel"]);
    expect(me.json.account).toMatchObject({ emailVerified: false, mobileVerified: false });
    // A password login claims no trust level (forms that need one ask for the Bürgerkonto).
    expect(me.json.trustLevel).toBeNull();

    const subscriptions = await call(t, "GET", `${T}/me/subscriptions`, { token });
    expect(subscriptions.status).toBe(403);
    expect(subscriptions.json.error.code).toBe("verification_required");

    const verifyEmail = await call(t, "POST", `${T}/auth/verify-email`, { token, body: { code: await mailCode(t, body.email) } });
    expectAccountAnswer(verifyEmail, false);
    expect(verifyEmail.json.account).toMatchObject({ emailVerified: true, mobileVerified: false });
    const sms = await smsCode(t, e164(body.mobile));
    const verifyMobile = await call(t, "POST", `${T}/auth/verify-mobile`, { token, body: { code: sms } });
    expectAccountAnswer(verifyMobile, false);
    expect(verifyMobile.json.account).toMatchObject({ emailVerified: true, mobileVerified: true });
    me = await call(t, "GET", `${T}/me`, { token });
    expect(me.json.account).toMatchObject({ emailVerified: true, mobileVerified: true });
    expect((await call(t, "GET", `${T}/me/subscriptions`, { token })).status).toBe(200);
  });

  it("stores codes only as hashes and forgets the code in the outbox once sent", async () => {
    const body = person();
    const reg = await call(t, "POST", `${T}/auth/register`, { body });
    const code = await mailCode(t, body.email);
    const rows = await t.store.db.selectFrom("verification_codes").selectAll().where("account_id", "=", reg.json.account.id).execute();
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.code_hash).not.toContain(code);
    const outbox = await t.store.db.selectFrom("outbox").selectAll().where("account_id", "=", reg.json.account.id).execute();
    expect(outbox.every((m) => m.status === "sent" && m.payload === null)).toBe(true);
  });

  it("rejects wrong codes, locks after five attempts, and expires after 15 minutes", async () => {
    const body = person();
    const { json } = await call(t, "POST", `${T}/auth/register`, { body });
    const code = await mailCode(t, body.email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++) {
      const r = await call(t, "POST", `${T}/auth/verify-email`, { token: json.token, body: { code: wrong } });
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe("invalid_code");
    }
    const fifth = await call(t, "POST", `${T}/auth/verify-email`, { token: json.token, body: { code: wrong } });
    expect(fifth.json.error.code).toBe("code_expired");
    const right = await call(t, "POST", `${T}/auth/verify-email`, { token: json.token, body: { code } });
    expect(right.json.error.code).toBe("code_expired");

    const sms = await smsCode(t, e164(body.mobile));
    t.clock.advance(15 * 60_000 + 1);
    const late = await call(t, "POST", `${T}/auth/verify-mobile`, { token: json.token, body: { code: sms } });
    expect(late.json.error.code).toBe("code_expired");
    expect(late.json.error.messages.de).toMatch(/neuen Code/);
  });

  it("re-sends a code with a throttle, and the new code replaces the old", async () => {
    const body = person();
    const { json } = await call(t, "POST", `${T}/auth/register`, { body });
    const first = await mailCode(t, body.email);
    const tooSoon = await call(t, "POST", `${T}/auth/resend`, { token: json.token, body: { channel: "email" } });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get("retry-after"))).toBeGreaterThan(0);
    t.clock.advance(61_000);
    expect((await call(t, "POST", `${T}/auth/resend`, { token: json.token, body: { channel: "email" } })).status).toBe(202);
    const second = await mailCode(t, body.email);
    if (first !== second) {
      expect((await call(t, "POST", `${T}/auth/verify-email`, { token: json.token, body: { code: first } })).json.error.code).toBe("invalid_code");
    }
    expect((await call(t, "POST", `${T}/auth/verify-email`, { token: json.token, body: { code: second } })).status).toBe(200);
  });
});

describe("login and sessions", () => {
  it("logs in, keeps only the token's hash, and logs out", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const login = await call(t, "POST", `${T}/auth/login`, { body: { email: a.email.toUpperCase(), password: a.password } });
    expect(login.status).toBe(200);
    expectAccountAnswer(login, true);
    expect(login.json.account).toMatchObject({ id: a.account.id, email: a.email, emailVerified: true, mobileVerified: true });
    const stored = await t.store.db.selectFrom("sessions").select("id").where("account_id", "=", a.account.id).execute();
    expect(stored.map((s) => s.id)).not.toContain(login.json.token);
    expect((await call(t, "GET", `${T}/me`, { token: login.json.token })).status).toBe(200);
    expect((await call(t, "POST", `${T}/auth/logout`, { token: login.json.token })).status).toBe(204);
    expect((await call(t, "GET", `${T}/me`, { token: login.json.token })).status).toBe(401);
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(200);
  });

  it("ends every session with logout-all", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const second = (await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } })).json.token;
    expect((await call(t, "POST", `${T}/auth/logout-all`, { token: a.token })).status).toBe(204);
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(401);
    expect((await call(t, "GET", `${T}/me`, { token: second })).status).toBe(401);
  });

  it("slides the 30-day expiry while in use and ends unused sessions", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    t.clock.advance(20 * 24 * 3600_000);
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(200);
    t.clock.advance(20 * 24 * 3600_000);
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(200);
    t.clock.advance(31 * 24 * 3600_000);
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(401);
  });

  it("answers a wrong password and an unknown address identically", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const wrong = await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: "falsches-passwort-123" } });
    const unknown = await call(t, "POST", `${T}/auth/login`, { body: { email: uniqueEmail("niemand"), password: "falsches-passwort-123" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
  });

  it("rejects missing, malformed and made-up tokens", async () => {
    for (const header of [undefined, "Bearer", "Basic abc", "Bearer abcdefghijklmnopqrstuvwxyz234567", `Bearer ${"a".repeat(500)}`]) {
      const res = await t.app.request(`${T}/me`, { headers: header ? { Authorization: header } : {} });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
  });
});

describe("no enumeration", () => {
  it("answers registration with a taken address exactly like a new one, and warns the owner instead of sending a code", async () => {
    const owner = await verifiedAccount(t, "tangerhuette");
    const again = await call(t, "POST", `${T}/auth/register`, { body: person({ email: owner.email }) });
    const fresh = await call(t, "POST", `${T}/auth/register`, { body: person() });
    expect(again.status).toBe(fresh.status);
    const shape = (j: any) => JSON.stringify(j, (_k, v) => (typeof v === "string" ? "s" : v));
    expect(shape(again.json)).toBe(shape(fresh.json));
    await t.deliver();
    const warning = t.mails().find((m) => m.to.includes(owner.email))!;
    expect(warning.text).not.toMatch(/\b\d{6}\b/);
    expect(warning.subject).not.toBe(t.mails().find((m) => m.to.includes(fresh.json.account.email))!.subject);
    // The duplicate can never take the address over; the owner's login still works.
    const login = await call(t, "POST", `${T}/auth/login`, { body: { email: owner.email, password: owner.password } });
    expect(login.json.account.id).toBe(owner.account.id);
  });

  it("answers password reset identically for known and unknown addresses", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const known = await call(t, "POST", `${T}/auth/password-reset`, { body: { email: a.email } });
    const unknown = await call(t, "POST", `${T}/auth/password-reset`, { body: { email: uniqueEmail("niemand") } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.json).toEqual(unknown.json);
  });
});

describe("password reset", () => {
  it("resets with the mailed code, ends all other sessions, and the code works once", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    await call(t, "POST", `${T}/auth/password-reset`, { body: { email: a.email } });
    const code = await mailCode(t, a.email);
    const weak = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: a.email, code, password: "passwort123" } });
    expect(weak.json.error.fields.password.code).toBe("password_common");
    const ok = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: a.email, code, password: "Neues-Passwort-2026" } });
    expect(ok.status).toBe(200);
    expectAccountAnswer(ok, true);
    expect(ok.json.account.id).toBe(a.account.id);
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(401);
    expect((await call(t, "GET", `${T}/me`, { token: ok.json.token })).status).toBe(200);
    const reuse = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: a.email, code, password: "Noch-ein-Passwort-1" } });
    expect(reuse.status).toBe(400);
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } })).status).toBe(401);
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: "Neues-Passwort-2026" } })).status).toBe(200);
  });

  it("expires reset codes after one hour", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    await call(t, "POST", `${T}/auth/password-reset`, { body: { email: a.email } });
    const code = await mailCode(t, a.email);
    t.clock.advance(60 * 60_000 + 1);
    const res = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: a.email, code, password: "Neues-Passwort-2026" } });
    expect(res.json.error.code).toBe("reset_code_invalid");
  });

  it("fails a wrong code for an unknown address exactly like one for a known address", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const nobody = uniqueEmail("niemand");
    for (const email of [a.email, nobody]) await call(t, "POST", `${T}/auth/password-reset`, { body: { email } });
    for (let i = 0; i < 6; i++) {
      const known = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: a.email, code: "000000", password: "Neues-Passwort-2026" } });
      const unknown = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: nobody, code: "000000", password: "Neues-Passwort-2026" } });
      expect(known.status).toBe(unknown.status);
      expect(known.json).toEqual(unknown.json);
    }
  });
});

describe("changing e-mail and mobile", () => {
  it("needs the password, and the new address must be verified again; the old one is told", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const newEmail = uniqueEmail("neu");
    const noPassword = await call(t, "PATCH", `${T}/me`, { token: a.token, body: { email: newEmail } });
    expect(noPassword.json.error.fields.currentPassword.code).toBe("wrong_password");
    const res = await call(t, "PATCH", `${T}/me`, { token: a.token, body: { email: newEmail, currentPassword: a.password, name: "Erika Neumann" } });
    expect(res.status).toBe(200);
    expectAccountAnswer(res, false);
    expect(res.json.account).toMatchObject({ email: newEmail, emailVerified: false, mobileVerified: true, name: "Erika Neumann" });
    await t.deliver();
    expect(t.mails().find((m) => m.to.includes(a.email))!.text).toContain(newEmail);
    const code = await mailCode(t, newEmail);
    expect((await call(t, "POST", `${T}/auth/verify-email`, { token: a.token, body: { code } })).json.account.emailVerified).toBe(true);

    const mobile = await call(t, "PATCH", `${T}/me`, { token: a.token, body: { mobile: "+49 160 1234567", currentPassword: a.password } });
    expect(mobile.json.account).toMatchObject({ mobile: "+491601234567", mobileVerified: false });
    const sms = await smsCode(t, "+491601234567");
    expect((await call(t, "POST", `${T}/auth/verify-mobile`, { token: a.token, body: { code: sms } })).json.account.mobileVerified).toBe(true);
  });
});

describe("changing to an address that is taken", () => {
  it("looks like any other change, warns the owner, and can never be verified", async () => {
    const owner = await verifiedAccount(t, "tangerhuette");
    const other = await verifiedAccount(t, "tangerhuette");
    const res = await call(t, "PATCH", `${T}/me`, { token: other.token, body: { email: owner.email, currentPassword: other.password } });
    expect(res.status).toBe(200);
    expect(res.json.account).toMatchObject({ email: owner.email, emailVerified: false });
    await t.deliver();
    const warning = t.mails().find((m) => m.to.includes(owner.email))!;
    expect(warning.text).not.toMatch(/\b\d{6}\b/);
    const login = await call(t, "POST", `${T}/auth/login`, { body: { email: owner.email, password: owner.password } });
    expect(login.json.account.id).toBe(owner.account.id);
  });

  it("limits how often e-mail and mobile can be changed, since each change sends a code", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await call(t, "PATCH", `${T}/me`, { token: a.token, body: { email: uniqueEmail(), currentPassword: a.password } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe("DSGVO", () => {
  it("exports everything stored about the account, without secrets", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const res = await call(t, "GET", `${T}/me/export`, { token: a.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment/);
    expect(Object.keys(res.json.account).sort()).toEqual(publicAccountKeys);
    expect(res.json.account.email).toBe(a.email);
    expect(res.json.consent.privacyPolicyVersion).toBe("2026-11-01");
    expect(res.json.sessions.some((s: { current: boolean }) => s.current)).toBe(true);
    expect(res.json.messages.map((m: { kind: string }) => m.kind)).toEqual(expect.arrayContaining(["verify_email", "verify_mobile"]));
    expect(res.text).not.toContain("$argon2");
    expect(res.text).not.toContain(a.token);
  });

  it("deletes the account with the password, ends its sessions and confirms by e-mail", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const wrong = await call(t, "DELETE", `${T}/me`, { token: a.token, body: { password: "nicht-mein-passwort" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.fields.password.code).toBe("wrong_password");
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(200);
    expect((await call(t, "DELETE", `${T}/me`, { token: a.token, body: { password: a.password } })).status).toBe(204);
    expect((await call(t, "GET", `${T}/me`, { token: a.token })).status).toBe(401);
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } })).status).toBe(401);
    for (const table of ["accounts", "sessions", "verification_codes"] as const) {
      const col = table === "accounts" ? "id" : "account_id";
      const rows = await t.store.db.selectFrom(table).select(col as "id").where(col as "id", "=", a.account.id).execute();
      expect(rows, table).toHaveLength(0);
    }
    await t.deliver();
    const confirmation = t.mails().find((m) => m.to.includes(a.email))!;
    expect(confirmation.subject).toMatch(/gelöscht|deleted/i);
  });
});
