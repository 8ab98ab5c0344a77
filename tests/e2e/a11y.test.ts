/**
 * Requirement 3: axe-core (WCAG 2.0/2.1 A + AA) finds nothing on any view of the widget, in the
 * light and the dark theme, including forms that show errors. Requirement 7: the README's
 * screenshot of the demo town page with the open panel.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../node/process.js";
import { axe, describeViolations, launch, newPage, panelText, waitForFocus, waitForWidget } from "./browser.js";
import { type E2eServer, apiCall, codeIn, newCitizen, publishNews, startE2eServer, waitForMail, waitForSms } from "./server.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

let server: E2eServer;
let browser: Browser;
let newsId: string;
const unverified = newCitizen();
const verified = newCitizen();
const tokens: Record<string, string> = {};

async function register(c: ReturnType<typeof newCitizen>, verify: boolean) {
  const reg = await apiCall<{ token: string; account: { mobile: string } }>(server.api, "tangerhuette", "POST", "auth/register", { kind: "person", ...c, acceptPrivacy: true });
  expect(reg.status).toBe(201);
  if (verify) {
    const mail = await waitForMail(server.api, (m) => m.to.includes(c.email));
    expect((await apiCall(server.api, "tangerhuette", "POST", "auth/verify-email", { code: codeIn(mail.text) }, reg.json.token)).status).toBe(200);
    const sms = await waitForSms(server.api, (s) => s.to === reg.json.account.mobile);
    expect((await apiCall(server.api, "tangerhuette", "POST", "auth/verify-mobile", { code: codeIn(sms.text) }, reg.json.token)).status).toBe(200);
    await apiCall(server.api, "tangerhuette", "PUT", "me/subscriptions", { topics: ["bauen-verkehr", "veranstaltungen"], smsAlerts: true }, reg.json.token);
  }
  return reg.json.token;
}

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launch();
  await publishNews(server.api, {
    title: "Stadtfest 2026: Vereine und Händler gesucht",
    summary: "Das Stadtfest findet im Juni im Stadtpark statt. Anmeldungen für Stände sind ab sofort möglich.",
    body: "Vereine, Schulen und Gewerbetreibende aus allen Ortsteilen können sich **bis zum 31. März** anmelden.\n\n- Stände\n- Bühnenbeiträge\n\n[Anmeldeformular](https://example.org/stadtfest)",
    topics: ["veranstaltungen"],
  });
  await publishNews(server.api, {
    title: "Grundschule: Sanierung beginnt",
    summary: "Fenster, Heizung und Sanitäranlagen der Grundschule werden erneuert, ein Aufzug kommt hinzu.",
    body: "Der Unterricht läuft während der Bauzeit weiter.",
    topics: ["schule-kita", "bauen-verkehr"],
  });
  newsId = await publishNews(server.api, {
    title: "Vollsperrung der Ortsdurchfahrt Birkholz",
    summary: "Wegen Kanalbauarbeiten ist die Ortsdurchfahrt ab Montag voll gesperrt. Die Umleitung ist ausgeschildert.",
    body: "## Umleitung\n\nDie Umleitung erfolgt über **Demker**. Anlieger erreichen ihre Grundstücke.\n\n1. Beginn: Montag, 7 Uhr\n2. Ende: voraussichtlich 19. Dezember",
    topics: ["bauen-verkehr"],
    urgent: true,
  });
  tokens.unverified = await register(unverified, false);
  tokens.verified = await register(verified, true);
}, HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, HOOK_MS);

async function expectClean(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

async function openView(page: Page, view: "news" | "login" | "register" | "account", heading: RegExp) {
  await page.evaluate((v) => window.DigitalesRathaus?.open(v), view);
  await waitForFocus(page, heading);
}

async function signIn(page: Page, token: string) {
  await page.evaluate(([k, t]) => localStorage.setItem(k!, t!), [`digitales-rathaus:${server.api}:tangerhuette`, token]);
  await page.reload();
  await waitForWidget(page);
}

async function submitEmpty(page: Page) {
  // Sends the form as it is: the API answers with its field errors, which the form shows.
  await page.keyboard.press("Tab");
  await page.locator("digitales-rathaus form button[type=submit]").first().press("Enter");
  await page.waitForSelector("digitales-rathaus [aria-invalid=true]");
}

for (const theme of ["light", "dark"] as const) {
  describe(`accessibility (${theme} theme): no axe violations`, () => {
    let page: Page;
    beforeAll(async () => {
      ({ page } = await newPage(browser));
      if (theme === "dark") await page.addInitScript(() => document.addEventListener("DOMContentLoaded", () => document.querySelector("digitales-rathaus")?.setAttribute("theme", "dark")));
      await page.goto(`${server.demo}/tangerhuette/`);
      await waitForWidget(page);
    }, HOOK_MS);
    afterAll(() => page.context().close(), HOOK_MS);

    it("launcher", async () => {
      await expectClean(page, "launcher");
    }, TEST_MS);

    it("news list", async () => {
      await openView(page, "news", /^H3 Nachrichten$/);
      await page.waitForSelector("digitales-rathaus [data-id]");
      await expectClean(page, "news list");
      if (theme === "light") {
        mkdirSync(join(root, "docs"), { recursive: true });
        await page.screenshot({ path: join(root, "docs", "screenshot.png") });
      }
    }, TEST_MS);

    it("news item (opened by the deep link of a news mail)", async () => {
      await page.evaluate(() => window.DigitalesRathaus?.close());
      await page.goto(`${server.demo}/tangerhuette/#rathaus/news/${newsId}`);
      await waitForFocus(page, /^H3 Vollsperrung der Ortsdurchfahrt Birkholz$/);
      await expect.poll(() => panelText(page)).toContain("Die Umleitung erfolgt über Demker");
      await expectClean(page, "news item");
      await page.goto(`${server.demo}/tangerhuette/`);
      await waitForWidget(page);
    }, TEST_MS);

    it("login, with errors", async () => {
      await openView(page, "login", /^H3 Anmelden$/);
      await expectClean(page, "login");
      await submitEmpty(page);
      await expect.poll(() => panelText(page)).toContain("Bitte prüfen Sie die markierten Angaben.");
      await expectClean(page, "login with errors");
    }, TEST_MS);

    it("password reset", async () => {
      await page.evaluate(() => window.DigitalesRathaus?.open("login"));
      await page.locator("digitales-rathaus button.link", { hasText: "Passwort vergessen?" }).press("Enter");
      await waitForFocus(page, /^H3 Passwort vergessen$/);
      await expectClean(page, "forgot password");
    }, TEST_MS);

    it("registration, with errors", async () => {
      await openView(page, "register", /^H3 Konto anlegen$/);
      await page.locator("digitales-rathaus input[type=radio][value=association]").check();
      await expectClean(page, "registration");
      await submitEmpty(page);
      await expect.poll(() => panelText(page)).toContain("Bitte stimmen Sie der Datenschutzerklärung zu");
      await expectClean(page, "registration with errors");
    }, TEST_MS);

    it("verification", async () => {
      await signIn(page, tokens.unverified!);
      await openView(page, "account", /^H3 Mein Konto$/);
      await expect.poll(() => panelText(page)).toContain("Bitte bestätigen Sie Ihre Angaben");
      await expectClean(page, "account, unverified");
      await page.locator("digitales-rathaus button", { hasText: "Jetzt bestätigen" }).press("Enter");
      await waitForFocus(page, /^H3 Angaben bestätigen$/);
      await page.locator("digitales-rathaus #email-code").fill("12");
      await page.locator("digitales-rathaus #email-code").press("Enter");
      await page.waitForSelector("digitales-rathaus #email-code[aria-invalid=true]");
      await expectClean(page, "verification with an error");
    }, TEST_MS);

    it("account", async () => {
      await signIn(page, tokens.verified!);
      await openView(page, "account", /^H3 Mein Konto$/);
      await page.waitForSelector("digitales-rathaus input[name=topics]");
      await page.locator("digitales-rathaus summary").press("Enter");
      await expectClean(page, "account");
    }, TEST_MS);
  });
}
