import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, call, e164, mailCode, person, smsCode, uniqueEmail, verifiedAccount } from "./flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const T = api("tangerhuette");
const from = (ip: string) => ({ "X-Test-IP": ip });

/** Tests with some thirty argon2 operations: pure-JS argon2 in workerd needs the room on a busy machine. */
const slow = 90_000;

/** `n` six-digit codes that are all different from `right`. */
const wrongCodes = (right: string, n: number) => Array.from({ length: n }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0"));

async function attemptsOf(accountId: string, purpose: "email" | "mobile" | "password_reset") {
  const row = await t.store.db.selectFrom("verification_codes").select("attempts").where("account_id", "=", accountId).where("purpose", "=", purpose).executeTakeFirst();
  return row?.attempts;
}

type Answer = Awaited<ReturnType<typeof call>>;

const counts = (results: ReadonlyArray<Answer>) => {
  const by: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 200 ? "200" : `${r.status} ${r.json?.error?.code}`;
    by[key] = (by[key] ?? 0) + 1;
  }
  return by;
};

describe("code attempts under concurrency", () => {
  // 14 guesses + the right code stay within codePerAccount (15 per 15 minutes), and each request
  // comes from its own address: only the five attempts of the code itself may stop them.
  it("counts parallel wrong e-mail codes atomically: five attempts, then even the right code is refused", async () => {
    const body = person();
    const reg = await call(t, "POST", `${T}/auth/register`, { body });
    const code = await mailCode(t, body.email);
    const results = await Promise.all(wrongCodes(code, 14).map((c) => call(t, "POST", `${T}/auth/verify-email`, { token: reg.json.token, body: { code: c } })));
    expect(results.every((r) => r.status === 400), JSON.stringify(counts(results))).toBe(true);
    expect(await attemptsOf(reg.json.account.id, "email")).toBe(5);
    expect(results.filter((r) => r.json.error.code === "invalid_code")).toHaveLength(4);
    const right = await call(t, "POST", `${T}/auth/verify-email`, { token: reg.json.token, body: { code } });
    expect(right.status).toBe(400);
    expect(right.json.error.code).toBe("code_expired");
    expect((await call(t, "GET", `${T}/me`, { token: reg.json.token })).json.account.emailVerified).toBe(false);
  });

  it("evaluates at most five of many parallel guesses, the right one among them", async () => {
    const body = person();
    const reg = await call(t, "POST", `${T}/auth/register`, { body });
    const code = await smsCode(t, e164(body.mobile));
    const guesses = wrongCodes(code, 14);
    guesses.splice(7, 0, code);
    const results = await Promise.all(guesses.map((c) => call(t, "POST", `${T}/auth/verify-mobile`, { token: reg.json.token, body: { code: c } })));
    const by = counts(results);
    expect(Object.keys(by).every((k) => ["200", "400 invalid_code", "400 code_expired"].includes(k)), JSON.stringify(by)).toBe(true);
    // Compared against the code (and so answered "wrong" or accepted): never more than five.
    expect((by["200"] ?? 0) + (by["400 invalid_code"] ?? 0), JSON.stringify(by)).toBeLessThanOrEqual(5);
    if (!by["200"]) expect(await attemptsOf(reg.json.account.id, "mobile")).toBe(5);
  });

  it("counts parallel wrong reset codes atomically, so the right code after them is refused", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    await call(t, "POST", `${T}/auth/password-reset`, { body: { email: a.email } });
    const code = await mailCode(t, a.email);
    const confirm = (c: string) => call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: a.email, code: c, password: "Neues-Passwort-2026" } });
    const results = await Promise.all(wrongCodes(code, 14).map(confirm));
    expect(results.every((r) => r.status === 400 && r.json.error.code === "reset_code_invalid"), JSON.stringify(counts(results))).toBe(true);
    expect(await attemptsOf(a.account.id, "password_reset")).toBe(5);
    const right = await confirm(code);
    expect(right.status).toBe(400);
    expect(right.json.error.code).toBe("reset_code_invalid");
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } })).status).toBe(200);
  });

  it("spends a guess on an unknown address without touching anyone's code", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    await call(t, "POST", `${T}/auth/password-reset`, { body: { email: a.email } });
    const code = await mailCode(t, a.email);
    const nobody = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: uniqueEmail("niemand"), code, password: "Neues-Passwort-2026" } });
    expect(nobody.status).toBe(400);
    expect(nobody.json.error.code).toBe("reset_code_invalid");
    expect(await attemptsOf(a.account.id, "password_reset")).toBe(0);
    expect((await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: a.email, code, password: "Neues-Passwort-2026" } })).status).toBe(200);
  });
});

