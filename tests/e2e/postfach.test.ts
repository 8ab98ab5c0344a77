/**
 * "Mein Postfach" in Chromium against the real server: a citizen's Hundesteuer (sent through the
 * API) gets a Rückfrage from a clerk (office API, cookie session with CSRF token); the citizen sees
 * the launcher's badge, opens the Postfach, answers with text and a PDF, keyboard only on a 375 px
 * screen; the clerk approves with a Bescheid PDF, and the citizen, following the mail's link,
 * downloads it byte for byte. The notification mails say only that something is new. axe on the
 * Postfach, its reply form with an error, and its error state; the mail's link after a login.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { OfficeSession, OfficeSubmissionDetail, StaffMember } from "../../server/office/api-types.js";
import type { MailboxPage } from "../../server/mailbox/api-types.js";
import { hundesteuerData, idempotencyKey, pdfBytes } from "../api/form-flows.js";
import { axe, describeViolations, focused, logInWithKeyboard, newPage, panelText, tabTo, useE2e, waitForFocus, waitForWidget } from "./browser.js";
import { type CaughtMail, STAFF, apiCall, verifiedCitizen, waitForMail } from "./server.js";
import { HOOK_MS, TEST_MS, WAIT_MS } from "./timeouts.js";

const env = useE2e();
const TOWN = "tangerhuette";
const ADMIN = { email: `admin@${TOWN}.example`, password: STAFF.password };

// ---- the clerk: the office API with its cookie session ----

interface Office {
  session: OfficeSession;
  call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
  upload<T>(path: string, file: { bytes: Uint8Array; name: string; type: string }): Promise<{ status: number; json: T }>;
  download(path: string): Promise<{ status: number; bytes: Buffer }>;
}

async function officeLogin(who: { email: string; password: string }): Promise<Office> {
  const base = `${env.server.api}/api/v1/tenants/${TOWN}`;
  const res = await fetch(`${base}/office/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(who) });
  expect(res.status, `office login of ${who.email}`).toBe(200);
  // The session cookie is Secure; outside a browser it is handed on by hand.
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const session = (await res.json()) as OfficeSession;
  const headers = (extra: Record<string, string> = {}) => ({ Cookie: cookie, "X-CSRF-Token": session.csrfToken, ...extra });
  const parse = async <T>(r: Response) => {
    const text = await r.text();
    return { status: r.status, json: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    session,
    call: async (method, path, body) =>
      parse(await fetch(`${base}/${path}`, { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }), ...(body === undefined ? {} : { body: JSON.stringify(body) }) })),
    upload: async (path, file) => {
      const form = new FormData();
      form.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name);
      return parse(await fetch(`${base}/${path}`, { method: "POST", headers: headers(), body: form }));
    },
    download: async (path) => {
      const r = await fetch(`${base}/${path}`, { headers: headers() });
      return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()) };
    },
  };
}

// ---- scene ----

let citizen: Awaited<ReturnType<typeof verifiedCitizen>>;
let clerk: Office;
let submission: { id: string; reference: string };
let formTitle: string;

/** A Hundesteuer with two dogs and an IBAN, sent through the API as the citizen. */
async function sendHundesteuer(token: string) {
  const def = await apiCall<{ version: number; title: { de: string } }>(env.server.api, TOWN, "GET", "forms/hundesteuer");
  formTitle = def.json.title.de;
  const res = await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/forms/hundesteuer/submissions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": idempotencyKey() },
    body: JSON.stringify({ data: hundesteuerData({ dogs: 2 }), version: def.json.version }),
  });
  const receipt = (await res.json()) as { id: string; reference: string };
  expect(res.status, JSON.stringify(receipt)).toBe(201);
  return receipt;
}

beforeAll(async () => {
  citizen = await verifiedCitizen(env.server.api);
  submission = await sendHundesteuer(citizen.token);
  // The demo clerk works for the Kämmerei, whose form the Hundesteuer is.
  const admin = await officeLogin(ADMIN);
  const staff = await admin.call<{ items: StaffMember[] }>("GET", "office/staff");
  const redaktion = staff.json.items.find((s) => s.email === STAFF.email)!;
  const patched = await admin.call("PATCH", `office/staff/${redaktion.id}`, { departments: [...new Set([...redaktion.departments, "kaemmerei"])] });
  expect(patched.status).toBe(200);
  clerk = await officeLogin(STAFF);
}, HOOK_MS);

/** The town page with a stored session, as after an earlier login; `hash` a deep link. */
async function withSession(page: Page, token: string, hash = "") {
  await page.goto(`${env.server.demo}/${TOWN}/`);
  await page.evaluate(([k, t]) => localStorage.setItem(k!, t!), [`digitales-rathaus:${env.server.api}:${TOWN}`, token]);
  // A load of its own: only changing the fragment would keep the page that started without it.
  await page.goto("about:blank");
  await page.goto(`${env.server.demo}/${TOWN}/${hash}`);
  await waitForWidget(page);
}

