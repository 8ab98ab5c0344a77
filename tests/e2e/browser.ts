/**
 * The real server and Chromium for browser tests, and helpers that look into the widget's shadow
 * roots.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launch } from "./chromium.js";
import { type E2eServer, startE2eServer } from "./server.js";
import { HOOK_MS, WAIT_MS } from "./timeouts.js";

export { chromiumFlags, chromiumPath, keepsFailedImports, launch } from "./chromium.js";

/**
 * The real server and one Chromium for a test file: started before its first test (further
 * `beforeAll` hooks of the file run after this one), stopped after its last. Read them from the
 * returned object inside hooks and tests.
 */
export function useE2e(opts: Parameters<typeof startE2eServer>[0] = {}): { readonly server: E2eServer; readonly browser: Browser } {
  const env = {} as { server: E2eServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startE2eServer(opts);
    env.browser = await launch();
  }, HOOK_MS);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  }, HOOK_MS);
  return env;
}

/** Everything a page reports that a test should see: errors, CSP violations, console errors. */
export interface PageProblems {
  errors: string[];
  csp: string[];
  console: string[];
}

export async function watch(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { errors: [], csp: [], console: [] };
  page.on("pageerror", (e) => problems.errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") problems.console.push(m.text());
  });
  await page.exposeFunction("__drCspViolation", (v: string) => problems.csp.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __drCspViolation(v: string): void }).__drCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return problems;
}

export async function newPage(browser: Browser, opts: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "de-DE", ...opts });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const problems = await watch(page);
  return { context, page, problems };
}

/** Waits until the launcher is rendered with the town's branding. */
export async function waitForWidget(page: Page) {
  await page.locator("digitales-rathaus").first().waitFor({ state: "attached" });
  await page.waitForFunction(() => {
    const el = document.querySelector("digitales-rathaus");
    return !!el?.shadowRoot?.querySelector(".launcher") && (el as unknown as { state?: { config?: unknown } }).state?.config !== undefined;
  });
}

/**
 * In the page: describes the focused element, looking through shadow roots ("BUTTON Anmelden",
 * "INPUT#email …"); given a pattern, whether that description matches it. One function for both,
 * because what runs in the page cannot call helpers defined here.
 */
function focusInPage(pattern: { source: string; flags: string } | null): string | boolean {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  let description = "";
  if (a) {
    const label = (a as HTMLInputElement).labels?.[0]?.textContent ?? a.getAttribute("aria-label") ?? a.textContent ?? "";
    description = `${a.tagName}${a.id ? "#" + a.id : ""} ${label.replace(/\s+/g, " ").trim()}`.trim();
  }
  return pattern ? new RegExp(pattern.source, pattern.flags).test(description) : description;
}

