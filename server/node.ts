/**
 * `npm start`: the whole product on one machine. The API and widget on PORT (8787), the demo
 * town website on its own origin DEMO_PORT (8080), data in DATA_DIR (./data).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { X_ALREADY_SENT } from "@hono/node-server/utils/response/constants";
import { DEFAULT_DEMO_PASSWORD, removeDemoAccounts, seedDemoAccounts } from "./accounts/demo.js";
import { createApp } from "./app.js";
import type { MailSender, SmsSender } from "./delivery/ports.js";
import type { DevInbox } from "./dev/routes.js";
import { type NodeEnv, readNodeEnv } from "./node/env.js";
import { systemClock } from "./lib/clock.js";
import { nodeArgon2Hasher } from "./node/argon2-hasher.js";
import { pinoLogger } from "./node/pino-logger.js";
import { bootstrapStore } from "./node/bootstrap.js";
import { type MailCatcher, startMailCatcher } from "./node/mail-catcher.js";
import { smtpMailSender } from "./node/smtp-sender.js";
import { readStaticFile, serveOfficeAsset } from "./node/static-files.js";
import { seedDemoNews } from "./news/demo.js";
import { newsFanout } from "./news/fanout.js";
import { createDispatcher } from "./outbox/dispatcher.js";
import { createWebhookDispatcher } from "./handoff/dispatcher.js";
import { envSecrets } from "./handoff/secrets.js";
import { receiptAttachments } from "./forms/receipt.js";
import { appointmentAttachments } from "./appointments/attachments.js";
import { queueReminders } from "./appointments/reminders.js";
import { releaseUnconfirmed } from "./appointments/service.js";
import { allAttachments } from "./outbox/attachment-sources.js";
import { pruneUnusedUploads } from "./forms/uploads.js";
import { indexWholeSearchBacklog } from "./office/search-backlog.js";
import { fileBlobStore } from "./node/file-blobs.js";
import { workerReceiptRenderer } from "./node/receipt-renderer.js";
import { prune } from "./housekeeping/prune.js";
import { smsGatewayFromEnv } from "./sms/config.js";
import { devSmsOutbox } from "./sms/dev-outbox.js";
import { httpSmsGateway } from "./sms/http-gateway.js";
import { TenantDefinitionError } from "./tenants/definitions.js";
import { listActiveTenants } from "./tenants/repo.js";
import { type TenantRegistry, databaseTenantRegistry } from "./tenants/registry.js";
import { startDemoIdp } from "./node/demo-idp.js";
import { samlPort } from "./node/saml.js";

const root = resolve(import.meta.dirname, "..");
const logger = pinoLogger();

class ConfigError extends Error {}

let env: NodeEnv;
try {
  env = readNodeEnv(process.env);
} catch (e) {
  console.error(`\nStart abgebrochen / start-up stopped: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
const { PORT: port, DEMO_PORT: demoPort } = env;
const dataDir = resolve(env.DATA_DIR ?? join(root, "data"));
const apiOrigin = env.PUBLIC_URL ?? `http://localhost:${port}`;
/** Production mode: real SMTP and SMS gateway required, no demo accounts, no /dev routes. */
const production = env.NODE_ENV === "production";

/** SMTP_URL if given; in development otherwise a local catcher whose mails are listed at /dev/mail. */
async function mailDelivery(): Promise<{ sender: MailSender; catcher?: MailCatcher }> {
  if (env.SMTP_URL) return { sender: smtpMailSender(env.SMTP_URL) };
  if (production) throw new ConfigError("SMTP_URL is required when NODE_ENV=production");
  const catcher = await startMailCatcher({ port: env.SMTP_CATCHER_PORT });
  return { sender: smtpMailSender(catcher.url), catcher };
}

