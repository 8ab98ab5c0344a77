import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { PasswordHasher } from "./accounts/hasher.js";
import { accountRoutes } from "./accounts/routes.js";
import { accountService } from "./accounts/service.js";
import type { Store } from "./db/store.js";
import { type DevInbox, devRoutes } from "./dev/routes.js";
import type { BlobStore } from "./files/blobs.js";
import { type ReceiptRenderer, inPlaceReceipts } from "./forms/receipt.js";
import { formRoutes } from "./forms/routes.js";
import { formsService } from "./forms/service.js";
import { handoffRoutes } from "./handoff/routes.js";
import { mailboxRoutes } from "./mailbox/routes.js";
import { mailboxService } from "./mailbox/service.js";
import { officePage, officePageHeaders } from "./office/page.js";
import { officeRoutes } from "./office/routes.js";
import { officeService } from "./office/service.js";
import type { ProofOptions } from "./proof/proof.js";
import { healthRoutes } from "./health/routes.js";
import type { AppEnv } from "./http/env.js";
import type { ClientAddressOptions } from "./http/client-ip.js";
import { requestContext } from "./http/request-context.js";
import { errorHandler, notFoundHandler } from "./http/error-handler.js";
import { AppError, preferredLang } from "./http/errors.js";
import { type Logger, jsonLogger } from "./http/logger.js";
import { type AnswerStore, type NotModifiedWriter, memoryAnswerStore, publicAnswers } from "./http/public-answers.js";
import type { Clock } from "./lib/clock.js";
import { newsRoutes } from "./news/routes.js";
import { newsService } from "./news/service.js";
import { openApiRoutes } from "./openapi/routes.js";
import { subscriptionRoutes } from "./subscriptions/routes.js";
import { appointmentRoutes } from "./appointments/routes.js";
import { identityEnv } from "./identity/config.js";
import { oidcPort } from "./identity/oidc.js";
import type { SamlPort } from "./identity/ports.js";
import { identityRoutes, samlRoutes } from "./identity/routes.js";
import { identityService } from "./identity/service.js";
import { appointmentOfficeRoutes } from "./appointments/office-routes.js";
import { appointmentsOffice } from "./appointments/office-service.js";
import { appointmentsService } from "./appointments/service.js";
import type { Limits } from "./ratelimit/limiter.js";
import { tenantScope } from "./tenants/middleware.js";
import type { TenantRegistry } from "./tenants/registry.js";
import { tenantRoutes } from "./tenants/routes.js";

/** The ports the app is built from; each runtime entry (node.ts, worker.ts) picks the adapters. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  tenants: TenantRegistry;
  hasher: PasswordHasher;
  /** Deployment secret; encrypts the unsubscribe tokens in news mails. */
  secret: string;
  logger?: Logger;
  /** Public base URL of this API (links in configs and mails); defaults to the request's origin. */
  publicUrl?: string;
  /** Where the client's address comes from (the socket, a CDN header) and how many proxies to trust. */
  clientAddress: ClientAddressOptions;
  /** Wakes the background jobs (news fan-out, outbox dispatcher) after a request gave them work. */
  onEnqueued?: () => void;
  /** A news item went public now (its fan-out is to be written); defaults to `onEnqueued`. */
  onPublished?: () => void;
  /** Overrides of the rate limits; only benchmarks change them. */
  limits?: Partial<Limits>;
  /** Development only: serves GET /dev/mail and /dev/sms. */
  devInbox?: DevInbox;
  /** Where built public answers are kept; memory unless the runtime has something better (Workers: Cache API). */
  answerStore?: AnswerStore;
  /** How a 304 is sent; the Node entry writes it to the socket directly. */
  notModified?: NotModifiedWriter;
  /** Whether concurrent requests may wait on one another's work (not on Workers; see PublicAnswerOptions). */
  shareInFlight?: boolean;
  /** Where uploaded files go: a directory on Node, R2 on Workers. */
  blobs: BlobStore;
  /** Makes receipt PDFs; by default in place with the PDF standard font (German complete, other accents dropped). */
  receipts?: ReceiptRenderer;
  /** Proof-of-work difficulty for anonymous forms; tests lower it. */
  proof?: Omit<ProofOptions, "secret">;
  /** Environment variables (Node: process.env; Workers: the bindings): the identity providers' client secrets. */
  env?: (name: string) => string | undefined;
  /** Login with BundID over SAML: Node only (server/identity/saml.ts). */
  saml?: SamlPort;
  /** How the server reaches OIDC providers; tests and the demo may pass their own fetch. */
  oidcFetch?: typeof fetch;
}

const uploadPath = /^\/api\/v1\/tenants\/[^/]+\/(?:forms|me\/submissions|office\/submissions)\/[^/]+\/uploads$/;

