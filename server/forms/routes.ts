import { type Context, Hono } from "hono";
import { optionalAuth, requireAuth, requireVerified } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { BlobStore } from "../files/blobs.js";
import { contentDisposition } from "../files/filename.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import type { PublicAnswers } from "../http/public-answers.js";
import { requestHeader } from "../http/request-headers.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireService } from "../tenants/middleware.js";
import { challengeQuery, draftInput, formIdParam, idempotencyKey, mySubmissionsQuery, receiptQuery, submissionInput } from "./inputs.js";
import { type ReceiptRenderer, receiptFor } from "./receipt.js";
import type { FormsService, Sender } from "./service.js";
import { deleteUpload, receiveUpload } from "./uploads.js";

export interface FormRouteDeps {
  store: Store;
  clock: Clock;
  forms: FormsService;
  answers: PublicAnswers;
  blobs: BlobStore;
  publicUrl: (requestUrl: string) => string;
  receipts: ReceiptRenderer;
}

/** `forms…`, `proof/challenge` and `me/submissions…` under /api/v1/tenants/{slug}/. HTTP only; the rules are in the service. */
export function formRoutes(deps: FormRouteDeps) {
  const { forms, answers, store, clock } = deps;
  const app = new Hono<AppEnv>();
  for (const path of ["/forms", "/forms/*", "/proof/*", "/me/submissions", "/me/submissions/*", "/submissions/*"]) app.use(path, requireService("forms"));
  const account = [requireAuth(store, clock), requireVerified] as const;
  const publicCache = "public, max-age=60";
  // An id that cannot be a form is simply not found, like any other unknown form.
  const formId = (id: string) => {
    if (!formIdParam.safeParse(id).success) throw AppError.of(404, "not_found");
    return id;
  };

  async function senderOf(c: Context<AppEnv>): Promise<Sender> {
    const auth = await optionalAuth(store, clock, c);
    return auth ? { account: auth.account, trustLevel: auth.trustLevel } : { anonymous: true, ip: c.get("clientIp")() };
  }

  app.get("/forms", (c) =>
    answers.respond(c, "forms", async () => ({
      body: JSON.stringify(await forms.list(c.get("tenant"))),
      headers: { "Content-Type": "application/json", "Cache-Control": publicCache },
    })),
  );

  app.get("/forms/:id", (c) => {
    const id = formId(c.req.param("id"));
    return answers.respond(c, `forms/${id}`, async () => ({
      body: JSON.stringify(await forms.get(c.get("tenant"), id)),
      headers: { "Content-Type": "application/json", "Cache-Control": publicCache },
    }));
  });

  app.get("/forms/:id/schema.json", (c) => {
    const id = formId(c.req.param("id"));
    const url = `${deps.publicUrl(c.req.url)}/api/v1/tenants/${c.get("tenant").slug}/forms/${id}/schema.json`;
    return answers.respond(c, `forms/${id}/schema@${url}`, async () => ({
      body: JSON.stringify(await forms.schema(c.get("tenant"), id, url)),
      headers: { "Content-Type": "application/schema+json", "Cache-Control": publicCache },
    }));
  });

  app.get("/proof/challenge", async (c) => {
    const { purpose } = parseWith(challengeQuery, c.req.query());
    c.header("Cache-Control", "no-store");
    return c.json(await forms.challenge(c.get("tenant"), purpose));
  });

  app.get("/forms/:id/draft", ...account, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await forms.getDraft(c.get("tenant"), c.get("auth").account, formId(c.req.param("id"))));
  });
  app.put("/forms/:id/draft", ...account, async (c) => {
    const input = await jsonBody(c, draftInput);
    return c.json(await forms.saveDraft(c.get("tenant"), c.get("auth").account, formId(c.req.param("id")), input));
  });
  app.delete("/forms/:id/draft", ...account, async (c) => {
    await forms.deleteDraft(c.get("tenant"), c.get("auth").account, formId(c.req.param("id")));
    return c.body(null, 204);
  });

  app.post("/forms/:id/uploads", async (c) => {
    const tenant = c.get("tenant");
    const sender = await senderOf(c);
    const form = await forms.uploadTarget(tenant, sender, formId(c.req.param("id")));
    if ("account" in sender) await forms.limitAccountUploads(tenant, sender.account);
    else {
      await forms.limitAnonymous(tenant, sender.ip, "upload");
      await forms.spendProof(tenant, requestHeader(c, "x-proof"), "upload");
    }
    const upload = await receiveUpload({ store, clock, blobs: deps.blobs }, tenant, form, "account" in sender ? sender.account.id : null, c.req.raw);
    return c.json(upload, 201);
  });

  app.delete("/forms/:id/uploads/:uploadId", async (c) => {
    const sender = await senderOf(c);
    await deleteUpload({ store, clock, blobs: deps.blobs }, c.get("tenant"), formId(c.req.param("id")), c.req.param("uploadId"), "account" in sender ? sender.account.id : null);
    return c.body(null, 204);
  });

  app.post("/forms/:id/submissions", async (c) => {
    const tenant = c.get("tenant");
    const sender = await senderOf(c);
    const key = parseWith(idempotencyKey, requestHeader(c, "idempotency-key"));
    const input = await jsonBody(c, submissionInput);
    if ("anonymous" in sender) await forms.limitAnonymous(tenant, sender.ip, "submit");
    const receipt = await forms.submit(tenant, sender, formId(c.req.param("id")), input, key, deps.publicUrl(c.req.url));
    return c.json(receipt, 201);
  });

  app.get("/me/submissions", ...account, async (c) => {
    c.header("Cache-Control", "no-store");
    const q = parseWith(mySubmissionsQuery, c.req.query());
    return c.json(await forms.mySubmissions(c.get("tenant"), c.get("auth").account, q));
  });

  app.get("/me/submissions/:id", ...account, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await forms.mySubmission(c.get("tenant"), c.get("auth").account, c.req.param("id"), deps.publicUrl(c.req.url)));
  });

  app.get("/submissions/:id/files/:uploadId", requireAuth(store, clock), async (c) => {
    const file = await forms.submissionFile(c.get("tenant"), c.get("auth").account, c.req.param("id"), c.req.param("uploadId"));
    const blob = await deps.blobs.get(file.blobKey);
    if (!blob) throw AppError.of(404, "not_found");
    // Never rendered by the browser in our origin: a download, of the type its bytes were found to be.
    return c.body(blob.body as ReadableStream<Uint8Array<ArrayBuffer>>, 200, {
      "Content-Type": file.mediaType,
      "Content-Length": String(blob.size),
      "Content-Disposition": contentDisposition(file.name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    });
  });

  // The owner with a session, or whoever holds the link from the receipt mail.
  app.get("/me/submissions/:id/receipt.pdf", async (c) => {
    const { token } = parseWith(receiptQuery, c.req.query());
    const auth = token === undefined ? await optionalAuth(store, clock, c) : null;
    if (token === undefined && !auth) throw AppError.of(401, "unauthorized");
    const tenant = c.get("tenant");
    const found = await forms.receiptSubmission(tenant, c.req.param("id"), auth ? { account: auth.account } : { token: token! });
    const pdf = await receiptFor(store, tenant, found, deps.receipts);
    return c.body(pdf.bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(pdf.filename),
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
    });
  });
  return app;
}
