/**
 * "Termine" in Chromium against the real server. Without an account, keyboard only on a 375 px
 * phone: Meldebescheinigung → a day → its first time → name and e-mail → "Bitte bestätigen"; the
 * mail's link confirms it (the server's page and its button), the mail "Ihr Termin" carries the
 * invitation (read with ical.js), and its cancel link frees the time again. With an account: a time
 * taken by someone else meanwhile shows the day's times as they are now, the next one is booked at
 * once, listed under "Meine Termine" and cancelled there. A Terminanfrage without an account
 * (preferred days, a day the server refuses shown at its field, the proof of work solved on the
 * page) reaches the office's queue. Moving under "Meine Termine": day, time, check; a time taken
 * meanwhile, an appointment cancelled meanwhile and one past the cut-off each say so; the moved
 * one shows its new time, the old one is free again, the mail "Verschoben" carries the changed
 * invitation. axe-core on every screen.
 *
 * The times are read from the widget and checked against the API, so the tests follow the demo
 * town's opening hours and clerks as they change.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Appointment, AppointmentList, AppointmentRequestList, SlotDays } from "../../server/appointments/api-types.js";
import { parseInvitation } from "../support/ics.js";
import { type PageProblems, axe, describeViolations, focused, newPage, panelText, tabTo, useE2e, waitForFocus, waitForWidget } from "./browser.js";
import { type CaughtMail, STAFF, apiCall, verifiedCitizen, waitForMail } from "./server.js";
import { TEST_MS, WAIT_MS } from "./timeouts.js";

const env = useE2e();
const TOWN = "tangerhuette";

/** What the dev mail catcher (server/node/mail-catcher.ts) lists beside what CaughtMail names. */
type MailWithAttachments = CaughtMail & { attachments: Array<{ filename: string; contentType: string; contentBase64: string }> };

const inWidget = (page: Page, selector: string) => page.locator(`digitales-rathaus ${selector}`);
const buttonIn = (page: Page, text: string) => page.locator("digitales-rathaus button", { hasText: text });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const berlinToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date());
const noon = (day: string) => new Date(`${day}T12:00:00Z`);
/** As the widget names a day on its button: "Dienstag, 1. Dezember". */
const dayLabel = (day: string) => new Intl.DateTimeFormat("de-DE", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" }).format(noon(day));
const clock = (iso: string) => new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
const isTuesday = (day: string) => noon(day).getUTCDay() === 2;

async function expectClean(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

/** Nothing sticks out sideways in the panel's body. */
async function noOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const body = document.querySelector("digitales-rathaus")!.shadowRoot!.querySelector("dr-panel")!.shadowRoot!.querySelector<HTMLElement>(".body")!;
    return body.scrollWidth - body.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
}

/** `expected`: console errors the test causes on purpose (Chromium logs every 4xx answer). */
function expectNoProblems(problems: PageProblems, expected: RegExp[] = []) {
  const left = [...expected];
  const console = problems.console.filter((m) => {
    const i = left.findIndex((re) => re.test(m));
    if (i >= 0) left.splice(i, 1);
    return i < 0;
  });
  expect({ errors: problems.errors, csp: problems.csp, console }).toEqual({ errors: [], csp: [], console: [] });
}

/** The free slots of one Berlin day, as the API lists them now. */
async function slotsOn(serviceId: string, day: string) {
  const res = await apiCall<SlotDays>(env.server.api, TOWN, "GET", `appointments/services/${serviceId}/slots?from=${day}&to=${day}`);
  expect(res.status).toBe(200);
  return res.json.days.find((d) => d.date === day)?.slots ?? [];
}

/** The days the widget offers, in order (once loaded). */
async function offeredDays(page: Page): Promise<string[]> {
  await expect.poll(() => inWidget(page, "button[data-day]").count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
  return inWidget(page, "button[data-day]").evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.day!));
}

/**
 * A Tuesday after today: in the demo town only Frau Schulze works on Tuesday mornings, so one
 * booking of its first time takes it (the test of "free again" would prove nothing otherwise).
 */
