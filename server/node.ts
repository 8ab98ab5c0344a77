/**
 * `npm start`: the whole product on one machine. The API and widget on PORT (8787), the demo
 * town website on its own origin DEMO_PORT (8080), data in DATA_DIR (./data).
 */
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { jsonLogger } from "./http/logger.js";
import { systemClock } from "./lib/clock.js";
import { bootstrapStore } from "./node/bootstrap.js";
import { readStaticFile } from "./node/static-files.js";
import { TenantDefinitionError } from "./tenants/definitions.js";
import { databaseTenantRegistry } from "./tenants/registry.js";

const root = resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 8787);
const demoPort = Number(process.env.DEMO_PORT ?? 8080);
const dataDir = resolve(process.env.DATA_DIR ?? join(root, "data"));
const apiOrigin = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const logger = jsonLogger;

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const { store, tenants, migrations } = await bootstrapStore({
    databaseFile: join(dataDir, "rathaus.sqlite"),
    migrationsDir: join(root, "migrations"),
    tenantsDir: resolve(process.env.TENANTS_DIR ?? join(root, "tenants")),
    clock: systemClock,
  });
  logger.info("startup", { dataDir, migrationsApplied: migrations, tenants });

  const app = createApp({
    store,
    clock: systemClock,
    tenants: databaseTenantRegistry(store, systemClock),
    logger,
    publicUrl: apiOrigin,
  });

  const widgetDir = join(root, "dist", "public", "widget");
  const api = serve({
    port,
    fetch: async (req) => {
      const path = new URL(req.url).pathname;
      if (path.startsWith("/widget/")) return serveWidget(widgetDir, path.slice("/widget".length));
      return app.fetch(req);
    },
  }) as Server;

  const demoDir = join(root, "demo");
  const demo = serve({ port: demoPort, fetch: (req) => serveDemo(demoDir, new URL(req.url).pathname) }) as Server;

  await Promise.all([listening(api), listening(demo)]);
  console.log(`\nDigitales Rathaus läuft / is running:
  API and widget   ${apiOrigin}  (health: ${apiOrigin}/healthz)
  Demo town sites  http://localhost:${demoPort}/tangerhuette/  and  http://localhost:${demoPort}/musterstadt/\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutdown", { signal });
    // close() lets in-flight requests finish; idle keep-alive sockets would otherwise hold it open.
    await Promise.all([api, demo].map((s) => new Promise<void>((done) => {
      s.close(() => done());
      s.closeIdleConnections();
    })));
    await store.close();
    logger.info("stopped", {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
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
  if (e instanceof TenantDefinitionError) {
    console.error(`\nStart abgebrochen / start-up stopped: ${e.message}\n`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
