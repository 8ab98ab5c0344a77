/**
 * Termine in the staff office (`/office/<slug>/#/termine`) in Chromium against the real server:
 * the calendar shows an appointment booked through the public API in the day and the week view,
 * goes back and forth by week, prints the day list (in a new tab, with the session) and fits a
 * 375 px phone; an absence typed in Berlin time on a device in New York names the appointment it
 * collides with and takes its time out of the public slots, and removing it (after asking) gives
 * the time back; a Terminanfrage is given a time keyboard only, through a time taken meanwhile,
 * and lands in the calendar with the mails; an appointment that has begun is marked as a no-show.
 * axe-core on every screen.
 *
 * Times are read from the API's free slots, so the tests follow the demo town's hours and clerks.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Appointment, AppointmentRequest, OfficeCalendar, SlotDays } from "../../server/appointments/api-types.js";
import { parseInvitation } from "../support/ics.js";
import { type PageProblems, axe, describeViolations, focused, newPage, tabTo, useE2e, waitForFocus } from "./browser.js";
import { type CaughtMail, STAFF, apiCall, verifiedCitizen, waitForMail } from "./server.js";
import { openOfficeByKeyboard } from "./office-nav.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

const env = useE2e();

const TOWN = "tangerhuette";

const officeUrl = () => `${env.server.api}/office/${TOWN}/`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type Booker = Awaited<ReturnType<typeof verifiedCitizen>>;
let booker: Booker;

beforeAll(async () => {
  booker = await verifiedCitizen(env.server.api);
}, HOOK_MS);

// ---- days and times as the office shows them (Berlin, German) ----

const berlinToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date());
const berlinDay = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date(iso));
const noon = (day: string) => new Date(`${day}T12:00:00Z`);
const addDays = (day: string, n: number) => {
  const d = noon(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const mondayOf = (day: string) => addDays(day, -((noon(day).getUTCDay() + 6) % 7));
/** "Dienstag, 1. Dezember". */
const dayName = (day: string) => new Intl.DateTimeFormat("de-DE", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" }).format(noon(day));
/** "Dienstag, 1. Dezember 2026". */
const dayLong = (day: string) => new Intl.DateTimeFormat("de-DE", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(noon(day));
const clock = (iso: string) => new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
const span = (a: { start: string; end: string }) => `${clock(a.start)}–${clock(a.end)} Uhr`;

// ---- the page ----

/** Inside the office's shadow root (Playwright's CSS pierces it). */
const inOffice = (page: Page, selector: string) => page.locator(`office-app ${selector}`);
const text = async (page: Page, selector: string) => ((await inOffice(page, selector).first().textContent()) ?? "").replace(/\s+/g, " ").trim();
const hash = (page: Page) => page.evaluate(() => location.hash);
const entry = (page: Page, appointmentId: string) => inOffice(page, `[id="cal-ap-${appointmentId}"]`);
const entryText = async (page: Page, appointmentId: string) => ((await entry(page, appointmentId).textContent()) ?? "").replace(/\s+/g, " ").trim();

async function expectClean(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

/** Page errors and CSP violations never; console errors only for the 401 of the session check and the answers a test provokes. */
function expectNoProblems(problems: PageProblems, expected: RegExp[] = []) {
  expect(problems.errors).toEqual([]);
  expect(problems.csp).toEqual([]);
  const provoked = [/status of 401/, ...expected];
  expect(problems.console.filter((m) => !provoked.some((re) => re.test(m)))).toEqual([]);
}

/** Nothing of the page sticks out sideways. */
async function noPageOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

/** Logs the demo clerk in by keyboard and opens "Termine" through the main navigation. */
async function openTermine(page: Page) {
  await openOfficeByKeyboard(page, officeUrl(), "Termine");
  await calendarShown(page);
}

/** The calendar has loaded: clerks' columns or days are there. */
const calendarShown = (page: Page) => inOffice(page, "office-appointments .cal-clerks, office-appointments .cal-week, office-appointments p.card").first().waitFor();

/** Shows another day or week through the filter form. */
async function showCalendar(page: Page, day: string, view: "day" | "week" = "day") {
  await inOffice(page, "#cal-date").fill(day);
  await inOffice(page, "#cal-view").selectOption(view);
  await inOffice(page, "#cal-filters button[type=submit]").click();
  await expect.poll(() => hash(page)).toBe(`#/termine?date=${day}${view === "week" ? "&view=week" : ""}`);
  await expect.poll(() => text(page, "#cal-period")).toBe(view === "day" ? dayLong(day) : `Woche von ${dayName(mondayOf(day))} bis ${dayLong(addDays(mondayOf(day), 6))}`);
  await calendarShown(page);
}

// ---- the API, for setting the scene ----

async function freeSlots(serviceId: string, from: string, to: string) {
  const res = await apiCall<SlotDays>(env.server.api, TOWN, "GET", `appointments/services/${serviceId}/slots?from=${from}&to=${to}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json.days;
}

/**
 * The first day from today with at least `n` free times of a service, leaving out those the lead
 * time (an hour) will pass within the next minutes, while the test runs.
 */
async function dayWithSlots(serviceId: string, n = 1) {
  const today = berlinToday();
  const later = Date.now() + 75 * 60_000;
  const days = (await freeSlots(serviceId, today, addDays(today, 20))).map((d) => ({ ...d, slots: d.slots.filter((s) => Date.parse(s.start) > later) }));
  const day = days.find((d) => d.slots.length >= n);
  if (!day) throw new Error(`no day with ${n} free times of ${serviceId} in the next three weeks`);
  return day;
}

async function book(token: string, serviceId: string, start: string) {
  const res = await apiCall<Appointment>(env.server.api, TOWN, "POST", "appointments/bookings", { serviceId, start }, token);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  expect(res.json.status).toBe("confirmed");
  return res.json;
}

/** The office API as the page calls it: the session cookie, and for writes the app's CSRF token. */
function officeApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ([url, method, body]) => {
      const app = document.querySelector("office-app") as unknown as { session?: { csrfToken: string } };
      const headers: Record<string, string> = { Accept: "application/json" };
      if (method !== "GET") headers["X-CSRF-Token"] = app.session?.csrfToken ?? "";
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const res = await fetch(url!, { method, credentials: "same-origin", headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    [`${env.server.api}/api/v1/tenants/${TOWN}/${path}`, method, body === undefined ? undefined : JSON.stringify(body)] as const,
  ) as Promise<{ status: number; json: T }>;
}

const calendarOf = async (page: Page, day: string) => (await officeApi<OfficeCalendar>(page, "GET", `office/appointments?from=${day}&to=${day}`)).json;

const calendarFile = (mail: CaughtMail) =>
  (mail as CaughtMail & { attachments?: Array<{ contentType: string; contentBase64: string }> }).attachments?.find((a) => a.contentType.startsWith("text/calendar"));

function invitationOf(mail: CaughtMail) {
  const ics = calendarFile(mail);
  if (!ics) throw new Error(`no text/calendar attachment in “${mail.subject}”`);
  return parseInvitation(Buffer.from(ics.contentBase64, "base64").toString("utf8"));
}

/** When the mail's invitation begins; undefined for a mail without one. */
const invitationStart = (mail: CaughtMail) => (calendarFile(mail) ? invitationOf(mail).start : undefined);

describe("the office's calendar", () => {
  it(
    "shows an appointment booked online by day and by week, goes back and forth, prints the day list and fits a phone",
    async () => {
      const day = await dayWithSlots("meldebescheinigung");
      const slot = day.slots[0]!;
      const booked = await book(booker.token, "meldebescheinigung", slot.start);
      const today = berlinToday();

      const { context, page, problems } = await newPage(env.browser);
      await openTermine(page);

      // Second in the navigation for everyone in a town with appointments; today by default.
      expect(await inOffice(page, ".top nav a").allTextContents()).toEqual(["Posteingang", "Termine", "Neuigkeiten"]);
      expect(await text(page, ".top nav a[aria-current=page]")).toBe("Termine");
      expect(await page.title()).toBe("Termine – Digitales Rathaus – Verwaltung");
      expect(await hash(page)).toBe("#/termine");
      expect(await text(page, "#cal-period")).toBe(dayLong(today));
      await expect.poll(() => inOffice(page, "office-appointments .tabs a").allTextContents()).toEqual(["Kalender", "Anfragen (0)", "Abwesenheit eintragen"]);
      // In the day view every clerk has a column, with or without appointments.
      expect(await inOffice(page, ".cal-clerk > h3").allTextContents()).toEqual(["Frau Schulze", "Herr Becker"]);
      await expectClean(page, "the calendar of today");

      // The week of the booked day: the appointment under its day, with time, service, person and state.
      await showCalendar(page, day.date, "week");
      expect(await inOffice(page, ".cal-day > h3").allTextContents()).toEqual(Array.from({ length: 7 }, (_, i) => dayName(addDays(mondayOf(day.date), i))));
      const dayBlock = inOffice(page, `.cal-day:has([id="cal-${day.date}"])`);
      expect(await dayBlock.locator(`[id="cal-ap-${booked.id}"]`).count()).toBe(1);
      const shown = await entryText(page, booked.id);
      for (const part of [span(slot), "Meldebescheinigung", booker.name, booker.email, "Bestätigt"]) expect(shown).toContain(part);
      // Not begun yet: no "Nicht erschienen", but "Absagen".
      expect(await entry(page, booked.id).locator("button").allTextContents()).toEqual([expect.stringMatching(/^\s*Absagen:/)]);
      await expectClean(page, "the week view");

      // A week on and back, by the links; focus stays on the link used.
      await inOffice(page, "a").filter({ hasText: "Nächste Woche" }).click();
      await expect.poll(() => hash(page)).toBe(`#/termine?date=${addDays(day.date, 7)}&view=week`);
      await expect.poll(() => text(page, "#cal-period")).toBe(`Woche von ${dayName(mondayOf(addDays(day.date, 7)))} bis ${dayLong(addDays(mondayOf(day.date), 13))}`);
      await calendarShown(page);
      expect(await entry(page, booked.id).count()).toBe(0);
      expect(await focused(page)).toMatch(/^A Nächste Woche/);
      await tabTo(page, /^A ← Vorherige Woche$/, { shift: true });
      await page.keyboard.press("Enter");
      await expect.poll(() => hash(page)).toBe(`#/termine?date=${day.date}&view=week`);
      await entry(page, booked.id).waitFor();
      expect(await focused(page)).toMatch(/^A ← Vorherige Woche$/);

      // The day's heading leads to its day view, whose day list opens in a new tab with the session.
      await dayBlock.locator("h3 a").click();
      await expect.poll(() => hash(page)).toBe(`#/termine?date=${day.date}`);
      await expect.poll(() => text(page, "#cal-period")).toBe(dayLong(day.date));
      await entry(page, booked.id).waitFor();
      const print = inOffice(page, "a.cal-print");
      expect(await print.getAttribute("href")).toBe(`${env.server.api}/api/v1/tenants/${TOWN}/office/appointments/day.html?date=${day.date}`);
      expect(await print.getAttribute("target")).toBe("_blank");
      expect(await text(page, "a.cal-print")).toBe("Tagesliste drucken (öffnet in einem neuen Tab)");
      const [list] = await Promise.all([context.waitForEvent("page"), print.click()]);
      await list.waitForLoadState();
      expect(await list.title()).toContain(`Terminliste ${dayLong(day.date)}`);
      expect(await list.locator("body").textContent()).toContain(booker.email);
      await list.close();

      // A phone: the columns stack, nothing sticks out, still clean.
      await page.setViewportSize({ width: 375, height: 740 });
      await noPageOverflow(page);
      await expectClean(page, "the day view at 375 px");
      await inOffice(page, "a").filter({ hasText: "Nächster Tag" }).click();
      await expect.poll(() => hash(page)).toBe(`#/termine?date=${addDays(day.date, 1)}`);
      await showCalendar(page, day.date, "week");
      await noPageOverflow(page);
      await expectClean(page, "the week view at 375 px");

      expectNoProblems(problems);
      await context.close();
    },
    TEST_MS,
  );

  it(
    "takes an absence typed in Berlin time out of the public slots, names the appointment it collides with, and gives the time back when removed",
    async () => {
      // Only Frau Schulze gives Führungszeugnisse, one at a time: her absence empties those times.
      const day = await dayWithSlots("fuehrungszeugnis", 2);
      const [first, second] = day.slots as [SlotDays["days"][number]["slots"][number], SlotDays["days"][number]["slots"][number]];
      const booked = await book(booker.token, "fuehrungszeugnis", first.start);
      expect((await freeSlots("fuehrungszeugnis", day.date, day.date))[0]?.slots.map((s) => s.start)).toContain(second.start);

      const { context, page, problems } = await newPage(env.browser, { timezoneId: "America/New_York" });
      await openTermine(page);
      await tabTo(page, /^A Abwesenheit eintragen$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Abwesenheit eintragen$/);
      expect(await hash(page)).toBe(`#/termine/abwesenheit?date=${berlinToday()}`);
      expect(await text(page, ".top nav a[aria-current=page]")).toBe("Termine");
      await inOffice(page, "#abs-clerkId option").nth(2).waitFor({ state: "attached" });
      expect(await inOffice(page, "#abs-clerkId option").allTextContents()).toEqual(["Bitte wählen", "Frau Schulze", "Herr Becker"]);
      await expectClean(page, "the absence form");

      // Without times: said at the field, which gets focus.
      await inOffice(page, "#abs-clerkId").selectOption("schulze");
      await inOffice(page, "#abs-day").fill(day.date);
      await inOffice(page, "button[type=submit]").filter({ hasText: "Abwesenheit eintragen" }).click();
      await waitForFocus(page, /^INPUT#abs-start Von$/);
      expect(await text(page, "#abs-start-error")).toBe("Bitte geben Sie an, ab wann – oder wählen Sie „Ganztägig“.");
      expect(await inOffice(page, "#abs-start").getAttribute("aria-describedby")).toBe("abs-start-hint abs-start-error");
      await expectClean(page, "the absence form with an error");

      // From the booked time to the end of the next, in Berlin time on a device in New York.
      await inOffice(page, "#abs-start").fill(clock(first.start));
      await inOffice(page, "#abs-end").fill(clock(second.end));
      await inOffice(page, "#abs-note").fill("Fortbildung");
      await inOffice(page, "button[type=submit]").filter({ hasText: "Abwesenheit eintragen" }).click();
      await waitForFocus(page, /^H2#abs-result-title Abwesenheit eingetragen$/);
      const result = await text(page, "section[aria-labelledby=abs-result-title]");
      expect(result).toContain(`Frau Schulze: ${dayLong(day.date)}, ${clock(first.start)}–${clock(second.end)} Uhr.`);
      expect(await text(page, "#abs-conflicts")).toBe("Dieser Termin fällt in die Abwesenheit");
      const conflicts = await inOffice(page, "ul[aria-labelledby=abs-conflicts] li").allTextContents();
      expect(conflicts).toHaveLength(1);
      for (const part of [dayLong(day.date), span(first), "Führungszeugnis beantragen", booker.name, booker.email, "Bestätigt"]) expect(conflicts[0]).toContain(part);
      expect(result).toContain("Bitte verschieben oder sagen Sie sie ab");
      expect(await inOffice(page, `ul[aria-labelledby=abs-conflicts] a[href="mailto:${booker.email}"]`).count()).toBe(1);
      await expectClean(page, "the absence with its conflict");

      // The next time is no longer offered; the absence is in the calendar as typed.
      expect((await freeSlots("fuehrungszeugnis", day.date, day.date))[0]?.slots.map((s) => s.start) ?? []).not.toContain(second.start);
      const calendar = await calendarOf(page, day.date);
      expect(calendar.absences).toContainEqual(expect.objectContaining({ clerkId: "schulze", start: first.start, end: second.end, note: "Fortbildung" }));

      // In the calendar: that day, Frau Schulze only, the absence before the appointment it hits.
      await inOffice(page, "a").filter({ hasText: "Im Kalender ansehen" }).click();
      await waitForFocus(page, /^H1 Termine$/);
      expect(await hash(page)).toBe(`#/termine?date=${day.date}&clerk=schulze`);
      await entry(page, booked.id).waitFor();
      expect(await inOffice(page, ".cal-clerk > h3").allTextContents()).toEqual(["Frau Schulze"]);
      const entries = (await inOffice(page, ".cal-clerk .cal-entries > li").evaluateAll((lis) => lis.map((li) => [li.id, li.textContent!.replace(/\s+/g, " ").trim()]))) as [string, string][];
      const absence = entries.findIndex(([, t]) => t.startsWith(`${clock(first.start)}–${clock(second.end)} Uhr Abwesend Fortbildung Abwesenheit entfernen`));
      expect(absence, JSON.stringify(entries)).toBeGreaterThanOrEqual(0);
      expect(entries.findIndex(([id]) => id === `cal-ap-${booked.id}`)).toBe(absence + 1);

      // Removing asks first; Escape keeps it, focus back on the button.
      const removeName = new RegExp(`^BUTTON Abwesenheit entfernen: Frau Schulze, ${escape(dayLong(day.date))}, ${escape(clock(first.start))}–${escape(clock(second.end))} Uhr$`);
      await tabTo(page, removeName);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^BUTTON Ja, entfernen$/);
      expect(await text(page, ".cal-entry .confirm")).toContain("Abwesenheit entfernen? Frau Schulze");
      await expectClean(page, "the question before removing an absence");
      await page.keyboard.press("Escape");
      await waitForFocus(page, removeName);
      expect(await inOffice(page, ".cal-entry .confirm").count()).toBe(0);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^BUTTON Ja, entfernen$/);
      await page.keyboard.press("Enter");

      // Gone from the calendar and the office's API; the time is offered again.
      await waitForFocus(page, new RegExp(`^H3#cal-${day.date}-schulze Frau Schulze$`));
      await expect.poll(() => text(page, "office-appointments > .success")).toBe(
        `Die Abwesenheit von Frau Schulze (${dayLong(day.date)}, ${clock(first.start)}–${clock(second.end)} Uhr) ist entfernt. Die Zeit wird wieder für Buchungen angeboten.`,
      );
      expect(await inOffice(page, ".cal-entry.absence").count()).toBe(0);
      expect((await calendarOf(page, day.date)).absences).toEqual([]);
      expect((await freeSlots("fuehrungszeugnis", day.date, day.date))[0]?.slots.map((s) => s.start)).toContain(second.start);

      expectNoProblems(problems);
      await context.close();
    },
    TEST_MS,
  );
});

describe("the office's Terminanfragen", () => {
  it(
    "keyboard only: a request is given a free time of the chosen clerk, through a time taken meanwhile; it leaves the queue, enters the calendar and is mailed",
    async () => {
      const [asker, other] = [await verifiedCitizen(env.server.api), await verifiedCitizen(env.server.api)];
      // A wish for a morning three days ahead or later, on a day Herr Becker works mornings (not Tuesday, not the weekend).
      let wish = addDays(berlinToday(), 3);
      while ([0, 2, 6].includes(noon(wish).getUTCDay())) wish = addDays(wish, 1);
      const ask = async (token: string, note?: string) => {
        const res = await apiCall<AppointmentRequest>(env.server.api, TOWN, "POST", "appointments/requests", { serviceId: "beratung", preferences: [{ date: wish, time: "morning" }], ...(note ? { note } : {}) }, token);
        expect(res.status, JSON.stringify(res.json)).toBe(201);
        return res.json;
      };
      const request = await ask(asker.token, "Es geht um eine Gewerbeanmeldung.");
      const rival = await ask(other.token);

      const { context, page, problems } = await newPage(env.browser);
      await openTermine(page);
      await expect.poll(() => text(page, 'office-appointments .tabs a[href="#/termine/anfragen"]')).toBe("Anfragen (2)");
      await tabTo(page, /^A Anfragen \(2\)$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Terminanfragen$/);
      expect(await hash(page)).toBe("#/termine/anfragen");
      expect(await text(page, "#req-count")).toBe("Offene Anfragen (2)");
      // Oldest first, the wish in words.
      const cards = inOffice(page, "li.request");
      expect(await cards.locator("h3").allTextContents()).toEqual([`${asker.name} – Beratungsgespräch (Terminanfrage)`, `${other.name} – Beratungsgespräch (Terminanfrage)`]);
      const card = await text(page, "li.request");
      const wishWords = `${new Intl.DateTimeFormat("de-DE", { timeZone: "UTC", weekday: "short" }).format(noon(wish)).replace(/\.$/, "")}, ${noon(wish).getUTCDate()}. ${new Intl.DateTimeFormat("de-DE", { timeZone: "UTC", month: "long" }).format(noon(wish))}, vormittags`;
      for (const part of [asker.email, wishWords, "Es geht um eine Gewerbeanmeldung."]) expect(card).toContain(part);
      await expectClean(page, "the request queue");

      // The panel opens on its heading; Escape closes it with focus back on its button.
      const give = new RegExp(`^BUTTON#give-${escape(request.id)} Termin geben für ${escape(asker.name)}$`);
      await tabTo(page, give);
      await page.keyboard.press("Enter");
      await waitForFocus(page, new RegExp(`^H4#sched-title Termin geben für ${escape(asker.name)}$`));
      await inOffice(page, "input[name=start]").first().waitFor();
      await page.keyboard.press("Escape");
      await waitForFocus(page, give);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H4#sched-title /);
      await inOffice(page, "input[name=start]").first().waitFor();

      // Who gives it: everyone who offers the service, the first chosen; the arrow keys choose Herr Becker.
      await page.keyboard.press("Tab");
      expect(await focused(page)).toMatch(/^INPUT#sched-clerkId Frau Schulze \(\d+ freie Zeiten?\)$/);
      await page.keyboard.press("ArrowDown");
      expect(await focused(page)).toMatch(/^INPUT Herr Becker \(\d+ freie Zeiten?\)$/);
      await expect.poll(() => text(page, ".sched-times > legend")).toBe("Freie Zeiten: Herr Becker");
      const legends = await inOffice(page, ".sched-day legend").allTextContents();
      expect(legends.some((l) => l.trim() === `${dayName(wish)} – Wunschtag, vormittags`) || (await text(page, ".sched-times")).includes(`${dayName(wish)} – Wunschtag, vormittags: keine freie Zeit`)).toBe(true);
      await expectClean(page, "the schedule panel");

      // No time chosen: said at the times, focus on the first.
      await tabTo(page, /^BUTTON Termin vergeben$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^INPUT#sched-start \d{2}:\d{2}–\d{2}:\d{2} Uhr$/);
      expect(await text(page, "#sched-start-error")).toBe("Bitte wählen Sie eine Uhrzeit.");
      await expectClean(page, "the schedule panel with an error");

      // The first time, which a colleague gives the other request meanwhile.
      await page.keyboard.press("Space");
      const taken = (await inOffice(page, "input[name=start]:checked").getAttribute("value"))!;
      const meanwhile = await officeApi<Appointment>(page, "POST", `office/appointments/requests/${rival.id}/schedule`, { clerkId: "becker", start: taken });
      expect(meanwhile.status, JSON.stringify(meanwhile.json)).toBe(201);
      await tabTo(page, /^BUTTON Termin vergeben$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, ".sched .form-error")).toBe("Dieser Termin ist gerade vergeben worden. Bitte wählen Sie einen anderen; die freien Termine sind aktualisiert.");
      await expect.poll(() => inOffice(page, `input[name=start][value="${taken}"]`).count()).toBe(0);
      expect(await inOffice(page, "input[name=start]:checked").count()).toBe(0);
      expect(await focused(page)).toBe("BUTTON Termin vergeben");

      // Another time: Shift+Tab into the times, Space, and send.
      await page.keyboard.press("Shift+Tab");
      expect(await focused(page)).toMatch(/^INPUT(#sched-start)? \d{2}:\d{2}–\d{2}:\d{2} Uhr$/);
      await page.keyboard.press("Space");
      const start = (await inOffice(page, "input[name=start]:checked").getAttribute("value"))!;
      expect(start).not.toBe(taken);
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");

      // Out of the queue, saying who gets mail; the rival is gone too, answered by the colleague.
      await waitForFocus(page, /^H2#req-count /);
      const flash = await text(page, "office-appointment-requests > .success");
      expect(flash).toMatch(
        new RegExp(
          `^Termin vergeben: ${escape(dayLong(berlinDay(start)))}, ${escape(clock(start))}–\\d{2}:\\d{2} Uhr \\(Herr Becker\\)\\. ${escape(asker.name)} bekommt die Bestätigung mit dem Termin per E-Mail an ${escape(asker.email)}; Herr Becker bekommt eine Kalendereinladung\\. Im Kalender ansehen$`,
        ),
      );
      await expect.poll(() => text(page, "#req-count")).toBe("Keine offenen Anfragen");
      expect(await inOffice(page, "li.request").count()).toBe(0);
      expect(await text(page, "office-appointment-requests .tabs a[aria-current=page]")).toBe("Anfragen (0)");
      await expectClean(page, "the queue after giving the appointment");
      expect((await officeApi<{ items: AppointmentRequest[] }>(page, "GET", "office/appointments/requests")).json.items).toEqual([]);

      // In the calendar, Herr Becker's day.
      await tabTo(page, /^A Im Kalender ansehen$/, { shift: true });
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Termine$/);
      expect(await hash(page)).toBe(`#/termine?date=${berlinDay(start)}&clerk=becker`);
      await calendarShown(page);
      const given = (await calendarOf(page, berlinDay(start))).appointments.find((a) => a.start === start && a.clerkId === "becker" && a.email === asker.email);
      expect(given).toMatchObject({ serviceId: "beratung", status: "confirmed", name: asker.name });
      const shown = await entryText(page, given!.id);
      for (const part of [clock(start), "Beratungsgespräch (Terminanfrage)", asker.email, "Bestätigt"]) expect(shown).toContain(part);

      // The citizen's mail with the invitation at that time; Herr Becker's invitation.
      const mail = await waitForMail(env.server.api, (m) => m.to.includes(asker.email) && m.subject.startsWith("Ihr Termin"), "the mail “Ihr Termin”");
      expect(invitationOf(mail)).toMatchObject({ method: "REQUEST", start: Date.parse(start) });
      const clerkMail = await waitForMail(env.server.api, (m) => m.to.includes("becker@tangerhuette.example") && invitationStart(m) === Date.parse(start), "Herr Becker's invitation");
      expect(invitationOf(clerkMail).uid).toBe(invitationOf(mail).uid);

      // The one 409 of the time taken meanwhile.
      expectNoProblems(problems, [/status of 409/]);
      await context.close();
    },
    TEST_MS * 2,
  );
});

describe("a no-show", () => {
  it(
    "is marked on a confirmed appointment that has begun, and only there",
    async () => {
      const day = await dayWithSlots("personalausweis");
      const booked = await book(booker.token, "personalausweis", day.slots[0]!.start);
      // Begun ten minutes ago: no fake clock reaches the server and nobody can book a time that
      // has begun, so the appointment is moved into the past in the server's database.
      const start = Date.now() - 10 * 60_000;
      const db = new Database(join(env.server.dataDir, "rathaus.sqlite"));
      try {
        db.pragma("busy_timeout = 5000");
        expect(db.prepare("UPDATE appointments SET start_at = ?, end_at = ? WHERE id = ?").run(start, start + 20 * 60_000, booked.id).changes).toBe(1);
        // Its claim on the time it left goes with it (a booking would do both in one write).
        db.prepare("DELETE FROM appointment_cells WHERE appointment_id = ?").run(booked.id);
      } finally {
        db.close();
      }
      const begun = { start: new Date(start).toISOString(), end: new Date(start + 20 * 60_000).toISOString() };
      const today = berlinDay(begun.start);

      const { context, page, problems } = await newPage(env.browser);
      await openTermine(page);
      if (today !== berlinToday()) await showCalendar(page, today);
      await entry(page, booked.id).waitFor();
      expect(await entryText(page, booked.id)).toContain("Bestätigt");
      await expectClean(page, "the calendar with an appointment that has begun");

      const button = new RegExp(`^BUTTON Nicht erschienen: ${escape(booker.name)}, ${escape(span(begun))}$`);
      await tabTo(page, button, { max: 80 });
      await page.keyboard.press("Enter");
      await waitForFocus(page, new RegExp(`^LI#cal-ap-${escape(booked.id)} `));
      await expect.poll(() => text(page, "office-appointments > .success")).toBe(`${booker.name}, ${clock(begun.start)} Uhr: als nicht erschienen vermerkt.`);
      expect(await entryText(page, booked.id)).toContain("Nicht erschienen");
      expect(await entry(page, booked.id).locator("button").count()).toBe(0);
      expect((await calendarOf(page, today)).appointments.find((a) => a.id === booked.id)?.status).toBe("no_show");
      await expectClean(page, "the calendar after a no-show");

      // And in English.
      await inOffice(page, "button").filter({ hasText: "English" }).click();
      await expect.poll(() => text(page, "office-appointments h1")).toBe("Appointments");
      expect(await entryText(page, booked.id)).toContain("Did not come");
      expect(await text(page, ".top nav a[aria-current=page]")).toBe("Appointments");
      await expectClean(page, "the calendar in English");

      expectNoProblems(problems);
      await context.close();
    },
    TEST_MS,
  );
});

describe("cancelling from the office", () => {
  it(
    "cancels an appointment that has not begun, keyboard only, with a reason the citizen reads; the time is free again",
    async () => {
      // The day's last free time: the other tests book the first ones (every test citizen has the same name).
      const day = await dayWithSlots("meldebescheinigung");
      const slot = day.slots.at(-1)!;
      // A citizen of this test's own: the button names whom it cancels.
      const citizen = await verifiedCitizen(env.server.api);
      const booked = await book(citizen.token, "meldebescheinigung", slot.start);
      const { context, page, problems } = await newPage(env.browser);
      await openTermine(page);
      await showCalendar(page, day.date);
      await entry(page, booked.id).waitFor();

      await tabTo(page, new RegExp(`^BUTTON Absagen: ${escape(citizen.name)}, ${escape(span(slot))}$`), { max: 120 });
      await page.keyboard.press("Enter");
      await waitForFocus(page, new RegExp(`^TEXTAREA#cal-reason-${escape(booked.id)}`));
      await expectClean(page, "the question before cancelling");
      // Without a reason: said at the field, nothing cancelled.
      await tabTo(page, /^BUTTON Ja, Termin absagen$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, new RegExp(`^TEXTAREA#cal-reason-${escape(booked.id)}`));
      expect(await entryText(page, booked.id)).toContain("Bitte nennen Sie einen Grund");
      await page.keyboard.type("Die Sachbearbeiterin ist erkrankt.");
      await tabTo(page, /^BUTTON Ja, Termin absagen$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, "office-appointments > .success")).toContain(`Der Termin von ${citizen.name} um ${clock(slot.start)} Uhr ist abgesagt.`);
      expect(await entry(page, booked.id).count()).toBe(0);
      await expectClean(page, "the calendar after cancelling");

      const mail = await waitForMail(env.server.api, (m) => m.to.includes(citizen.email) && m.subject.startsWith("Abgesagt") && m.text.includes("Die Sachbearbeiterin ist erkrankt."), "the cancellation with its reason");
      expect(invitationOf(mail).method).toBe("CANCEL");
      expect((await freeSlots("meldebescheinigung", day.date, day.date))[0]!.slots).toContainEqual(slot);
      expectNoProblems(problems);
      await context.close();
    },
    TEST_MS,
  );
});
