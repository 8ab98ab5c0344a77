import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";
import { api, call, person } from "./flows.js";

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  token = (await call(t, "POST", `${api("tangerhuette")}/auth/register`, { body: person() })).json.token;
});
afterAll(() => t.close());

const routes = [
  "/auth/register",
  "/auth/login",
  "/auth/verify-email",
  "/auth/verify-mobile",
  "/auth/resend",
  "/auth/password-reset",
  "/auth/password-reset/confirm",
];

/** Bodies a broken client, a bot or an attacker might send. */
const hostileBodies: string[] = [
  "",
  "{",
  "null",
  "[]",
  '"text"',
  "42",
  "true",
  '{"email": null}',
  '{"email": 12, "password": {}}',
  '{"email": ["a@b.de"], "password": ["x"]}',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"x": 1}}}',
  '{"email": "a@b.de", "password": "' + "x".repeat(5000) + '"}',
  '{"code": "12345a"}',
  '{"code": 123456}',
  '{"channel": "fax"}',
  '{"kind": "person", "name": "\\u0000", "email": "a@b.de", "mobile": "+4917", "password": "x", "acceptPrivacy": "yes"}',
  '{"email": "\\ud800@b.de", "password": "x"}',
  "\u00ff\u00fe\u0000garbage",
  '{"a":' + "[".repeat(500) + "]".repeat(500) + "}",
];

function randomBody(seed: number): string {
  const values = [null, 0, -1, 1e308, "", " ", "ä", "a@b", "+49", true, [], {}, "x".repeat(300), "0171 2345678", "123456"];
  const keys = ["email", "password", "code", "mobile", "name", "kind", "acceptPrivacy", "channel", "organisation", "extra"];
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31);
  const o: Record<string, unknown> = {};
  for (let i = next() % 6; i > 0; i--) o[keys[next() % keys.length]!] = values[next() % values.length];
  return JSON.stringify(o);
}

describe("fuzzing the account routes", () => {
  it("answers every malformed body with a 4xx error envelope, never a 500", async () => {
    const bodies = [...hostileBodies, ...Array.from({ length: 60 }, (_, i) => randomBody(i + 1))];
    for (const path of routes) {
      for (const body of bodies) {
        for (const withToken of [false, true]) {
          const res = await call(t, "POST", `${api("tangerhuette")}${path}`, { body, ...(withToken ? { token } : {}) });
          expect(res.status, `${path} ${body.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${path} ${body.slice(0, 60)}`).toBeLessThan(500);
          expect(typeof res.json?.error?.code, `${path} ${body.slice(0, 60)}`).toBe("string");
          expect(res.json.error.messages.de).toBeTruthy();
        }
      }
    }
  }, 120_000);

  it("answers wrong content types and oversized bodies with 4xx", async () => {
    const form = await t.app.request(`${api("tangerhuette")}/auth/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=a%40b.de&password=x" });
    expect(form.status).toBe(400);
    const huge = await t.app.request(`${api("tangerhuette")}/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: "a@b.de", password: "x".repeat(100_000) }) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });
});