describe("password checks of signed-in routes", () => {
  const routes: Array<[string, string, (password: string) => unknown, string]> = [
    ["POST", "/me/password", (p) => ({ currentPassword: p, newPassword: "Ein-ganz-neues-Passwort-1" }), "currentPassword"],
    ["PATCH", "/me", (p) => ({ email: uniqueEmail("neu"), currentPassword: p }), "currentPassword"],
    ["DELETE", "/me", (p) => ({ password: p }), "password"],
  ];

  for (const [method, path, bodyWith, field] of routes) {
    it(`${method} ${path}: ten wrong passwords, then 429 with Retry-After even for the right one`, async () => {
      const reg = await call(t, "POST", `${T}/auth/register`, { body: person() });
      const { token } = reg.json;
      for (let i = 0; i < 10; i++) {
        const r = await call(t, method, `${T}${path}`, { token, body: bodyWith(`falsches-passwort-${i}`) });
        expect(r.status, `attempt ${i + 1}`).toBe(400);
        expect(r.json.error.fields[field].code).toBe("wrong_password");
      }
      const blocked = await call(t, method, `${T}${path}`, { token, body: bodyWith(person().password) });
      expect(blocked.status).toBe(429);
      expect(blocked.json.error.code).toBe("rate_limited");
      const retry = Number(blocked.headers.get("retry-after"));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      // Nothing happened to the account.
      expect((await call(t, "GET", `${T}/me`, { token })).json.account.email).toBe(reg.json.account.email);
      t.clock.advance(retry * 1000);
      const ok = await call(t, method, `${T}${path}`, { token, body: bodyWith(person().password) });
      expect([200, 204]).toContain(ok.status);
    });
  }

  it("limits wrong passwords per IP address across accounts", async () => {
    const ip = "203.0.113.51";
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) tokens.push((await call(t, "POST", `${T}/auth/register`, { body: person() })).json.token);
    for (let i = 0; i < 30; i++) {
      const r = await call(t, "DELETE", `${T}/me`, { token: tokens[i % 3]!, headers: from(ip), body: { password: "falsches-passwort" } });
      expect(r.status, `attempt ${i + 1}`).toBe(400);
    }
    const blocked = await call(t, "DELETE", `${T}/me`, { token: tokens[3]!, headers: from(ip), body: { password: person().password } });
    expect(blocked.status).toBe(429);
    expect((await call(t, "DELETE", `${T}/me`, { token: tokens[3]!, headers: from("203.0.113.52"), body: { password: person().password } })).status).toBe(204);
  }, slow);

  it("does not count right passwords", async () => {
    const reg = await call(t, "POST", `${T}/auth/register`, { body: person() });
    const passwords = ["Lindenallee-17-Tanger", "Ein-ganz-neues-Passwort-1"];
    for (let i = 0; i < 12; i++) {
      const r = await call(t, "POST", `${T}/me/password`, { token: reg.json.token, body: { currentPassword: passwords[i % 2], newPassword: passwords[(i + 1) % 2] } });
      expect(r.status, `change ${i + 1}`).toBe(204);
    }
  }, slow);

  it("holds the limit against parallel guesses", async () => {
    const reg = await call(t, "POST", `${T}/auth/register`, { body: person() });
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => call(t, "DELETE", `${T}/me`, { token: reg.json.token, body: { password: `falsch-${i}-falsch` } })));
    const by = counts(results);
    expect(by["400 validation_failed"], JSON.stringify(by)).toBe(10);
    expect(by["429 rate_limited"], JSON.stringify(by)).toBe(5);
  });
});

describe("login limits count failures only", () => {
  it("lets an account log in fifteen times in a row, then locks it after ten wrong passwords", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    for (let i = 0; i < 15; i++) {
      expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } })).status, `login ${i + 1}`).toBe(200);
    }
    for (let i = 0; i < 10; i++) {
      expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: "falsch-falsch-falsch" } })).status, `wrong ${i + 1}`).toBe(401);
    }
    const blocked = await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  }, slow);

  it("does not count successful logins from one IP address either", async () => {
    const ip = "203.0.113.61";
    const a = await verifiedAccount(t, "tangerhuette");
    for (let i = 0; i < 31; i++) {
      expect((await call(t, "POST", `${T}/auth/login`, { headers: from(ip), body: { email: a.email, password: a.password } })).status, `login ${i + 1}`).toBe(200);
    }
  }, slow);

  it("holds the per-account limit against parallel guesses", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    const results = await Promise.all(Array.from({ length: 15 }, () => call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: "falsch-falsch-falsch" } })));
    const by = counts(results);
    expect(by["401 invalid_credentials"], JSON.stringify(by)).toBe(10);
    expect(by["429 rate_limited"], JSON.stringify(by)).toBe(5);
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } })).status).toBe(429);
  });
});