const inWidget = (page: Page, selector: string) => page.locator(`digitales-rathaus ${selector}`);
const unreadOnServer = async (token: string) => (await apiCall<MailboxPage>(env.server.api, TOWN, "GET", "me/mailbox?limit=1", undefined, token)).json.unread;

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

/** Space on the focused file input opens the browser's file dialog (once its listener is registered). */
async function chooseFileWithKeyboard(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  page.on("filechooser", () => undefined);
  await page.evaluate(() => 0);
  for (let attempt = 1; ; attempt++) {
    const chooser = page.waitForEvent("filechooser", { timeout: 5_000 });
    await page.keyboard.press("Space");
    try {
      return await (await chooser).setFiles(file);
    } catch (e) {
      if (attempt === 4) throw new Error(`no file dialog after Space, focus on ${await focused(page)}`, { cause: e });
    }
  }
}

/** The citizen's notification mails so far: each links to the Postfach. */
async function postfachMails(): Promise<CaughtMail[]> {
  const all = (await (await fetch(`${env.server.api}/dev/mail`)).json()) as CaughtMail[];
  return all.filter((m) => m.to.includes(citizen.email) && m.text.includes("#rathaus/postfach"));
}

/** Says only that something is new: no answers of the form, no message, no document. */
function expectNoApplicationData(mail: CaughtMail, secrets: string[]) {
  for (const body of [mail.subject, mail.text, mail.html]) {
    for (const secret of ["Bello", "Hund 2", "American Staffordshire", "Dackel", "DE89", "3704 0044", "DE89370400440532013000", "Lindenallee", ...secrets]) {
      expect(body, `a notification mail contains “${secret}”`).not.toContain(secret);
    }
  }
  expect(mail.text).toMatch(new RegExp(`${env.server.demo.replace(/[.:/]/g, "\\$&")}/${TOWN}/#rathaus/postfach(\\s|$)`));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("Mein Postfach", () => {
  it("Rückfrage, answer with a PDF, Bescheid: keyboard only on a phone, mails without data", async () => {
    const question = "Bitte senden Sie uns den Nachweis der Haftpflichtversicherung für beide Hunde.";
    const answer = "Anbei der Versicherungsschein der Tierhalter-Haftpflicht.";
    const notice = "Ihr Steuerbescheid liegt bei. Die erste Rate ist zum 15. des Folgemonats fällig.";
    const proof = Buffer.from(pdfBytes("/Versicherung (Tierhalter) "));
    const bescheid = Buffer.from(pdfBytes(`/Bescheid (${submission.reference}) `));

    // The clerk starts and asks back.
    expect((await clerk.call("POST", `office/submissions/${submission.id}/status`, { status: "in_progress" })).status).toBe(200);
    const asked = await clerk.call<OfficeSubmissionDetail>("POST", `office/submissions/${submission.id}/status`, { status: "waiting", message: question });
    expect(asked.status, JSON.stringify(asked.json)).toBe(200);
    expect(asked.json.status).toBe("waiting");
    const firstMail = await waitForMail(env.server.api, (m) => m.to.includes(citizen.email) && m.text.includes("#rathaus/postfach"), "the notification of the Rückfrage");
    expectNoApplicationData(firstMail, [question]);

    const { page, problems } = await newPage(env.browser, { viewport: { width: 375, height: 740 }, acceptDownloads: true });
    await withSession(page, citizen.token);

    // The badge: as many as the server counts, said as a sentence.
    const unread = await unreadOnServer(citizen.token);
    expect(unread).toBeGreaterThanOrEqual(2);
    const launcher = page.getByRole("button", { name: `Digitales Rathaus ${unread} neue Einträge im Postfach`, exact: true });
    await expect.poll(() => launcher.count()).toBe(1);
    expect(await inWidget(page, ".launcher .count").textContent()).toBe(String(unread));
    expect(await inWidget(page, ".launcher .count").getAttribute("aria-hidden")).toBe("true");

    // With something new, the launcher opens the Postfach.
    await tabTo(page, /^BUTTON Digitales Rathaus /);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Mein Postfach$/);
    await expect.poll(() => panelText(page)).toContain(question);
    const text = await panelText(page);
    expect(text).toContain("Neu Neuer Stand: Rückfrage");
    expect(text).toContain("Neu Nachricht der Verwaltung");
    expect(text).toContain(`Aktenzeichen: ${submission.reference}`);
    expect(text).toContain("Antrag eingegangen");
    expect(await inWidget(page, "dr-postfach-view p.sr-only[role=status]").textContent()).toBe(`${unread} neue Einträge.`);
    // Seen: marked read on the server, the badge goes; the "Neu" marks stay while the Postfach is open.
    await expect.poll(() => unreadOnServer(citizen.token)).toBe(0);
    await expect.poll(() => inWidget(page, ".launcher .count").count()).toBe(0);
    expect(await inWidget(page, "dr-panel nav button[aria-current=page]").textContent()).toMatch(/^\s*Postfach\s*$/);
    await noOverflow(page);
    await expectClean(page, "the Postfach");
    const theme = (t: string) => page.evaluate((v) => document.querySelector("digitales-rathaus")!.setAttribute("theme", v), t);
    await theme("dark");
    await expectClean(page, "the Postfach, dark theme");
    await theme("light");

    // Answer: the form opens below the question, focus in its text field.
    await tabTo(page, new RegExp(`^BUTTON Antworten ${escape(submission.reference)}$`));
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^TEXTAREA#reply-text Ihre Nachricht an die Verwaltung$/);
    // Sent empty: the error stands at the field, which keeps focus and points to it.
    await tabTo(page, /^BUTTON Antwort senden$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^TEXTAREA#reply-text /);
    const field = inWidget(page, "#reply-text");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.getAttribute("aria-describedby")).toBe("reply-text-error");
    expect(await inWidget(page, "#reply-text-error").textContent()).toBe("Bitte schreiben Sie eine Nachricht an die Verwaltung.");
    await noOverflow(page);
    await expectClean(page, "the reply form with an error");

    await page.keyboard.type(answer);
    await expect.poll(() => inWidget(page, "#reply-text-error").count()).toBe(0);
    await tabTo(page, /^INPUT#reply-files Unterlagen anhängen/);
    await chooseFileWithKeyboard(page, { name: "versicherung.pdf", mimeType: "application/pdf", buffer: proof });
    await expect.poll(() => inWidget(page, ".files li:not(.pending)").count(), { timeout: WAIT_MS }).toBe(1);
    expect(await inWidget(page, ".files li").textContent()).toContain("versicherung.pdf");
    await expect.poll(() => inWidget(page, "dr-postfach-view p.sr-only[role=status]").textContent()).toBe("versicherung.pdf wurde hochgeladen.");
    await tabTo(page, /^BUTTON Antwort senden$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, new RegExp(`^P Ihre Antwort zu ${escape(submission.reference)} ist gesendet\\.`));
    await expect.poll(() => panelText(page)).toContain(answer);
    expect(await panelText(page)).toContain("versicherung.pdf");
    // Back with the clerk, so no more "Antworten".
    await expect.poll(() => inWidget(page, "[data-answer]").count()).toBe(0);

    // The office sees it at once: the text, the file (same bytes), back in progress.
    const detail = await clerk.call<OfficeSubmissionDetail>("GET", `office/submissions/${submission.id}`);
    expect(detail.json.status).toBe("in_progress");
    expect(detail.json.history.some((e) => e.kind === "reply" && e.text === answer)).toBe(true);
    const sent = detail.json.history.find((e) => e.kind === "reply")?.documents?.find((d) => d.name === "versicherung.pdf");
    expect(sent, JSON.stringify(detail.json.history)).toBeDefined();
    const sentBytes = await clerk.download(`office/submissions/${submission.id}/files/${sent!.id}`);
    expect(sentBytes.status).toBe(200);
    expect(sentBytes.bytes.equals(proof)).toBe(true);

    // The clerk decides: the Bescheid as a document of a message, then approved.
    const mailsBefore = (await postfachMails()).length;
    const doc = await clerk.upload<{ id: string }>(`office/submissions/${submission.id}/uploads`, { bytes: bescheid, name: `Bescheid-${submission.reference}.pdf`, type: "application/pdf" });
    expect(doc.status, JSON.stringify(doc.json)).toBe(201);
    expect((await clerk.call("POST", `office/submissions/${submission.id}/messages`, { text: notice, uploads: [doc.json.id] })).status).toBe(201);
    expect((await clerk.call("POST", `office/submissions/${submission.id}/status`, { status: "approved" })).status).toBe(200);
    await expect.poll(async () => (await postfachMails()).length, { timeout: 60_000, message: "the notification of the Bescheid" }).toBeGreaterThan(mailsBefore);
    const mails = await postfachMails();
    for (const mail of mails) expectNoApplicationData(mail, [question, answer, notice, "Bescheid-", "versicherung.pdf"]);
    const link = /(\S+#rathaus\/postfach)(\s|$)/.exec(mails[mails.length - 1]!.text)![1]!;

    // The mail's link opens the Postfach; the Bescheid downloads with the session, byte for byte.
    await page.goto("about:blank");
    await page.goto(link);
    await waitForWidget(page);
    await waitForFocus(page, /^H3 Mein Postfach$/);
    await expect.poll(() => panelText(page)).toContain(notice);
    expect(await panelText(page)).toContain("Neuer Stand: bewilligt");
    await tabTo(page, new RegExp(`^BUTTON Bescheid-${escape(submission.reference)}\\.pdf herunterladen$`));
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(download.suggestedFilename()).toBe(`Bescheid-${submission.reference}.pdf`);
    expect(readFileSync((await download.path())!).equals(bescheid)).toBe(true);
    await expect.poll(() => inWidget(page, "dr-postfach-view p.sr-only[role=status]").textContent()).toBe(`Bescheid-${submission.reference}.pdf wurde heruntergeladen.`);

    // Only for its account: anyone else gets 404.
    const timeline = await apiCall<MailboxPage>(env.server.api, TOWN, "GET", "me/mailbox", undefined, citizen.token);
    const docId = timeline.json.items.flatMap((e) => e.documents ?? []).find((d) => d.name.startsWith("Bescheid-"))!.id;
    const other = await verifiedCitizen(env.server.api);
    expect((await apiCall(env.server.api, TOWN, "GET", `me/documents/${docId}`, undefined, other.token)).status).toBe(404);

    expect(problems).toEqual({ errors: [], csp: [], console: [] });
    await page.context().close();
  }, TEST_MS * 2);

  it("shows a failed load as an alert with a retry (axe clean), and narrows to one application", async () => {
    const { page, problems } = await newPage(env.browser);
    await withSession(page, citizen.token);
    // Offline for the Postfach only.
    const offline = (route: { abort(): Promise<void> }) => route.abort();
    await page.route("**/me/mailbox?**", offline);
    await page.evaluate(() => window.DigitalesRathaus?.open("postfach"));
    await waitForFocus(page, /^H3 Mein Postfach$/);
    await expect.poll(() => inWidget(page, "dr-postfach-view .box[role=alert]").textContent()).toContain("Keine Verbindung zum Digitalen Rathaus.");
    await expectClean(page, "the Postfach's error state");
    await page.unroute("**/me/mailbox?**", offline);

    await tabTo(page, /^BUTTON Erneut versuchen$/);
    await page.keyboard.press("Enter");
    await expect.poll(() => panelText(page)).toContain("Antrag eingegangen");
    expect(await inWidget(page, "dr-postfach-view .box[role=alert]").count()).toBe(0);

    // One application's entries: from any entry, and back to all.
    const second = await sendHundesteuer(citizen.token);
    await page.evaluate(() => window.DigitalesRathaus?.close());
    await page.evaluate(() => window.DigitalesRathaus?.open("postfach"));
    await expect.poll(() => panelText(page)).toContain(second.reference);
    await tabTo(page, new RegExp(`^BUTTON Nur diesen Antrag zeigen: ${escape(submission.reference)}$`));
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Mein Postfach$/);
    const narrowed = await panelText(page);
    expect(narrowed).toContain(`Einträge zu einem Antrag: ${formTitle} (${submission.reference})`);
    expect(narrowed).toContain(submission.reference);
    expect(narrowed).not.toContain(second.reference);
    await expectClean(page, "one application's entries");
    await tabTo(page, /^BUTTON Alle Einträge$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Mein Postfach$/);
    expect(await panelText(page)).toContain(second.reference);
    // The aborted requests are the only problems Chromium reports.
    expect(problems.errors).toEqual([]);
    expect(problems.console.filter((m) => !m.includes("net::ERR_FAILED"))).toEqual([]);
    await page.context().close();
  }, TEST_MS);

  it("the mail's link without a session: the login first, then straight to the Postfach; in English too", async () => {
    const { page, problems } = await newPage(env.browser);
    await page.goto(`${env.server.demo}/${TOWN}/#rathaus/postfach`);
    await waitForFocus(page, /^H3 Anmelden$/);
    await logInWithKeyboard(page, citizen.email, citizen.password);
    await waitForFocus(page, /^H3 Mein Postfach$/);
    await expect.poll(() => panelText(page)).toContain(submission.reference);

    await page.evaluate(() => document.querySelector("digitales-rathaus")!.setAttribute("lang", "en"));
    await expect.poll(() => panelText(page)).toContain("Application received");
    expect(await panelText(page)).toContain("New status: approved");
    expect(await inWidget(page, "dr-panel nav button[aria-current=page]").textContent()).toMatch(/^\s*Mailbox\s*$/);
    await expectClean(page, "the Postfach in English");
    expect(problems).toEqual({ errors: [], csp: [], console: [] });
    await page.context().close();
  }, TEST_MS);
});
