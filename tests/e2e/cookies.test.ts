/**
 * Requirement 2: the widget needs no cookies. The demo page (http://localhost:<port>) and the API
 * (http://127.0.0.1:<port>) are different sites, so the API is third-party; third-party cookies
 * are blocked (and the test proves they are); the session lives in the page's localStorage,
 * survives a reload, and logout or a 401 removes it.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, newPage, panelText, waitForFocus, waitForWidget } from "./browser.js";
import { type E2eServer, apiCall, codeIn, newCitizen, startE2eServer, waitForMail, waitForSms } from "./server.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

let server: E2eServer;
let browser: Browser;
let probe: Server;
let probeUrl: string;
const citizen = newCitizen();

beforeAll(async () => {
  server = await startE2eServer({ apiHost: "127.0.0.1" });
  browser = await launch();
  // A page on http://localhost:P/ (no CSP) calling http://127.0.0.1:P/set, another site, which
  // tries to set a cookie: proves that this browser refuses third-party cookies.
  probe = createServer((req, res) => {
    if (req.url === "/") {
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      return res.end("<!doctype html><title>probe</title><p>probe</p>");
    }
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
    res.setHeader("Access-Control-Allow-Credentials", "true");
    if (req.url === "/set") res.setHeader("Set-Cookie", "probe=1; SameSite=None; Secure; Path=/");
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
  });
  await new Promise<void>((ok) => probe.listen(0, ok));
  probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;

  const reg = await apiCall<{ token: string; account: { mobile: string } }>(server.api, "tangerhuette", "POST", "auth/register", { kind: "person", ...citizen, acceptPrivacy: true });
  expect(reg.status).toBe(201);
  const mail = await waitForMail(server.api, (m) => m.to.includes(citizen.email));
  await apiCall(server.api, "tangerhuette", "POST", "auth/verify-email", { code: codeIn(mail.text) }, reg.json.token);
  const sms = await waitForSms(server.api, (s) => s.to === reg.json.account.mobile);
  await apiCall(server.api, "tangerhuette", "POST", "auth/verify-mobile", { code: codeIn(sms.text) }, reg.json.token);
}, HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  probe?.close();
}, HOOK_MS);

/** A context whose third-party cookies are blocked, explicitly (CDP) on top of Chromium's default for new contexts. */
async function blockedContext(): Promise<{ context: BrowserContext; page: Page; blocked: string[][]; problems: Awaited<ReturnType<typeof newPage>>["problems"] }> {
  const { context, page, problems } = await newPage(browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCookieControls", { enableThirdPartyCookieRestriction: true });
  const blocked: string[][] = [];
  cdp.on("Network.responseReceivedExtraInfo", (e) => {
    for (const c of e.blockedCookies) blocked.push(c.blockedReasons);
  });
  return { context, page, blocked, problems };
}

const key = () => `digitales-rathaus:${server.api}:tangerhuette`;

describe("with third-party cookies blocked", () => {
  it("the browser really refuses third-party cookies here", async () => {
    const { context, page, blocked } = await blockedContext();
    await page.goto(probeUrl.replace("127.0.0.1", "localhost") + "/");
    const echo = await page.evaluate(async (url) => {
      await fetch(`${url}/set`, { credentials: "include" });
      return (await (await fetch(`${url}/check`, { credentials: "include" })).json()) as { cookie: string | null };
    }, probeUrl);
    expect(echo.cookie).toBeNull();
    expect(blocked.flat()).toContainEqual(expect.stringMatching(/UserPreferences|ThirdParty/));
    await context.close();
  }, TEST_MS);

  it("logs in, keeps the session across a reload in localStorage, and logs out, without any cookie", async () => {
    const { context, page, problems } = await blockedContext();
    const apiTraffic: { url: string; cookie: string | undefined; setCookie: string | null; auth: boolean }[] = [];
    page.on("response", async (res) => {
      if (!res.url().startsWith(server.api + "/api/")) return;
      const headers = await res.request().allHeaders();
      apiTraffic.push({ url: res.url(), cookie: headers.cookie, setCookie: await res.headerValue("set-cookie"), auth: "authorization" in headers });
    });

    await page.goto(`${server.demo}/tangerhuette/`);
    await waitForWidget(page);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    await page.evaluate(() => window.DigitalesRathaus?.open("login"));
    await waitForFocus(page, /^H3 Anmelden$/);
    const login = page.locator("digitales-rathaus dr-login-view");
    await login.locator("#email").fill(citizen.email);
    await login.locator("#password").fill(citizen.password);
    await login.locator("#password").press("Enter");
    await waitForFocus(page, /^H3 Mein Konto$/);
    await expect.poll(() => panelText(page)).toContain(citizen.email);
    expect(await page.evaluate((k) => localStorage.getItem(k), key())).toMatch(/\S{20,}/);

    // Reload: the visitor is still logged in.
    await page.reload();
    await waitForWidget(page);
    await page.evaluate(() => window.DigitalesRathaus?.open("account"));
    await waitForFocus(page, /^H3 Mein Konto$/);
    await expect.poll(() => panelText(page)).toContain(citizen.email);

    // Log out: the token is gone, and after another reload the account asks for a login.
    await page.locator("digitales-rathaus dr-account-view button", { hasText: "Abmelden" }).click();
    await waitForFocus(page, /^H3 Anmelden$/);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.reload();
    await waitForWidget(page);
    await page.evaluate(() => window.DigitalesRathaus?.open("account"));
    await waitForFocus(page, /^H3 Anmelden$/);

    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    expect(apiTraffic.length).toBeGreaterThan(3);
    expect(apiTraffic.filter((t) => t.cookie !== undefined || t.setCookie !== null)).toEqual([]);
    expect(apiTraffic.filter((t) => t.url.endsWith("/me")).every((t) => t.auth)).toBe(true);
    expect(problems).toEqual({ errors: [], csp: [], console: [] });
    await context.close();
  }, TEST_MS);

  it("a 401 (expired or revoked session) forgets the token and shows the login with the reason", async () => {
    const { context, page } = await blockedContext();
    await page.goto(`${server.demo}/tangerhuette/`);
    await page.evaluate((k) => localStorage.setItem(k, "revoked-or-expired-token-000000000000"), key());
    await page.reload();
    await waitForWidget(page);
    await page.evaluate(() => window.DigitalesRathaus?.open("account"));
    await waitForFocus(page, /^H3 Anmelden$/);
    await expect.poll(() => panelText(page)).toContain("Bitte melden Sie sich an. Ihre Sitzung ist abgelaufen oder ungültig.");
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await context.close();
  }, TEST_MS);
});
