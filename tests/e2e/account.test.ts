/**
 * "Mein Konto" and the password reset against the real server: profile, data export download,
 * account deletion (wrong password first), forgotten password with the mailed code, re-sending a
 * verification code.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, openAccountWithSession, panelText, recordEvents, useE2e, waitForFocus, waitForWidget } from "./browser.js";
import { apiCall, codeIn, newCitizen, verifiedCitizen, waitForMail } from "./server.js";
import { TEST_MS } from "./timeouts.js";

const env = useE2e();

const verifiedAccount = (kind: "person" | "association" = "person") =>
  verifiedCitizen(env.server.api, kind === "association" ? { kind, organisation: "Heimatverein Tangerhütte e. V." } : {});

async function openAccount(page: Page, token: string, verified = true) {
  await openAccountWithSession(page, env.server, token);
  await page.waitForSelector(verified ? "digitales-rathaus input[name=topics]" : "digitales-rathaus dr-account-view >> text=Jetzt bestätigen");
  return page.locator("digitales-rathaus dr-account-view");
}

describe("Mein Konto", () => {
  it("edits the profile of a Verein and downloads the data export", async () => {
    const a = await verifiedAccount("association");
    const { page, problems } = await newPage(env.browser, { acceptDownloads: true });
    const view = await openAccount(page, a.token);
    expect(await view.locator("#profile-organisation").inputValue()).toBe("Heimatverein Tangerhütte e. V.");
    await view.locator("#profile-name").fill("Max Mustermann");
    await view.locator("button", { hasText: "Angaben speichern" }).click();
    await expect.poll(() => panelText(page)).toContain("Ihre Angaben sind gespeichert.");
    const me = await apiCall<{ account: { name: string } }>(env.server.api, "tangerhuette", "GET", "me", undefined, a.token);
    expect(me.json.account.name).toBe("Max Mustermann");

    const [download] = await Promise.all([page.waitForEvent("download"), view.locator("button", { hasText: "Meine Daten herunterladen" }).click()]);
    expect(download.suggestedFilename()).toBe("digitales-rathaus-tangerhuette-daten.json");
    const data = JSON.parse(readFileSync((await download.path())!, "utf8")) as Record<string, unknown>;
    expect(JSON.stringify(data)).toContain(a.email);
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, TEST_MS);

  it("deletes the account: a wrong password is shown at the field, the right one ends the session", async () => {
    const a = await verifiedAccount();
    const { page } = await newPage(env.browser);
    const events = await recordEvents(page);
    const view = await openAccount(page, a.token);
    await view.locator("summary").click();
    await view.locator("#delete-password").fill("nicht-das-richtige-Passwort");
    await view.locator("button", { hasText: "Konto endgültig löschen" }).click();
    await page.waitForSelector("digitales-rathaus #delete-password[aria-invalid=true]");
    await waitForFocus(page, /^INPUT#delete-password /);
    expect(await view.locator("#delete-password-error").textContent()).toContain("Das Passwort stimmt nicht.");
    expect(await view.locator("#delete-password").getAttribute("aria-describedby")).toBe("delete-password-error");

    await view.locator("#delete-password").fill(a.password);
    await view.locator("button", { hasText: "Konto endgültig löschen" }).click();
    await waitForFocus(page, /^H3 Anmelden$/);
    await expect.poll(() => panelText(page)).toContain("Ihr Konto wurde gelöscht.");
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect((await apiCall(env.server.api, "tangerhuette", "GET", "me", undefined, a.token)).status).toBe(401);
    expect(await events()).toContain("dr:logout");
    await page.context().close();
  }, TEST_MS);
});

describe("forgotten password", () => {
  it("requests a code, sets a new password with it and is logged in", async () => {
    const a = await verifiedAccount();
    const { page } = await newPage(env.browser);
    await page.goto(`${env.server.demo}/tangerhuette/`);
    await waitForWidget(page);
    await page.evaluate(() => window.DigitalesRathaus?.open("login"));
    await waitForFocus(page, /^H3 Anmelden$/);
    await page.locator("digitales-rathaus button", { hasText: "Passwort vergessen?" }).click();
    await waitForFocus(page, /^H3 Passwort vergessen$/);
    const forgot = page.locator("digitales-rathaus dr-password-view");
    await forgot.locator("#email").fill(a.email);
    await forgot.locator("#email").press("Enter");
    await waitForFocus(page, /^H3 Neues Passwort festlegen$/);
    await expect.poll(() => panelText(page)).toContain(a.email);
    const mail = await waitForMail(env.server.api, (m) => m.to.includes(a.email) && /passwort/i.test(m.subject + m.text) && !/bestätig/i.test(m.subject));
    await forgot.locator("#code").fill(codeIn(mail.text));
    await forgot.locator("#password").fill("Neues-Passwort-am-Tanger-2026");
    await forgot.locator("#password").press("Enter");
    await waitForFocus(page, /^H3 Mein Konto$/);
    expect((await apiCall(env.server.api, "tangerhuette", "POST", "auth/login", { email: a.email, password: "Neues-Passwort-am-Tanger-2026" })).status).toBe(200);
    await page.context().close();
  }, TEST_MS);
});

describe("verification", () => {
  it("re-sending a code answers with a confirmation or says how long to wait", async () => {
    const c = newCitizen();
    const reg = await apiCall<{ token: string }>(env.server.api, "tangerhuette", "POST", "auth/register", { kind: "person", ...c, acceptPrivacy: true });
    const { page } = await newPage(env.browser);
    const view = await openAccount(page, reg.json.token, false);
    await view.locator("button", { hasText: "Jetzt bestätigen" }).click();
    await waitForFocus(page, /^H3 Angaben bestätigen$/);
    const verify = page.locator("digitales-rathaus dr-verify-view");
    await verify.locator("button", { hasText: "Neuen Code senden" }).first().click();
    await expect.poll(() => panelText(page)).toMatch(/Wir haben Ihnen einen neuen Code per E-Mail geschickt\.|Bitte warten Sie noch \d+ Sekunden\./);
    await page.context().close();
  }, TEST_MS);
});
