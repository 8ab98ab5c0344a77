import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { expect } from "vitest";
import { api, call } from "../api/flows.js";
import { type TestApp, testPublicUrl } from "../harness/types.js";
import { IdpBrowser } from "./idp-browser.js";

/** The widget's side of a login at the Test-Bürgerkonto, and a browser at the provider, for the API suites. */

/** The demo towns' allowed origin: where the popup posts the code. */
export const widgetOrigin = "http://localhost:8080";

export async function pkce() {
  const verifier = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = encodeBase64urlNoPadding(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

/** The whole login as the widget and a browser go through it: start, the provider's page, the choice, back to our callback. */
export async function providerLogin(t: TestApp, issuer: string, opts: { person: string; level?: string; cancel?: boolean; mode?: "popup" | "redirect"; intent?: string; slug?: string; otherBrowser?: boolean }) {
  const { verifier, challenge } = await pkce();
  const slug = opts.slug ?? "tangerhuette";
  const q = new URLSearchParams({ origin: widgetOrigin, challenge, mode: opts.mode ?? "popup", lang: "de", ...(opts.mode === "redirect" ? { return_to: `${widgetOrigin}/${slug}/seite.html#oben` } : {}), ...(opts.intent ? { intent: opts.intent } : {}) });
  const start = await t.app.request(`${api(slug)}/auth/providers/test-buergerkonto/start?${q}`);
  expect(start.status, await start.clone().text()).toBe(302);
  // The cookie that ties the login to this browser (only the answer in the same browser counts).
  const cookie = startCookie(start);
  const browser = new IdpBrowser(issuer);
  const shown = await browser.follow(new URL(start.headers.get("location")!));
  if (!("page" in shown)) throw new Error(`no login page: ${shown.leftTo.href}`);
  const html = await shown.page.text();
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)![1]!, issuer);
  const done = await browser.follow(action, { form: opts.cancel ? { action: "cancel" } : { person: opts.person, level: opts.level ?? "substantial", action: "login" } });
  if (!("leftTo" in done)) throw new Error(`stayed at the provider: ${await done.page.text()}`);
  expect(done.leftTo.origin).toBe(testPublicUrl);
  // Another browser: one with a cookie of its own from a login it started itself.
  const back = await t.app.request(done.leftTo.pathname + done.leftTo.search, { headers: { cookie: opts.otherBrowser ? `__Host-dr-login=${"B".repeat(43)}` : cookie } });
  return { back, html: await back.clone().text(), verifier };
}

/** `name=value` of the cookie a start set, to send with the provider's answer. */
export function startCookie(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  expect(set).toMatch(/^__Host-dr-login=[A-Za-z0-9_-]{43}; Max-Age=900; Path=\/; HttpOnly; Secure; SameSite=None$/);
  return set.split(";")[0]!;
}

/** The code (or failure) the popup's page posts to the widget, and the origin it posts to. */
export function posted(html: string): { code?: string; error?: string; to: string } {
  const m = /var m=(\{.*?\});if\(window\.opener\)\{window\.opener\.postMessage\(m,("[^"]+")\)/.exec(html);
  if (!m) throw new Error(`no postMessage in ${html.slice(0, 400)}`);
  return { ...(JSON.parse(m[1]!) as { code?: string; error?: string }), to: JSON.parse(m[2]!) as string };
}

export const exchange = (t: TestApp, code: string, verifier: string, slug = "tangerhuette") => call(t, "POST", `${api(slug)}/auth/providers/exchange`, { body: { code, verifier } });
