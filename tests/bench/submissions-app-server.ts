/**
 * The request path of server/node.ts without its background jobs: the same createApp with the
 * same adapters (SQLite bootstrap, pino log on stdout, blobs on disk, socket peer address), but
 * no outbox dispatcher, so the mails a submission writes stay in the outbox. The submission
 * benchmark runs it beside the real server to show what the requests cost on their own.
 * Arguments: data dir, tenants dir. Prints `listening <port>`.
 */
import type { IncomingMessage, Server } from "node:http";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../../server/app.js";
import { systemClock } from "../../server/lib/clock.js";
import { nodeArgon2Hasher } from "../../server/node/argon2-hasher.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { fileBlobStore } from "../../server/node/file-blobs.js";
import { pinoLogger } from "../../server/node/pino-logger.js";
import { workerReceiptRenderer } from "../../server/node/receipt-renderer.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";

const [dataDir, tenantsDir] = process.argv.slice(2).map((p) => resolve(p));
if (!dataDir || !tenantsDir) throw new Error("usage: submissions-app-server.ts <data dir> <tenants dir>");
const root = resolve(import.meta.dirname, "../..");
const logger = pinoLogger();
const { store } = await bootstrapStore({ databaseFile: join(dataDir, "rathaus.sqlite"), migrationsDir: join(root, "migrations"), tenantsDir, clock: systemClock });
const app = createApp({
  store,
  clock: systemClock,
  tenants: databaseTenantRegistry(store, systemClock),
  hasher: nodeArgon2Hasher,
  secret: "bench-secret-bench-secret-bench-secret",
  logger,
  clientAddress: { peer: (c) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress, trustProxy: 0 },
  blobs: fileBlobStore(join(dataDir, "blobs")),
  receipts: workerReceiptRenderer(),
});
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
server.once("listening", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
});
process.on("SIGTERM", () => {
  server.close(() => void store.close().then(() => logger.close()).then(() => process.exit(0)));
  server.closeAllConnections();
});
