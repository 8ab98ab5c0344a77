/**
 * The "Anträge" view in Chromium against the real server: the Hundesteuer with two dogs and an
 * upload with the keyboard only, from the form list to the receipt (mail and PDF); an anonymous
 * defect report with a photo on a phone; the error summary; draft autosave and resume; the login
 * a form needs; and axe-core on every step of every demo form, errors and review included.
 *
 * The forms are filled in from their definitions (GET forms/{id}) with the rules module deciding
 * what is shown, so the tests follow the demo forms as towns change them.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { FormData as Answers, Field, FormDefinition, FormSummary, Item } from "../../server/forms/definition.js";
import { isVisible, itemAt, resolveDateBound, validateStep, visibleSteps } from "../../server/forms/rules/index.js";
import { fieldId, setAt } from "../../widget/src/forms/answers.js";
import { root } from "../node/process.js";
import { pdfText } from "../support/pdf-text.js";
import { type PageProblems, axe, describeViolations, focused, newPage, panelText, storageState, tabTo, useE2e, waitForFocus, waitForWidget } from "./browser.js";
import { type E2eServer, apiCall, verifiedCitizen, waitForMail } from "./server.js";
import { TEST_MS, WAIT_MS } from "./timeouts.js";

const env = useE2e();

// ---- test data ----

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer) {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}
/** A real (tiny, grey) PNG: the server decides by content, not by name. */
async function photo(name: string) {
  const { deflateSync } = await import("node:zlib");
  const [w, h] = [8, 6];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = Buffer.alloc((w * 3 + 1) * h, 0x80);
  for (let y = 0; y < h; y++) rows[y * (w * 3 + 1)] = 0;
  const buffer = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(rows)), pngChunk("IEND", Buffer.alloc(0))]);
  return { name, mimeType: "image/png", buffer };
}

type FilePayload = Awaited<ReturnType<typeof photo>>;

const berlinToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date());

/**
 * What the tests answer, by path; `hunde.*.x` matches every entry. Anything not named gets a
 * plausible answer for its type (optional files stay empty unless named).
 */
interface Plan {
  answers?: Record<string, unknown>;
  /** Entries of repeated groups, by path; default: the group's minimum. */
  entries?: Record<string, number>;
  file?: FilePayload;
}

function planned(plan: Plan, path: string): unknown {
  const a = plan.answers ?? {};
  if (path in a) return a[path];
  const wild = path.replace(/\.\d+\./g, ".*.");
  return wild in a ? a[wild] : undefined;
}

function textFor(f: Field & { type: "text" | "textarea" }): string {
  if (f.pattern) {
    const re = new RegExp(`^(?:${f.pattern.regex})$`, "u");
    const fit = ["123/4", "12345", "DE-123", "A1", "name@example.org"].find((c) => re.test(c));
    if (!fit) throw new Error(`no test answer for the pattern ${f.pattern.regex}`);
    return fit;
  }
  const base = f.type === "textarea" ? "Tiefes Schlagloch am Straßenrand vor Hausnummer 5, seit etwa zwei Wochen." : "Festwiese Lindenallee";
  return base.padEnd(f.minLength ?? 0, "x").slice(0, f.maxLength ?? 2000);
}

/** A valid answer as the citizen types it (German numbers, ISO dates for the date input). */
function defaultAnswer(f: Field): unknown {
  const today = berlinToday();
  const within = (n: number) => n >= ((f as { min?: number }).min ?? -Infinity) && n <= ((f as { max?: number }).max ?? Infinity);
  switch (f.type) {
    case "text":
    case "textarea":
      return textFor(f);
    case "email":
      return "erika@example.org";
    case "phone":
      return "03935 123456";
    case "number":
      return within(2.5) ? "2,5" : String(f.min ?? 1);
    case "integer":
      return String(within(3) ? 3 : (f.min ?? 1));
    case "amount":
      return "12,50";
    case "date":
      return (f.max && resolveDateBound(f.max, today)) || (f.min && resolveDateBound(f.min, today)) || "2020-05-15";
    case "time":
      return (!f.min || f.min <= "18:30") && (!f.max || "18:30" <= f.max) ? "18:30" : f.min!;
    case "choice":
      return f.options[0]!.value;
    case "multichoice":
      return [f.options[0]!.value];
    case "yesno":
      return false;
    case "consent":
      return true;
    case "file":
      return f.required ? "upload" : undefined;
    case "iban":
      return "DE89 3704 0044 0532 0130 00";
    case "address":
      return { street: "Lindenallee 17", postalCode: "39517", city: "Tangerhütte" };
  }
}