function smsDelivery(): { sender: SmsSender; devOutbox?: ReturnType<typeof devSmsOutbox> } {
  const gateway = smsGatewayFromEnv(process.env);
  if (gateway) return { sender: httpSmsGateway(gateway) };
  if (production) throw new ConfigError("SMS_GATEWAY_URL is required when NODE_ENV=production");
  const devOutbox = devSmsOutbox();
  return { sender: devOutbox, devOutbox };
}

/** APP_SECRET, or one generated on first start and kept beside the database. */
function appSecret(dataDir: string): string {
  if (env.APP_SECRET) return env.APP_SECRET;
  const file = join(dataDir, "app-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * The adapter writes a Response with a body straight to the socket but builds a full web Response
 * for one without, such as a 304. So a 304 is written to Node's response here, and the adapter gets
 * one shared answer that tells it so (its `x-hono-already-sent`); its status keeps the log right.
 */
const notModifiedSent = new Response(null, { status: 304, headers: { [X_ALREADY_SENT]: "true" } });
function writeNotModified(c: { env: unknown }, headers: Record<string, string>): Response {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return new Response(null, { status: 304, headers });
  outgoing.writeHead(304, stopping ? { ...headers, Connection: "close" } : headers).end();
  return notModifiedSent;
}

/** The Node adapter hands the raw request to the app as its env; the socket knows the peer. */
const socketPeer = (c: { env: unknown }) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress;

let stopping = false;

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const tenantsDir = resolve(env.TENANTS_DIR ?? join(root, "tenants"));
  const { store, tenants, migrations } = await bootstrapStore({
    databaseFile: join(dataDir, "rathaus.sqlite"),
    migrationsDir: join(root, "migrations"),
    tenantsDir,
    clock: systemClock,
  });
  logger.info("startup", { mode: production ? "production" : "demo", dataDir, migrationsApplied: migrations, tenants });

  if (production) {
    const removed = await removeDemoAccounts(store);
    if (removed > 0) logger.info("demo_accounts_removed", { count: removed });
  } else {
    const towns = await listActiveTenants(store.db);
    await seedDemoAccounts(store, systemClock, nodeArgon2Hasher, towns, env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD);
    await seedDemoNews(store, systemClock, towns);
  }

  const mail = await mailDelivery();
  const sms = smsDelivery();
  const secret = appSecret(dataDir);
  const tenantRegistry = databaseTenantRegistry(store, systemClock);
  // Demo mode: the Test-Bürgerkonto the demo towns log in with, started before the API asks it for its configuration.
  const demoIdp = production ? undefined : await startTestBuergerkonto(tenantRegistry, await listActiveTenants(store.db));
  const fanout = newsFanout({ store, clock: systemClock, secret, publicUrl: apiOrigin, onPublicChange: (id) => tenantRegistry.invalidate(id) });
  const receipts = workerReceiptRenderer();
  const webhooks = createWebhookDispatcher({ store, clock: systemClock, secrets: envSecrets(process.env), logger, publicUrl: apiOrigin });
  const dispatcher = createDispatcher({
    store,
    clock: systemClock,
    mail: mail.sender,
    sms: sms.sender,
    logger,
    mailFrom: env.MAIL_FROM ?? "no-reply@digitales-rathaus.example",
    publicUrl: apiOrigin,
    // Webhook deliveries go out alongside: each pass sends those that are due (server/handoff/dispatcher.ts).
    prepare: async () => void (await Promise.all([fanout.runDue(), webhooks.runDue({ budgetMs: 5_000 }), releaseUnconfirmed(store, systemClock.now()), queueReminders(store, systemClock.now())])),
    attachments: allAttachments(receiptAttachments(store, receipts), appointmentAttachments(store)),
  });
  // This process is the only dispatcher on its SQLite file: whatever a crash left mid-send goes out again.
  await dispatcher.recover();
  dispatcher.start();
  // Submissions from before the inbox search existed become searchable in the background.
  void indexWholeSearchBacklog(store).catch((e: unknown) => logger.error("search_backlog_error", { error: String(e) }));
  // Uploads a crash cut off; this process is the only writer of its DATA_DIR.
  rmSync(join(dataDir, "blobs", ".partial"), { recursive: true, force: true });
  const blobs = fileBlobStore(join(dataDir, "blobs"));
  const housekeep = async () => {
    await prune(store.db, systemClock.now());
    await pruneUnusedUploads(store, blobs, systemClock.now());
  };
  const housekeeping = setInterval(() => void housekeep().catch((e: unknown) => logger.error("prune_error", { error: String(e) })), 60 * 60_000);

  const devInbox: DevInbox | undefined =
    mail.catcher && sms.devOutbox ? { mails: () => mail.catcher!.list(), sms: () => sms.devOutbox!.list() } : undefined;
  const app = createApp({
    store,
    clock: systemClock,
    tenants: tenantRegistry,
    hasher: nodeArgon2Hasher,
    secret,
    logger,
    publicUrl: apiOrigin,
    clientAddress: { peer: socketPeer, trustProxy: env.TRUST_PROXY },
    onEnqueued: () => dispatcher.wake(),
    notModified: writeNotModified,
    blobs,
    receipts,
    env: (name) => process.env[name],
    // The SAML keys: only SAML_ variables reach it (server/identity/config.ts).
    saml: samlPort({ tenantsDir, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("SAML_"))), now: () => systemClock.now() }),
    ...(devInbox ? { devInbox } : {}),
  });

  const widgetDir = join(root, "dist", "public", "widget");
  const apiDocsDir = join(root, "dist", "public", "api", "docs");
  // The office's bundle; its page (/office/<slug>/) is answered by the app.
  const officeAssetsDir = join(root, "dist", "public", "office", "assets");
  const api = serve({
    port,
    fetch: (req, nodeEnv) => {
      // The adapter's URL is absolute; the path starts at the first "/" after the host.
      const url = req.url;
      const at = url.indexOf("/", url.indexOf("//") + 2);
      const isWidget = url.startsWith("/widget/", at);
      if (url.startsWith("/office/assets/", at) && !stopping) return serveOfficeAsset(officeAssetsDir, new URL(url).pathname.slice("/office/assets".length));
      if (!isWidget && !url.startsWith("/api/docs", at) && !stopping) return app.fetch(req, nodeEnv);
      return (async () => {
        const path = new URL(url).pathname;
        const res = isWidget
          ? await serveWidget(widgetDir, path.slice("/widget".length))
          : path === "/api/docs" || path.startsWith("/api/docs/")
            ? await serveApiDocs(apiDocsDir, path.slice("/api/docs".length))
            : await app.fetch(req, nodeEnv);
        // While shutting down, answered connections close instead of idling in keep-alive.
        if (stopping && res !== notModifiedSent) res.headers.set("Connection", "close");
        return res;
      })();
    },
  }) as Server;

  const demoDir = join(root, "demo");
  const demo = serve({ port: demoPort, fetch: (req) => serveDemo(demoDir, new URL(req.url).pathname) }) as Server;

  await Promise.all([listening(api), listening(demo)]);
  console.log(`\nDigitales Rathaus läuft / is running:
  API and widget   ${apiOrigin}  (health: ${apiOrigin}/healthz)
  Demo town sites  http://localhost:${demoPort}/tangerhuette/  and  http://localhost:${demoPort}/musterstadt/${
    production
      ? ""
      : `
  Caught mail/SMS  ${apiOrigin}/dev/mail  and  ${apiOrigin}/dev/sms
  Demo staff       redaktion@<town>.example / admin@<town>.example, password from DEMO_PASSWORD`
  }\n`);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutdown", { signal });
    // close() lets in-flight requests finish; idle keep-alive sockets would otherwise hold it open.
    await Promise.all([api, demo].map((s) => new Promise<void>((done) => {
      s.close(() => done());
      s.closeIdleConnections();
    })));
    clearInterval(housekeeping);
    await demoIdp?.close();
    await dispatcher.stop();
    await mail.sender.close?.();
    await mail.catcher?.close();
    await receipts.close();
    await store.close();
    logger.info("stopped", {});
    await logger.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** The secret the demo towns' `OIDC_TEST_BUERGERKONTO_SECRET` names, unless the environment sets one. */
