import { Hono } from "hono";
import type { AccountService } from "../accounts/service.js";
import { loginInput } from "../accounts/inputs.js";
import { publicAccount } from "../accounts/account.js";
import { OFFICE_IDLE_MS, deleteSession, validateSessionToken } from "../accounts/sessions.js";
import type { Store } from "../db/store.js";
import type { BlobStore } from "../files/blobs.js";
import { defaultMaxFileBytes } from "../forms/service.js";
import { attachmentTypes, receiveAttachment } from "../forms/uploads.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { downloadHeaders } from "../mailbox/routes.js";
import { staffNews } from "../news/routes.js";
import type { NewsService } from "../news/service.js";
import { requireService } from "../tenants/middleware.js";
import type { Tenant } from "../tenants/tenant.js";
import type { OfficeSession } from "./api-types.js";
import { auditCsv } from "./audit-csv.js";
import { assignInput, auditQuery, inboxQuery, noteInput, officeMessageInput, staffInvite, staffPatch, statusInput } from "./inputs.js";
import type { OfficeService } from "./service.js";
import { clearOfficeCookie, csrfToken, requireOffice, setOfficeCookie } from "./session.js";

export interface OfficeRouteDeps {
  store: Store;
  clock: Clock;
  secret: string;
  accounts: AccountService;
  office: OfficeService;
  news: NewsService;
  blobs: BlobStore;
  publicUrl: (requestUrl: string) => string;
}

/** `office/…` under /api/v1/tenants/{slug}/: the staff app's API, on a cookie session with CSRF tokens. */
export function officeRoutes(deps: OfficeRouteDeps) {
  const { store, clock, office } = deps;
  const app = new Hono<AppEnv>();
  app.use("/office/*", requireService("forms"));
  const staff = requireOffice(store, clock, deps.secret);

  async function session(tenant: Tenant, account: Parameters<typeof publicAccount>[0], sessionId: string, base: string): Promise<OfficeSession> {
    const scope = await office.scopeOf(tenant, account);
    const c = tenant.config;
    return {
      account: publicAccount(account),
      departments: scope.admin ? c.departments.map((d) => d.id) : scope.departments,
      csrfToken: await csrfToken(deps.secret, sessionId),
      idleTimeoutSeconds: OFFICE_IDLE_MS / 1000,
      town: {
        slug: tenant.slug,
        name: c.name,
        departments: c.departments.map((d) => ({ id: d.id, name: d.name })),
        primaryColor: c.branding.primaryColor,
        logoUrl: tenant.hasLogo ? `${base}/api/v1/tenants/${tenant.slug}/logo.svg` : null,
      },
    };
  }

  app.post("/office/login", async (c) => {
    const input = await jsonBody(c, loginInput);
    const tenant = c.get("tenant");
    const { token } = await deps.accounts.login(tenant, input, c.get("clientIp")(), "office");
    setOfficeCookie(c, token);
    const auth = await validateSessionToken(store.db, tenant.id, token, clock.now(), "office");
    if (!auth) throw AppError.of(401, "unauthorized");
    c.header("Cache-Control", "no-store");
    return c.json(await session(tenant, auth.account, auth.sessionId, deps.publicUrl(c.req.url)));
  });

  app.post("/office/logout", staff, async (c) => {
    await deleteSession(store.db, c.get("tenant").id, c.get("auth").sessionId).execute();
    clearOfficeCookie(c);
    return c.body(null, 204);
  });

  app.get("/office/session", staff, async (c) => c.json(await session(c.get("tenant"), c.get("auth").account, c.get("auth").sessionId, deps.publicUrl(c.req.url))));

  app.get("/office/submissions", staff, async (c) => c.json(await office.inbox(c.get("tenant"), c.get("auth").account, parseWith(inboxQuery, c.req.query()))));

  app.get("/office/submissions/:id", staff, async (c) => c.json(await office.open(c.get("tenant"), c.get("auth").account, c.req.param("id"))));

  app.get("/office/submissions/:id/files/:fileId", staff, async (c) => {
    const file = await office.file(c.get("tenant"), c.get("auth").account, c.req.param("id"), c.req.param("fileId"));
    const blob = await deps.blobs.get(file.blobKey);
    if (!blob) throw AppError.of(404, "not_found");
    return c.body(blob.body as ReadableStream<Uint8Array<ArrayBuffer>>, 200, downloadHeaders(file.name, file.mediaType, blob.size));
  });

  app.post("/office/submissions/:id/status", staff, async (c) => {
    const input = await jsonBody(c, statusInput);
    return c.json(await office.setStatus(c.get("tenant"), c.get("auth").account, c.req.param("id"), input));
  });

  app.post("/office/submissions/:id/assign", staff, async (c) => {
    const { accountId } = await jsonBody(c, assignInput);
    return c.json(await office.assign(c.get("tenant"), c.get("auth").account, c.req.param("id"), accountId));
  });

  app.post("/office/submissions/:id/uploads", staff, async (c) => {
    const tenant = c.get("tenant");
    const me = c.get("auth").account;
    const s = await office.documentTarget(tenant, me, c.req.param("id"));
    const upload = await receiveAttachment({ store, clock, blobs: deps.blobs }, tenant, { formId: s.formId, field: "_document", accountId: me.id, accept: attachmentTypes, maxBytes: defaultMaxFileBytes }, c.req.raw);
    return c.json(upload, 201);
  });

  app.post("/office/submissions/:id/messages", staff, async (c) => {
    const input = await jsonBody(c, officeMessageInput);
    return c.json(await office.message(c.get("tenant"), c.get("auth").account, c.req.param("id"), input), 201);
  });

  app.post("/office/submissions/:id/notes", staff, async (c) => {
    const { text } = await jsonBody(c, noteInput);
    return c.json(await office.note(c.get("tenant"), c.get("auth").account, c.req.param("id"), text), 201);
  });

  app.get("/office/audit", staff, async (c) => {
    const { cursor } = parseWith(auditQuery, c.req.query());
    return c.json(await office.audit(c.get("tenant"), c.get("auth").account, cursor));
  });

  app.get("/office/audit.csv", staff, async (c) => {
    const tenant = c.get("tenant");
    const me = c.get("auth").account;
    const items = [];
    for (let cursor: { at: number; id: string } | undefined, page; (page = await office.audit(tenant, me, cursor, 500)); ) {
      items.push(...page.items);
      if (!page.nextCursor) break;
      const [at, id] = page.nextCursor.split(/\.(.*)/s) as [string, string];
      cursor = { at: Number(at), id };
    }
    return c.body(auditCsv(items), 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="audit-${tenant.slug}.csv"` });
  });

  // The newsroom, as in the widget (docs/office.md), for towns with news.
  for (const path of ["/office/news", "/office/news/*"]) app.use(path, requireService("news"));
  staffNews(app, deps.news, { list: "/office/news", base: "/office/news" }, [staff]);

  app.get("/office/staff", staff, async (c) => c.json(await office.staff(c.get("tenant"), c.get("auth").account)));

  app.post("/office/staff", staff, async (c) => {
    const input = await jsonBody(c, staffInvite);
    const tenant = c.get("tenant");
    return c.json(await office.inviteStaff(tenant, c.get("auth").account, input, `${deps.publicUrl(c.req.url)}/office/${tenant.slug}/`), 201);
  });

  app.patch("/office/staff/:id", staff, async (c) => {
    const patch = await jsonBody(c, staffPatch);
    return c.json(await office.updateStaff(c.get("tenant"), c.get("auth").account, c.req.param("id"), patch));
  });
  return app;
}
