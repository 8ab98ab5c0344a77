/**
 * The baseline of the submission benchmark: Hono on @hono/node-server (the same stack as
 * server/node.ts) with one POST route that reads the body it is sent and answers 201 with a
 * small JSON object. What the real server does beyond this is the price of the form: session
 * lookup, rules, upload checks, the blob on disk and the database writes.
 */
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("*", async (c) => {
  // Drained like a real route would: a body left unread would stall the next keep-alive request.
  const body = await c.req.arrayBuffer();
  return c.json({ id: "noop", size: body.byteLength }, 201);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
server.keepAliveTimeout = 60_000;
server.once("listening", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
