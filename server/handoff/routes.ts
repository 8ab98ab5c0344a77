import { Hono } from "hono";
import type { Store } from "../db/store.js";
import type { BlobStore } from "../files/blobs.js";
import { contentDisposition } from "../files/filename.js";
import type { AppEnv } from "../http/env.js";
import { parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireOffice } from "../office/session.js";
import { requireService } from "../tenants/middleware.js";
import { submissionsCsvQuery, webhooksQuery } from "./inputs.js";
import { handoffService } from "./service.js";

export interface HandoffRouteDeps {
  store: Store;
  clock: Clock;
  secret: string;
  blobs: BlobStore;
  publicUrl: (requestUrl: string) => string;
  /** Wakes the background jobs after a replay queued a delivery. */
  onEnqueued: () => void;
}

/** The office's hand-off routes under /api/v1/tenants/{slug}/: webhook log and replay, ZIP and CSV exports. */
export function handoffRoutes(deps: HandoffRouteDeps) {
  const handoff = handoffService({ store: deps.store, clock: deps.clock, blobs: deps.blobs, onEnqueued: deps.onEnqueued });
  const app = new Hono<AppEnv>();
  const staff = [requireService("forms"), requireOffice(deps.store, deps.clock, deps.secret)] as const;
  // Never kept by a browser or a proxy: they hold applicants' data.
  const download = (name: string, type: string) => ({
    "Content-Type": type,
    "Content-Disposition": contentDisposition(name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  });

  app.get("/office/webhooks", ...staff, async (c) => c.json(await handoff.deliveries(c.get("tenant"), c.get("auth").account, parseWith(webhooksQuery, c.req.query()))));

  app.post("/office/webhooks/:id/replay", ...staff, async (c) => c.json(await handoff.replay(c.get("tenant"), c.get("auth").account, c.req.param("id")), 202));

  app.get("/office/submissions/:id/export.zip", ...staff, async (c) => {
    const pkg = await handoff.exportPackage(c.get("tenant"), c.get("auth").account, c.req.param("id"), deps.publicUrl(c.req.url));
    return c.body(pkg.stream as ReadableStream<Uint8Array<ArrayBuffer>>, 200, { ...download(pkg.filename, "application/zip"), "Content-Length": String(pkg.size) });
  });

  app.get("/office/forms/:formId/submissions.csv", ...staff, async (c) => {
    const q = parseWith(submissionsCsvQuery, c.req.query());
    const csv = await handoff.exportCsv(c.get("tenant"), c.get("auth").account, c.req.param("formId"), q);
    return c.body(csv.stream as ReadableStream<Uint8Array<ArrayBuffer>>, 200, download(csv.filename, "text/csv; charset=utf-8"));
  });
  return app;
}