describe("e-mail addresses a mail server would refuse", () => {
  const local64 = `${"a".repeat(60)}${Math.random().toString(36).slice(2).padEnd(4, "0").slice(0, 4)}`;
  const domain189 = `${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.de`;
  const tooLongLocal = `x${local64}@example.org`;
  const tooLongTotal = `${local64}@e${domain189}`;

  it("accepts exactly 64 characters before the @ and 254 in all", async () => {
    expect(local64).toHaveLength(64);
    expect(`${local64}@${domain189}`).toHaveLength(254);
    expect((await call(t, "POST", `${T}/auth/register`, { body: person({ email: `${local64}@${domain189}` }) })).status).toBe(201);
  });

  it("refuses longer ones as invalid_email on every route that takes an address", async () => {
    const a = await call(t, "POST", `${T}/auth/register`, { body: person() });
    for (const email of [tooLongLocal, tooLongTotal]) {
      const attempts = [
        call(t, "POST", `${T}/auth/register`, { body: person({ email }) }),
        call(t, "POST", `${T}/auth/login`, { body: { email, password: "irgendein-passwort" } }),
        call(t, "POST", `${T}/auth/password-reset`, { body: { email } }),
        call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email, code: "123456", password: "Neues-Passwort-2026" } }),
        call(t, "PATCH", `${T}/me`, { token: a.json.token, body: { email, currentPassword: "Lindenallee-17-Tanger" } }),
      ];
      for (const r of await Promise.all(attempts)) {
        expect(r.status, email).toBe(400);
        expect(r.json.error.code).toBe("validation_failed");
        expect(r.json.error.fields.email.code).toBe("invalid_email");
      }
    }
  });
});

describe("two accounts confirming one address", () => {
  async function twoWithOneAddress() {
    const email = uniqueEmail("geteilt");
    const a = await call(t, "POST", `${T}/auth/register`, { body: person({ email }) });
    const codeA = await mailCode(t, email);
    const b = await call(t, "POST", `${T}/auth/register`, { body: person({ email }) });
    const codeB = await mailCode(t, email);
    return { email, a: { token: a.json.token as string, code: codeA, id: a.json.account.id as string }, b: { token: b.json.token as string, code: codeB } };
  }
  const verifiedWith = async (email: string) =>
    (await t.store.db.selectFrom("accounts").select("id").where("email", "=", email).where("email_verified_at", "is not", null).execute()).map((r) => r.id);

  it("lets exactly one of two simultaneous confirmations win; the other gets 409 email_in_use", async () => {
    const { email, a, b } = await twoWithOneAddress();
    const results = await Promise.all([a, b].map((x) => call(t, "POST", `${T}/auth/verify-email`, { token: x.token, body: { code: x.code } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.json.error.code).toBe("email_in_use");
    expect(await verifiedWith(email)).toHaveLength(1);
  });

  it("answers 409 to the second of two confirmations in a row", async () => {
    const { email, a, b } = await twoWithOneAddress();
    expect((await call(t, "POST", `${T}/auth/verify-email`, { token: a.token, body: { code: a.code } })).status).toBe(200);
    const second = await call(t, "POST", `${T}/auth/verify-email`, { token: b.token, body: { code: b.code } });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe("email_in_use");
    expect(await verifiedWith(email)).toEqual([a.id]);
  });

  it("does not let a password reset confirm an address another account verified meanwhile", async () => {
    const { email, a, b } = await twoWithOneAddress();
    // The reset goes to the first registration, a.
    await call(t, "POST", `${T}/auth/password-reset`, { body: { email } });
    const resetCode = await mailCode(t, email);
    const [reset, verify] = await Promise.all([
      call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email, code: resetCode, password: "Neues-Passwort-2026" } }),
      call(t, "POST", `${T}/auth/verify-email`, { token: b.token, body: { code: b.code } }),
    ]);
    expect(reset.status).toBe(200);
    expect([200, 409]).toContain(verify.status);
    const verified = await verifiedWith(email);
    expect(verified).toHaveLength(1);
    expect(reset.json.account.emailVerified).toBe(verified[0] === a.id);
  });
});