const demoIdpSecret = "test-buergerkonto-demo-secret";

/**
 * The local OIDC provider of demo mode, with a client for every town configured to use it
 * (issuer http://localhost:DEMO_IDP_PORT); never in production.
 */
async function startTestBuergerkonto(registry: TenantRegistry, towns: ReadonlyArray<{ slug: string }>) {
  const issuer = `http://localhost:${env.DEMO_IDP_PORT}`;
  const clients = [];
  for (const { slug } of towns) {
    const tenant = await registry.bySlug(slug);
    for (const p of tenant?.config.identityProviders ?? []) {
      if (p.type !== "oidc" || p.issuer.replace(/\/$/, "") !== issuer) continue;
      process.env[p.clientSecretEnv] ??= demoIdpSecret;
      clients.push({ clientId: p.clientId, clientSecret: process.env[p.clientSecretEnv]!, redirectUris: [`${apiOrigin}/api/v1/tenants/${slug}/auth/providers/${p.id}/callback`] });
    }
  }
  if (clients.length === 0) return undefined;
  return startDemoIdp({ port: env.DEMO_IDP_PORT, clients });
}

function listening(server: Server) {
  return new Promise<void>((ok, fail) => {
    if (server.listening) return ok();
    server.once("listening", () => ok());
    server.once("error", fail);
  });
}