async function aTuesday(page: Page): Promise<string> {
  const today = berlinToday();
  const day = (await offeredDays(page)).find((d) => d > today && isTuesday(d));
  if (!day) throw new Error("no Tuesday offered in the first weeks");
  return day;
}

function linkIn(text: string, path: RegExp): string {
  const url = new RegExp(`https?://\\S+${path.source}`).exec(text)?.[0];
  if (!url) throw new Error(`no link matching ${path} in:\n${text}`);
  return url;
}

function invitationOf(mail: CaughtMail) {
  const ics = (mail as MailWithAttachments).attachments?.find((a) => a.contentType.startsWith("text/calendar"));
  if (!ics) throw new Error(`no text/calendar attachment in “${mail.subject}”`);
  return parseInvitation(Buffer.from(ics.contentBase64, "base64").toString("utf8"));
}

/** The town page with a stored session, as after an earlier login. */
async function withSession(page: Page, token: string) {
  await page.goto(`${env.server.demo}/${TOWN}/`);
  await page.evaluate(([k, t]) => localStorage.setItem(k!, t!), [`digitales-rathaus:${env.server.api}:${TOWN}`, token]);
  await page.goto("about:blank");
  await page.goto(`${env.server.demo}/${TOWN}/`);
  await waitForWidget(page);
}

/** From the closed widget: launcher → "Termine", with the keyboard. */
async function openTermine(page: Page) {
  await tabTo(page, /^BUTTON Digitales Rathaus/);
  await page.keyboard.press("Enter");
  await waitForFocus(page, /^H3 (Nachrichten|Mein Postfach)$/);
  await tabTo(page, /^BUTTON Termine$/, { shift: true });
  await page.keyboard.press("Enter");
  await waitForFocus(page, /^H3 Termine$/);
  await expect.poll(() => panelText(page)).toContain("Meldebescheinigung");
}

