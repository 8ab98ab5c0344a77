import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, call, person, uniqueEmail, verifiedAccount } from "./flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const T = api("tangerhuette");
const from = (ip: string) => ({ "X-Test-IP": ip });

describe("rate limits", () => {
  it("limits logins per address: the 11th attempt in 15 minutes gets 429 with Retry-After, even with the right password", async () => {
    const a = await verifiedAccount(t, "tangerhuette");
    for (let i = 0; i < 10; i++) {
      const r = await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: "falsch-falsch-falsch" } });
      expect(r.status).toBe(401);
    }
    const blocked = await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe("rate_limited");
    const retry = Number(blocked.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    t.clock.advance(retry * 1000);
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: a.email, password: a.password } })).status).toBe(200);
  });

  it("limits logins per IP address across many accounts", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < 30; i++) {
      const r = await call(t, "POST", `${T}/auth/login`, { headers: from(ip), body: { email: uniqueEmail(), password: "irgendein-passwort" } });
      expect(r.status).toBe(401);
    }
    const r = await call(t, "POST", `${T}/auth/login`, { headers: from(ip), body: { email: uniqueEmail(), password: "irgendein-passwort" } });
    expect(r.status).toBe(429);
    // Another address is not affected.
    expect((await call(t, "POST", `${T}/auth/login`, { headers: from("203.0.113.8"), body: { email: uniqueEmail(), password: "x-y-z-123456" } })).status).toBe(401);
  });

  it("limits registrations per IP address", async () => {
    const ip = "203.0.113.20";
    for (let i = 0; i < 10; i++) expect((await call(t, "POST", `${T}/auth/register`, { headers: from(ip), body: person() })).status).toBe(201);
    const r = await call(t, "POST", `${T}/auth/register`, { headers: from(ip), body: person() });
    expect(r.status).toBe(429);
  });

  it("limits code entry per account beyond the per-code attempts", async () => {
    const { json } = await call(t, "POST", `${T}/auth/register`, { body: person() });
    let last = 0;
    for (let i = 0; i < 16; i++) {
      last = (await call(t, "POST", `${T}/auth/verify-mobile`, { token: json.token, body: { code: String(100000 + i) } })).status;
    }
    expect(last).toBe(429);
  });

  it("limits code entry per IP address across accounts", async () => {
    const ip = "203.0.113.30";
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) tokens.push((await call(t, "POST", `${T}/auth/register`, { body: person() })).json.token);
    for (let i = 0; i < 30; i++) {
      const r = await call(t, "POST", `${T}/auth/verify-email`, { token: tokens[i % 3]!, headers: from(ip), body: { code: String(200000 + i) } });
      expect(r.status, `attempt ${i + 1}`).toBe(400);
    }
    const blocked = await call(t, "POST", `${T}/auth/verify-email`, { token: tokens[3]!, headers: from(ip), body: { code: "123456" } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("limits password-reset requests per address, known or not, and per IP address", async () => {
    const known = await verifiedAccount(t, "tangerhuette");
    for (const email of [known.email, uniqueEmail("niemand")]) {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(t, "POST", `${T}/auth/password-reset`, { body: { email } })).status);
      expect(statuses, email).toEqual([202, 202, 202, 429]);
    }
    const ip = "203.0.113.31";
    for (let i = 0; i < 10; i++) expect((await call(t, "POST", `${T}/auth/password-reset`, { headers: from(ip), body: { email: uniqueEmail() } })).status).toBe(202);
    expect((await call(t, "POST", `${T}/auth/password-reset`, { headers: from(ip), body: { email: uniqueEmail() } })).status).toBe(429);
  });

  it("limits re-sending codes: once a minute, five times an hour", async () => {
    const { json } = await call(t, "POST", `${T}/auth/register`, { body: person() });
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      t.clock.advance(61_000);
      statuses.push((await call(t, "POST", `${T}/auth/resend`, { token: json.token, body: { channel: i % 2 ? "email" : "mobile" } })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it("counts limits per town: a blocked address in one town can still log in to another", async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 11; i++) await call(t, "POST", `${T}/auth/login`, { body: { email, password: "falsch-falsch-falsch" } });
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email, password: "falsch-falsch-falsch" } })).status).toBe(429);
    expect((await call(t, "POST", `${api("musterstadt")}/auth/login`, { body: { email, password: "falsch-falsch-falsch" } })).status).toBe(401);
  });
});