describe("codes prove only the address they were sent to", () => {
  it("resets the password with a code sent to the old address, but does not confirm the new one with it", async () => {
    const body = person();
    const reg = await call(t, "POST", `${T}/auth/register`, { body });
    await t.deliver();
    await call(t, "POST", `${T}/auth/password-reset`, { body: { email: body.email } });
    const code = await mailCode(t, body.email);
    const newEmail = uniqueEmail("neu");
    expect((await call(t, "PATCH", `${T}/me`, { token: reg.json.token, body: { email: newEmail, currentPassword: body.password } })).status).toBe(200);
    const reset = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: newEmail, code, password: "Neues-Passwort-2026" } });
    expect(reset.status).toBe(200);
    expect(reset.json.account).toMatchObject({ email: newEmail, emailVerified: false });
  });

  it("confirms the address with a reset code when nobody else holds it", async () => {
    const body = person();
    await call(t, "POST", `${T}/auth/register`, { body });
    await t.deliver();
    await call(t, "POST", `${T}/auth/password-reset`, { body: { email: body.email } });
    const reset = await call(t, "POST", `${T}/auth/password-reset/confirm`, { body: { email: body.email, code: await mailCode(t, body.email), password: "Neues-Passwort-2026" } });
    expect(reset.status).toBe(200);
    expect(reset.json.account).toMatchObject({ email: body.email, emailVerified: true, mobileVerified: false });
  });
});

describe("service switches", () => {
  /**
   * A town of its own with only `services` on, written before every request: the registry reads
   * the database each time in tests, and another suite's tenant sync may deactivate it meanwhile.
   */
  async function townWith(services: string[]) {
    const slug = `aus-${Math.random().toString(36).slice(2, 10)}`;
    const base = await t.store.db.selectFrom("tenants").selectAll().where("slug", "=", "tangerhuette").executeTakeFirstOrThrow();
    const config = JSON.stringify({ ...JSON.parse(base.config), slug, services });
    const id = `t_${slug}`;
    const ensure = () =>
      t.store.db
        .insertInto("tenants")
        .values({ ...base, id, slug, config, config_hash: `test-${slug}` })
        .onConflict((oc) => oc.column("slug").doUpdateSet({ active: 1, config }))
        .execute();
    return {
      async call(method: string, path: string, opts: Parameters<typeof call>[3] = {}) {
        await ensure();
        return call(t, method, `${api(slug)}${path}`, opts);
      },
    };
  }

  const accountRoutes: Array<[string, string, unknown?]> = [
    ["POST", "/auth/register", person()],
    ["POST", "/auth/login", { email: uniqueEmail(), password: "irgendein-passwort" }],
    ["POST", "/auth/password-reset", { email: uniqueEmail() }],
    ["POST", "/auth/verify-email", { code: "123456" }],
    ["GET", "/me"],
    ["PATCH", "/me", { name: "X" }],
    ["GET", "/me/export"],
    ["POST", "/me/password", { currentPassword: "x", newPassword: "Ein-neues-Passwort-1" }],
    ["DELETE", "/me", { password: "irgendwas-langes" }],
  ];
  const newsRoutes: Array<[string, string, unknown?]> = [
    ["GET", "/me/subscriptions"],
    ["PUT", "/me/subscriptions", { topics: [], smsAlerts: false }],
    ["GET", "/unsubscribe/abc"],
    ["POST", "/unsubscribe/abc"],
  ];

  const expectNotFound = (r: Answer, what: string) => {
    expect(r.status, what).toBe(404);
    expect(r.json?.error?.code, what).toBe("not_found");
  };

  it("answers 404 on every account and subscription route of a town without those services", async () => {
    const town = await townWith([]);
    for (const [method, path, body] of [...accountRoutes, ...newsRoutes]) {
      expectNotFound(await town.call(method, path, { headers: { Accept: "application/json" }, ...(body ? { body } : {}) }), `${method} ${path}`);
    }
    // The town itself exists.
    expect((await town.call("GET", "")).status).toBe(200);
  });

  it("switches accounts and news separately", async () => {
    const accountsOnly = await townWith(["accounts"]);
    expect((await accountsOnly.call("GET", "/me")).status).toBe(401);
    for (const [method, path, body] of newsRoutes) {
      expectNotFound(await accountsOnly.call(method, path, { headers: { Accept: "application/json" }, ...(body ? { body } : {}) }), `${method} ${path}`);
    }
    const newsOnly = await townWith(["news"]);
    for (const [method, path, body] of accountRoutes) expectNotFound(await newsOnly.call(method, path, body ? { body } : {}), `${method} ${path}`);
    // Unsubscribing from mails still works where news is on (here: an unknown token).
    const unsubscribe = await newsOnly.call("GET", "/unsubscribe/abc");
    expect(unsubscribe.status).toBe(404);
    expect(unsubscribe.headers.get("content-type")).toMatch(/text\/html/);
  });
});