describe("a booking without an account", () => {
  it("keyboard only on a phone: services, day, time, name and e-mail; confirmed by the mail's link, cancelled by the other", async () => {
    const { page, context, problems } = await newPage(env.browser, { viewport: { width: 375, height: 740 }, hasTouch: true });
    const email = `termin.${Date.now().toString(36)}@example.org`;
    await page.goto(`${env.server.demo}/${TOWN}/`);
    await waitForWidget(page);
    await openTermine(page);

    // The services: duration, what to bring, and the one given on request with the town's phone.
    const list = await panelText(page);
    for (const text of ["Meldebescheinigung", "Dauer: etwa 10 Minuten", "Bitte mitbringen", "Termine für dieses Anliegen vergeben wir auf Anfrage", "03935 9300-0"]) expect(list).toContain(text);
    expect(await inWidget(page, "dr-panel nav button[aria-current=page]").textContent()).toMatch(/^\s*Termine\s*$/);
    await noOverflow(page);
    await expectClean(page, "the services");

    // A day.
    await tabTo(page, /^BUTTON Meldebescheinigung$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Tag wählen$/);
    const day = await aTuesday(page);
    await noOverflow(page);
    await expectClean(page, "the days");
    await tabTo(page, new RegExp(`^BUTTON ${escape(dayLabel(day))} \\d+ freie Zeit`), { max: 80 });
    await page.keyboard.press("Enter");

    // Its first time, as the API lists it.
    await waitForFocus(page, /^H4 Uhrzeit wählen$/);
    const start = await inWidget(page, "button[data-slot]").first().getAttribute("data-slot");
    const slot = (await slotsOn("meldebescheinigung", day)).find((s) => s.start === start);
    expect(slot, `${start} is not among the API's free slots of ${day}`).toBeDefined();
    await noOverflow(page);
    await expectClean(page, "the times of a day");
    await tabTo(page, new RegExp(`^BUTTON ${clock(slot!.start)} bis ${clock(slot!.end)} Uhr$`));
    await page.keyboard.press("Enter");

    // Check and book: the summary with what to bring, name and e-mail, the proof solved meanwhile.
    await waitForFocus(page, /^H4 Termin prüfen und buchen$/);
    const summary = await panelText(page);
    for (const text of ["Meldebescheinigung", dayLabel(day), `${clock(slot!.start)}–${clock(slot!.end)} Uhr`, "Bürgerbüro Tangerhütte", "Bitte mitbringen"]) expect(summary).toContain(text);
    await noOverflow(page);
    await expectClean(page, "the confirm step");
    await tabTo(page, /^INPUT#ap-name /);
    await page.keyboard.type("Erika Mustermann");
    await tabTo(page, /^INPUT#ap-email /);
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");

    await waitForFocus(page, /^H4 Bitte bestätigen Sie Ihren Termin$/);
    expect(await panelText(page)).toContain(`Bitte bestätigen Sie den Termin über den Link in der E-Mail innerhalb von 30 Minuten. Wir haben sie an ${email} gesendet.`);
    await noOverflow(page);
    await expectClean(page, "the result (pending)");
    // Held while it waits for the confirmation.
    expect((await slotsOn("meldebescheinigung", day)).map((s) => s.start)).not.toContain(slot!.start);

    // The confirmation link: a page whose button confirms.
    const ask = await waitForMail(env.server.api, (m) => m.to.includes(email) && m.subject.startsWith("Bitte bestätigen"), "the mail “Bitte bestätigen”");
    const confirmUrl = linkIn(ask.text, /\/confirm\?token=[\w-]+/);
    await page.goto(confirmUrl);
    await page.getByRole("button", { name: "Ja, Termin bestätigen" }).click();
    await page.getByRole("heading", { name: "Ihr Termin ist bestätigt" }).waitFor();

    // "Ihr Termin" with the invitation for the calendar: the time chosen, METHOD:REQUEST.
    const booked = await waitForMail(env.server.api, (m) => m.to.includes(email) && m.subject.startsWith("Ihr Termin"), "the mail “Ihr Termin”");
    const invitation = invitationOf(booked);
    expect(invitation.method).toBe("REQUEST");
    expect(invitation.start).toBe(Date.parse(slot!.start));
    expect(invitation.end).toBe(Date.parse(slot!.end));
    expect((await slotsOn("meldebescheinigung", day)).map((s) => s.start)).not.toContain(slot!.start);

    // Its cancel link: a page whose button cancels; the time is free again at once.
    await page.goto(linkIn(booked.text, /\/cancel\?token=[\w-]+/));
    await page.getByRole("button", { name: "Ja, Termin absagen" }).click();
    await page.getByRole("heading", { name: "Ihr Termin ist abgesagt" }).waitFor();
    expect((await slotsOn("meldebescheinigung", day)).map((s) => s.start)).toContain(slot!.start);
    const cancelled = await waitForMail(env.server.api, (m) => m.to.includes(email) && m.subject.startsWith("Abgesagt"), "the mail “Abgesagt”");
    expect(invitationOf(cancelled)).toMatchObject({ method: "CANCEL", uid: invitation.uid });

    expectNoProblems(problems);
    await context.close();
  }, TEST_MS * 2);
});

describe("a booking with an account", () => {
  it("a time taken meanwhile shows the day afresh; the next is booked at once, listed under Meine Termine and cancelled there", async () => {
    const citizen = await verifiedCitizen(env.server.api);
    const other = await verifiedCitizen(env.server.api);
    const { page, context, problems } = await newPage(env.browser);
    await withSession(page, citizen.token);
    await openTermine(page);

    await inWidget(page, "button[data-service=personalausweis]").click();
    await waitForFocus(page, /^H4 Tag wählen$/);
    const day = await aTuesday(page);
    await inWidget(page, `button[data-day="${day}"]`).click();
    await waitForFocus(page, /^H4 Uhrzeit wählen$/);
    const [first, second] = await inWidget(page, "button[data-slot]").evaluateAll((bs) => bs.slice(0, 2).map((b) => (b as HTMLElement).dataset.slot!));
    expect(second, "two free times on that day").toBeDefined();
    await inWidget(page, `button[data-slot="${first}"]`).click();
    await waitForFocus(page, /^H4 Termin prüfen und buchen$/);
    // With the session: no name, no e-mail, no proof of work.
    expect(await panelText(page)).toContain(`Die Bestätigung mit dem Termin für Ihren Kalender geht an ${citizen.email}.`);
    expect(await inWidget(page, "#ap-name").count()).toBe(0);

    // Someone else takes that time first.
    const taken = await apiCall<Appointment>(env.server.api, TOWN, "POST", "appointments/bookings", { serviceId: "personalausweis", start: first }, other.token);
    expect(taken.status, JSON.stringify(taken.json)).toBe(201);
    await tabTo(page, /^BUTTON Termin buchen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Uhrzeit wählen$/);
    expect(await panelText(page)).toContain("Diese Uhrzeit hat gerade jemand anderes gebucht. Bitte wählen Sie eine andere");
    const fresh = await inWidget(page, "button[data-slot]").evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.slot!));
    expect(fresh).not.toContain(first);
    expect(fresh).toEqual((await slotsOn("personalausweis", day)).map((s) => s.start));
    await expectClean(page, "a time taken meanwhile");

    // The next one: booked at once, with the calendar file behind "In den Kalender übernehmen".
    await inWidget(page, `button[data-slot="${fresh[0]}"]`).click();
    await waitForFocus(page, /^H4 Termin prüfen und buchen$/);
    await tabTo(page, /^BUTTON Termin buchen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Ihr Termin ist gebucht$/);
    await expectClean(page, "the result (booked)");
    const calendarUrl = await page.locator("digitales-rathaus a", { hasText: "In den Kalender übernehmen" }).first().getAttribute("href");
    const ics = await fetch(calendarUrl!);
    expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);
    const invitation = parseInvitation(await ics.text());
    expect(invitation.method).toBe("REQUEST");
    expect(invitation.start).toBe(Date.parse(fresh[0]!));

    // "Meine Termine": listed, cancelled after asking once.
    await tabTo(page, /^BUTTON Zu meinen Terminen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Meine Termine$/);
    await expect.poll(() => panelText(page)).toContain("Personalausweis beantragen");
    expect(await panelText(page)).toContain(`${clock(fresh[0]!)}–`);
    await expectClean(page, "Meine Termine");
    const theme = (t: string) => page.evaluate((v) => document.querySelector("digitales-rathaus")!.setAttribute("theme", v), t);
    await theme("dark");
    await expectClean(page, "Meine Termine, dark theme");
    await theme("light");
    await tabTo(page, /^BUTTON Absagen: Personalausweis beantragen/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^P#cancel-q-ap_\S+ Möchten Sie den Termin „Personalausweis beantragen, .+“ wirklich absagen\?$/);
    await expectClean(page, "the question before cancelling");
    await tabTo(page, /^BUTTON Ja, Termin absagen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^P Ihr Termin „Personalausweis beantragen, .+“ ist abgesagt\. Die Zeit ist wieder frei\.$/);
    expect(await panelText(page)).toContain("Sie haben keine kommenden Termine.");
    const mine = await apiCall<AppointmentList>(env.server.api, TOWN, "GET", "me/appointments", undefined, citizen.token);
    expect(mine.json.items.map((a) => a.status)).toEqual(["cancelled"]);
    expect((await slotsOn("personalausweis", day)).map((s) => s.start)).toContain(fresh[0]);
    expect(await focused(page)).toMatch(/ist abgesagt/);

    // The one 409 of the time taken meanwhile.
    expectNoProblems(problems, [/status of 409/]);
    await context.close();
  }, TEST_MS * 2);
});