/** The answer as the rules see it, for deciding what is shown next. */
function modelValue(f: Field, v: unknown): unknown {
  if (f.type === "number" || f.type === "integer" || f.type === "amount") return Number(String(v).replace(",", "."));
  if (f.type === "file") return ["u_placeholder0000"];
  if (f.type === "iban") return String(v).replace(/\s/g, "");
  return v;
}

// ---- filling in, with the keyboard or directly ----

type Mode = "keyboard" | "direct";

const inWidget = (page: Page, selector: string) => page.locator(`digitales-rathaus ${selector}`);
const controlOf = (id: string) => new RegExp(`^(INPUT|TEXTAREA|SELECT)#${id}(\\s|$)`);

async function typeInto(page: Page, id: string, text: string) {
  await tabTo(page, controlOf(id), { max: 80 });
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

/** Back to the first part of a date or time field (Chromium moves between the parts with the arrows). */
async function reenter(page: Page, control: RegExp) {
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
  await waitForFocus(page, control);
}

let knownDateOrder: "DMY" | "MDY" | undefined;

/** Whether the browser's date fields start with the day or the month: typed once, read back, typed over. */
async function dateOrder(page: Page, control: RegExp): Promise<"DMY" | "MDY"> {
  if (knownDateOrder) return knownDateOrder;
  await page.keyboard.type("01022003");
  const probe = await page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return (a as HTMLInputElement).value;
  });
  if (probe !== "2003-02-01" && probe !== "2003-01-02") throw new Error(`unexpected date field order: 01 02 2003 gave ${probe}`);
  knownDateOrder = probe === "2003-02-01" ? "DMY" : "MDY";
  await reenter(page, control);
  return knownDateOrder;
}

const intercepting = new WeakSet<Page>();

/**
 * Space on the focused file input opens the browser's file dialog. Playwright catches the dialog
 * only once its listener is registered with the browser, which happens asynchronously: so one
 * listener stays for the page's lifetime, registered (a round trip) before the first press. And
 * should a press still bring no dialog on a busy machine, it is pressed again, focus unmoved.
 */
async function openFileChooser(page: Page, control: RegExp) {
  if (!intercepting.has(page)) {
    intercepting.add(page);
    page.on("filechooser", () => undefined);
    await page.evaluate(() => 0);
  }
  for (let attempt = 1; ; attempt++) {
    const chooser = page.waitForEvent("filechooser", { timeout: 5_000 });
    await page.keyboard.press("Space");
    try {
      return await chooser;
    } catch (e) {
      const now = await focused(page);
      if (attempt === 4 || !control.test(now)) throw new Error(`no file dialog after Space (${attempt}×), focus on ${now}`, { cause: e });
    }
  }
}

async function uploaded(page: Page, path: string, count: number) {
  await expect
    .poll(() => inWidget(page, `[data-field="${path}"] .files li:not(.pending)`).count(), { timeout: WAIT_MS, message: `uploads of ${path}` })
    .toBe(count);
}

