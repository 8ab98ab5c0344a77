/**
 * A form that needs a login at the trust level "substantiell" (here the Osterfeuer notice, changed
 * in the server's copy of the towns), in Chromium against the real server and the demo's
 * Test-Bürgerkonto: a password session is told to log in with the Bürgerkonto and offered the
 * button; a session from a login at that level, after the page was reloaded, is not asked again
 * (the widget learns the session's level from `GET me`). axe on the form with the hint.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { IdentityLogin } from "../../server/identity/api-types.js";
import { demoIdentities } from "../../server/node/demo-people.js";
import { IdpBrowser } from "../support/idp-browser.js";
import { axe, describeViolations, newPage, panelText, useE2e, waitForWidget } from "./browser.js";
import { type E2eServer, apiCall, verifiedCitizen } from "./server.js";
import { TEST_MS } from "./timeouts.js";

const env = useE2e({
  editTenants: (dir) => {
    const form = join(dir, "tangerhuette", "forms", "osterfeuer.json");
    writeFileSync(form, readFileSync(form, "utf8").replace('"access": { "anonymous": false }', '"access": { "anonymous": false, "trustLevel": "substantial" }'));
  },
});
const TOWN = "tangerhuette";
const HINT = "Für diesen Antrag müssen Sie sich mit Ihrem Bürgerkonto (BundID) auf dem Niveau „substantiell“ anmelden.";
const TITLE = "Anzeige eines Brauchtumsfeuers";

/** A session from a login at the Test-Bürgerkonto, as the widget gets one, with the browser at the provider played by the test. */
async function providerSession(server: E2eServer, person: string, level: string): Promise<IdentityLogin> {
  const verifier = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = encodeBase64urlNoPadding(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  const start = new URL(`${server.api}/api/v1/tenants/${TOWN}/auth/providers/test-buergerkonto/start?${new URLSearchParams({ origin: server.demo, challenge, mode: "popup" })}`);
  const browser = new IdpBrowser(server.idp);
  const first = await fetch(start, { redirect: "manual" });
  const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0]!;
  const shown = await browser.follow(new URL(first.headers.get("location")!));
  if (!("page" in shown)) throw new Error("no login page at the provider");
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(await shown.page.text())![1]!, server.idp);
  const done = await browser.follow(action, { form: { person, level, action: "login" } });
  if (!("leftTo" in done)) throw new Error("stayed at the provider");
  const page = await (await fetch(done.leftTo, { headers: { cookie } })).text();
  const code = /"code":"([A-Za-z0-9_-]{43})"/.exec(page)![1]!;
  const session = await apiCall<IdentityLogin>(server.api, TOWN, "POST", "auth/providers/exchange", { code, verifier });
  expect(session.status).toBe(200);
  return session.json;
}

async function openForm(page: Page, token: string) {
  await page.goto(`${env.server.demo}/${TOWN}/`);
  await page.evaluate(([k, t]) => localStorage.setItem(k!, t!), [`digitales-rathaus:${env.server.api}:${TOWN}`, token]);
  // A load of its own, as after a reload: the widget has not seen this session's login.
  await page.goto("about:blank");
  await page.goto(`${env.server.demo}/${TOWN}/#rathaus/forms/osterfeuer`);
  await waitForWidget(page);
  await expect.poll(() => panelText(page)).toContain(TITLE);
}

describe("a form that needs the trust level substantiell", () => {
  it(
    "tells a password session to log in with the Bürgerkonto and offers the button",
    async () => {
      const citizen = await verifiedCitizen(env.server.api);
      const { page } = await newPage(env.browser);
      await openForm(page, citizen.token);
      await expect.poll(() => panelText(page)).toContain(HINT);
      expect(await page.locator("digitales-rathaus").getByRole("button", { name: /Mit Test-Bürgerkonto anmelden/ }).count()).toBeGreaterThan(0);
      const a11y = await axe(page);
      expect(a11y, describeViolations(a11y)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    "does not ask again after a reload when the session's login was at that level",
    async () => {
      const session = await providerSession(env.server, demoIdentities[3]!.id, "substantial");
      expect(session.trustLevel).toBe("substantial");
      const { page } = await newPage(env.browser);
      await openForm(page, session.token);
      // The form has asked the server how sure the login was; no hint appears.
      await expect.poll(() => page.evaluate(() => performance.getEntriesByType("resource").some((e) => /\/tenants\/tangerhuette\/me$/.test(e.name)))).toBe(true);
      expect(await panelText(page)).not.toContain(HINT);
      const basic = await providerSession(env.server, demoIdentities[3]!.id, "basic");
      await openForm(page, basic.token);
      await expect.poll(() => panelText(page)).toContain(HINT);
    },
    TEST_MS,
  );
});