async function serveWidget(dir: string, path: string): Promise<Response> {
  const file = await readStaticFile(dir, path);
  if (!file || "redirect" in file) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.type,
      // Module scripts are fetched with CORS from the town's origin; this file is public.
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Cache-Control": path.startsWith("/v1/") ? "public, max-age=300" : "public, max-age=31536000, immutable",
    },
  });
}

/** The API reference (Swagger UI, built into dist/public/api/docs by `npm run build`). */
async function serveApiDocs(dir: string, path: string): Promise<Response> {
  if (path === "") return new Response(null, { status: 301, headers: { Location: "/api/docs/" } });
  const file = await readStaticFile(dir, path, "/api/docs");
  if (!file) return new Response("Not found", { status: 404 });
  if ("redirect" in file) return new Response(null, { status: 301, headers: { Location: file.redirect } });
  return new Response(new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.type,
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
      // Swagger UI sets style attributes; scripts come only from this folder.
      "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    },
  });
}

/** The demo site runs under the strict CSP a careful town would set, so the widget is tested under it. */
const demoCsp = [
  "default-src 'self'",
  `script-src 'self' ${apiOrigin}`,
  `connect-src 'self' ${apiOrigin}`,
  `img-src 'self' ${apiOrigin} data:`,
  "style-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

async function serveDemo(dir: string, path: string): Promise<Response> {
  const file = await readStaticFile(dir, path);
  if (!file) return new Response("Seite nicht gefunden", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if ("redirect" in file) return new Response(null, { status: 301, headers: { Location: file.redirect } });
  // The pages carry the snippet exactly as a webmaster pastes it; point it at this API.
  const body = file.type.startsWith("text/html")
    ? file.body.toString("utf8").replaceAll("http://localhost:8787", apiOrigin)
    : new Uint8Array(file.body);
  return new Response(body, {
    headers: { "Content-Type": file.type, "Content-Security-Policy": demoCsp, "Cache-Control": "no-cache" },
  });
}

main().catch((e: unknown) => {
  if (e instanceof TenantDefinitionError || e instanceof ConfigError) {
    console.error(`\nStart abgebrochen / start-up stopped: ${e.message}\n`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
