/**
 * The newsroom in the staff office (`/office/<slug>/#/news`) in Chromium against the real server:
 * the demo clerk, keyboard only, opens "Neuigkeiten", is told to pick a topic, saves a draft,
 * publishes it after a confirmation that says who gets it, and sees it published; the public API
 * has it and a subscriber of its topic gets the mail; then she withdraws and deletes it. A
 * scheduled urgent item: the confirmation names the SMS, the time is typed in Berlin time
 * whatever the device's zone, and the view speaks English too. axe-core on list, editor with a
 * field error, and both confirmations.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { StaffNewsItem as ManagedNews } from "../../server/news/news.js";
import { type PageProblems, axe, describeViolations, newPage, tabTo, useE2e, waitForFocus } from "./browser.js";
import { STAFF, apiCall, verifiedCitizen, waitForMail } from "./server.js";
import { openOfficeByKeyboard } from "./office-nav.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

const env = useE2e();
const TOWN = "tangerhuette";

const officeUrl = () => `${env.server.api}/office/${TOWN}/`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

let subscriber: Awaited<ReturnType<typeof verifiedCitizen>>;

beforeAll(async () => {
  subscriber = await verifiedCitizen(env.server.api, { topics: ["verwaltung"] });
}, HOOK_MS);

// ---- helpers ----

/** Inside the office's shadow root (Playwright's CSS pierces it). */
const inOffice = (page: Page, selector: string) => page.locator(`office-app ${selector}`);
const text = async (page: Page, selector: string) => ((await inOffice(page, selector).first().textContent()) ?? "").replace(/\s+/g, " ").trim();
const hash = (page: Page) => page.evaluate(() => location.hash);
/** The view's own status region: what the last action did, said on the screen it led to. */
const flash = (page: Page) => text(page, "office-news > .success");

