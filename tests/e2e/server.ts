/**
 * The real server (`server/node.ts`, as `npm start` runs it) for browser tests: free ports,
 * a fresh data directory, and a copy of tenants/ whose embed origins and links point at the
 * demo site's port, so the demo page is a real cross-origin embedder of the API.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { freePort, root } from "../node/process.js";
import { type ServerProcess, spawnServer } from "./spawn.js";

export interface E2eServer {
  /** API and widget origin, e.g. http://localhost:41234 (or http://127.0.0.1:… when cross-site). */
  api: string;
  /** Demo town sites' origin, http://localhost:<port>. */
  demo: string;
  /** The demo's OIDC provider "Test-Bürgerkonto", http://localhost:<port>. */
  idp: string;
  /** The server's data directory (its SQLite file is `rathaus.sqlite`): for scenes no API can set. */
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export const widgetDir = join(root, "dist", "public", "widget", "v1");

export function assertWidgetBuilt() {
  if (!existsSync(join(widgetDir, "rathaus.js"))) {
    throw new Error("dist/public/widget/v1/rathaus.js is missing: build the widget first (`npm run build`; `npm test` does it before the tests).");
  }
}

/** `editTenants`: changes the copy of `tenants/` the server loads (a form needing a trust level, …). */
export async function startE2eServer(opts: { apiHost?: "localhost" | "127.0.0.1"; editTenants?: (dir: string) => void } = {}): Promise<E2eServer> {
  assertWidgetBuilt();
  const [apiPort, demoPort, smtpPort, idpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const demo = `http://localhost:${demoPort}`;
  const api = `http://${opts.apiHost ?? "localhost"}:${apiPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), "dr-e2e-data-"));
  const tenantsDir = mkdtempSync(join(tmpdir(), "dr-e2e-tenants-"));
  cpSync(join(root, "tenants"), tenantsDir, { recursive: true });
  for (const slug of readdirSync(tenantsDir)) {
    const file = join(tenantsDir, slug, "tenant.json");
    if (!existsSync(file)) continue;
    const tenant = JSON.parse(readFileSync(file, "utf8").replaceAll("http://localhost:8080", demo).replaceAll("http://localhost:8790", `http://localhost:${idpPort}`)) as { allowedOrigins: string[] };
    tenant.allowedOrigins = [demo];
    writeFileSync(file, JSON.stringify(tenant, null, 2));
  }
  opts.editTenants?.(tenantsDir);
  const cleanup = () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tenantsDir, { recursive: true, force: true });
  };
  const env = {
    PORT: String(apiPort),
    DEMO_PORT: String(demoPort),
    SMTP_CATCHER_PORT: String(smtpPort),
    DEMO_IDP_PORT: String(idpPort),
    DATA_DIR: dataDir,
    TENANTS_DIR: tenantsDir,
    PUBLIC_URL: api,
  };
  let server: ServerProcess;
  try {
    // Ready when the API's health check and the demo site both answer, not when a log line appears.
    server = await spawnServer(env, [`${api}/healthz`, `${demo}/tangerhuette/`]);
  } catch (e) {
    cleanup();
    throw e;
  }
  return {
    api,
    demo,
    idp: `http://localhost:${idpPort}`,
    dataDir,
    output: server.output,
    async stop() {
      await server.stop();
      cleanup();
    },
  };
}

// ---- the dev mail and SMS catchers ----

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface CaughtSms {
  to: string;
  text: string;
}

/**
 * Mail and SMS go out from the server's outbox in the background: poll the catcher until one
 * matches. The deadline is generous for a busy machine and stays below the tests' timeout, so
 * the error names what never came.
 */
async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await delay(200);
  }
}

export function waitForMail(api: string, match: (m: CaughtMail) => boolean, what = "a mail") {
  return poll(what, async () => ((await (await fetch(`${api}/dev/mail`)).json()) as CaughtMail[]).find(match));
}

export function waitForSms(api: string, match: (m: CaughtSms) => boolean, what = "an SMS") {
  return poll(what, async () => ((await (await fetch(`${api}/dev/sms`)).json()) as CaughtSms[]).find(match));
}

/** The six-digit code in a mail or SMS text. */
export function codeIn(text: string): string {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`no 6-digit code in: ${text}`);
  return code;
}

// ---- API shortcuts for setting the scene (not what the tests check) ----

export async function apiCall<T>(api: string, tenant: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${api}/api/v1/tenants/${tenant}/${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

export const STAFF = { email: "redaktion@tangerhuette.example", password: process.env.DEMO_PASSWORD ?? "Rathaus-Demo-2026" };

/** Publishes a news item as the demo staff account; returns its id. */
export async function publishNews(api: string, item: { title: string; summary: string; body: string; topics: string[]; urgent?: boolean }, tenant = "tangerhuette") {
  const login = await apiCall<{ token: string }>(api, tenant, "POST", "auth/login", STAFF);
  if (login.status !== 200) throw new Error(`staff login failed: ${login.status}`);
  const created = await apiCall<{ id: string }>(api, tenant, "POST", "news", item, login.json.token);
  if (created.status !== 201) throw new Error(`POST news failed: ${created.status} ${JSON.stringify(created.json)}`);
  const published = await apiCall(api, tenant, "POST", `news/${created.json.id}/publish`, undefined, login.json.token);
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.json)}`);
  return created.json.id;
}

let counter = 0;
/** A fresh identity per call: registration refuses nothing, but mails are matched by address. */
export function newCitizen() {
  const id = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  return {
    name: "Erika Mustermann",
    email: `erika.${id}@example.org`,
    mobile: `0171 ${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`,
    password: "Lindenallee-17-Tanger",
  };
}

/**
 * A citizen registered through the API with e-mail and mobile confirmed by the codes the server
 * sent, optionally subscribed to topics; returns the identity and its session token.
 */
export async function verifiedCitizen(api: string, opts: { kind?: "person" | "association" | "company"; organisation?: string; topics?: string[]; smsAlerts?: boolean } = {}, tenant = "tangerhuette") {
  const c = newCitizen();
  const reg = await apiCall<{ token: string; account: { mobile: string } }>(api, tenant, "POST", "auth/register", {
    kind: opts.kind ?? "person",
    ...c,
    ...(opts.organisation ? { organisation: opts.organisation } : {}),
    acceptPrivacy: true,
  });
  if (reg.status !== 201) throw new Error(`registration failed: ${reg.status} ${JSON.stringify(reg.json)}`);
  const token = reg.json.token;
  const mail = await waitForMail(api, (m) => m.to.includes(c.email), "the confirmation mail");
  const sms = await waitForSms(api, (m) => m.to === reg.json.account.mobile, "the confirmation SMS");
  for (const [path, text] of [["auth/verify-email", mail.text], ["auth/verify-mobile", sms.text]] as const) {
    const verified = await apiCall(api, tenant, "POST", path, { code: codeIn(text) }, token);
    if (verified.status !== 200) throw new Error(`${path} failed: ${verified.status}`);
  }
  if (opts.topics) {
    const subs = await apiCall(api, tenant, "PUT", "me/subscriptions", { topics: opts.topics, smsAlerts: opts.smsAlerts ?? false }, token);
    if (subs.status !== 200) throw new Error(`subscribing failed: ${subs.status}`);
  }
  return { ...c, token };
}

export const e164 = (mobile: string) => `+49${mobile.replace(/\s/g, "").slice(1)}`;
