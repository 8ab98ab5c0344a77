/**
 * The newsroom ("Redaktion") for staff on the town's own website: the demo staff account logs in
 * through the widget, writes and publishes an item with the keyboard only, a subscribed citizen
 * gets the mail and the item is in the public news; API errors stand next to their fields;
 * scheduling, withdrawing and deleting; citizens never see (nor download) the newsroom; axe finds
 * nothing on its list, form and confirmation.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { root } from "../node/process.js";
import { axe, describeViolations, focused, logInWithKeyboard, newPage, openAccountWithSession, openWithKeyboard, panelText, tabTo, useE2e, waitForFocus } from "./browser.js";
import { STAFF, apiCall, verifiedCitizen, waitForMail } from "./server.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

const env = useE2e();
let citizen: Awaited<ReturnType<typeof verifiedCitizen>>;
let staffToken: string;

beforeAll(async () => {
  citizen = await verifiedCitizen(env.server.api, { topics: ["verwaltung"] });
  const login = await apiCall<{ token: string }>(env.server.api, "tangerhuette", "POST", "auth/login", STAFF);
  expect(login.status).toBe(200);
  staffToken = login.json.token;
}, HOOK_MS);

const view = (page: Page) => page.locator("digitales-rathaus dr-editor-view");

/** Opens "Mein Konto" with a stored session (as after an earlier login on this site). */
async function openAccountAs(page: Page, token: string) {
  await openAccountWithSession(page, env.server, token);
  await page.waitForSelector("digitales-rathaus dr-account-view >> text=Ihre Angaben");
}

/** Staff: from "Mein Konto" into the newsroom's list, loaded. */
async function openNewsroom(page: Page) {
  await openAccountAs(page, staffToken);
  await page.locator("digitales-rathaus dr-account-view button", { hasText: "Nachrichten verfassen" }).click();
  await waitForFocus(page, /^H3 Redaktion$/);
  await view(page).locator("ul.items, p.box").first().waitFor();
}

