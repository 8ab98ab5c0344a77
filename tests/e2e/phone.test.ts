/**
 * Requirement 5: on a 375 px wide phone the panel fills the screen, nothing in it overflows
 * horizontally, and every control is at least 44 × 44 px to touch.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animationsDone, launch, newPage, waitForFocus, waitForWidget } from "./browser.js";
import { type E2eServer, apiCall, codeIn, newCitizen, publishNews, startE2eServer, waitForMail, waitForSms } from "./server.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

let server: E2eServer;
let browser: Browser;
let page: Page;
let token: string;

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launch();
  await publishNews(server.api, {
    title: "Wasserrohrbruch in der Bahnhofstraße: Umleitung über die Lindenallee und den Marktplatz",
    summary: "Die Bahnhofstraße ist zwischen Marktplatz und Bahnhof bis auf Weiteres gesperrt.",
    body: "Eine sehr lange Adresse ohne Leerzeichen: https://www.tangerhuette.example/aktuelles/verkehr/baustellen/bahnhofstrasse-wasserrohrbruch-2026",
    topics: ["bauen-verkehr", "verwaltung"],
    urgent: true,
  });
  const c = newCitizen();
  const reg = await apiCall<{ token: string; account: { mobile: string } }>(server.api, "tangerhuette", "POST", "auth/register", { kind: "company", organisation: "Tischlerei Mustermann GmbH & Co. KG", ...c, acceptPrivacy: true });
  token = reg.json.token;
  await apiCall(server.api, "tangerhuette", "POST", "auth/verify-email", { code: codeIn((await waitForMail(server.api, (m) => m.to.includes(c.email))).text) }, token);
  await apiCall(server.api, "tangerhuette", "POST", "auth/verify-mobile", { code: codeIn((await waitForSms(server.api, (s) => s.to === reg.json.account.mobile)).text) }, token);
  ({ page } = await newPage(browser, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }));
  await page.goto(`${server.demo}/tangerhuette/`);
  await waitForWidget(page);
}, HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, HOOK_MS);

interface Layout {
  dialog: { x: number; y: number; width: number; height: number };
  overflowing: string[];
  small: string[];
  pageScrollWidth: number;
}

/** Boxes of everything in the panel, through the shadow roots. */
function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const panel = document.querySelector("digitales-rathaus")!.shadowRoot!.querySelector("dr-panel")!.shadowRoot!;
    const dialog = panel.querySelector("dialog")!;
    const all: Element[] = [];
    const walk = (root: ParentNode) => {
      for (const el of root.querySelectorAll("*")) {
        all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(panel);
    const name = (el: Element) => `${el.localName}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""} "${(el.textContent ?? "").trim().slice(0, 30)}"`;
    const visible = (el: Element) => (el as HTMLElement).checkVisibility?.() !== false && el.getClientRects().length > 0 && !el.closest(".sr-only");
    const overflowing = all.filter((el) => visible(el) && (el.getBoundingClientRect().right > innerWidth + 0.5 || el.getBoundingClientRect().left < -0.5)).map(name);
    // Containers that scroll sideways (a long value inside a text field is not overflow; the visually hidden texts clip by design).
    for (const el of [dialog, ...all]) {
      if (el.matches("input, textarea, .sr-only")) continue;
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") overflowing.push(`${name(el)} scrolls sideways`);
    }
    // Touch targets: controls themselves, or for checkboxes and radios their label; links inside running text are exempt.
    const small = all
      .filter((el) => visible(el) && el.matches("button, input, select, textarea, summary, a[href]"))
      .filter((el) => !(el.localName === "a" && el.closest("p, label span")))
      .map((el) => ((el as HTMLInputElement).type === "checkbox" || (el as HTMLInputElement).type === "radio" ? el.closest("label")! : el))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.height < 44 || r.width < 44;
      })
      .map((el) => `${name(el)} ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`);
    const r = dialog.getBoundingClientRect();
    return { dialog: { x: r.x, y: r.y, width: r.width, height: r.height }, overflowing, small, pageScrollWidth: document.documentElement.scrollWidth };
  });
}

async function check(view: string) {
  await animationsDone(page);
  const l = await layout(page);
  expect(l.dialog, `${view}: full screen`).toEqual({ x: 0, y: 0, width: 375, height: 667 });
  expect(l.overflowing, `${view}: horizontal overflow`).toEqual([]);
  expect(l.small, `${view}: touch targets under 44 px`).toEqual([]);
  expect(l.pageScrollWidth, `${view}: page width`).toBeLessThanOrEqual(375);
}

describe("on a 375 px phone", () => {
  it("the launcher is a large enough target", async () => {
    const box = await page.locator("digitales-rathaus .launcher").boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  }, TEST_MS);

  it("news list and item", async () => {
    await page.locator("digitales-rathaus .launcher").tap();
    await waitForFocus(page, /^H3 Nachrichten$/);
    await page.waitForSelector("digitales-rathaus [data-id]");
    await check("news");
    await page.locator("digitales-rathaus [data-id]").first().tap();
    await waitForFocus(page, /^H3 Wasserrohrbruch/);
    await check("news item");
  }, TEST_MS);

  it("login and registration (with errors)", async () => {
    await page.evaluate(() => window.DigitalesRathaus?.open("login"));
    await waitForFocus(page, /^H3 Anmelden$/);
    await check("login");
    await page.evaluate(() => window.DigitalesRathaus?.open("register"));
    await waitForFocus(page, /^H3 Konto anlegen$/);
    await page.locator("digitales-rathaus input[value=company]").tap();
    await page.locator("digitales-rathaus dr-register-view button[type=submit]").tap();
    await page.waitForSelector("digitales-rathaus [aria-invalid=true]");
    await check("registration");
  }, TEST_MS);

  it("account", async () => {
    await page.evaluate(([k, t]) => localStorage.setItem(k!, t!), [`digitales-rathaus:${server.api}:tangerhuette`, token]);
    await page.reload();
    await waitForWidget(page);
    await page.evaluate(() => window.DigitalesRathaus?.open("account"));
    await waitForFocus(page, /^H3 Mein Konto$/);
    await page.waitForSelector("digitales-rathaus input[name=topics]");
    await page.locator("digitales-rathaus summary").tap();
    await check("account");
  }, TEST_MS);
});