async function expectClean(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

/** Page errors and CSP violations never; console errors only for the 401 of the session check before the login. */
function expectNoProblems(problems: PageProblems) {
  expect(problems.errors).toEqual([]);
  expect(problems.csp).toEqual([]);
  expect(problems.console.filter((m) => !/Failed to load resource: the server responded with a status of 401/.test(m))).toEqual([]);
}

/** The office's own API as the page calls it: with the session cookie. */
function officeNews(page: Page): Promise<ManagedNews[]> {
  return page.evaluate(async (url) => {
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return ((await res.json()) as { items: ManagedNews[] }).items;
  }, `${env.server.api}/api/v1/tenants/${TOWN}/office/news`);
}

const publicStatus = async (id: string) => (await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/news/${id}`)).status;

/** Logs the demo clerk in by keyboard and goes to "Neuigkeiten" through the main navigation. */
async function openNewsroom(page: Page) {
  await openOfficeByKeyboard(page, officeUrl(), "Neuigkeiten");
  await inOffice(page, "office-news table, office-news p.card").first().waitFor();
}

describe("the office's newsroom", () => {
  it(
    "a clerk, keyboard only, writes an item, saves a draft, publishes it after the confirmation, withdraws and deletes it",
    async () => {
      const { context, page, problems } = await newPage(env.browser);
      await openNewsroom(page);

      // For every member of staff, right after the inbox; the list is the page's title.
      expect(await inOffice(page, "nav a").allTextContents()).toEqual(["Posteingang", "Termine", "Neuigkeiten"]);
      expect(await text(page, "nav a[aria-current=page]")).toBe("Neuigkeiten");
      expect(await page.title()).toBe("Neuigkeiten – Digitales Rathaus – Verwaltung");
      expect(await hash(page)).toBe("#/news");
      await expectClean(page, "the news list");

      await tabTo(page, /^A Neue Nachricht$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Neue Nachricht$/);
      expect(await hash(page)).toBe("#/news/new");

      const title = `Bürgersprechstunde im Rathaus ${Date.now().toString(36)}`;
      const summary = "Der Bürgermeister lädt am Dienstag zur offenen Sprechstunde ein.";
      await tabTo(page, /^INPUT#news-title Titel$/);
      await page.keyboard.type(title);
      await tabTo(page, /^TEXTAREA#news-summary Kurzfassung/);
      await page.keyboard.type(summary);
      await tabTo(page, /^TEXTAREA#news-body Text/);
      await page.keyboard.type("Ohne Anmeldung, **ab 16 Uhr** im Ratssaal.\n\n- Fragen\n- Anregungen");
      expect(await text(page, "#news-body-hint")).toBe("So formatieren Sie (Markdown): **fett**, Listen mit -, Links als [Text](https://…)");

      // Without a topic: the error stands in the group, every box points to it, focus on the first.
      await tabTo(page, /^BUTTON#news-save Als Entwurf speichern$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^INPUT#news-topics Gesundheit/);
      expect(await text(page, "fieldset #news-topics-error")).toBe("Bitte wählen Sie mindestens ein Thema.");
      expect(await text(page, "fieldset legend")).toBe("Themen – wer eines davon abonniert hat, bekommt die Nachricht");
      const boxes = inOffice(page, "input[name=topics]");
      expect(await boxes.count()).toBe(5);
      for (const box of await boxes.all()) {
        expect(await box.getAttribute("aria-invalid")).toBe("true");
        expect(await box.getAttribute("aria-describedby")).toBe("news-topics-error");
      }
      await expectClean(page, "the news editor with a field error");
      expect((await officeNews(page)).some((n) => n.title === title)).toBe(false);

      // With a topic: saved as a draft; the address now names the item, focus stays on the button.
      await tabTo(page, /^INPUT Verwaltung/);
      await page.keyboard.press("Space");
      await tabTo(page, /^BUTTON#news-save Als Entwurf speichern$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, "office-news form .success")).toBe("Als Entwurf gespeichert. Die Nachricht ist noch nicht veröffentlicht.");
      await waitForFocus(page, /^BUTTON#news-save Als Entwurf speichern$/);
      expect(await text(page, "office-news .status-line")).toBe("Status: Entwurf");
      expect(await inOffice(page, "#news-topics-error").count()).toBe(0);
      const id = (await hash(page)).replace(/^#\/news\//, "");
      expect(id).toMatch(/^[\w-]+$/);
      expect(id).not.toBe("new");
      const draft = (await officeNews(page)).find((n) => n.id === id);
      expect(draft).toMatchObject({ title, summary, topics: ["verwaltung"], urgent: false, status: "draft", publishAt: null });
      expect(await publicStatus(id)).toBe(404);

      // Publishing asks first, in plain words, with its button focused and described by them.
      await tabTo(page, /^BUTTON#news-publish Jetzt veröffentlichen$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^BUTTON Ja, veröffentlichen$/);
      const confirmation = await text(page, "office-news .confirm");
      expect(confirmation).toContain("Jetzt veröffentlichen?");
      expect(confirmation).toContain("Alle Abonnentinnen und Abonnenten der gewählten Themen erhalten diese Nachricht per E-Mail. Gewählt: Verwaltung.");
      expect(confirmation).toContain("Eine verschickte Nachricht lässt sich nicht zurückholen.");
      expect(confirmation).not.toContain("SMS");
      expect(await inOffice(page, "office-news .confirm .btn").first().getAttribute("aria-describedby")).toBe("news-confirm-text");
      await expectClean(page, "the publish confirmation");
      await page.keyboard.press("Enter");

      // Back on the list, saying so; the item as published, with its topic.
      await waitForFocus(page, /^H1 Neuigkeiten$/);
      expect(await hash(page)).toBe("#/news");
      await expect.poll(() => flash(page)).toBe(`„${title}“ ist veröffentlicht und wird jetzt an die Abonnentinnen und Abonnenten verschickt.`);
      const row = inOffice(page, "office-news tbody tr").filter({ hasText: title });
      await row.waitFor();
      expect(((await row.locator(".badge").textContent()) ?? "").trim()).toMatch(/^Veröffentlicht am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
      expect(((await row.locator("td").nth(2).textContent()) ?? "").trim()).toBe("Verwaltung");

      // Public, and on its way to the topic's subscribers.
      const published = await apiCall<{ title: string; summary: string; topics: string[]; bodyHtml: string }>(env.server.api, TOWN, "GET", `news/${id}`);
      expect(published.status).toBe(200);
      expect(published.json).toMatchObject({ title, summary, topics: ["verwaltung"] });
      expect(published.json.bodyHtml).toContain("<strong>ab 16 Uhr</strong>");
      const mail = await waitForMail(env.server.api, (m) => m.to.includes(subscriber.email) && m.subject === title, "the news mail");
      expect(mail.text).toContain(summary);

      // Withdrawn: a draft again, not public; focus on its section, the button being gone.
      await tabTo(page, new RegExp(`^A ${escape(title)}$`));
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Nachricht bearbeiten$/);
      expect(await hash(page)).toBe(`#/news/${id}`);
      expect(await text(page, "office-news .status-line")).toMatch(/^Status: Veröffentlicht am /);
      // Published: its time is history (no field), and it cannot be published again.
      expect(await inOffice(page, "#news-publishAt").count()).toBe(0);
      expect(await inOffice(page, "#news-publish").count()).toBe(0);
      await tabTo(page, /^BUTTON Zurückziehen$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H2#news-more Weitere Aktionen$/);
      expect(await text(page, "office-news section[aria-labelledby=news-more] .success")).toBe(
        "Zurückgezogen. Die Nachricht ist wieder ein Entwurf und nicht mehr öffentlich; noch nicht verschickte E-Mails gehen nicht mehr hinaus.",
      );
      expect(await text(page, "office-news .status-line")).toBe("Status: Entwurf");
      expect(await publicStatus(id)).toBe(404);

      // Deleted, after its own confirmation.
      await tabTo(page, /^BUTTON#news-delete Löschen$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^BUTTON Endgültig löschen$/);
      expect(await text(page, "office-news .confirm.danger")).toContain("Sie wird endgültig gelöscht und verschwindet von der Website.");
      await expectClean(page, "the delete confirmation");
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Neuigkeiten$/);
      await expect.poll(() => flash(page)).toBe(`„${title}“ wurde gelöscht.`);
      await inOffice(page, "office-news table, office-news p.card").first().waitFor();
      expect(await inOffice(page, "office-news tbody tr").filter({ hasText: title }).count()).toBe(0);
      expect((await officeNews(page)).some((n) => n.id === id)).toBe(false);

      expectNoProblems(problems);
      await context.close();
    },
    TEST_MS,
  );

  it(
    "schedules an urgent item in Berlin time on a device in New York, names the SMS, and speaks English",
    async () => {
      const { context, page, problems } = await newPage(env.browser, { timezoneId: "America/New_York" });
      await openNewsroom(page);
      await inOffice(page, "a").filter({ hasText: "Neue Nachricht" }).click();
      await waitForFocus(page, /^H1 Neue Nachricht$/);

      const title = `Straßensperrung Bahnhofstraße ${Date.now().toString(36)}`;
      await inOffice(page, "#news-title").fill(title);
      await inOffice(page, "#news-summary").fill("Wegen Bauarbeiten ist die Bahnhofstraße gesperrt.");
      await inOffice(page, "#news-body").fill("Die Umleitung ist ausgeschildert.");
      await inOffice(page, "label").filter({ hasText: "Bauen & Verkehr" }).click();
      await inOffice(page, "label").filter({ hasText: "Eilmeldung" }).click();
      await inOffice(page, "#news-publishAt").fill("2031-07-01T09:30");
      await inOffice(page, "#news-publish").click();

      await waitForFocus(page, /^BUTTON Ja, veröffentlichen$/);
      const confirmation = await text(page, "office-news .confirm");
      expect(confirmation).toContain("Gewählt: Bauen & Verkehr.");
      expect(confirmation).toContain("Weil es eine Eilmeldung ist, bekommen alle, die SMS-Benachrichtigungen eingeschaltet haben, zusätzlich eine SMS.");
      expect(confirmation).toContain("Sie wird am 01.07.2031, 09:30 veröffentlicht und dann verschickt.");

      // Escape: not yet; focus back on the button that asked.
      await page.keyboard.press("Escape");
      await waitForFocus(page, /^BUTTON#news-publish Jetzt veröffentlichen$/);
      expect(await text(page, "office-news form .success")).toBe("Nicht veröffentlicht. Die Nachricht ist als Entwurf gespeichert.");
      // 9:30 in Tangerhütte in summer is 7:30 UTC, whatever the browser's zone.
      const saved = (await officeNews(page)).find((n) => n.title === title);
      expect(saved).toMatchObject({ status: "draft", urgent: true, topics: ["bauen-verkehr"], publishAt: "2031-07-01T07:30:00.000Z" });

      await inOffice(page, "#news-publish").click();
      await waitForFocus(page, /^BUTTON Ja, veröffentlichen$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Neuigkeiten$/);
      await expect.poll(() => flash(page)).toBe(`„${title}“ ist geplant für 01.07.2031, 09:30. Dann wird sie veröffentlicht und verschickt.`);
      const row = inOffice(page, "office-news tbody tr").filter({ hasText: title });
      await row.waitFor();
      expect(((await row.locator(".badge").textContent()) ?? "").trim()).toBe("Geplant für 01.07.2031, 09:30");
      expect(((await row.locator(".mark.urgent").textContent()) ?? "").trim()).toBe("Eilmeldung");
      expect(await publicStatus(saved!.id)).toBe(404);

      // The item again: its time as typed; then the same in English.
      await row.locator("a").click();
      await waitForFocus(page, /^H1 Nachricht bearbeiten$/);
      expect(await inOffice(page, "#news-publishAt").inputValue()).toBe("2031-07-01T09:30");
      expect(await text(page, "office-news .status-line")).toBe("Status: Geplant für 01.07.2031, 09:30");
      await inOffice(page, "button").filter({ hasText: "English" }).click();
      await expect.poll(() => text(page, "office-news h1")).toBe("Edit item");
      expect(await text(page, "office-news .status-line")).toBe("Status: Scheduled for 1 Jul 2031, 09:30");
      expect(await text(page, "#news-save")).toBe("Save changes");
      expect(await text(page, "#news-publish")).toBe("Publish now");
      expect(await text(page, "nav a[aria-current=page]")).toBe("News");
      await expectClean(page, "the news editor in English");

      expectNoProblems(problems);
      await context.close();
    },
    TEST_MS,
  );
});
