/**
 * Login with the Bürgerkonto in Chromium against the real server and the demo's Test-Bürgerkonto
 * (a real OIDC provider, server/node/demo-idp.ts): the popup from the widget's button to a logged-in
 * Postfach, the full-page redirect when the popup is blocked, the provider's "Abbrechen" and a
 * closed popup, linking and unlinking in "Mein Konto" (and the refusal to unlink the only way in).
 * axe on the login view with the provider's button and on "Mein Konto" of such an account.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { LinkedIdentities } from "../../server/identity/api-types.js";
import type { PublicAccount } from "../../server/accounts/account.js";
import { axe, describeViolations, newPage, openAccountWithSession, openWithKeyboard, panelText, recordEvents, tabTo, useE2e, waitForFocus, waitForWidget } from "./browser.js";
import { apiCall, verifiedCitizen } from "./server.js";
import { TEST_MS } from "./timeouts.js";

const env = useE2e();
const TOWN = "tangerhuette";
const BUTTON = /^BUTTON Mit Test-Bürgerkonto anmelden/;
const tokenKey = () => `digitales-rathaus:${env.server.api}:${TOWN}`;

/** On the Test-Bürgerkonto's page: a person and a level by their labels, then one of its buttons. */
async function atProvider(idp: Page, person: RegExp, level: RegExp, action: "Anmelden" | "Abbrechen" = "Anmelden") {
  // A popup that had to wait for the server's intent opens blank first and follows.
  await idp.waitForURL((u) => u.origin === env.server.idp);
  await idp.getByLabel(person).check();
  await idp.getByLabel(level).check();
  await idp.getByRole("button", { name: action, exact: true }).click();
}

/** The demo town's page with the panel on the login, opened and reached by keyboard. */
async function openLogin(page: Page) {
  await openWithKeyboard(page, env.server);
  await tabTo(page, /^BUTTON Anmelden$/);
  await page.keyboard.press("Enter");
  await waitForFocus(page, /^H3 Anmelden$/);
}

async function me(token: string) {
  const res = await apiCall<{ account: PublicAccount }>(env.server.api, TOWN, "GET", "me", undefined, token);
  expect(res.status).toBe(200);
  return res.json.account;
}

const storedToken = (page: Page) => page.evaluate((k) => localStorage.getItem(k), tokenKey());

