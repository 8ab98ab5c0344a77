/**
 * Requirement 4: on demo/hostile.html (aggressive global CSS: `*` resets, italic uppercase
 * right-aligned text, `html { font-size: 10px }`, `button { all: unset … !important }`,
 * `div { display: inline !important }`) under the demo's strict CSP, the widget looks and works
 * exactly as on the normal town page, and the page reports no CSP violation.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PageProblems, animationsDone, launch, newPage, panelText, waitForFocus, waitForWidget } from "./browser.js";
import { type E2eServer, apiCall, newCitizen, startE2eServer } from "./server.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

let server: E2eServer;
let browser: Browser;
const citizen = newCitizen();

beforeAll(async () => {
  server = await startE2eServer();
  browser = await launch();
  expect((await apiCall(server.api, "tangerhuette", "POST", "auth/register", { kind: "person", ...citizen, acceptPrivacy: true })).status).toBe(201);
}, HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, HOOK_MS);

const props = [
  "width", "height", "backgroundColor", "color", "fontFamily", "fontSize", "fontStyle", "fontWeight", "lineHeight",
  "letterSpacing", "wordSpacing", "textTransform", "textAlign", "textShadow", "borderRadius", "paddingLeft", "boxSizing", "cursor",
] as const;

/** Computed styles and box of an element found by a path of selectors through shadow roots. */
async function styleOf(page: Page, path: string[]): Promise<Record<string, unknown> | null> {
  await animationsDone(page);
  return page.evaluate(
    ([path, props]) => {
      let root: Document | ShadowRoot = document;
      let el: Element | null = null;
      for (const sel of path) {
        el = root.querySelector(sel);
        if (!el) return null;
        if (el.shadowRoot) root = el.shadowRoot;
      }
      const cs = getComputedStyle(el!);
      const r = el!.getBoundingClientRect();
      return { ...Object.fromEntries(props.map((p) => [p, cs[p as keyof CSSStyleDeclaration]])), box: [r.x, r.y, r.width, r.height].map(Math.round) };
    },
    [path, props as readonly string[]] as const,
  );
}

const launcher = ["digitales-rathaus", ".launcher"];
const dialog = ["digitales-rathaus", "dr-panel", "dialog"];
const title = ["digitales-rathaus", "dr-panel", "h2"];
const heading = ["digitales-rathaus", "dr-panel", "dr-login-view", "h3"];
const input = ["digitales-rathaus", "dr-panel", "dr-login-view", "#email"];
const submit = ["digitales-rathaus", "dr-panel", "dr-login-view", "button[type=submit]"];

async function openLogin(page: Page) {
  // Through the host page's own button and the global API, as site.js does.
  await page.locator("#open-rathaus").click();
  await waitForFocus(page, /^H3 Nachrichten$/);
  await page.evaluate(() => window.DigitalesRathaus?.open("login"));
  await waitForFocus(page, /^H3 Anmelden$/);
}

describe("on a hostile host page", () => {
  let normal: Page;
  let hostile: Page;
  let hostileProblems: PageProblems;
  let normalProblems: PageProblems;

  beforeAll(async () => {
    ({ page: normal, problems: normalProblems } = await newPage(browser));
    ({ page: hostile, problems: hostileProblems } = await newPage(browser));
    await normal.goto(`${server.demo}/tangerhuette/`);
    await hostile.goto(`${server.demo}/hostile.html`);
    await Promise.all([waitForWidget(normal), waitForWidget(hostile)]);
    // The hostile rules are really in force on the page itself.
    expect(await hostile.evaluate(() => getComputedStyle(document.body).textTransform)).toBe("uppercase");
  }, HOOK_MS);

  it("the launcher looks the same: size, colors, font, position", async () => {
    const a = await styleOf(normal, launcher);
    const b = await styleOf(hostile, launcher);
    expect(a).not.toBeNull();
    expect(b).toEqual(a);
    expect(a!.fontSize).toBe("16px");
    expect(a!.fontStyle).toBe("normal");
    expect(a!.textTransform).toBe("none");
  }, TEST_MS);

  it("the panel looks the same and the login works", async () => {
    await openLogin(normal);
    await openLogin(hostile);
    for (const path of [dialog, title, heading, input, submit]) {
      expect(await styleOf(hostile, path), path.join(" > ")).toEqual(await styleOf(normal, path));
    }
    const login = hostile.locator("digitales-rathaus dr-login-view");
    await login.locator("#email").fill(citizen.email);
    await login.locator("#password").fill(citizen.password);
    await login.locator("button[type=submit]").click();
    await waitForFocus(hostile, /^H3 (Mein Konto|Angaben bestätigen)$/);
    await expect.poll(() => panelText(hostile)).toContain(citizen.email);
  }, TEST_MS);

  it("reports no CSP violation and no error on either page", () => {
    expect(hostileProblems).toEqual({ errors: [], csp: [], console: [] });
    expect(normalProblems).toEqual({ errors: [], csp: [], console: [] });
  }, TEST_MS);
});