async function expectClean(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

describe("the newsroom", () => {
  it("staff log in through the widget, write and publish an item with the keyboard; subscribers get the mail", async () => {
    const { page, problems } = await newPage(env.browser);
    // From the top of the page, Tab through the town's site to the launcher and open it.
    await openWithKeyboard(page, env.server);

    // Log in like any visitor.
    await tabTo(page, /^BUTTON Anmelden$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Anmelden$/);
    await logInWithKeyboard(page, STAFF.email, STAFF.password);
    await waitForFocus(page, /^H3 Mein Konto$/);

    // Staff see the way into the newsroom in their account (and as a tab).
    expect(await page.locator("digitales-rathaus dr-panel nav button", { hasText: "Redaktion" }).count()).toBe(1);
    await tabTo(page, /^BUTTON Nachrichten verfassen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Redaktion$/);
    await tabTo(page, /^BUTTON Neue Nachricht$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Neue Nachricht$/);

    const title = `Bürgersprechstunde im Rathaus ${Date.now().toString(36)}`;
    await tabTo(page, /^INPUT#news-title Titel$/);
    await page.keyboard.type(title);
    await tabTo(page, /^TEXTAREA#news-summary Kurzfassung/);
    await page.keyboard.type("Der Bürgermeister lädt am Dienstag zur offenen Sprechstunde ein.");
    await tabTo(page, /^TEXTAREA#news-body Text/);
    await page.keyboard.type("Ohne Anmeldung, **ab 16 Uhr** im Ratssaal.\n\n- Fragen\n- Anregungen");
    await tabTo(page, /^INPUT Verwaltung/);
    await page.keyboard.press("Space");
    await tabTo(page, /^BUTTON Jetzt veröffentlichen$/);
    await page.keyboard.press("Enter");

    // A plain-language confirmation inside the panel, its button focused and described by it.
    await waitForFocus(page, /^BUTTON Ja, veröffentlichen$/);
    const confirmation = (await view(page).locator(".confirm").textContent())!.replace(/\s+/g, " ");
    expect(confirmation).toContain("Alle Abonnentinnen und Abonnenten der gewählten Themen erhalten diese Nachricht per E-Mail. Gewählt: Verwaltung.");
    expect(confirmation).not.toContain("SMS");
    await page.keyboard.press("Enter");

    // Back on the list: the success message, and the item as published.
    await waitForFocus(page, /^H3 Redaktion$/);
    await expect.poll(() => panelText(page)).toContain(`„${title}“ ist veröffentlicht`);
    const row = view(page).locator("ul.items > li", { hasText: title });
    await row.waitFor();
    expect(await row.locator(".badge").textContent()).toMatch(/^Veröffentlicht am \d{1,2}\. \w+ \d{4}/);

    // The subscribed citizen gets the mail.
    const mail = await waitForMail(env.server.api, (m) => m.to.includes(citizen.email) && m.subject === title, "the news mail");
    expect(mail.text).toContain("Der Bürgermeister lädt am Dienstag");

    // And it is in the public news of the widget.
    await tabTo(page, /^BUTTON Nachrichten$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Nachrichten$/);
    await expect.poll(() => panelText(page)).toContain(title);

    expect(problems).toEqual({ errors: [], csp: [], console: [] });
    await page.context().close();
  }, TEST_MS);

  it("shows API errors next to their fields (no topic), saves a draft, schedules, withdraws and deletes", async () => {
    const { page } = await newPage(env.browser);
    await openNewsroom(page);
    await expectClean(page, "newsroom list");
    await view(page).locator("button", { hasText: "Neue Nachricht" }).click();
    await waitForFocus(page, /^H3 Neue Nachricht$/);
    await expectClean(page, "newsroom form");

    const v = view(page);
    const title = `Sperrmüllabfuhr verschoben ${Date.now().toString(36)}`;
    await v.locator("#news-title").fill(title);
    await v.locator("#news-summary").fill("Die Abfuhr in der Altstadt findet eine Woche später statt.");
    await v.locator("#news-body").fill("Bitte stellen Sie den Sperrmüll erst am **Vorabend** an die Straße.");
    await v.locator("button", { hasText: "Als Entwurf speichern" }).click();

    // The server's `topics` error stands at the topics, which the boxes point to; focus is there.
    await page.waitForSelector("digitales-rathaus #news-topics-error");
    expect(await v.locator("fieldset #news-topics-error").textContent()).toContain("Bitte wählen Sie mindestens ein Thema.");
    const box = v.locator("input[name=topics]").first();
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    expect(await box.getAttribute("aria-describedby")).toBe("news-topics-error");
    await waitForFocus(page, /^INPUT Gesundheit/);
    await expect.poll(() => panelText(page)).toContain("Bitte prüfen Sie die markierten Angaben.");
    await expectClean(page, "newsroom form with errors");

    // Fixed and saved as a draft.
    await v.locator("input[name=topics][value=verwaltung]").check();
    await v.locator("button", { hasText: "Als Entwurf speichern" }).click();
    await expect.poll(() => panelText(page)).toContain("Als Entwurf gespeichert.");
    expect(await v.locator("[aria-invalid=true]").count()).toBe(0);
    expect(await v.locator(".status-line").textContent()).toContain("Entwurf");

    // Scheduled for later: the confirmation says when; the list says "Geplant für …".
    await v.locator("#news-publishAt").fill("2031-05-04T09:30");
    await v.locator("button", { hasText: "Jetzt veröffentlichen" }).click();
    await waitForFocus(page, /^BUTTON Ja, veröffentlichen$/);
    await expect.poll(() => panelText(page)).toContain("Sie wird am 4. Mai 2031 um 09:30 veröffentlicht und dann verschickt.");
    await expectClean(page, "newsroom confirmation");
    await page.screenshot({ path: join(root, "docs", "editor.png") });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Redaktion$/);
    await expect.poll(() => panelText(page)).toContain(`„${title}“ ist geplant für 4. Mai 2031 um 09:30.`);
    const row = v.locator("ul.items > li", { hasText: title });
    expect(await row.locator(".badge").textContent()).toBe("Geplant für 4. Mai 2031 um 09:30");
    const manage = await apiCall<{ items: { title: string; status: string; publishAt: string }[] }>(env.server.api, "tangerhuette", "GET", "news/manage", undefined, staffToken);
    expect(manage.json.items.find((n) => n.title === title)).toMatchObject({ status: "scheduled", publishAt: new Date(2031, 4, 4, 9, 30).toISOString() });

    // Withdrawn: a draft again.
    await row.locator("h4 button").click();
    await waitForFocus(page, /^H3 Nachricht bearbeiten$/);
    await v.locator("button", { hasText: "Zurückziehen" }).click();
    await expect.poll(() => panelText(page)).toContain("Zurückgezogen.");
    expect(await v.locator(".status-line").textContent()).toContain("Entwurf");

    // Deleted, after a confirmation inside the panel (no window.confirm).
    page.on("dialog", () => expect.fail("no browser dialog"));
    await v.locator("button", { hasText: "Löschen" }).click();
    await waitForFocus(page, /^BUTTON Endgültig löschen$/);
    await expectClean(page, "newsroom delete confirmation");
    await v.locator("button", { hasText: "Abbrechen" }).click();
    await waitForFocus(page, /^BUTTON Löschen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^BUTTON Endgültig löschen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Redaktion$/);
    await expect.poll(() => panelText(page)).toContain(`„${title}“ wurde gelöscht.`);
    expect(await v.locator("ul.items > li", { hasText: title }).count()).toBe(0);
    await page.context().close();
  }, TEST_MS);

  it("passes axe in the dark theme too", async () => {
    const { page } = await newPage(env.browser);
    await page.addInitScript(() => document.addEventListener("DOMContentLoaded", () => document.querySelector("digitales-rathaus")?.setAttribute("theme", "dark")));
    await openNewsroom(page);
    await expectClean(page, "newsroom list (dark)");
    await view(page).locator("button", { hasText: "Neue Nachricht" }).click();
    await waitForFocus(page, /^H3 Neue Nachricht$/);
    await view(page).locator("button", { hasText: "Als Entwurf speichern" }).click();
    await page.waitForSelector("digitales-rathaus #news-topics-error");
    await expectClean(page, "newsroom form with errors (dark)");
    await page.context().close();
  }, TEST_MS);

  it("is not there for citizens: no entry, no tab, and its chunk is never downloaded", async () => {
    const { page } = await newPage(env.browser);
    const chunks: string[] = [];
    page.on("request", (r) => {
      if (/\/widget\/v1\/[\w-]+\.js/.test(r.url())) chunks.push(r.url());
    });
    await openAccountAs(page, citizen.token);
    await page.waitForSelector("digitales-rathaus input[name=topics]");
    const text = await panelText(page);
    expect(text).not.toContain("Nachrichten verfassen");
    expect(text).not.toContain("Redaktion");
    expect((await page.locator("digitales-rathaus dr-panel nav button").allTextContents()).map((s) => s.trim())).toEqual(["Nachrichten", "Anträge", "Termine", "Postfach", "Mein Konto"]);
    expect(chunks.some((u) => /\/editor-/.test(u))).toBe(false);
    expect(chunks.some((u) => /\/account-/.test(u))).toBe(true);
    // And the API refuses them anyway.
    expect((await apiCall(env.server.api, "tangerhuette", "GET", "news/manage", undefined, citizen.token)).status).toBe(403);
    expect(await focused(page)).toBe("H3 Mein Konto");
    await page.context().close();
  }, TEST_MS);
});
