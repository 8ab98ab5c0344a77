import { expect } from "vitest";
import type { TestApp } from "../harness/types.js";

export const demoOrigin = "http://localhost:8080";

let counter = 0;
/** A unique address per call, so suites sharing one D1 never collide. */
export function uniqueEmail(prefix = "buerger") {
  return `${prefix}.${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;
}

/** German mobile numbers as people type them: "0171 2345678". */
export function uniqueMobile() {
  return `0171 ${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;
}

export const e164 = (mobile: string) => `+49${mobile.replace(/\s/g, "").slice(1)}`;

export function person(overrides: Record<string, unknown> = {}) {
  return {
    kind: "person",
    name: "Erika Mustermann",
    email: uniqueEmail(),
    mobile: uniqueMobile(),
    password: "Lindenallee-17-Tanger",
    acceptPrivacy: true,
    ...overrides,
  };
}

export async function call(t: Pick<TestApp, "app">, method: string, path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const res = await t.app.request(path, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export const api = (slug: string) => `/api/v1/tenants/${slug}`;

/** The six-digit code in the newest delivered mail to `email`. */
export async function mailCode(t: TestApp, email: string) {
  await t.deliver();
  const mail = t.mails().find((m) => m.to.includes(email));
  expect(mail, `a mail to ${email}`).toBeDefined();
  const code = /\b(\d{6})\b/.exec(mail!.text)?.[1];
  expect(code).toBeDefined();
  return code!;
}

export async function smsCode(t: TestApp, mobile: string) {
  await t.deliver();
  const sms = t.sms().find((s) => s.to === mobile);
  expect(sms, `an SMS to ${mobile}`).toBeDefined();
  return /\b(\d{6})\b/.exec(sms!.text)![1]!;
}

/** Registers and verifies both channels, as every service that acts for an account requires. */
export async function verifiedAccount(t: TestApp, slug: string, overrides: Record<string, unknown> = {}) {
  const body = person(overrides);
  const reg = await call(t, "POST", `${api(slug)}/auth/register`, { body });
  expect(reg.status).toBe(201);
  const token = reg.json.token as string;
  expect((await call(t, "POST", `${api(slug)}/auth/verify-email`, { token, body: { code: await mailCode(t, body.email) } })).status).toBe(200);
  expect((await call(t, "POST", `${api(slug)}/auth/verify-mobile`, { token, body: { code: await smsCode(t, reg.json.account.mobile) } })).status).toBe(200);
  return { token, email: body.email, password: body.password, account: reg.json.account };
}