// ---- Terminanfrage ----

const addDays = (day: string, n: number) => {
  const d = noon(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
/** As the widget names a day in full: "Dienstag, 1. Dezember 2026". */
const dayLong = (day: string) => new Intl.DateTimeFormat("de-DE", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(noon(day));

/** The office's API with its cookie session, as the office page uses it. */
async function officeGet<T>(path: string, who: { email: string; password: string }) {
  const base = `${env.server.api}/api/v1/tenants/${TOWN}`;
  const login = await fetch(`${base}/office/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(who) });
  expect(login.status, `office login of ${who.email}`).toBe(200);
  // The session cookie is Secure; outside a browser it is handed on by hand.
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${base}/${path}`, { headers: { Cookie: cookie } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/**
 * A date input, as typed: Chromium orders its segments by its own UI language (not the page's),
 * so the test sets the ISO value with the input focused instead of typing digits.
 */
async function chooseDate(page: Page, id: string, day: string) {
  await tabTo(page, new RegExp(`^INPUT#${id} `));
  await inWidget(page, `#${id}`).fill(day);
}

/** The field's error, as its control points to it. */
async function fieldError(page: Page, id: string) {
  return inWidget(page, `#${id}`).evaluate((el) => {
    const ids = (el.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x.endsWith("-error"));
    const root = el.getRootNode() as ShadowRoot;
    return { invalid: el.getAttribute("aria-invalid"), error: ids.map((x) => root.getElementById(x)?.textContent?.trim() ?? `#${x} missing`).join(" ") };
  });
}

describe("a Terminanfrage without an account", () => {
  it("keyboard only on a phone: preferred days, a day refused by the server shown at its field, sent with the proof; in the office's queue", async () => {
    const { page, context, problems } = await newPage(env.browser, { viewport: { width: 375, height: 740 }, hasTouch: true });
    const email = `anfrage.${Date.now().toString(36)}@example.org`;
    const today = berlinToday();
    const [first, tooLate, third] = [addDays(today, 7), addDays(today, 70), addDays(today, 15)];
    await page.goto(`${env.server.demo}/${TOWN}/`);
    await waitForWidget(page);
    await openTermine(page);

    await tabTo(page, /^BUTTON Beratungsgespräch \(Terminanfrage\)$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Termin anfragen$/);
    // Today to the end of the eight weeks the town books ahead.
    expect(await inWidget(page, "#rq-date-0").evaluate((el) => [el.getAttribute("min"), el.getAttribute("max")])).toEqual([today, addDays(today, 56)]);
    expect(await panelText(page)).toContain(`Möglich sind Tage von heute bis ${dayLong(addDays(today, 56))}.`);
    expect(await panelText(page)).toContain("03935 9300-0");
    await noOverflow(page);
    await expectClean(page, "the request form");

    // Nothing given: the summary names what is missing and takes the focus; nothing is sent.
    await tabTo(page, /^BUTTON Anfrage senden$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^DIV Bitte prüfen Sie Ihre Angaben:/);
    expect(await fieldError(page, "rq-date-0")).toEqual({ invalid: "true", error: "Bitte wählen Sie mindestens einen Wunschtag." });
    expect(await fieldError(page, "rq-name")).toEqual({ invalid: "true", error: "Bitte geben Sie Ihren Namen an." });
    await expectClean(page, "the request form, nothing given");

    // The first and the third row; the third beyond the town's weeks. With the keyboard from the top.
    await tabTo(page, /^A Bitte wählen Sie mindestens einen Wunschtag\.$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^INPUT#rq-date-0 /);
    await chooseDate(page, "rq-date-0", first);
    await tabTo(page, /^SELECT#rq-time-0 Tageszeit$/);
    await page.keyboard.press("ArrowDown");
    expect(await inWidget(page, "#rq-time-0").inputValue()).toBe("morning");
    await chooseDate(page, "rq-date-2", tooLate);
    await tabTo(page, /^TEXTAREA#rq-note /);
    await page.keyboard.type("Es geht um einen Zuzug mit Familie.");
    await tabTo(page, /^INPUT#rq-name /);
    await page.keyboard.type("Erika Mustermann");
    await tabTo(page, /^INPUT#rq-email /);
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");

    // The server refuses the second day it was sent: shown at the third row, where it was chosen.
    await waitForFocus(page, /^DIV Bitte prüfen Sie Ihre Angaben: Bitte wählen Sie einen Tag ab heute innerhalb der nächsten Wochen\.$/);
    expect(await fieldError(page, "rq-date-2")).toEqual({ invalid: "true", error: "Bitte wählen Sie einen Tag ab heute innerhalb der nächsten Wochen." });
    expect(await fieldError(page, "rq-date-0")).toEqual({ invalid: "false", error: "" });
    expect(await fieldError(page, "rq-name")).toEqual({ invalid: "false", error: "" });
    await noOverflow(page);
    await expectClean(page, "a day refused at its field");
    const theme = (t: string) => page.evaluate((v) => document.querySelector("digitales-rathaus")!.setAttribute("theme", v), t);
    await theme("dark");
    await expectClean(page, "a day refused at its field, dark theme");
    await theme("light");

    // From the summary's link to the field, corrected, sent.
    await tabTo(page, /^A Bitte wählen Sie einen Tag ab heute/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^INPUT#rq-date-2 /);
    await inWidget(page, "#rq-date-2").fill(third);
    await tabTo(page, /^BUTTON Anfrage senden$/);
    await page.keyboard.press("Enter");

    await waitForFocus(page, /^H4 Ihre Anfrage ist eingegangen$/);
    const done = await panelText(page);
    expect(done).toContain(`Das Bürgerbüro meldet sich mit einem Termin per E-Mail an ${email}.`);
    for (const text of ["Beratungsgespräch (Terminanfrage)", `${dayLong(first)}, vormittags`, `${dayLong(third)}, egal`, "Es geht um einen Zuzug mit Familie."]) expect(done).toContain(text);
    await noOverflow(page);
    await expectClean(page, "the request sent");

    // In the coordinators' queue, as the citizen chose it.
    const queue = await officeGet<AppointmentRequestList>("office/appointments/requests", { email: `admin@${TOWN}.example`, password: STAFF.password });
    expect(queue.items.filter((r) => r.email === email)).toEqual([
      expect.objectContaining({
        serviceId: "beratung",
        status: "open",
        name: "Erika Mustermann",
        note: "Es geht um einen Zuzug mit Familie.",
        preferences: [
          { date: first, time: "morning" },
          { date: third, time: "any" },
        ],
      }),
    ]);

    // Back to the services, on the one just asked for.
    await tabTo(page, /^BUTTON Zur Übersicht der Anliegen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Termine$/);

    // The refused day (400) is the one answer Chromium logs.
    expectNoProblems(problems, [/status of 400/]);
    await context.close();
  }, TEST_MS * 2);
});

// ---- Verschieben ----

/**
 * A Tuesday after today other than `not` with at least two free times of the service, as the API
 * lists them: one clerk then, so a time booked by someone else is gone (see aTuesday).
 */
async function anotherTuesday(serviceId: string, not: string) {
  const from = addDays(berlinToday(), 1);
  const res = await apiCall<SlotDays>(env.server.api, TOWN, "GET", `appointments/services/${serviceId}/slots?from=${from}&to=${addDays(from, 34)}`);
  const day = res.json.days.find((d) => d.date !== not && isTuesday(d.date) && d.slots.length >= 2);
  if (!day) throw new Error(`no other Tuesday with two free times of ${serviceId} in five weeks`);
  return day.date;
}

/** Books the first free time of a Tuesday after today for the citizen, through the API. */
async function bookedTuesday(serviceId: string, token: string) {
  const from = addDays(berlinToday(), 1);
  const res = await apiCall<SlotDays>(env.server.api, TOWN, "GET", `appointments/services/${serviceId}/slots?from=${from}&to=${addDays(from, 27)}`);
  const day = res.json.days.find((d) => isTuesday(d.date) && d.slots.length > 0);
  if (!day) throw new Error("no Tuesday with a free time in four weeks");
  const booked = await apiCall<Appointment>(env.server.api, TOWN, "POST", "appointments/bookings", { serviceId, start: day.slots[0]!.start }, token);
  expect(booked.status, JSON.stringify(booked.json)).toBe(201);
  return booked.json;
}

/** "Meine Termine" → "Verschieben" of the appointment → `day` → its first time → the check, with clicks. */
async function toMoveCheck(page: Page, a: Appointment, day: string) {
  await inWidget(page, `button[data-move="${a.id}"]`).click();
  await waitForFocus(page, /^H4 Tag wählen$/);
  await inWidget(page, `button[data-day="${day}"]`).click();
  await waitForFocus(page, /^H4 Uhrzeit wählen$/);
  await inWidget(page, "button[data-slot]").first().click();
  await waitForFocus(page, /^H4 Termin verschieben auf /);
}

async function openMine(page: Page) {
  await openTermine(page);
  await tabTo(page, /^BUTTON Meine Termine$/);
  await page.keyboard.press("Enter");
  await waitForFocus(page, /^H3 Meine Termine$/);
}

describe("moving an appointment with an account", () => {
  it("keyboard only on a phone: day, time, check; a time taken meanwhile shows the day afresh; moved, the old time is free, the mail carries the changed invitation", async () => {
    const citizen = await verifiedCitizen(env.server.api);
    const other = await verifiedCitizen(env.server.api);
    const old = await bookedTuesday("personalausweis", citizen.token);
    const oldDay = old.start.slice(0, 10);
    const booked = invitationOf(await waitForMail(env.server.api, (m) => m.to.includes(citizen.email) && m.subject.startsWith("Ihr Termin"), "the mail “Ihr Termin”"));
    const newDay = await anotherTuesday("personalausweis", oldDay);

    const { page, context, problems } = await newPage(env.browser, { viewport: { width: 375, height: 740 }, hasTouch: true });
    await withSession(page, citizen.token);
    await openMine(page);
    await expect.poll(() => panelText(page)).toContain("Online verschieben oder absagen bis");
    await tabTo(page, /^BUTTON Verschieben: Personalausweis beantragen, /);
    await page.keyboard.press("Enter");

    // The booking's own choice of day and time, for the same service; back leads to Meine Termine.
    await waitForFocus(page, /^H4 Tag wählen$/);
    expect(await panelText(page)).toContain("Zurück zu Meine Termine");
    expect(await offeredDays(page)).toContain(newDay);
    await noOverflow(page);
    await expectClean(page, "moving: the days");
    await tabTo(page, new RegExp(`^BUTTON ${escape(dayLabel(newDay))} \\d+ freie Zeit`), { max: 80 });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Uhrzeit wählen$/);
    const first = await inWidget(page, "button[data-slot]").first().getAttribute("data-slot");
    await tabTo(page, new RegExp(`^BUTTON ${clock(first!)} bis `));
    await page.keyboard.press("Enter");

    // The check: from when to when.
    await waitForFocus(page, new RegExp(`^H4 Termin verschieben auf ${escape(dayLong(newDay))}, ${clock(first!)} Uhr$`));
    const check = await panelText(page);
    for (const text of ["Personalausweis beantragen", "Bisher", `${dayLong(oldDay)}, ${clock(old.start)}–${clock(old.end)} Uhr`, "Neu", "Bürgerbüro Tangerhütte", `Die bisherige Zeit wird wieder frei.`]) {
      expect(check).toContain(text);
    }
    await noOverflow(page);
    await expectClean(page, "moving: the check");

    // Someone else takes that time first: the day's times as they are now.
    const taken = await apiCall<Appointment>(env.server.api, TOWN, "POST", "appointments/bookings", { serviceId: "personalausweis", start: first }, other.token);
    expect(taken.status, JSON.stringify(taken.json)).toBe(201);
    await tabTo(page, /^BUTTON Ja, Termin verschieben$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Uhrzeit wählen$/);
    expect(await panelText(page)).toContain("Diese Uhrzeit hat gerade jemand anderes gebucht. Bitte wählen Sie eine andere");
    const fresh = await inWidget(page, "button[data-slot]").evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.slot!));
    expect(fresh).not.toContain(first);
    expect(fresh).toEqual((await slotsOn("personalausweis", newDay)).map((s) => s.start));
    await tabTo(page, new RegExp(`^BUTTON ${clock(fresh[0]!)} bis `));
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Termin verschieben auf /);
    await tabTo(page, /^BUTTON Ja, Termin verschieben$/);
    await page.keyboard.press("Enter");

    // Meine Termine: the new time, said and listed.
    await waitForFocus(page, new RegExp(`^P Ihr Termin „Personalausweis beantragen“ ist verschoben auf ${escape(dayLong(newDay))}, ${clock(fresh[0]!)}–`));
    const list = await panelText(page);
    expect(list).toContain(`${clock(fresh[0]!)}–`);
    expect(list).not.toContain(dayLong(oldDay));
    await noOverflow(page);
    await expectClean(page, "Meine Termine after moving");

    // The same appointment at the new time; the old time free again, the new one taken.
    const mine = await apiCall<AppointmentList>(env.server.api, TOWN, "GET", "me/appointments", undefined, citizen.token);
    expect(mine.json.items.map((a) => ({ id: a.id, start: a.start, status: a.status }))).toEqual([{ id: old.id, start: fresh[0], status: "confirmed" }]);
    expect((await slotsOn("personalausweis", oldDay)).map((s) => s.start)).toContain(old.start);
    expect((await slotsOn("personalausweis", newDay)).map((s) => s.start)).not.toContain(fresh[0]);

    // "Verschoben" with the changed invitation: the same event, a later sequence, the new time.
    const moved = await waitForMail(env.server.api, (m) => m.to.includes(citizen.email) && m.subject.startsWith("Verschoben"), "the mail “Verschoben”");
    const invitation = invitationOf(moved);
    expect(invitation).toMatchObject({ method: "REQUEST", uid: booked.uid, start: Date.parse(fresh[0]!) });
    expect(invitation.sequence).toBeGreaterThan(booked.sequence);

    // The one 409 of the time taken meanwhile.
    expectNoProblems(problems, [/status of 409/]);
    await context.close();
  }, TEST_MS * 2);

  it("an appointment cancelled meanwhile, or past the cut-off, cannot be moved: said at the check, with the phone", async () => {
    const citizen = await verifiedCitizen(env.server.api);
    const a = await bookedTuesday("meldebescheinigung", citizen.token);
    const b = await bookedTuesday("fuehrungszeugnis", citizen.token);
    const day = await anotherTuesday("meldebescheinigung", a.start.slice(0, 10));
    const { page, context, problems } = await newPage(env.browser);
    await withSession(page, citizen.token);
    await openMine(page);
    await expect.poll(() => inWidget(page, "button[data-move]").count()).toBe(2);

    // Cancelled elsewhere (the mail's link) while the citizen chose the new time.
    await toMoveCheck(page, a, day);
    expect((await apiCall(env.server.api, TOWN, "POST", `me/appointments/${a.id}/cancel`, undefined, citizen.token)).status).toBe(200);
    await buttonIn(page, "Ja, Termin verschieben").click();
    await waitForFocus(page, /^DIV#move-error Dieser Termin ist bereits abgesagt\.$/);
    expect(await buttonIn(page, "Ja, Termin verschieben").count()).toBe(0);
    await expectClean(page, "moving: cancelled meanwhile");
    await buttonIn(page, "Zurück zu Meine Termine").click();
    await waitForFocus(page, /^H3 Meine Termine$/);
    await expect.poll(() => inWidget(page, "button[data-move]").count()).toBe(1);

    // Past the cut-off by the time it is sent: the server's answer, as the contract gives it.
    const day2 = await anotherTuesday("fuehrungszeugnis", b.start.slice(0, 10));
    await toMoveCheck(page, b, day2);
    await page.route(`${env.server.api}/api/v1/tenants/${TOWN}/me/appointments/${b.id}/move`, (route) =>
      route.fulfill({
        status: 409,
        headers: { "Access-Control-Allow-Origin": env.server.demo, "Content-Type": "application/json" },
        body: JSON.stringify({ error: { code: "move_too_late", message: "This appointment can no longer be moved online. Please call us." } }),
      }),
    );
    await buttonIn(page, "Ja, Termin verschieben").click();
    await waitForFocus(page, /^DIV#move-error Der Termin kann online nicht mehr verschoben werden\. Bitte rufen Sie uns an\. Telefon: 03935 9300-0/);
    expect(await inWidget(page, "#move-error a[href^='tel:']").getAttribute("href")).toBe("tel:0393593000");
    await expectClean(page, "moving: too late");
    await buttonIn(page, "Zurück zu Meine Termine").click();
    await waitForFocus(page, /^BUTTON Verschieben: Führungszeugnis/);

    expectNoProblems(problems, [/status of 409/, /status of 409/]);
    await context.close();
  }, TEST_MS * 2);
});
