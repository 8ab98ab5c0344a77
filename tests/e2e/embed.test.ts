/**
 * Requirement 6: the script loaded twice (same URL, a cache-busting query, the pinned version)
 * and SPA-style DOM swaps (the element removed and re-added, a new element inserted) neither
 * throw nor duplicate anything; nothing is written to storage or cookies before the visitor
 * logs in or registers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { root } from "../node/process.js";
import { type PageProblems, newPage, recordEvents, storageState, useE2e, waitForFocus, waitForWidget } from "./browser.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

const env = useE2e();

/** Number of launchers in each <digitales-rathaus> on the page. */
const launchers = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll("digitales-rathaus")].map((el) => el.shadowRoot?.querySelectorAll(".launcher").length ?? 0));

function addScript(page: Page, src: string) {
  return page.evaluate(
    (src) =>
      new Promise<void>((ok, fail) => {
        const s = document.createElement("script");
        s.type = "module";
        s.src = src;
        s.onload = () => ok();
        s.onerror = () => fail(new Error(`could not load ${src}`));
        document.body.append(s);
      }),
    src,
  );
}

describe("embedding", () => {
  let page: Page;
  let problems: PageProblems;
  let configRequests = 0;
  let events: () => Promise<string[]>;

  beforeAll(async () => {
    const opened = await newPage(env.browser);
    ({ page, problems } = opened);
    events = await recordEvents(page);
    page.on("request", (r) => {
      if (r.url() === `${env.server.api}/api/v1/tenants/tangerhuette`) configRequests++;
    });
    await page.goto(`${env.server.demo}/tangerhuette/`);
    await waitForWidget(page);
  }, HOOK_MS);

  it("writes nothing to localStorage or cookies before the visitor logs in, even while browsing", async () => {
    expect(await storageState(page.context(), page)).toEqual({ localStorage: [], cookies: [] });
    await page.evaluate(() => window.DigitalesRathaus?.open("news"));
    await waitForFocus(page, /^H3 Nachrichten$/);
    await page.evaluate(() => window.DigitalesRathaus?.open("register"));
    await waitForFocus(page, /^H3 Konto anlegen$/);
    await page.keyboard.press("Escape");
    expect(await storageState(page.context(), page)).toEqual({ localStorage: [], cookies: [] });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  }, TEST_MS);

  it("survives the script being loaded again: same URL, with a query, and the pinned version", async () => {
    const api = await page.evaluate(() => window.DigitalesRathaus);
    const defined = await page.evaluate(() => customElements.get("digitales-rathaus")?.name);
    await addScript(page, `${env.server.api}/widget/v1/rathaus.js`);
    await addScript(page, `${env.server.api}/widget/v1/rathaus.js?ver=6.4.2`);
    await addScript(page, `${env.server.api}/widget/${version}/rathaus.js`);
    expect(await page.evaluate(() => window.DigitalesRathaus)).toEqual(api);
    expect(await page.evaluate(() => window.DigitalesRathaus?.version)).toBe(version);
    expect(await page.evaluate(() => customElements.get("digitales-rathaus")?.name)).toBe(defined);
    expect(await launchers(page)).toEqual([1]);
  }, TEST_MS);

  it("survives an SPA swapping the DOM: the element removed and re-added, and a new one inserted", async () => {
    // Removed and re-added while the panel is open (e.g. Turbo restoring a cached page).
    await page.evaluate(() => window.DigitalesRathaus?.open("news"));
    await waitForFocus(page, /^H3 Nachrichten$/);
    await page.evaluate(() => {
      const el = document.querySelector("digitales-rathaus")!;
      const parent = el.parentElement!;
      el.remove();
      parent.append(el);
    });
    expect(await launchers(page)).toEqual([1]);
    expect(await page.evaluate(() => document.querySelector("digitales-rathaus")!.shadowRoot!.querySelector("dr-panel")?.shadowRoot?.querySelector("dialog")?.open ?? false)).toBe(false);

    // The page's body replaced by a new one with a fresh element (Turbo Drive, SPA routers).
    await page.evaluate(() => {
      const body = document.createElement("body");
      body.innerHTML = '<main><h1>Neue Seite</h1><button id="open-rathaus" type="button">Öffnen</button></main><digitales-rathaus tenant="tangerhuette"></digitales-rathaus>';
      document.body.replaceWith(body);
    });
    await waitForWidget(page);
    expect(await launchers(page)).toEqual([1]);

    // A second element on the same page gets its own single launcher.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement("digitales-rathaus"), { tenant: "tangerhuette" })));
    await page.waitForFunction(() => document.querySelectorAll("digitales-rathaus")[1]?.shadowRoot?.querySelector(".launcher"));
    expect(await launchers(page)).toEqual([1, 1]);

    // The global API works on the new DOM, and the configuration was fetched once for all of it.
    expect(await page.evaluate(() => window.DigitalesRathaus?.open("login"))).toBe(true);
    await waitForFocus(page, /^H3 Anmelden$/);
    await page.keyboard.press("Escape");
    expect(configRequests).toBe(1);
    // The removed element's dr:close is dispatched on the element itself, no longer in the document.
    expect(await events()).toEqual(["dr:ready", "dr:open", "dr:close", "dr:open", "dr:ready", "dr:ready", "dr:open", "dr:close"]);
    expect(problems).toEqual({ errors: [], csp: [], console: [] });
    expect(await storageState(page.context(), page)).toEqual({ localStorage: [], cookies: [] });
  }, TEST_MS);
});
