import { Hono } from "hono";
import { requireAuth, requireVerified } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { BlobStore } from "../files/blobs.js";
import { contentDisposition } from "../files/filename.js";
import { attachmentTypes, receiveAttachment } from "../forms/uploads.js";
import { defaultMaxFileBytes } from "../forms/service.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireService } from "../tenants/middleware.js";
import { anonymousQuery, mailboxQuery, messageInput, readInput } from "./inputs.js";
import type { MailboxService } from "./service.js";

/** The Postfach under /api/v1/tenants/{slug}/: `me/mailbox`, replies, documents, the anonymous read-only view. */
export function mailboxRoutes(store: Store, clock: Clock, mailbox: MailboxService, blobs: BlobStore) {
  const app = new Hono<AppEnv>();
  for (const path of ["/me/mailbox", "/me/mailbox/*", "/me/documents/*", "/me/submissions/:id/messages", "/me/submissions/:id/uploads", "/anon/*"]) app.use(path, requireService("forms"));
  const account = [requireAuth(store, clock), requireVerified] as const;

  app.get("/me/mailbox", ...account, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await mailbox.page(c.get("tenant"), c.get("auth").account, parseWith(mailboxQuery, c.req.query())));
  });

  app.post("/me/mailbox/read", ...account, async (c) => {
    const { upTo } = await jsonBody(c, readInput);
    await mailbox.read(c.get("tenant"), c.get("auth").account, upTo);
    return c.body(null, 204);
  });

  app.post("/me/submissions/:id/uploads", ...account, async (c) => {
    const tenant = c.get("tenant");
    const me = c.get("auth").account;
    const s = await mailbox.replyTarget(tenant, me, c.req.param("id"));
    const upload = await receiveAttachment({ store, clock, blobs }, tenant, { formId: s.formId, field: "_reply", accountId: me.id, accept: attachmentTypes, maxBytes: defaultMaxFileBytes }, c.req.raw);
    return c.json(upload, 201);
  });

  app.post("/me/submissions/:id/messages", ...account, async (c) => {
    const input = await jsonBody(c, messageInput);
    return c.json(await mailbox.reply(c.get("tenant"), c.get("auth").account, c.req.param("id"), input), 201);
  });

  app.get("/me/documents/:id", ...account, async (c) => {
    const file = await mailbox.document(c.get("tenant"), c.get("auth").account, c.req.param("id"));
    const blob = await blobs.get(file.blobKey);
    if (!blob) throw AppError.of(404, "not_found");
    return c.body(blob.body as ReadableStream<Uint8Array<ArrayBuffer>>, 200, downloadHeaders(file.name, file.mediaType, blob.size));
  });

  app.get("/anon/submissions/:id", async (c) => {
    const { token } = parseWith(anonymousQuery, c.req.query());
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.json(await mailbox.anonymous(c.get("tenant"), c.req.param("id"), token));
  });
  return app;
}

/** A file as a download that never renders in our origin. */
export function downloadHeaders(name: string, mediaType: string, size: number): Record<string, string> {
  return {
    "Content-Type": mediaType,
    "Content-Length": String(size),
    "Content-Disposition": contentDisposition(name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  };
}
