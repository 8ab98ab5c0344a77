/**
 * The staff office (`/office/<slug>/`) in Chromium against the real server: its page under a strict
 * CSP; a clerk, keyboard only, logs in, finds a citizen's Hundesteuer by its reference, assigns it
 * to herself, asks back, and after the citizen's reply (through the API) approves it with a
 * Bescheid PDF; the session cookie is HttpOnly and SameSite=Strict, a write without the CSRF token
 * is refused, logging out ends the session on the server, and an ended session leads back to the
 * login saying so. An admin invites a colleague, who sets her password with the mailed code (and
 * later with "Passwort vergessen") and sees only her department. axe-core on every view (login,
 * password, inbox, submission, audit log, staff), at 1280 px and on a tablet; paging and sorting.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { OfficeSession } from "../../server/office/api-types.js";
import type { MailboxPage } from "../../server/mailbox/api-types.js";
import { hundesteuerData, idempotencyKey, pdfBytes, pngBytes } from "../api/form-flows.js";
import { type PageProblems, axe, describeViolations, focused, newPage, tabTo, useE2e, waitForFocus } from "./browser.js";
import { STAFF, apiCall, codeIn, verifiedCitizen, waitForMail } from "./server.js";
import { HOOK_MS, TEST_MS } from "./timeouts.js";

const env = useE2e();
const TOWN = "tangerhuette";
const ADMIN = { email: `admin@${TOWN}.example`, password: STAFF.password };
const CLERK_NAME = "Redaktion (Demo)";

const officeUrl = () => `${env.server.api}/office/${TOWN}/`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

let citizen: Awaited<ReturnType<typeof verifiedCitizen>>;
let submission: { id: string; reference: string };
let formTitle: string;
let formTitleEn: string;

/** A file for the Hundesteuer's certificate field, uploaded as the citizen; returns its id. */
async function uploadCertificate(token: string, file: { bytes: Uint8Array; name: string; type: string }) {
  const form = new FormData();
  form.append("field", "hunde.0.nachweis");
  form.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name);
  const res = await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/forms/hundesteuer/uploads`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
  const json = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json.id;
}

/** A Hundesteuer with two dogs, the first a Listenhund with a photo and a PDF as certificates, sent through the API as the citizen. */
async function sendHundesteuer(token: string) {
  const def = await apiCall<{ version: number; title: { de: string; en?: string } }>(env.server.api, TOWN, "GET", "forms/hundesteuer");
  formTitle = def.json.title.de;
  formTitleEn = def.json.title.en || def.json.title.de;
  const photo = await uploadCertificate(token, { bytes: pngBytes(), name: "Sachkunde-Foto.png", type: "image/png" });
  const pdf = await uploadCertificate(token, { bytes: pdfBytes(), name: "Wesenstest.pdf", type: "application/pdf" });
  const data = hundesteuerData({ certificate: photo, dogs: 2 });
  data.hunde[0]!.nachweis = [photo, pdf];
  const res = await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/forms/hundesteuer/submissions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Idempotency-Key": idempotencyKey() },
    body: JSON.stringify({ data, version: def.json.version }),
  });
  const receipt = (await res.json()) as { id: string; reference: string };
  expect(res.status, JSON.stringify(receipt)).toBe(201);
  return receipt;
}

beforeAll(async () => {
  citizen = await verifiedCitizen(env.server.api);
  submission = await sendHundesteuer(citizen.token);
}, HOOK_MS);

// ---- helpers ----

/** Inside the office's shadow root (Playwright's CSS pierces it). */
const inOffice = (page: Page, selector: string) => page.locator(`office-app ${selector}`);
const text = async (page: Page, selector: string) => ((await inOffice(page, selector).first().textContent()) ?? "").replace(/\s+/g, " ").trim();

async function expectClean(page: Page, what: string) {
  const violations = await axe(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

/** Page errors and CSP violations never; console errors only for the answers a test provokes (401, 403). */
function expectNoProblems(problems: PageProblems) {
  expect(problems.errors).toEqual([]);
  expect(problems.csp).toEqual([]);
  expect(problems.console.filter((m) => !/Failed to load resource: the server responded with a status of 40[13]/.test(m))).toEqual([]);
}

/** Nothing of the page sticks out sideways (the tables scroll within their own box if they must). */
async function noPageOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

async function openOffice(page: Page) {
  await page.goto(officeUrl());
  await waitForFocus(page, /^H1 (Anmeldung für Mitarbeitende|Staff login)$/);
}

/** Fills the login by keyboard and sends it with Enter. */
async function logIn(page: Page, who: { email: string; password: string }) {
  await tabTo(page, /^INPUT#login-email /);
  await page.keyboard.type(who.email);
  await tabTo(page, /^INPUT#login-password /);
  await page.keyboard.type(who.password);
  await page.keyboard.press("Enter");
}

/** Arrow keys move the checked radio within the group; stops on the one labelled `label`. */
async function chooseRadio(page: Page, label: string) {
  for (let i = 0; i < 8; i++) {
    if (new RegExp(`^INPUT(#\\S+)? ${escape(label)}$`).test(await focused(page))) {
      await page.keyboard.press("Space");
      return;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no radio "${label}"; focus on ${await focused(page)}`);
}

/** Space on the focused file input opens the browser's file dialog. */
async function chooseFileWithKeyboard(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
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

/** The inbox's rows as their cells' texts. */
const rows = (page: Page) =>
  page.evaluate(() =>
    [...(document.querySelector("office-app")?.shadowRoot?.querySelectorAll("tbody tr") ?? [])].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!.replace(/\s+/g, " ").trim())),
  );

/** The office cookie as Node's fetch would send it. */
async function officeCookie(page: Page) {
  const cookie = (await page.context().cookies(env.server.api)).find((c) => c.name.startsWith("__Host-dr-office-"));
  return cookie ? `${cookie.name}=${cookie.value}` : undefined;
}

const sessionStatus = async (cookie: string) => (await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/office/session`, { headers: { Cookie: cookie } })).status;