/** Describes the focused element, looking through shadow roots: "BUTTON Anmelden", "INPUT#email". */
export async function focused(page: Page): Promise<string> {
  return String(await page.evaluate(focusInPage, null));
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches — keyboard only, as a visitor
 * would move; fails after `max` presses with the path it took.
 */
export async function tabTo(page: Page, match: RegExp, opts: { shift?: boolean; max?: number } = {}) {
  const seen: string[] = [];
  for (let i = 0; i < (opts.max ?? 60); i++) {
    const now = await focused(page);
    if (match.test(now)) return now;
    seen.push(now);
    await page.keyboard.press(opts.shift ? "Shift+Tab" : "Tab");
  }
  const now = await focused(page);
  if (match.test(now)) return now;
  throw new Error(`Tab never reached ${match}; went through:\n  ${seen.join("\n  ")}`);
}

/** Waits for the focus to land on an element matching (views move focus after loading). */
export async function waitForFocus(page: Page, match: RegExp, timeoutMs = WAIT_MS) {
  try {
    await page.waitForFunction(focusInPage, { source: match.source, flags: match.flags }, { timeout: timeoutMs });
    return await focused(page);
  } catch (e) {
    if (!(e instanceof Error) || e.name !== "TimeoutError") throw e;
  }
  const now = await focused(page);
  const widget = await page.evaluate(() => {
    const el = document.querySelector("digitales-rathaus") as unknown as { isOpen?: boolean; state?: { view: string; param?: string; notice?: string } } | null;
    return JSON.stringify({ url: location.href, open: el?.isOpen, view: el?.state?.view, param: el?.state?.param, notice: el?.state?.notice });
  });
  throw new Error(`focus did not reach ${match} within ${timeoutMs / 1000} s; it is on: ${now.slice(0, 200)}; widget: ${widget}`);
}

/** Loads the demo town page and, from its top, Tabs to the launcher and opens the panel on the news. */
export async function openWithKeyboard(page: Page, server: E2eServer) {
  await page.goto(`${server.demo}/tangerhuette/`);
  await waitForWidget(page);
  await tabTo(page, /^BUTTON Digitales Rathaus$/);
  await page.keyboard.press("Enter");
  await waitForFocus(page, /^H3 Nachrichten$/);
}

/** On the login view: types the e-mail address and the password and sends the form with Enter. */
export async function logInWithKeyboard(page: Page, email: string, password: string) {
  await tabTo(page, /^INPUT#email /);
  await page.keyboard.type(email);
  await tabTo(page, /^INPUT#password /);
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

/** Opens the demo town page with a stored session (as after an earlier login) and "Mein Konto". */
export async function openAccountWithSession(page: Page, server: E2eServer, token: string) {
  await page.goto(`${server.demo}/tangerhuette/`);
  await page.evaluate(([k, t]) => localStorage.setItem(k!, t!), [`digitales-rathaus:${server.api}:tangerhuette`, token]);
  await page.reload();
  await waitForWidget(page);
  await page.evaluate(() => window.DigitalesRathaus?.open("account"));
  await waitForFocus(page, /^H3 Mein Konto$/);
}

/** Waits for running CSS animations (the panel's fade-in; not the spinner's endless turn). */
export function animationsDone(page: Page) {
  return page.evaluate(() => {
    // document.getAnimations() does not see into shadow roots; ask each root.
    const roots: DocumentOrShadowRoot[] = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const el of (roots[i] as Document | ShadowRoot).querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    const running = roots.flatMap((r) => r.getAnimations()).filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    return Promise.all(running.map((a) => a.finished.then(() => undefined, () => undefined)));
  });
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; failureSummary?: string; html: string }[];
}

/**
 * axe-core on the whole page (it descends into open shadow roots), WCAG 2.0/2.1 A and AA rules.
 * Injected through CDP evaluation, which the page's CSP does not govern.
 */
export async function axe(page: Page, include?: string): Promise<AxeViolation[]> {
  // Colors are only final once the panel's fade-in has ended.
  await animationsDone(page);
  await page.evaluate(axeSource);
  return page.evaluate(async (include) => {
    const a = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await a.run(include ? { include: [[include]] } : document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html })) }));
  }, include);
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`).join("\n")}`).join("\n");
}

/** localStorage keys and every cookie of the context (all origins). */
export async function storageState(context: BrowserContext, page: Page) {
  return {
    localStorage: await page.evaluate(() => Object.keys(localStorage)),
    cookies: await context.cookies(),
  };
}

/** Records the widget's dr:* events (they bubble to document) in window.__drEvents. */
export async function recordEvents(page: Page) {
  await page.addInitScript(() => {
    const log: string[] = [];
    (window as unknown as { __drEvents: string[] }).__drEvents = log;
    for (const name of ["dr:ready", "dr:open", "dr:close", "dr:login", "dr:logout"]) document.addEventListener(name, () => log.push(name));
  });
  return () => page.evaluate(() => (window as unknown as { __drEvents: string[] }).__drEvents);
}

/** The text of the panel's notice and of the open view (inside the panel's and the view's shadow roots). */
export function panelText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const panel = document.querySelector("digitales-rathaus")?.shadowRoot?.querySelector("dr-panel")?.shadowRoot;
    const body = panel?.querySelector(".body");
    if (!body) return "";
    const text = [...body.children].map((el) => (el.localName.startsWith("dr-") ? el.shadowRoot?.textContent : el.textContent) ?? "").join(" ");
    return text.replace(/\s+/g, " ").trim();
  });
}
