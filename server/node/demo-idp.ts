import { generateKeyPair, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { trustLevels, type TrustLevel } from "../identity/types.js";
import { demoIdpPageHeaders, errorPage, loginPage, pageLang, type PagePerson } from "./demo-idp-page.js";

/**
 * "Test-Bürgerkonto": a real OpenID Connect provider (oidc-provider) with invented people, for the
 * demo mode and the tests, so that the whole Bürgerkonto login can be tried without BundID. The
 * person and the trust level are chosen on its own login page; every login asks again, like BundID.
 * Never started in production.
 */

export interface DemoIdp {
  issuer: string;
  close(): Promise<void>;
}

import { type DemoIdentity, demoIdentities } from "./demo-people.js";

export { type DemoIdentity, demoIdentities };

export interface DemoIdpClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** Authentication method references per level (RFC 8176): password, software key, hardware key (the ID card). */
const amrOf: Record<TrustLevel, string[]> = { basic: ["pwd"], substantial: ["swk"], high: ["hwk"] };

export async function startDemoIdp(opts: { port: number; host?: string; clients: DemoIdpClient[] }): Promise<DemoIdp> {
  const { Provider, interactionPolicy } = await loadOidcProvider();

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // "localhost", not the bound address: the same URL must work for the user's browser and for the server.
  const issuer = `http://localhost:${port}`;

  const store = new Map<string, Stored>();
  const policy = interactionPolicy.base();
  policy.get("login").checks.add(
    new interactionPolicy.Check("demo_always_ask", "the Test-Bürgerkonto asks for person and trust level every time", (ctx) => !ctx.oidc?.result?.login),
    0,
  );

  const provider = new Provider(issuer, {
    adapter: (model: string) => new MemoryAdapter(model, store),
    jwks: { keys: [await signingKey()] },
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      response_types: ["code"],
      grant_types: ["authorization_code"],
      // Either method is accepted at the token endpoint; this is only the registered default.
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    })),
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    responseTypes: ["code"],
    pkce: { required: () => true },
    scopes: ["openid"],
    claims: {
      auth_time: null,
      sid: null,
      iss: null,
      // acr and amr with `openid`: otherwise they appear only when the client sent acr_values.
      openid: ["sub", "acr", "amr"],
      profile: ["given_name", "family_name", "name"],
      email: ["email", "email_verified"],
      address: ["address"],
    },
    acrValues: [...trustLevels],
    // The scopes' claims go into the ID token too: the server reads the person from it alone.
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, sub: string) => {
      const person = demoIdentities.find((p) => p.id === sub);
      return person && { accountId: person.id, claims: () => claimsOf(person) };
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
    },
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    // Confidential clients authenticate with their secret; CORS adds nothing to that.
    clientBasedCORS: () => true,
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 30 * 60,
      Session: 60 * 60,
      Grant: 60 * 60,
    },
    renderError: (ctx: KoaContext, out: { error: string; error_description?: string }) => {
      ctx.status = ctx.status >= 400 ? ctx.status : 400;
      ctx.set(demoIdpPageHeaders());
      ctx.body = errorPage(pageLang(ctx.oidc?.params?.ui_locales), out.error, out.error_description);
    },
  });

  const oidc = provider.callback();
  handle = (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (!path.startsWith("/interaction/")) {
      void oidc(req, res);
      return;
    }
    interaction(provider, path.slice("/interaction/".length), req, res).catch((err: unknown) => {
      // Mostly an expired or foreign interaction (no cookie, no stored interaction): a page, not a crash.
      const name = err instanceof Error ? err.name : "";
      if (name !== "SessionNotFound") console.error("Test-Bürgerkonto:", err);
      if (res.headersSent) return res.destroy();
      sendPage(res, name === "SessionNotFound" ? 400 : 500, errorPage("de", name === "SessionNotFound" ? "invalid_request" : "server_error", name === "SessionNotFound" ? "interaction expired or not found" : undefined));
    });
  };

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // close() ends idle keep-alive connections itself, but would wait for a request still
        // coming in (a browser's half-sent one) until the headers timeout.
        server.closeAllConnections();
      }),
  };
}

async function interaction(provider: OidcProvider, uid: string, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    // The interaction cookie names another login (an older tab): that one would be finished instead.
    return sendPage(res, 400, errorPage(pageLang(details.params.ui_locales), "invalid_request", "interaction mismatch"));
  }
  const lang = pageLang(details.params.ui_locales);
  const clientId = String(details.params.client_id);
  const redirectOrigin = originOf(details.params.redirect_uri);
  const people = demoIdentities.map(
    (p): PagePerson => ({
      id: p.id,
      name: `${p.givenName} ${p.familyName}`,
      city: p.address.city,
      details: `${p.address.street}, ${p.address.postalCode} ${p.address.city} · ${p.email}`,
    }),
  );
  const render = (status: number, chosen: { person: string; level: TrustLevel }, invalid = false) =>
    sendPage(res, status, loginPage({ lang, action: `/interaction/${uid}`, clientId, people, levels: trustLevels, chosen, invalid }), redirectOrigin);

  if (req.method === "GET") {
    return render(200, { person: demoIdentities[0]!.id, level: requestedLevel(details.params.acr_values) ?? "high" });
  }
  if (req.method !== "POST") {
    res.writeHead(405, { Allow: "GET, POST" }).end();
    return;
  }
  if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
    res.writeHead(415).end();
    return;
  }
  const form = new URLSearchParams(await readBody(req, 8 * 1024));
  if (form.get("action") === "cancel") {
    return provider.interactionFinished(req, res, { error: "access_denied", error_description: "End-User cancelled the login" }, { mergeWithLastSubmission: false });
  }
  const person = demoIdentities.find((p) => p.id === form.get("person"));
  const level = trustLevels.find((l) => l === form.get("level"));
  if (!person || !level) {
    return render(400, { person: form.get("person") ?? "", level: level ?? "high" }, true);
  }

  // A login always starts a new session: continuing an earlier one with another person would
  // send the browser through oidc-provider's logout confirmation first.
  if (details.session?.uid) {
    const previous = await provider.Session.findByUid(details.session.uid);
    await previous?.destroy();
    details.session = undefined;
    await details.persist();
  }

  // Consent is implied: the demo grants exactly the OIDC scopes the client asked for.
  const grant = new provider.Grant({ accountId: person.id, clientId });
  grant.addOIDCScope(String(details.params.scope ?? "openid"));
  const grantId = await grant.save();

  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: person.id, acr: level, amr: amrOf[level], remember: false }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