async function answer(page: Page, f: Field, path: string, value: unknown, mode: Mode, file?: FilePayload) {
  const id = fieldId(path);
  const el = () => inWidget(page, `#${id}`);
  const keyboard = mode === "keyboard";
  switch (f.type) {
    case "date": {
      const iso = String(value);
      if (!keyboard) return el().fill(iso);
      await tabTo(page, controlOf(id), { max: 80 });
      const [y, m, d] = iso.split("-") as [string, string, string];
      // Each part of the field moves on when full; their order is the browser's (its UI language).
      const order = await dateOrder(page, controlOf(id));
      await page.keyboard.type(order === "DMY" ? d + m + y : m + d + y);
      await expect.poll(() => el().inputValue()).toBe(iso);
      return;
    }
    case "time": {
      const hhmm = String(value);
      if (!keyboard) return el().fill(hhmm);
      await tabTo(page, controlOf(id), { max: 80 });
      await page.keyboard.type(hhmm.replace(":", ""));
      if ((await el().inputValue()) !== hhmm) {
        // A 12-hour field (English UI): hours, minutes, then A or P.
        await reenter(page, controlOf(id));
        const h = Number(hhmm.slice(0, 2));
        await page.keyboard.type(`${String(h % 12 || 12).padStart(2, "0")}${hhmm.slice(3)}${h < 12 ? "A" : "P"}`);
      }
      await expect.poll(() => el().inputValue()).toBe(hhmm);
      return;
    }
    case "choice":
    case "yesno": {
      const values = f.type === "yesno" ? ["yes", "no"] : f.options.map((o) => o.value);
      const v = f.type === "yesno" ? (value ? "yes" : "no") : String(value);
      const index = values.indexOf(v);
      const select = f.type === "choice" && (f.display === "select" || (f.display !== "radio" && f.options.length > 6));
      if (!keyboard) return select ? el().selectOption(v) : inWidget(page, `[data-field="${path}"] input[value="${v}"]`).check();
      await tabTo(page, new RegExp(`^(INPUT|SELECT)#${id}(-\\d+)?(\\s|$)`), { max: 80 });
      if (select) {
        for (let i = 0; i <= index; i++) await page.keyboard.press("ArrowDown");
        await expect.poll(() => el().inputValue()).toBe(v);
      } else {
        // Space ticks the radio the group was entered on (the first); arrows move the choice.
        await page.keyboard.press("Space");
        for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
        await expect.poll(() => inWidget(page, `[data-field="${path}"] input[value="${v}"]`).isChecked()).toBe(true);
      }
      return;
    }
    case "multichoice":
      for (const v of value as string[]) {
        const k = f.options.findIndex((o) => o.value === v);
        const boxId = k ? `${id}-${k}` : id;
        if (keyboard) {
          await tabTo(page, controlOf(boxId), { max: 80 });
          await page.keyboard.press("Space");
        } else {
          await inWidget(page, `#${boxId}`).check();
        }
      }
      return;
    case "consent":
      if (!keyboard) return el().check();
      await tabTo(page, controlOf(id), { max: 80 });
      await page.keyboard.press("Space");
      await expect.poll(() => el().isChecked()).toBe(true);
      return;
    case "file": {
      const payload = file ?? (await photo("nachweis.png"));
      const before = await inWidget(page, `[data-field="${path}"] .files li:not(.pending)`).count();
      if (keyboard) {
        await tabTo(page, controlOf(id), { max: 80 });
        await (await openFileChooser(page, controlOf(id))).setFiles(payload);
      } else {
        await el().setInputFiles(payload);
      }
      await uploaded(page, path, before + 1);
      return;
    }
    case "address":
      for (const [part, text] of Object.entries(value as Record<string, string>)) {
        if (keyboard) await typeInto(page, `${id}-${part}`, text);
        else await inWidget(page, `#${id}-${part}`).fill(text);
      }
      return;
    default:
      if (keyboard) await typeInto(page, id, String(value));
      else await el().fill(String(value));
  }
}

async function fillItems(page: Page, def: FormDefinition, items: Item[], base: string, data: Answers, plan: Plan, mode: Mode) {
  for (const item of items) {
    const path = base ? `${base}.${item.id}` : item.id;
    if (item.type === "hint" || !isVisible(def, path, data)) continue;
    if (item.type === "group") {
      if (!item.repeat) {
        await fillItems(page, def, item.items, path, data, plan, mode);
        continue;
      }
      const count = plan.entries?.[path] ?? item.repeat.min;
      const entryLabel = item.repeat.itemLabel?.de ?? item.label.de;
      for (let n = 0; n < count; n++) {
        if (n >= item.repeat.min) {
          const add = new RegExp(`^BUTTON ${entryLabel} hinzufügen$`);
          if (mode === "keyboard") {
            await tabTo(page, add, { max: 80 });
            await page.keyboard.press("Enter");
          } else {
            await inWidget(page, `[data-field="${path}"] > button.add`).click();
          }
          // Focus moves into the new entry, on its first control.
          await waitForFocus(page, new RegExp(`^(INPUT|TEXTAREA|SELECT)#${fieldId(`${path}.${n}`)}-`));
        }
        setAt(data, `${path}.${n}`, {});
        await fillItems(page, def, item.items, `${path}.${n}`, data, plan, mode);
      }
      continue;
    }
    const value = planned(plan, path) ?? defaultAnswer(item);
    if (value === undefined) continue;
    await answer(page, item, path, value, mode, plan.file);
    setAt(data, path, modelValue(item, value));
  }
}

const stepHeading = (def: FormDefinition, data: Answers, step: number) => {
  const visible = visibleSteps(def, data);
  return new RegExp(`^H4 Schritt ${visible.indexOf(step) + 1} von ${visible.length} ${escape(def.steps[step]!.title.de)}$`);
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Presses the step's "Weiter" (or the review's "Antrag absenden"). */
async function submitStep(page: Page, mode: Mode, label = /^BUTTON (Weiter|Weiter zur Übersicht)$/) {
  if (mode === "keyboard") {
    await tabTo(page, label, { max: 80 });
    await page.keyboard.press("Enter");
  } else {
    await inWidget(page, "form button[type=submit]").click();
  }
}

