/**
 * Requirement 1: the whole citizen journey on the demo town page with the keyboard only —
 * no mouse clicks: register, confirm e-mail and mobile with the codes the real server sent,
 * log out and in, subscribe to a topic, receive the mail of a news item staff publish, log out.
 */
import { describe, expect, it } from "vitest";
import { focused, logInWithKeyboard, newPage, openWithKeyboard, panelText, recordEvents, tabTo, useE2e, waitForFocus, waitForWidget } from "./browser.js";
import { codeIn, e164, newCitizen, publishNews, waitForMail, waitForSms } from "./server.js";
import { TEST_MS } from "./timeouts.js";

const env = useE2e();

describe("the dialog", () => {
  it("keeps Tab inside (both directions), closes on Escape and returns focus to the launcher", async () => {
    const { page, problems } = await newPage(env.browser);
    await page.goto(`${env.server.demo}/tangerhuette/`);
    await waitForWidget(page);
    await tabTo(page, /^BUTTON Digitales Rathaus$/);
    await page.keyboard.press("Space");
    await waitForFocus(page, /^H3 Nachrichten$/);
    // Forwards past the last control (the footer's last link) lands on the first (close).
    await tabTo(page, /^A Barrierefreiheit/);
    await page.keyboard.press("Tab");
    expect(await focused(page)).toBe("BUTTON Schließen");
    // Backwards from the first control lands on the last.
    await page.keyboard.press("Shift+Tab");
    expect(await focused(page)).toMatch(/^A Barrierefreiheit/);
    // The dialog is labelled, modal, and says its language.
    const dialog = await page.evaluate(() => {
      const d = document.querySelector("digitales-rathaus")!.shadowRoot!.querySelector("dr-panel")!.shadowRoot!.querySelector("dialog")!;
      return { role: d.getAttribute("role"), modal: d.getAttribute("aria-modal"), lang: d.lang, label: d.getRootNode() instanceof ShadowRoot ? (d.getRootNode() as ShadowRoot).getElementById(d.getAttribute("aria-labelledby")!)?.textContent?.replace(/\s+/g, " ").trim() : "" };
    });
    expect(dialog).toEqual({ role: "dialog", modal: "true", lang: "de", label: "Digitales Rathaus Tangerhütte" });
    await page.keyboard.press("Escape");
    await waitForFocus(page, /^BUTTON Digitales Rathaus$/);
    expect(problems).toEqual({ errors: [], csp: [], console: [] });
    await page.context().close();
  }, TEST_MS);
});

describe("the citizen journey with the keyboard only", () => {
  it("registers, verifies, logs in, subscribes, receives a news mail and logs out", async () => {
    const { page, problems, context } = await newPage(env.browser);
    const events = await recordEvents(page);
    const citizen = newCitizen();
    const storageKey = `digitales-rathaus:${env.server.api}:tangerhuette`;
    const token = () => page.evaluate((k) => localStorage.getItem(k), storageKey);

    // From the top of the page, Tab through the town's site to the launcher and open it.
    await openWithKeyboard(page, env.server);

    // Registration: nav "Anmelden" (just before the heading) → "Jetzt registrieren".
    await tabTo(page, /^BUTTON Anmelden$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Anmelden$/);
    await tabTo(page, /^BUTTON Jetzt registrieren$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Konto anlegen$/);

    await tabTo(page, /^INPUT Privatperson/); // the kind radio group; "person" is preselected
    await tabTo(page, /^INPUT#name /);
    await page.keyboard.type(citizen.name);
    await tabTo(page, /^INPUT#email /);
    await page.keyboard.type(citizen.email);
    await tabTo(page, /^INPUT#mobile /);
    await page.keyboard.type(citizen.mobile);
    await tabTo(page, /^INPUT#password /);
    await page.keyboard.type(citizen.password);
    await tabTo(page, /^INPUT#acceptPrivacy /);
    await page.keyboard.press("Space");
    await tabTo(page, /^BUTTON Konto anlegen$/);
    expect(await token(), "nothing stored before registering").toBeNull();
    await page.keyboard.press("Enter");

    // Confirm the e-mail address with the code from the caught mail.
    await waitForFocus(page, /^H3 Angaben bestätigen$/);
    expect(await token(), "the session token is stored once registered").toMatch(/\S{20,}/);
    const mail = await waitForMail(env.server.api, (m) => m.to.includes(citizen.email), "the confirmation mail");
    await tabTo(page, /^INPUT#email-code /);
    await page.keyboard.type(codeIn(mail.text));
    await page.keyboard.press("Enter");

    // Then the mobile number with the code from the SMS; focus moves on by itself.
    await waitForFocus(page, /^INPUT#mobile-code /);
    const sms = await waitForSms(env.server.api, (s) => s.to === e164(citizen.mobile), "the confirmation SMS");
    await page.keyboard.type(codeIn(sms.text));
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^BUTTON Weiter zu Mein Konto$/);
    await expect.poll(() => panelText(page)).toContain("Ihre E-Mail-Adresse und Ihre Mobilnummer sind bestätigt");
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Mein Konto$/);

    // Log out, then log in again.
    await tabTo(page, /^BUTTON Abmelden$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Anmelden$/);
    await expect.poll(() => panelText(page)).toContain("Sie haben sich abgemeldet.");
    expect(await token()).toBeNull();
    await logInWithKeyboard(page, citizen.email, citizen.password);
    await waitForFocus(page, /^H3 Mein Konto$/);

    // Subscribe to "Gesundheit" (checkbox, Space) and save (button, Space).
    await tabTo(page, /^INPUT Gesundheit/);
    await page.keyboard.press("Space");
    await tabTo(page, /^BUTTON Auswahl speichern$/);
    await page.keyboard.press("Space");
    await expect.poll(() => panelText(page)).toContain("Gespeichert. Sie erhalten Nachrichten zu den gewählten Themen.");

    // Staff publish an item on that topic; the real mail reaches the citizen.
    const title = `Impfaktion im Gesundheitsamt ${Date.now().toString(36)}`;
    await publishNews(env.server.api, { title, summary: "Kostenlose Grippeimpfung für alle Einwohner.", body: "Am **Samstag** impft das Gesundheitsamt ohne Termin.", topics: ["gesundheit"] });
    const news = await waitForMail(env.server.api, (m) => m.to.includes(citizen.email) && m.subject === title, "the news mail");
    expect(news.text).toContain("Kostenlose Grippeimpfung");

    // Log out: the token is gone from the page's storage.
    await tabTo(page, /^BUTTON Abmelden$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Anmelden$/);
    expect(await token()).toBeNull();
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);

    // Escape closes the dialog and focus returns to the launcher.
    await page.keyboard.press("Escape");
    await waitForFocus(page, /^BUTTON Digitales Rathaus$/);

    expect(await events()).toEqual(["dr:ready", "dr:open", "dr:login", "dr:logout", "dr:login", "dr:logout", "dr:close"]);
    expect(await context.cookies()).toEqual([]);
    expect(problems).toEqual({ errors: [], csp: [], console: [] });
    expect(await focused(page)).toBe("BUTTON Digitales Rathaus");
  }, TEST_MS);
});