describe("login with the Test-Bürgerkonto", () => {
  it("logs in through the popup, keyboard only in the widget, and lands in the Postfach", async () => {
    const { page, problems } = await newPage(env.browser);
    const events = await recordEvents(page);
    await openLogin(page);
    const login = page.locator("digitales-rathaus dr-login-view");
    expect(await login.locator("p.or").textContent()).toBe("Oder");

    const a11y = await axe(page);
    expect(a11y, describeViolations(a11y)).toEqual([]);

    await tabTo(page, BUTTON);
    const [idp] = await Promise.all([page.waitForEvent("popup"), page.keyboard.press("Enter")]);
    await expect.poll(() => login.locator(".pending").textContent()).toContain("Anmeldung im neuen Fenster");
    // A message from anyone but the popup on the API's origin is not the result: here the town's page itself.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          window.addEventListener("message", (e) => e.data === "after" && resolve());
          window.postMessage({ type: "digitales-rathaus:login", error: "provider_error", message: { de: "gefälscht", en: "forged" } }, "*");
          window.postMessage({ type: "digitales-rathaus:login", code: "forged-code" }, "*");
          window.postMessage("after", "*");
        }),
    );
    expect(await login.locator(".providers [role=alert]").textContent()).toBe("");
    expect(await login.locator(".pending").textContent()).toContain("Anmeldung im neuen Fenster");
    await Promise.all([idp.waitForEvent("close"), atProvider(idp, /^Anna Schmidt/, /^Substantiell/)]);

    await waitForFocus(page, /^H3 Mein Konto$/);
    const token = await storedToken(page);
    expect(token).toBeTruthy();
    const account = await me(token!);
    expect(account).toMatchObject({ email: "anna.schmidt@example.org", name: "Anna Schmidt", identityVerified: true, mobile: "" });
    expect(await events()).toContain("dr:login");

    // Confirmed by the provider: no nagging about a mobile number, the Postfach is there.
    const view = page.locator("digitales-rathaus dr-account-view");
    await view.locator("text=über Bürgerkonto bestätigt").waitFor();
    expect(await panelText(page)).not.toContain("Jetzt bestätigen");
    expect(await view.locator("text=Mobilnummer").count()).toBe(0);
    await view.locator("ul.identities >> text=Verbunden seit").waitFor();

    const accountA11y = await axe(page);
    expect(accountA11y, describeViolations(accountA11y)).toEqual([]);

    // The only way into this account: unlinking is refused with the way forward.
    await view.locator("ul.identities button", { hasText: "Trennen" }).click();
    await expect.poll(() => view.locator("section[aria-labelledby=identities-title] .form-error").textContent()).toContain("Ihr Konto hat noch kein Passwort.");
    const linked = await apiCall<LinkedIdentities>(env.server.api, TOWN, "GET", "me/identities", undefined, token!);
    expect(linked.json.items.map((i) => i.providerId)).toEqual(["test-buergerkonto"]);

    await tabTo(page, /^BUTTON Postfach$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Mein Postfach$/);
    expect(problems.errors).toEqual([]);
    expect(problems.csp).toEqual([]);
    await page.context().close();
  }, TEST_MS);

  it("logs in by redirect when the popup is blocked and comes back to the town's page", async () => {
    const { page, problems } = await newPage(env.browser);
    // A popup blocker: window.open answers null.
    await page.addInitScript(() => {
      window.open = () => null;
    });
    await openLogin(page);
    await tabTo(page, BUTTON);
    await Promise.all([page.waitForURL((u) => u.origin === env.server.idp), page.keyboard.press("Enter")]);
    await atProvider(page, /^Jürgen Weiß/, /^Substantiell/);

    await page.waitForURL((u) => u.origin === env.server.demo);
    await waitForWidget(page);
    await waitForFocus(page, /^H3 Mein Konto$/);
    // The code is gone from the address and the verifier from the tab's storage.
    expect(page.url()).toBe(`${env.server.demo}/${TOWN}/`);
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("digitales-rathaus:login:")))).toEqual([]);
    const account = await me((await storedToken(page))!);
    expect(account).toMatchObject({ email: "juergen.weiss@example.org", identityVerified: true });
    expect(problems.errors).toEqual([]);
    expect(problems.csp).toEqual([]);
    await page.context().close();
  }, TEST_MS);

  it("says so when the login is cancelled at the provider or the popup is closed", async () => {
    const { page, problems } = await newPage(env.browser);
    await openLogin(page);
    const login = page.locator("digitales-rathaus dr-login-view");
    const button = login.locator("button", { hasText: "Mit Test-Bürgerkonto anmelden" });

    const [idp] = await Promise.all([page.waitForEvent("popup"), button.click()]);
    await Promise.all([idp.waitForEvent("close"), atProvider(idp, /^Lena Nowak/, /^Hoch/, "Abbrechen")]);
    await expect.poll(() => login.locator(".providers [role=alert]").textContent()).toContain("Die Anmeldung mit dem Bürgerkonto wurde abgebrochen.");
    expect(await storedToken(page)).toBeNull();

    // Closed by the visitor before anything happened: the same, and a new try works.
    const [again] = await Promise.all([page.waitForEvent("popup"), button.click()]);
    expect(await login.locator(".providers [role=alert]").textContent()).toBe("");
    await again.waitForLoadState("domcontentloaded");
    await again.close();
    await expect.poll(() => login.locator(".providers [role=alert]").textContent()).toContain("abgebrochen");
    expect(await login.locator(".pending").textContent()).toBe("");
    expect(await storedToken(page)).toBeNull();
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, TEST_MS);
});

describe("Bürgerkonto in Mein Konto", () => {
  it("links the provider to a password account and unlinks it again", async () => {
    const citizen = await verifiedCitizen(env.server.api);
    const { page, problems } = await newPage(env.browser);
    await openAccountWithSession(page, env.server, citizen.token);
    const view = page.locator("digitales-rathaus dr-account-view");
    const row = view.locator("ul.identities li", { hasText: "Mit Test-Bürgerkonto anmelden" });
    await row.locator("text=Nicht verbunden").waitFor();

    const [idp] = await Promise.all([page.waitForEvent("popup"), row.locator("button", { hasText: "Verbinden" }).click()]);
    await Promise.all([idp.waitForEvent("close"), atProvider(idp, /^Mehmet Yılmaz/, /^Hoch/)]);
    await expect.poll(() => view.locator("section[aria-labelledby=identities-title] .success").textContent()).toContain("Ihr Konto ist jetzt mit „Mit Test-Bürgerkonto anmelden“ verbunden.");
    await row.locator("text=Verbunden seit").waitFor();

    // Still the same account, now with a session from the provider.
    const token = (await storedToken(page))!;
    expect(token).not.toBe(citizen.token);
    expect((await me(token)).email).toBe(citizen.email);
    const linked = await apiCall<LinkedIdentities>(env.server.api, TOWN, "GET", "me/identities", undefined, token);
    expect(linked.json.items.map((i) => i.providerId)).toEqual(["test-buergerkonto"]);

    await row.locator("button", { hasText: "Trennen" }).click();
    await expect.poll(() => view.locator("section[aria-labelledby=identities-title] .success").textContent()).toContain("Die Verbindung mit „Mit Test-Bürgerkonto anmelden“ ist getrennt.");
    await row.locator("text=Nicht verbunden").waitFor();
    const after = await apiCall<LinkedIdentities>(env.server.api, TOWN, "GET", "me/identities", undefined, token);
    expect(after.json.items).toEqual([]);
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, TEST_MS);
});