/** Every visible step from the current one to the review, filled in and confirmed; returns the answers' model. */
async function fillForm(page: Page, def: FormDefinition, plan: Plan, mode: Mode, onStep?: (step: number) => Promise<void>) {
  const data: Answers = {};
  const first = visibleSteps(def, data)[0]!;
  for (let step = first; step !== undefined; ) {
    const heading = stepHeading(def, data, step);
    // Moving on puts focus on the step's heading; a form without an introduction opens on its first
    // step with focus on the form's title, like every view.
    if (step === first && !def.intro && !def.fees) await expect.poll(async () => `H4 ${(await inWidget(page, "h4.step-title").textContent())?.replace(/\s+/g, " ").trim()}`).toMatch(heading);
    else await waitForFocus(page, heading);
    await onStep?.(step);
    await fillItems(page, def, def.steps[step]!.items, "", data, plan, mode);
    await submitStep(page, mode);
    step = visibleSteps(def, data).find((i) => i > step)!;
  }
  await waitForFocus(page, /^H4 Angaben prüfen$/);
  return data;
}

// ---- scene ----

async function definition(server: E2eServer, tenant: string, id: string) {
  const res = await apiCall<FormDefinition>(server.api, tenant, "GET", `forms/${id}`);
  expect(res.status, `GET forms/${id}`).toBe(200);
  return res.json;
}

/** The town page with a stored session, as after an earlier login; `hash` a deep link. */
async function withSession(page: Page, server: E2eServer, token: string, tenant = "tangerhuette", hash = "") {
  await page.goto(`${server.demo}/${tenant}/`);
  await page.evaluate(([k, t]) => localStorage.setItem(k!, t!), [`digitales-rathaus:${server.api}:${tenant}`, token]);
  // A load of its own: only changing the fragment would keep the page that started without it.
  await page.goto("about:blank");
  await page.goto(`${server.demo}/${tenant}/${hash}`);
  await waitForWidget(page);
}

const isDraft = (path: string) => /\/forms\/[\w-]+\/draft$/.test(path);

/**
 * What went wrong in the page, less the one "not found" of the contract: `GET forms/{id}/draft`
 * answers 404 when there is no draft yet, and Chromium logs every 404 to the console.
 */
function problemsOf(page: Page, problems: PageProblems) {
  const notFound: string[] = [];
  page.on("response", (r) => void (r.status() === 404 && notFound.push(new URL(r.url()).pathname)));
  return () => {
    let drafts = notFound.filter(isDraft).length;
    const logged = problems.console.filter((m) => !(m.includes("status of 404") && drafts-- > 0));
    return { errors: problems.errors, csp: problems.csp, console: logged, notFound: notFound.filter((p) => !isDraft(p)) };
  };
}
const noProblems = { errors: [], csp: [], console: [], notFound: [] };

async function receiptPdfText(bytes: Uint8Array) {
  const text = await pdfText(bytes);
  return text.replace(/\s+/g, " ");
}

// ---- the tests ----