export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? jsonLogger;
  const publicUrl = (requestUrl: string) => deps.publicUrl ?? new URL(requestUrl).origin;
  const accounts = accountService({ store: deps.store, clock: deps.clock, hasher: deps.hasher, onEnqueued: deps.onEnqueued ?? (() => {}), ...(deps.limits ? { limits: deps.limits } : {}) });
  const news = newsService({
    store: deps.store,
    clock: deps.clock,
    onPublished: deps.onPublished ?? deps.onEnqueued ?? (() => {}),
    onPublicChange: (tenantId) => deps.tenants.invalidate(tenantId),
  });
  const forms = formsService({
    store: deps.store,
    clock: deps.clock,
    secret: deps.secret,
    onEnqueued: deps.onEnqueued ?? (() => {}),
    ...(deps.limits ? { limits: deps.limits } : {}),
    ...(deps.proof ? { proof: deps.proof } : {}),
  });
  const appointments = appointmentsService({ store: deps.store, clock: deps.clock, secret: deps.secret, onEnqueued: deps.onEnqueued ?? (() => {}) });
  const office = officeService({ store: deps.store, clock: deps.clock, hasher: deps.hasher, onEnqueued: deps.onEnqueued ?? (() => {}) });
  const mailbox = mailboxService({ store: deps.store, clock: deps.clock, secret: deps.secret });
  const answers = publicAnswers(deps.answerStore ?? memoryAnswerStore(), {
    ...(deps.notModified ? { notModified: deps.notModified } : {}),
    shareBuilds: deps.shareInFlight ?? true,
  });
  const app = new Hono<AppEnv>();

  app.use(requestContext({ logger, now: () => deps.clock.now(), clientAddress: deps.clientAddress }));
  const limitBody = bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw AppError.of(413, "payload_too_large");
    },
  });
  // Only for methods with a body: the limit wraps the body stream, which costs a GET a full Request.
  // Uploads stream files and enforce the form's own limits while they do (forms/uploads.ts).
  app.on(["POST", "PUT", "PATCH", "DELETE"], "/api/*", (c, next) => (c.req.method === "POST" && uploadPath.test(c.req.path) ? next() : limitBody(c, next)));
  app.use("/saml/*", (c, next) => (c.req.method === "POST" ? limitBody(c, next) : next()));

  app.route("/", healthRoutes(deps.store));
  app.route("/", openApiRoutes(deps.publicUrl));
  if (deps.devInbox) app.route("/", devRoutes(deps.devInbox));

  const tenantScoped = new Hono<AppEnv>();
  tenantScoped.use(tenantScope(deps.tenants));
  tenantScoped.route("/", tenantRoutes(deps.store, publicUrl, answers));
  tenantScoped.route("/", accountRoutes(deps.store, deps.clock, accounts));
  tenantScoped.route("/", newsRoutes(deps.store, deps.clock, news, answers, publicUrl));
  tenantScoped.route("/", subscriptionRoutes(deps.store, deps.clock, deps.secret));
  tenantScoped.route(
    "/",
    formRoutes({ store: deps.store, clock: deps.clock, forms, answers, blobs: deps.blobs, publicUrl, receipts: deps.receipts ?? inPlaceReceipts }),
  );
  tenantScoped.route("/", mailboxRoutes(deps.store, deps.clock, mailbox, deps.blobs));
  tenantScoped.route("/", officeRoutes({ store: deps.store, clock: deps.clock, secret: deps.secret, accounts, office, news, blobs: deps.blobs, publicUrl }));
  tenantScoped.route(
    "/",
    appointmentRoutes(deps.store, deps.clock, appointments, publicUrl, {
      limit: (tenant, ip) => forms.limitAnonymous(tenant, ip, "submit"),
      spendProof: (tenant, payload) => forms.spendProof(tenant, payload, "appointment", true),
    }),
  );
  tenantScoped.route("/", appointmentOfficeRoutes(deps.store, deps.clock, deps.secret, appointmentsOffice({ store: deps.store, clock: deps.clock, scopeOf: office.scopeOf, appointments }), publicUrl));
  tenantScoped.route("/", handoffRoutes({ store: deps.store, clock: deps.clock, secret: deps.secret, blobs: deps.blobs, publicUrl, onEnqueued: deps.onEnqueued ?? (() => {}) }));
  const identity = identityService({ store: deps.store, clock: deps.clock, env: identityEnv(deps.env ?? (() => undefined)), oidc: oidcPort(deps.oidcFetch ? { fetch: deps.oidcFetch } : {}), saml: deps.saml });
  tenantScoped.route("/", identityRoutes(deps.store, deps.clock, identity, publicUrl));
  app.route("/api/v1/tenants/:slug", tenantScoped);
  const samlScoped = new Hono<AppEnv>();
  samlScoped.use(tenantScope(deps.tenants));
  samlScoped.route("/", samlRoutes(identity, publicUrl));
  app.route("/saml/:slug", samlScoped);

  // The staff office's page; its API is the office routes above, on the same origin.
  app.get("/office/:slug/", (c) => {
    const slug = c.req.param("slug");
    const tenant = /^[a-z0-9-]{1,40}$/.test(slug) ? deps.tenants.bySlug(slug) : null;
    return (tenant instanceof Promise ? tenant : Promise.resolve(tenant)).then((t) => {
      if (!t || !t.config.services.includes("forms")) throw AppError.of(404, "tenant_not_found");
      const asked = c.req.query("lang");
      const lang = asked === "de" || asked === "en" ? asked : preferredLang(c.req.header("accept-language"));
      return c.body(officePage(t.slug, "/office/assets/", lang), 200, officePageHeaders);
    });
  });

  app.notFound(notFoundHandler);
  app.onError(errorHandler(logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