describe("the office page", () => {
  it("is a shell without inline code under a strict CSP, loading its own bundle", async () => {
    const res = await fetch(officeUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain(`<office-app tenant="${TOWN}"></office-app>`);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script type="module" src="/office/assets/office.js">']);

    const bundle = await fetch(`${env.server.api}/office/assets/office.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(bundle.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await bundle.text()).toContain('"office-app"');
    // The citizens' widget does not carry the office.
    const widget = await (await fetch(`${env.server.api}/widget/v1/rathaus.js`)).text();
    expect(widget).not.toContain("office-app");

    expect((await fetch(`${env.server.api}/office/no-such-town/`)).status).toBe(404);
    expect((await fetch(`${env.server.api}/office/assets/../../../package.json`)).status).toBe(404);
  });
});

describe("the office", () => {
  it(
    "a clerk, keyboard only, finds a Hundesteuer, assigns it to herself, asks back and approves it with a Bescheid",
    async () => {
      const question = "Bitte senden Sie uns den Nachweis der Haftpflichtversicherung für beide Hunde.";
      const reply = "Der Versicherungsschein kommt heute per Post.";
      const notice = "Ihr Steuerbescheid liegt bei.";
      const bescheid = Buffer.from(pdfBytes(`/Bescheid (${submission.reference}) `));
      const { context, page, problems } = await newPage(env.browser);

      // ---- login ----
      await openOffice(page);
      await expectClean(page, "the login");
      // A wrong password says so, in the page's language, and nothing is stored.
      await logIn(page, { email: STAFF.email, password: "falsch-falsch-falsch" });
      await expect.poll(() => text(page, ".login .form-error")).toBe("E-Mail-Adresse oder Passwort ist falsch.");
      await expectClean(page, "the login with an error");
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await logIn(page, STAFF);
      await waitForFocus(page, /^H1 Posteingang$/);
      expect(await page.title()).toBe("Posteingang – Digitales Rathaus – Verwaltung");

      // The session is a cookie page scripts cannot read; nothing sits in page storage.
      const cookie = (await context.cookies(env.server.api)).find((c) => c.name.startsWith("__Host-dr-office-"));
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: true, path: "/" });
      expect(await page.evaluate(() => document.cookie)).toBe("");
      expect(await page.evaluate(() => [Object.keys(localStorage), Object.keys(sessionStorage)])).toEqual([[], []]);

      // ---- inbox ----
      await expect.poll(() => rows(page)).toContainEqual([`${submission.reference}Ungelesen`, formTitle, citizen.name, expect.any(String), "Eingegangen", "Nicht zugewiesen"]);
      expect(await text(page, ".tabs")).toMatch(/Alle \(\d+\).*Eingegangen \(\d+\).*Rückfrage \(\d+\)/);
      await expectClean(page, "the inbox");
      await tabTo(page, /^INPUT#f-q /);
      await page.keyboard.type(submission.reference);
      await page.keyboard.press("Enter");
      await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe(`#/inbox?q=${submission.reference}`);
      await expect.poll(() => rows(page)).toEqual([[`${submission.reference}Ungelesen`, formTitle, citizen.name, expect.any(String), "Eingegangen", "Nicht zugewiesen"]]);
      await tabTo(page, new RegExp(`^A ${escape(submission.reference)}$`));
      await page.keyboard.press("Enter");

      // ---- the submission ----
      await waitForFocus(page, new RegExp(`^H1 ${escape(formTitle)} – ${escape(submission.reference)}$`));
      const data = await text(page, "office-detail section[aria-labelledby=h-data]");
      // Laid out by the form: repeated dogs numbered, values as people read them.
      expect(data).toContain("Bello");
      expect(data).toContain("Hund 2");
      expect(data).toContain("DE89 3704 0044 0532 0130 00");
      expect(data).toContain("04.05.2021");
      expect(data).toMatch(/Wesenstest \/ Sachkundenachweis\s*Sachkunde-Foto\.png \(\d+ Bytes\) Wesenstest\.pdf \(\d+ Bytes\)/);
      expect(await text(page, "office-detail section[aria-labelledby=h-applicant]")).toContain(citizen.email);
      // Attachments: downloads; a preview for the photo only, loaded with the session cookie. The PDF is never shown inline.
      const files = await page.evaluate(() =>
        [...document.querySelector("office-app")!.shadowRoot!.querySelectorAll(".files li")].map((li) => ({
          link: li.querySelector("a")!.textContent,
          download: li.querySelector("a")!.hasAttribute("download"),
          preview: li.querySelector("img") ? { alt: li.querySelector("img")!.alt, loaded: li.querySelector("img")!.complete && li.querySelector("img")!.naturalWidth > 0 } : null,
        })),
      );
      expect(files).toEqual([
        { link: "Sachkunde-Foto.png", download: true, preview: { alt: "Vorschau von Sachkunde-Foto.png", loaded: expect.any(Boolean) } },
        { link: "Wesenstest.pdf", download: true, preview: null },
      ]);
      await expect.poll(() => page.evaluate(() => (document.querySelector("office-app")!.shadowRoot!.querySelector<HTMLImageElement>(".files img")!).naturalWidth)).toBe(1);
      expect(await page.evaluate(() => document.querySelector("office-app")!.shadowRoot!.querySelectorAll("iframe, object, embed").length)).toBe(0);
      expect(await text(page, "office-detail section[aria-labelledby=h-history]")).toContain("Antrag eingegangen");
      await expectClean(page, "a submission");

      // Assign to me: the button goes, focus stays in the section.
      await tabTo(page, /^BUTTON Mir zuweisen$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, "office-detail .facts")).toContain(`Zuständig${CLERK_NAME}`);
      await waitForFocus(page, /^H3#h-assign Zuständigkeit$/);

      // The form checks before it sends: no status chosen.
      await tabTo(page, /^BUTTON Status ändern$/);
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^INPUT#status-status In Bearbeitung$/);
      expect(await text(page, "#status-status-error")).toBe("Bitte wählen Sie einen Status.");
      await expectClean(page, "the status form with an error");

      // Eingegangen → in Bearbeitung.
      await chooseRadio(page, "In Bearbeitung");
      await tabTo(page, /^BUTTON Status ändern$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, "office-detail .facts .badge")).toBe("In Bearbeitung");

      // Rückfrage with the question to the citizen.
      await tabTo(page, /^INPUT(#status-status)? (Rückfrage|Bewilligt|Abgelehnt|Abgeschlossen)$/, { shift: true });
      await chooseRadio(page, "Rückfrage");
      await tabTo(page, /^TEXTAREA#status-message /);
      await page.keyboard.type(question);
      await tabTo(page, /^BUTTON Status ändern$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, "office-detail .facts .badge")).toBe("Rückfrage");
      expect(await text(page, "office-detail section[aria-labelledby=h-status] .success")).toBe("Der Status ist jetzt „Rückfrage“.");
      expect(await text(page, "office-detail section[aria-labelledby=h-history]")).toContain(question);

      // An internal note, which the citizen never sees.
      await tabTo(page, /^TEXTAREA#note-text /);
      await page.keyboard.type("Versicherung telefonisch angefragt.");
      await tabTo(page, /^BUTTON Notiz speichern$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, "office-detail .notes")).toContain(`Versicherung telefonisch angefragt. von ${CLERK_NAME}`);

      // ---- the citizen answers (the widget's side is tests/e2e/postfach.test.ts) ----
      const answered = await apiCall(env.server.api, TOWN, "POST", `me/submissions/${submission.id}/messages`, { text: reply }, citizen.token);
      expect(answered.status, JSON.stringify(answered.json)).toBe(201);

      // Back in the inbox: in Bearbeitung again and unread.
      await tabTo(page, /^A Posteingang$/, { shift: true });
      await page.keyboard.press("Enter");
      await waitForFocus(page, /^H1 Posteingang$/);
      await expect.poll(() => rows(page)).toContainEqual([`${submission.reference}Ungelesen`, formTitle, citizen.name, expect.any(String), "In Bearbeitung", CLERK_NAME]);
      await tabTo(page, new RegExp(`^A ${escape(submission.reference)}$`));
      await page.keyboard.press("Enter");
      await waitForFocus(page, new RegExp(`^H1 .*${escape(submission.reference)}$`));
      await expect.poll(() => text(page, "office-detail section[aria-labelledby=h-history]")).toContain(reply);

      // Bewilligt, with the Bescheid as a document and a message.
      await tabTo(page, /^INPUT#status-status Rückfrage$/);
      await chooseRadio(page, "Bewilligt");
      await tabTo(page, /^TEXTAREA#status-message /);
      await page.keyboard.type(notice);
      await tabTo(page, /^INPUT#status-documents /);
      await chooseFileWithKeyboard(page, { name: "Bescheid.pdf", mimeType: "application/pdf", buffer: bescheid });
      await tabTo(page, /^BUTTON Status ändern$/);
      await page.keyboard.press("Enter");
      await expect.poll(() => text(page, "office-detail .facts .badge")).toBe("Bewilligt");
      // Nothing follows "bewilligt": the form goes, focus stays in its section.
      await waitForFocus(page, /^H3#h-status Status ändern$/);
      expect(await text(page, "office-detail section[aria-labelledby=h-status]")).toContain("Der Status kann nicht mehr geändert werden.");
      const history = await text(page, "office-detail section[aria-labelledby=h-history]");
      expect(history).toMatch(new RegExp(`Nachricht der Verwaltung ${escape(notice)} Bescheid\\.pdf \\(\\d+ Bytes\\).*Status: Bewilligt`));
      await expectClean(page, "an approved submission");

      // The document downloads from the office as sent, and it is in the citizen's Postfach.
      const downloaded = await page.evaluate(async () => {
        const link = [...document.querySelector("office-app")!.shadowRoot!.querySelectorAll<HTMLAnchorElement>(".docs a")].find((a) => a.textContent === "Bescheid.pdf")!;
        const res = await fetch(link.href);
        return { status: res.status, bytes: [...new Uint8Array(await res.arrayBuffer())] };
      });
      expect(downloaded.status).toBe(200);
      expect(Buffer.from(downloaded.bytes).equals(bescheid)).toBe(true);
      const mailbox = await apiCall<MailboxPage>(env.server.api, TOWN, "GET", "me/mailbox", undefined, citizen.token);
      const sent = mailbox.json.items.find((e) => e.kind === "message" && e.text === notice);
      expect(sent?.documents?.map((d) => d.name)).toEqual(["Bescheid.pdf"]);
      expect(JSON.stringify(mailbox.json)).not.toContain("Versicherung telefonisch angefragt.");

      expectNoProblems(problems);
      await context.close();
    },
    TEST_MS * 2,
  );

  it("shows admins the audit log with its CSV and the staff, axe-clean", async () => {
    const { context, page, problems } = await newPage(env.browser);
    await openOffice(page);
    await logIn(page, ADMIN);
    await waitForFocus(page, /^H1 Posteingang$/);

    // Admins see every department's submissions; a note of theirs goes to the audit log.
    await page.locator("office-app tbody a", { hasText: submission.reference }).click();
    await waitForFocus(page, new RegExp(`^H1 .*${escape(submission.reference)}$`));
    await page.locator("office-app #note-text").fill("Vom Amt geprüft.");
    await page.locator("office-app button", { hasText: "Notiz speichern" }).click();
    await expect.poll(() => text(page, "office-detail .notes")).toContain("Vom Amt geprüft. von Administration (Demo)");

    await page.locator("office-app nav a", { hasText: "Protokoll" }).click();
    await waitForFocus(page, /^H1 Protokoll$/);
    await expect.poll(() => text(page, "office-audit tbody")).toMatch(/^\S+ \S+ Administration \(Demo\) Notiz geschrieben submission:/);
    expect(await text(page, "office-audit tbody")).toContain(`submission:${submission.id}`);
    await expectClean(page, "the audit log");
    const csv = await page.evaluate(async () => {
      const link = document.querySelector("office-app")!.shadowRoot!.querySelector<HTMLAnchorElement>("office-audit a[download]")!;
      const res = await fetch(link.href);
      return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
    });
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text).toContain(`submission:${submission.id}`);

    await page.locator("office-app nav a", { hasText: "Mitarbeitende" }).click();
    await waitForFocus(page, /^H1 Mitarbeitende$/);
    await expect.poll(() => text(page, "office-staff")).toContain(STAFF.email);
    expect(await text(page, "office-staff")).toContain("Kämmerei – Steuern und Abgaben");
    await expectClean(page, "the staff");
    // Saving a colleague's card (unchanged) goes to the audit log too.
    const card = page.locator("office-app office-staff article", { hasText: STAFF.email });
    await card.getByRole("button", { name: "Speichern" }).click();
    await expect.poll(() => card.locator(".success").textContent()).toBe(`Die Änderungen für ${CLERK_NAME} sind gespeichert.`);
    await page.locator("office-app nav a", { hasText: "Protokoll" }).click();
    await expect.poll(() => text(page, "office-audit tbody")).toContain("Mitarbeitende geändert");

    expectNoProblems(problems);
    await context.close();
  });

  it("refuses a write without the CSRF token, ends the session at logout, and says when a session has ended", async () => {
    const { context, page, problems } = await newPage(env.browser);
    await openOffice(page);
    await logIn(page, STAFF);
    await waitForFocus(page, /^H1 Posteingang$/);

    // The browser sends the cookie (same origin), but without the token nothing is written.
    const forged = await page.evaluate(async (path) => {
      const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "untergeschoben" }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    }, `/api/v1/tenants/${TOWN}/office/submissions/${submission.id}/notes`);
    expect(forged).toEqual({ status: 403, body: { error: expect.objectContaining({ code: "csrf_failed" }) } });

    // Logging out ends the session on the server: the old cookie gets 401.
    const before = await officeCookie(page);
    expect(before).toBeDefined();
    expect(await sessionStatus(before!)).toBe(200);
    await page.locator("office-app header button", { hasText: "Abmelden" }).click();
    await waitForFocus(page, /^H1 Anmeldung für Mitarbeitende$/);
    expect(await text(page, ".login .info")).toBe("Sie sind abgemeldet.");
    expect(await sessionStatus(before!)).toBe(401);
    expect(await officeCookie(page)).toBeUndefined();

    // A session that ended elsewhere (here: logged out from another place): the next request goes
    // back to the login, which says why.
    await logIn(page, STAFF);
    await waitForFocus(page, /^H1 Posteingang$/);
    const cookie = (await officeCookie(page))!;
    const session = (await (await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/office/session`, { headers: { Cookie: cookie } })).json()) as OfficeSession;
    const ended = await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/office/logout`, { method: "POST", headers: { Cookie: cookie, "X-CSRF-Token": session.csrfToken } });
    expect(ended.status).toBe(204);
    await expect.poll(() => rows(page).then((r) => r.length)).toBeGreaterThan(0);
    await inOffice(page, `tbody a`).first().click();
    await waitForFocus(page, /^H1 Anmeldung für Mitarbeitende$/);
    expect(await text(page, ".login .info")).toBe("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.");
    await expectClean(page, "the login after the session ended");

    // Signing in again continues where the person wanted to go.
    await logIn(page, STAFF);
    await waitForFocus(page, new RegExp(`^H1 .*${escape(submission.reference)}$`));

    expectNoProblems(problems);
    await context.close();
  });

  it("keeps citizens out, and speaks English on request", async () => {
    const { context, page, problems } = await newPage(env.browser);
    await openOffice(page);
    await logIn(page, { email: citizen.email, password: citizen.password });
    await expect.poll(() => text(page, ".login .form-error")).toContain("Dieses Konto hat keinen Zugang zur Verwaltung.");
    expect(await officeCookie(page)).toBeUndefined();

    await page.locator("office-app header button", { hasText: "English" }).click();
    await expect.poll(() => text(page, ".login h1")).toBe("Staff login");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.locator("office-app #login-email").fill("");
    await page.locator("office-app #login-password").fill("");
    await logIn(page, STAFF);
    await waitForFocus(page, /^H1 Inbox$/);
    await expect.poll(() => rows(page)).toContainEqual([expect.stringContaining(submission.reference), formTitleEn, citizen.name, expect.stringMatching(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/), expect.any(String), expect.any(String)]);
    await expectClean(page, "the inbox in English");
    // The choice is remembered for the next visit.
    await page.reload();
    await waitForFocus(page, /^H1 Inbox$/);

    expectNoProblems(problems);
    await context.close();
  });

  it("works on a tablet: inbox and a submission fit the width and stay axe-clean", async () => {
    const { context, page, problems } = await newPage(env.browser, { viewport: { width: 820, height: 1180 }, hasTouch: true });
    await openOffice(page);
    await logIn(page, STAFF);
    await waitForFocus(page, /^H1 Posteingang$/);
    await expect.poll(() => rows(page).then((r) => r.length)).toBeGreaterThan(0);
    // The skip link, first in the page, moves focus to the content (and does not touch the route).
    expect(await tabTo(page, /^A Zum Inhalt springen$/, { shift: true, max: 6 })).toBe("A Zum Inhalt springen");
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^MAIN#main /);
    expect(await page.evaluate(() => location.hash)).toBe("");
    await noPageOverflow(page);
    await expectClean(page, "the inbox on a tablet");
    await inOffice(page, `tbody a`).first().click();
    await waitForFocus(page, /^H1 /);
    await expect.poll(() => text(page, "office-detail .facts")).toContain(submission.reference);
    await noPageOverflow(page);
    await expectClean(page, "a submission on a tablet");
    expectNoProblems(problems);
    await context.close();
  });

  it("an admin invites a colleague; the invitation's link and code set her password, and so does “Passwort vergessen”", async () => {
    const email = `karla.${Date.now().toString(36)}@${TOWN}.example`;
    const admin = await newPage(env.browser);
    await openOffice(admin.page);
    await logIn(admin.page, ADMIN);
    await waitForFocus(admin.page, /^H1 Posteingang$/);
    await admin.page.locator("office-app nav a", { hasText: "Mitarbeitende" }).click();
    await waitForFocus(admin.page, /^H1 Mitarbeitende$/);
    const invite = admin.page.locator("office-app office-staff section.invite");
    // Checked before sending: the name is missing.
    await invite.getByRole("button", { name: "Einladung senden" }).click();
    await waitForFocus(admin.page, /^INPUT#invite-name /);
    expect(await text(admin.page, "#invite-name-error")).toBe("Bitte geben Sie den Namen ein.");
    await invite.locator("#invite-name").fill("Karla Kita");
    await invite.locator("#invite-email").fill(email);
    await invite.getByRole("checkbox", { name: "Kita-Verwaltung" }).check();
    await invite.getByRole("button", { name: "Einladung senden" }).click();
    await expect.poll(() => invite.locator(".success").textContent()).toBe(`Die Einladung an ${email} ist verschickt.`);
    expect(await text(admin.page, "office-staff ul.staff")).toContain(`Karla Kita ${email}`);
    await expectClean(admin.page, "the staff page after an invitation");
    expectNoProblems(admin.problems);
    await admin.context.close();

    // The invitation: a link to the office and a code; keyboard only from there.
    const mail = await waitForMail(env.server.api, (m) => m.to.includes(email), "the invitation");
    const link = new RegExp(`${escape(env.server.api)}/office/${TOWN}/#einladung`).exec(mail.text)?.[0];
    expect(link, mail.text).toBeDefined();
    const { context, page, problems } = await newPage(env.browser);
    await page.goto(link!);
    await waitForFocus(page, /^H1 Einladung annehmen$/);
    await expectClean(page, "the invitation");
    await tabTo(page, /^INPUT#reset-email /);
    await page.keyboard.type(email);
    await tabTo(page, /^INPUT#reset-code /);
    await page.keyboard.type(codeIn(mail.text));
    await tabTo(page, /^INPUT#reset-password /);
    await page.keyboard.type("Kita-Verwaltung-2026!");
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H1 Posteingang$/);
    expect(await page.evaluate(() => location.hash)).toBe("#/inbox");
    expect(await text(page, "header")).toContain("Angemeldet als Karla Kita");
    // Kita only: the Kämmerei's Hundesteuer does not exist for her.
    await expect.poll(() => text(page, "office-inbox")).toContain("Keine Anträge gefunden.");
    expect(await text(page, "office-inbox")).not.toContain(submission.reference);

    // Later, the password forgotten: a new code by mail, from the login.
    await page.locator("office-app header button", { hasText: "Abmelden" }).click();
    await waitForFocus(page, /^H1 Anmeldung für Mitarbeitende$/);
    await tabTo(page, /^A Passwort vergessen\?$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H1 Passwort vergessen$/);
    await tabTo(page, /^INPUT#forgot-email /);
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^INPUT#reset-code /);
    expect(await text(page, ".login .info")).toContain(`Wenn es ein Konto für ${email} gibt`);
    await expectClean(page, "the password reset");
    const reset = await waitForMail(env.server.api, (m) => m.to.includes(email) && m.subject !== mail.subject, "the password reset code");
    await page.keyboard.type(codeIn(reset.text));
    await tabTo(page, /^INPUT#reset-password /);
    await page.keyboard.type("Kita-Verwaltung-2027!");
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H1 Posteingang$/);
    expectNoProblems(problems);
    await context.close();
  });

  // Last: it fills the inbox, which the tests above read from the top.
  it("pages with “Weitere laden”, 25 at a time, focus on the first new row", async () => {
    const def = await apiCall<{ version: number }>(env.server.api, TOWN, "GET", "forms/hundesteuer");
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${env.server.api}/api/v1/tenants/${TOWN}/forms/hundesteuer/submissions`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${citizen.token}`, "Idempotency-Key": idempotencyKey() },
        body: JSON.stringify({ data: hundesteuerData(), version: def.json.version }),
      });
      expect(res.status).toBe(201);
    }
    const { context, page, problems } = await newPage(env.browser);
    await openOffice(page);
    await logIn(page, STAFF);
    await waitForFocus(page, /^H1 Posteingang$/);
    await expect.poll(() => rows(page).then((r) => r.length)).toBe(25);
    expect(await text(page, ".tabs")).toContain("Alle (26)");
    // Newest first: the first submission of this file is the one not shown yet.
    expect((await rows(page)).flat().join(" ")).not.toContain(submission.reference);
    await tabTo(page, /^BUTTON Weitere laden$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, new RegExp(`^A ${escape(submission.reference)}$`));
    expect(await rows(page).then((r) => r.length)).toBe(26);
    expect(await page.locator("office-app button", { hasText: "Weitere laden" }).count()).toBe(0);

    // Oldest first: the same one leads.
    await tabTo(page, /^SELECT#f-sort /, { shift: true });
    await page.keyboard.press("ArrowDown");
    await tabTo(page, /^BUTTON Filter anwenden$/);
    await page.keyboard.press("Enter");
    await expect.poll(() => rows(page).then((r) => r[0]?.[0] ?? "")).toMatch(new RegExp(`^${escape(submission.reference)}`));
    expect(await page.evaluate(() => location.hash)).toBe("#/inbox?sort=oldest");
    expectNoProblems(problems);
    await context.close();
  });
});