describe("Hundesteuer with the keyboard only", () => {
  it("goes from the form list through two dogs and an upload to the receipt, its mail and its PDF", async () => {
    const { page, problems: seen } = await newPage(env.browser);
    const problems = problemsOf(page, seen);
    const citizen = await verifiedCitizen(env.server.api);
    const def = await definition(env.server, "tangerhuette", "hundesteuer");
    await withSession(page, env.server, citizen.token);

    // Launcher → "Anträge" → search → the form.
    await tabTo(page, /^BUTTON Digitales Rathaus$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Nachrichten$/);
    await tabTo(page, /^BUTTON Anträge$/, { shift: true });
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Anträge$/);
    await tabTo(page, /^INPUT#form-search /);
    await page.keyboard.type("hund");
    await expect.poll(() => panelText(page)).toContain("1 Antrag");
    expect(await panelText(page)).not.toContain("Mängelmelder");
    await tabTo(page, new RegExp(`^BUTTON ${escape(def.title.de)}$`));
    await page.keyboard.press("Enter");
    await waitForFocus(page, new RegExp(`^H3 ${escape(def.title.de)}$`));
    expect(await panelText(page)).toContain("Gebühren");
    await tabTo(page, /^BUTTON Antrag starten$/);
    await page.keyboard.press("Enter");

    // Prefilled from the account, changeable.
    await waitForFocus(page, /^H4 Schritt 1 von 4 /);
    await expect.poll(() => inWidget(page, `#${fieldId("halter.name")}`).inputValue()).toBe(citizen.name);
    await expect.poll(() => inWidget(page, `#${fieldId("halter.email")}`).inputValue()).toBe(citizen.email);

    const plan: Plan = {
      entries: { hunde: 2 },
      answers: {
        "halter.name": "Erika Mustermann",
        "halter.email": citizen.email,
        "hunde.0.name": "Bello",
        "hunde.1.name": "Luna",
        "hunde.0.listenhund": true,
        "hunde.1.geschlecht": "huendin",
        zahlungsart: "lastschrift",
        kontoinhaber: "Erika Mustermann",
      },
      file: await photo("wesenstest.png"),
    };
    await fillForm(page, def, plan, "keyboard");

    // The review lists both dogs, the upload and the IBAN as printed on a card.
    const review = await panelText(page);
    for (const text of ["Hund 1", "Hund 2", "Bello", "Luna", "wesenstest.png", "Hündin", "DE89 3704 0044 0532 0130 00", "SEPA-Lastschrift", "Lindenallee 17, 39517 Tangerhütte"]) expect(review).toContain(text);
    expect(review).toContain(`Die Eingangsbestätigung geht an ${citizen.email}.`);

    await tabTo(page, /^BUTTON Antrag absenden$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Antrag gesendet$/);
    const reference = /Ihr Aktenzeichen: (\S+)/.exec(await panelText(page))?.[1];
    expect(reference).toMatch(/^[A-Z]{2,6}-\d{4}-\d+$/);
    expect(await panelText(page)).toContain("Wie geht es weiter?");

    // The receipt: downloaded with the session (no plain link could), a PDF naming the reference.
    await tabTo(page, /^BUTTON Eingangsbestätigung herunterladen \(PDF\)$/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(await receiptPdfText(pdf)).toContain(reference);

    const mail = await waitForMail(env.server.api, (m) => m.to.includes(citizen.email) && m.subject.includes(reference!), "the receipt mail");
    expect(mail.text).toContain(reference);

    // Sent, so no draft is left; "Meine Anträge" lists it as received.
    expect((await apiCall(env.server.api, "tangerhuette", "GET", "forms/hundesteuer/draft", undefined, citizen.token)).status).toBe(404);
    await tabTo(page, /^BUTTON Zu meinen Anträgen$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H3 Meine Anträge$/);
    await expect.poll(() => panelText(page)).toContain(reference!);
    expect(await panelText(page)).toContain("Stand: eingegangen");
    const violations = await axe(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    expect(problems()).toEqual(noProblems);
    await page.context().close();
  }, TEST_MS * 2);
});

describe("an anonymous defect report on a phone", () => {
  it("sends a photo, solves the proof of work while the citizen reads, and links the receipt", async () => {
    const { page, problems: seen, context } = await newPage(env.browser, { viewport: { width: 375, height: 740 }, hasTouch: true });
    const problems = problemsOf(page, seen);
    const def = await definition(env.server, "tangerhuette", "maengelmelder");
    const email = `melder.${Date.now().toString(36)}@example.org`;
    await page.goto(`${env.server.demo}/tangerhuette/#rathaus/forms/maengelmelder`);
    await waitForFocus(page, new RegExp(`^H3 ${escape(def.title.de)}$`));
    await tabTo(page, /^BUTTON Antrag starten$/);
    await page.keyboard.press("Enter");

    await fillForm(page, def, { answers: { fotos: "upload", ort: "Lindenallee 5" }, file: await photo("schlagloch.png") }, "keyboard", async () => {
      // Nothing sticks out sideways at 375 px.
      const overflow = await page.evaluate(() => {
        const body = document.querySelector("digitales-rathaus")!.shadowRoot!.querySelector("dr-panel")!.shadowRoot!.querySelector<HTMLElement>(".body")!;
        return body.scrollWidth - body.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
    });
    await expect.poll(() => panelText(page), { timeout: WAIT_MS }).toContain("Sicherheitsprüfung abgeschlossen.");
    expect(await panelText(page)).toContain("schlagloch.png");

    await typeInto(page, fieldId("_email"), email);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Antrag gesendet$/);
    const reference = /Ihr Aktenzeichen: (\S+)/.exec(await panelText(page))?.[1];
    expect(reference).toBeTruthy();

    // Without a session the receipt is a plain link (with its own token) to the PDF.
    const href = await inWidget(page, ".done a[href*='receipt.pdf']").getAttribute("href");
    const res = await fetch(href!);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(await receiptPdfText(new Uint8Array(await res.arrayBuffer()))).toContain(reference);
    const mail = await waitForMail(env.server.api, (m) => m.to.includes(email), "the receipt mail");
    expect(mail.subject).toContain(reference);

    // Sending without an account stores nothing in the browser.
    expect(await storageState(context, page)).toEqual({ localStorage: [], cookies: [] });
    expect(problems()).toEqual(noProblems);
    await context.close();
  }, TEST_MS);
});

describe("errors", () => {
  it("lists a step's problems in a summary that gets focus and links to the fields; a field's error follows its answer", async () => {
    const { page, problems: seen } = await newPage(env.browser);
    const problems = problemsOf(page, seen);
    // Opened as a webmaster's own button would: DigitalesRathaus.open("forms/<id>").
    await page.goto(`${env.server.demo}/tangerhuette/`);
    await waitForWidget(page);
    expect(await page.evaluate(() => window.DigitalesRathaus?.open("forms/maengelmelder"))).toBe(true);
    await waitForFocus(page, /^H3 Mängelmelder$/);
    await tabTo(page, /^BUTTON Antrag starten$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Schritt 1 von 2 /);

    // Passing a field with Tab, without answering, says nothing yet.
    await tabTo(page, new RegExp(`^INPUT#${fieldId("ort")} `));
    await page.keyboard.press("Tab");
    await waitForFocus(page, new RegExp(`^TEXTAREA#${fieldId("beschreibung")} `));
    await expect.poll(() => inWidget(page, `#${fieldId("ort")}-error`).count()).toBe(0);

    // "Weiter" on the empty step: the summary takes focus and names every problem.
    await submitStep(page, "keyboard");
    await waitForFocus(page, /^DIV Bitte prüfen Sie Ihre Angaben/);
    const summary = (await focused(page)).replace(/^DIV /, "");
    expect(summary).toContain("Art des Mangels: Bitte wählen Sie eine Antwort aus.");
    expect(summary).toContain("Ort: Bitte füllen Sie dieses Feld aus.");
    expect(summary).toContain("Beschreibung: Bitte füllen Sie dieses Feld aus.");
    expect(await inWidget(page, ".error-summary").getAttribute("role")).toBe("alert");
    const ort = inWidget(page, `#${fieldId("ort")}`);
    await expect.poll(() => ort.getAttribute("aria-invalid")).toBe("true");
    expect(await ort.getAttribute("aria-describedby")).toContain(`${fieldId("ort")}-error`);
    await expect.poll(async () => (await inWidget(page, `#${fieldId("ort")}-error`).textContent())?.trim()).toBe("Bitte füllen Sie dieses Feld aus.");

    // A link in the summary moves focus to its field.
    await tabTo(page, /^A Ort: /);
    await page.keyboard.press("Enter");
    await waitForFocus(page, new RegExp(`^INPUT#${fieldId("ort")} `));

    // Too short, then left: the error says why, and is announced.
    await page.keyboard.type("Li");
    await page.keyboard.press("Tab");
    await expect.poll(async () => (await inWidget(page, `#${fieldId("ort")}-error`).textContent())?.trim()).toBe("Bitte geben Sie mindestens 3 Zeichen ein.");
    await expect.poll(async () => (await inWidget(page, "p.sr-only[role=status]").first().textContent())?.trim()).toMatch(/Ort: Bitte geben Sie mindestens 3 Zeichen ein\./);

    // Corrected: the error goes as the answer becomes valid, also from the summary.
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("End");
    await page.keyboard.type("ndenallee 5");
    await expect.poll(() => ort.inputValue()).toBe("Lindenallee 5");
    await expect.poll(() => inWidget(page, `#${fieldId("ort")}-error`).count()).toBe(0);
    await expect.poll(() => ort.getAttribute("aria-invalid")).toBe("false");
    expect(await inWidget(page, ".error-summary").textContent()).not.toContain("Ort:");
    expect(await inWidget(page, ".error-summary").textContent()).toContain("Beschreibung:");

    expect(problems()).toEqual(noProblems);
    await page.context().close();
  }, TEST_MS);
});

describe("drafts", () => {
  it("saves the answers as the citizen types and resumes them after a reload and on another device", async () => {
    const citizen = await verifiedCitizen(env.server.api);
    const def = await definition(env.server, "tangerhuette", "osterfeuer");
    const { page, problems: seen } = await newPage(env.browser);
    const problems = problemsOf(page, seen);
    await withSession(page, env.server, citizen.token, "tangerhuette", "#rathaus/forms/osterfeuer");
    await waitForFocus(page, new RegExp(`^H3 ${escape(def.title.de)}$`));
    await tabTo(page, /^BUTTON Antrag starten$/);
    await page.keyboard.press("Enter");
    await waitForFocus(page, /^H4 Schritt 1 von /);
    await typeInto(page, fieldId("ort_bezeichnung"), "Festwiese am Sportplatz");

    // Saved about 1.5 s after the last key, and said so.
    await expect.poll(() => inWidget(page, ".draft-status").textContent(), { timeout: WAIT_MS }).toMatch(/^Entwurf gespeichert \(\d\d:\d\d Uhr\)$/);
    const saved = await apiCall<{ data: Record<string, unknown> }>(env.server.api, "tangerhuette", "GET", "forms/osterfeuer/draft", undefined, citizen.token);
    expect(saved.json.data.ort_bezeichnung).toBe("Festwiese am Sportplatz");

    // After a reload: straight to the steps, the answer back, a note that this is the draft.
    await page.reload();
    await waitForWidget(page);
    await waitForFocus(page, new RegExp(`^H3 ${escape(def.title.de)}$`));
    await expect.poll(() => inWidget(page, `#${fieldId("ort_bezeichnung")}`).inputValue()).toBe("Festwiese am Sportplatz");
    expect(await panelText(page)).toMatch(/Sie machen mit Ihrem Entwurf vom .+ weiter\./);

    // Another device with the same account.
    const other = await newPage(env.browser);
    await withSession(other.page, env.server, citizen.token, "tangerhuette", "#rathaus/forms/osterfeuer");
    await expect.poll(() => inWidget(other.page, `#${fieldId("ort_bezeichnung")}`).inputValue()).toBe("Festwiese am Sportplatz");
    await other.page.context().close();

    // A draft of an older version of the form: the citizen is asked to check the answers.
    const put = await apiCall(env.server.api, "tangerhuette", "PUT", "forms/osterfeuer/draft", { data: saved.json.data, version: def.version + 1 }, citizen.token);
    expect(put.status).toBe(200);
    await page.reload();
    await waitForWidget(page);
    await expect.poll(() => panelText(page)).toContain("Das Formular wurde geändert. Bitte prüfen Sie Ihre Angaben.");

    expect(problems()).toEqual(noProblems);
    await page.context().close();
  }, TEST_MS);

  it("sends a visitor without a session to the login first and back to the form afterwards", async () => {
    const citizen = await verifiedCitizen(env.server.api);
    const def = await definition(env.server, "tangerhuette", "osterfeuer");
    const { page, problems: seen } = await newPage(env.browser);
    const problems = problemsOf(page, seen);
    await page.goto(`${env.server.demo}/tangerhuette/#rathaus/forms/osterfeuer`);
    await waitForFocus(page, /^H3 Anmelden$/);
    expect(await panelText(page)).toContain(`Für „${def.title.de}“ melden Sie sich bitte an.`);
    await tabTo(page, /^INPUT#email /);
    await page.keyboard.type(citizen.email);
    await tabTo(page, /^INPUT#password /);
    await page.keyboard.type(citizen.password);
    await page.keyboard.press("Enter");
    await waitForFocus(page, new RegExp(`^H3 ${escape(def.title.de)}$`));
    expect(problems()).toEqual(noProblems);
    await page.context().close();
  }, TEST_MS);
});

/** The demo towns' forms as tenants/ defines them: their own files and the catalogue forms they switched on. */
function demoForms(): Record<string, string[]> {
  const towns: Record<string, string[]> = {};
  for (const town of ["tangerhuette", "musterstadt"]) {
    const dir = join(root, "tenants", town);
    const config = JSON.parse(readFileSync(join(dir, "tenant.json"), "utf8")) as { forms?: { catalog?: { id: string }[] } };
    const own = existsSync(join(dir, "forms")) ? readdirSync(join(dir, "forms")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)) : [];
    towns[town] = [...own, ...(config.forms?.catalog ?? []).map((c) => c.id)].sort();
  }
  return towns;
}

describe("accessibility of every demo form: no axe violations", () => {
  const towns = demoForms();
  const runs = [
    ...towns.tangerhuette!.map((id) => ({ tenant: "tangerhuette", id, theme: "light" })),
    ...towns.tangerhuette!.map((id) => ({ tenant: "tangerhuette", id, theme: "dark" })),
    ...towns.musterstadt!.map((id) => ({ tenant: "musterstadt", id, theme: "light" })),
  ];

  it("walks through every form the towns serve", async () => {
    expect(towns.tangerhuette).toEqual(expect.arrayContaining(["hundesteuer", "osterfeuer", "kita-anmeldung", "maengelmelder"]));
    for (const [tenant, forms] of Object.entries(towns)) {
      const list = await apiCall<{ items: FormSummary[] }>(env.server.api, tenant, "GET", "forms");
      expect(list.json.items.map((f) => f.id).sort()).toEqual(forms);
    }
  }, TEST_MS);

  it("the form list, a search without results and Meine Anträge", async () => {
    const citizen = await verifiedCitizen(env.server.api);
    const { page, problems: seen } = await newPage(env.browser);
    const problems = problemsOf(page, seen);
    await withSession(page, env.server, citizen.token, "tangerhuette", "#rathaus/forms");
    await waitForFocus(page, /^H3 Anträge$/);
    await page.waitForSelector("digitales-rathaus [data-id]");
    const check = async (what: string) => {
      const violations = await axe(page);
      expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
    };
    await check("form list");
    await inWidget(page, "#form-search").fill("Reisepass Mondlandung");
    await expect.poll(() => panelText(page)).toContain("Zu Ihrer Suche gibt es keinen Antrag.");
    await check("search without results");
    await page.locator("digitales-rathaus .tabs button", { hasText: "Meine Anträge" }).click();
    await waitForFocus(page, /^H3 Meine Anträge$/);
    await expect.poll(() => panelText(page)).toContain("Sie haben noch keinen Antrag gesendet.");
    await check("Meine Anträge, empty");
    expect(problems()).toEqual(noProblems);
    await page.context().close();
  }, TEST_MS);

  for (const { tenant, id, theme } of runs) {
    it(`${tenant}: ${id} (${theme}) — intro, every step empty and filled in, the review, the confirmation`, async () => {
      const def = await definition(env.server, tenant, id);
      const { page, problems: seen } = await newPage(env.browser);
      const problems = problemsOf(page, seen);
      if (theme === "dark") await page.addInitScript(() => document.addEventListener("DOMContentLoaded", () => document.querySelector("digitales-rathaus")?.setAttribute("theme", "dark")));
      const clean = async (what: string) => {
        const violations = await axe(page);
        expect(violations, `${tenant}/${id} ${what}:\n${describeViolations(violations)}`).toEqual([]);
      };
      if (def.access.anonymous) {
        await page.goto(`${env.server.demo}/${tenant}/#rathaus/forms/${id}`);
        await waitForWidget(page);
      } else {
        const citizen = await verifiedCitizen(env.server.api, {}, tenant);
        await withSession(page, env.server, citizen.token, tenant, `#rathaus/forms/${id}`);
      }
      await waitForFocus(page, new RegExp(`^H3 ${escape(def.title.de)}$`));
      if (def.intro || def.fees) {
        await clean("intro");
        await page.locator("digitales-rathaus button", { hasText: "Antrag starten" }).click();
      }
      const plan: Plan = { answers: { "hunde.0.listenhund": true, fotos: "upload", zahlungsart: "lastschrift" }, entries: { hunde: 2, kinder: 2 } };
      await fillForm(page, def, plan, "direct", async (step) => {
        await clean(`step ${step + 1}`);
        // Empty first, as far as prefills leave it: the errors and their summary. (A step that
        // asks nothing required would just move on.)
        const unanswered = validateStep(def, step, {}, { today: berlinToday() }).filter((e) => !(itemAt(def, e.path)?.item as Field | undefined)?.prefill);
        if (!unanswered.length) return;
        await submitStep(page, "direct");
        await waitForFocus(page, /^DIV Bitte prüfen Sie Ihre Angaben/);
        await clean(`step ${step + 1} with errors`);
      });
      await clean("review");
      if (def.access.anonymous) {
        await submitStep(page, "direct");
        await waitForFocus(page, /^DIV Bitte prüfen Sie Ihre Angaben/);
        await clean("review with errors");
        await inWidget(page, `#${fieldId("_email")}`).fill("axe@example.org");
      }
      await submitStep(page, "direct");
      await waitForFocus(page, /^H4 Antrag gesendet$/, WAIT_MS * 2);
      await clean("confirmation");
      expect(problems()).toEqual(noProblems);
      await page.context().close();
    }, TEST_MS * 2);
  }
});