function claimsOf(p: DemoIdentity) {
  return {
    sub: p.id,
    given_name: p.givenName,
    family_name: p.familyName,
    name: `${p.givenName} ${p.familyName}`,
    email: p.email,
    email_verified: true,
    address: { street_address: p.address.street, postal_code: p.address.postalCode, locality: p.address.city, country: "DE" },
  };
}

function requestedLevel(acrValues: unknown): TrustLevel | undefined {
  if (typeof acrValues !== "string") return undefined;
  return trustLevels.find((l) => acrValues.split(" ").includes(l));
}

function originOf(uri: unknown) {
  try {
    return typeof uri === "string" ? new URL(uri).origin : undefined;
  } catch {
    return undefined;
  }
}

function sendPage(res: ServerResponse, status: number, html: string, redirectOrigin?: string) {
  res.writeHead(status, demoIdpPageHeaders(redirectOrigin)).end(html);
}

async function readBody(req: IncomingMessage, limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function signingKey() {
  const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" };
}

/*
 * The little of oidc-provider this module uses, typed here: the package ships no types, and
 * nothing of it leaves this module.
 */
interface KoaContext {
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
  oidc?: { params?: Record<string, unknown>; result?: { login?: unknown } };
}

interface OidcInteraction {
  uid: string;
  params: Record<string, unknown>;
  session?: { accountId: string; uid?: string } | undefined;
  persist(): Promise<unknown>;
}

interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<OidcInteraction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
  Session: { findByUid(uid: string): Promise<{ destroy(): Promise<void> } | undefined> };
}

interface OidcProviderModule {
  Provider: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  interactionPolicy: {
    base(): { get(name: "login" | "consent"): { checks: { add(check: unknown, index?: number): void } } };
    Check: new (reason: string, description: string, check: (ctx: KoaContext) => boolean) => unknown;
  };
}

let loaded: Promise<OidcProviderModule> | undefined;

/**
 * oidc-provider 9 warns on import about any Node.js release older than 22 LTS, which this project
 * still supports (>= 20.19, where it works); only that one line is held back while it loads.
 */
function loadOidcProvider() {
  loaded ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === "string" && args[0].includes("oidc-provider WARNING: Unsupported runtime")) return;
      warn(...args);
    };
    try {
      // A specifier TypeScript does not resolve: the package has no types (see above).
      const specifier: string = "oidc-provider";
      return (await import(specifier)) as OidcProviderModule;
    } catch (err) {
      loaded = undefined;
      if ((err as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND") {
        throw new Error("The Test-Bürgerkonto (demo mode) needs the package oidc-provider, a devDependency: run npm install without --omit=dev", { cause: err });
      }
      throw err;
    } finally {
      console.warn = warn;
    }
  })();
  return loaded;
}

type Payload = Record<string, unknown>;
interface Stored {
  payload: Payload;
  expiresAt: number;
}

/**
 * oidc-provider's storage, in memory and per provider instance. Its own in-memory adapter would
 * do, but announces on the console that it is not fit for production (which holds for all of this).
 */
class MemoryAdapter {
  private static writes = 0;
  constructor(
    private readonly model: string,
    private readonly store: Map<string, Stored>,
  ) {}

  private key(id: string) {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number) {
    const expiresAt = typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : Infinity;
    this.store.set(this.key(id), { payload, expiresAt });
    if (this.model === "Session" && typeof payload.uid === "string") this.store.set(`sessionUid:${payload.uid}`, { payload: { id }, expiresAt });
    if (typeof payload.userCode === "string") this.store.set(`userCode:${payload.userCode}`, { payload: { id }, expiresAt });
    // Nothing else ever removes what has expired; a demo running for weeks should not grow forever.
    if (++MemoryAdapter.writes % 200 === 0) {
      const now = Date.now();
      for (const [key, stored] of this.store) if (stored.expiresAt <= now) this.store.delete(key);
    }
  }

  async find(id: string): Promise<Payload | undefined> {
    const stored = this.store.get(this.key(id));
    if (!stored || stored.expiresAt <= Date.now()) return undefined;
    return stored.payload;
  }

  async findByUid(uid: string) {
    const ref = this.store.get(`sessionUid:${uid}`)?.payload.id;
    return typeof ref === "string" ? this.find(ref) : undefined;
  }

  async findByUserCode(userCode: string) {
    const ref = this.store.get(`userCode:${userCode}`)?.payload.id;
    return typeof ref === "string" ? this.find(ref) : undefined;
  }

  async consume(id: string) {
    const stored = this.store.get(this.key(id));
    if (stored) stored.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string) {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string) {
    for (const [key, { payload }] of this.store) if (payload.grantId === grantId) this.store.delete(key);
  }
}
