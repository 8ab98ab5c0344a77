import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { type Account, publicAccount } from "../accounts/account.js";
import { findAccount, findAccountByEmail, findPasswordHash, insertAccount } from "../accounts/repo.js";
import { newSession } from "../accounts/sessions.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId, randomToken, sha256Hex } from "../lib/crypto.js";
import type { Tenant } from "../tenants/tenant.js";
import type { IdentityLogin, LinkIntent, LinkedIdentities } from "./api-types.js";
import type { IdentityProviderConfig, OidcProviderConfig, SamlProviderSettings } from "./config.js";
import type { ExchangeInput, StartQuery } from "./inputs.js";
import type { OidcPort } from "./oidc.js";
import type { SamlPort } from "./ports.js";
import * as repo from "./repo.js";
import { type ExternalIdentity, IdentityError, type TrustLevel } from "./types.js";

export interface IdentityDeps {
  store: Store;
  clock: Clock;
  /** Environment variables: the OIDC client secrets are named in the town's configuration. */
  env: (name: string) => string | undefined;
  oidc: OidcPort;
  /** Node only. */
  saml?: SamlPort | undefined;
}

/** A login at the provider may take a while (the eID on a phone): the flow waits this long. */
const flowMs = 15 * 60_000;
/** The widget exchanges its code at once. */
const codeMs = 2 * 60_000;
const intentMs = 10 * 60_000;

/** How a login at a provider ends: for the page that hands the result to the widget. */
export type Outcome = { flow: repo.FlowRow; code: string } | { flow: repo.FlowRow | undefined; failure: IdentityError };

/**
 * Login with the Bürgerkonto. The widget starts a flow with a challenge of a verifier only it
 * knows; the browser goes to the provider (OIDC: authorization code with PKCE, `state`, `nonce`;
 * SAML: a signed AuthnRequest); the provider's answer is checked by its port and resolves to an
 * account (linked before, linked now by a logged-in account, or made from the provider's
 * attributes); the widget gets a one-time code, which with the verifier becomes a session that
 * keeps the login's trust level. A code without the verifier is useless, a flow answers once,
 * and nothing about the person is in any URL.
 */
export function identityService(deps: IdentityDeps) {
  const { store, clock } = deps;
  const db = store.db;

  function providerOf(tenant: Tenant, id: string): IdentityProviderConfig {
    const p = tenant.config.identityProviders.find((x) => x.id === id);
    if (!p) throw AppError.of(404, "not_found");
    return p;
  }

  const callbackUrl = (base: string, tenant: Tenant, p: IdentityProviderConfig) => `${base}/api/v1/tenants/${tenant.slug}/auth/providers/${p.id}/callback`;

  function samlOf(p: IdentityProviderConfig): { p: SamlProviderSettings; port: SamlPort } {
    if (p.type !== "saml") throw AppError.of(404, "not_found");
    if (!deps.saml) throw AppError.of(501, "saml_unavailable");
    return { p, port: deps.saml };
  }

  function secretOf(p: OidcProviderConfig): string {
    const secret = deps.env(p.clientSecretEnv);
    if (!secret) throw new IdentityError("provider_error", `${p.clientSecretEnv} is not set`);
    return secret;
  }

  /** The account a provider's person is: linked before, linked now, or made now. */
  async function resolve(tenant: Tenant, p: IdentityProviderConfig, who: ExternalIdentity, flow: repo.FlowRow): Promise<Account> {
    const now = clock.now();
    const linked = await repo.identityOf(db, tenant.id, p.id, who.subject);
    if (flow.link_account_id) {
      if (linked && linked.account_id !== flow.link_account_id) throw new IdentityError("already_linked");
      if (!linked) {
        const mine = await repo.identitiesOfAccount(db, tenant.id, flow.link_account_id);
        if (mine.some((i) => i.provider_id === p.id)) throw new IdentityError("already_linked");
        // A link of the same person or account at the same moment: the unique indexes refuse the second.
        await store.atomic([repo.insertIdentity(db, { tenant_id: tenant.id, provider_id: p.id, subject: who.subject, account_id: flow.link_account_id, trust_level: who.trustLevel, linked_at: now, last_login_at: now })]).catch(() => {
          throw new IdentityError("already_linked", "concurrent link");
        });
      }
      const account = await findAccount(db, tenant.id, flow.link_account_id);
      if (!account) throw new IdentityError("expired", "account gone");
      return account;
    }
    if (linked) {
      await store.atomic([repo.touchIdentity(db, tenant.id, p.id, who.subject, who.trustLevel, now)]);
      const account = await findAccount(db, tenant.id, linked.account_id);
      if (!account) throw new IdentityError("expired", "account gone");
      return account;
    }
    // An account is made only for an address the provider confirmed (else whoever could enter it
    // there would own it here), in the form every other address has here.
    const email = who.email?.trim().toLowerCase();
    if (!email || !who.emailVerified || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw new IdentityError("email_missing");
    // Never taken over through a provider: the owner logs in and links it in "Mein Konto".
    const existing = await findAccountByEmail(db, tenant.id, email);
    if (existing && existing.emailVerifiedAt !== null) throw new IdentityError("email_in_use");
    const account: Account = {
      id: randomId("a"),
      kind: "person",
      role: "citizen",
      name: [who.givenName, who.familyName].filter(Boolean).join(" ") || email,
      organisation: null,
      registerNumber: null,
      address: who.address,
      email,
      emailVerifiedAt: now,
      mobile: "",
      mobileVerifiedAt: null,
      lang: flow.lang,
      privacyVersion: tenant.config.privacyPolicyVersion,
      privacyAcceptedAt: now,
      smsAlerts: false,
      identityVerifiedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await store.atomic([insertAccount(db, tenant.id, account, ""), repo.insertIdentity(db, { tenant_id: tenant.id, provider_id: p.id, subject: who.subject, account_id: account.id, trust_level: who.trustLevel, linked_at: now, last_login_at: now })]);
      return account;
    } catch {
      // The same person's first login twice at once: the other one made the account. Otherwise
      // the address became a confirmed account's meanwhile.
      const other = await repo.identityOf(db, tenant.id, p.id, who.subject);
      const account2 = other && (await findAccount(db, tenant.id, other.account_id));
      if (account2) return account2;
      throw new IdentityError("email_in_use", "concurrent registration");
    }
  }

  async function succeed(tenant: Tenant, p: IdentityProviderConfig, who: ExternalIdentity, flow: repo.FlowRow): Promise<Outcome> {
    const account = await resolve(tenant, p, who, flow);
    const code = randomToken(32);
    await store.atomic([
      repo.insertCode(db, { tenant_id: tenant.id, id: await sha256Hex(code), purpose: "login", account_id: account.id, provider_id: p.id, trust_level: who.trustLevel, challenge: flow.challenge, expires_at: clock.now() + codeMs, used_at: null }),
    ]);
    return { flow, code };
  }

  const failed = (flow: repo.FlowRow | undefined, e: unknown): Outcome => {
    if (e instanceof IdentityError) return { flow, failure: e };
    throw e;
  };

  return {
    /**
     * The start of a login (or a link) at a provider, opened by the widget in a popup or as the
     * whole page: where the browser goes next, or (SAML) the page that posts the request.
     */
    async start(tenant: Tenant, providerId: string, q: StartQuery, base: string, browser: string): Promise<{ redirect: string } | { html: string; csp: string }> {
      const p = providerOf(tenant, providerId);
      if (!tenant.config.allowedOrigins.includes(q.origin)) {
        throw AppError.of(400, "validation_failed", { origin: { code: "invalid", messages: { de: "Diese Website darf die Anmeldung nicht starten.", en: "This website may not start the login." } } });
      }
      if (q.mode === "redirect" && (!q.return_to || new URL(q.return_to).origin !== q.origin)) {
        throw AppError.of(400, "validation_failed", { return_to: { code: "invalid", messages: { de: "Die Rücksprungadresse muss auf der startenden Website liegen.", en: "The return address must be on the starting website." } } });
      }
      const now = clock.now();
      let linkAccount: string | null = null;
      if (q.intent) {
        const intent = await repo.spendCode(db, tenant.id, await sha256Hex(q.intent), "link", now);
        if (!intent || intent.provider_id !== p.id) throw AppError.of(400, "login_expired");
        linkAccount = intent.account_id;
      }
      const state = randomToken(32);
      const flow = { tenant_id: tenant.id, id: await sha256Hex(state), provider_id: p.id, origin: q.origin, mode: q.mode, return_to: q.return_to ?? null, challenge: q.challenge, lang: q.lang ?? tenant.config.locale, link_account_id: linkAccount, created_at: now, expires_at: now + flowMs, used_at: null, browser: await sha256Hex(browser) };
      if (p.type === "oidc") {
        const started = await deps.oidc.start(p, callbackUrl(base, tenant, p), state).catch((e: unknown) => {
          throw e instanceof IdentityError ? AppError.of(502, "provider_unavailable") : e;
        });
        await store.atomic([repo.insertFlow(db, { ...flow, nonce: started.nonce, code_verifier: started.codeVerifier, request_id: null })]);
        return { redirect: started.url };
      }
      const { p: sp, port } = samlOf(p);
      const request = await port.authnRequest(tenant, sp, base, state);
      await store.atomic([repo.insertFlow(db, { ...flow, nonce: null, code_verifier: null, request_id: request.requestId })]);
      return { html: request.html, csp: request.csp };
    },

    /** The OIDC provider's answer at our redirect URI. */
    async finishOidc(tenant: Tenant, providerId: string, url: URL, base: string, browser: string | undefined): Promise<Outcome> {
      const p = providerOf(tenant, providerId);
      if (p.type !== "oidc") throw AppError.of(404, "not_found");
      const state = url.searchParams.get("state");
      const flow = state && browser ? await repo.takeFlow(db, tenant.id, await sha256Hex(state), await sha256Hex(browser), clock.now()) : undefined;
      if (!flow || flow.provider_id !== p.id || !state) return { flow: undefined, failure: new IdentityError("expired") };
      try {
        const who = await deps.oidc.finish(p, url, callbackUrl(base, tenant, p), { state, nonce: flow.nonce!, codeVerifier: flow.code_verifier! }, secretOf(p));
        return await succeed(tenant, p, who, flow);
      } catch (e) {
        return failed(flow, e);
      }
    },

    /** The SAML IdP's POST to our assertion consumer service. */
    async finishSaml(tenant: Tenant, body: { SAMLResponse?: string | undefined; RelayState?: string | undefined }, base: string, browser: string | undefined): Promise<Outcome> {
      const state = body.RelayState;
      const flow = state && browser ? await repo.takeFlow(db, tenant.id, await sha256Hex(state), await sha256Hex(browser), clock.now()) : undefined;
      if (!flow || !body.SAMLResponse) return { flow, failure: new IdentityError(flow ? "invalid_response" : "expired") };
      try {
        const provider = tenant.config.identityProviders.find((x) => x.id === flow.provider_id);
        if (provider?.type !== "saml" || !deps.saml) throw new IdentityError("provider_error", "no SAML provider for this flow");
        const { p, port } = samlOf(provider);
        const { identity, assertionId, notOnOrAfter } = await port.consume(tenant, p, base, body.SAMLResponse, flow.request_id!);
        try {
          await store.atomic([repo.rememberAssertion(db, tenant.id, assertionId, notOnOrAfter)]);
        } catch {
          throw new IdentityError("replayed", assertionId);
        }
        return await succeed(tenant, p, identity, flow);
      } catch (e) {
        return failed(flow, e);
      }
    },

    /** Our SAML service provider's metadata for the IdP. */
    async metadata(tenant: Tenant, base: string): Promise<string> {
      const p = tenant.config.identityProviders.find((x) => x.type === "saml");
      if (!p) throw AppError.of(404, "not_found");
      const { p: sp, port } = samlOf(p);
      return port.metadata(tenant, sp, base);
    },

    /** The widget's code and the verifier it made at the start: a session with the login's trust level. */
    async exchange(tenant: Tenant, input: ExchangeInput): Promise<IdentityLogin> {
      const now = clock.now();
      const code = await repo.spendCode(db, tenant.id, await sha256Hex(input.code), "login", now);
      const challenge = encodeBase64urlNoPadding(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input.verifier))));
      if (!code || code.challenge !== challenge) throw AppError.of(400, "login_expired");
      const account = await findAccount(db, tenant.id, code.account_id);
      if (!account) throw AppError.of(400, "login_expired");
      const trustLevel = code.trust_level as TrustLevel;
      const session = await newSession(db, tenant.id, account.id, now, "bearer", { provider: code.provider_id, trustLevel });
      await store.atomic([session.query]);
      return { token: session.token, account: publicAccount(account), trustLevel };
    },

    /** A logged-in account's intent to link a provider: passed to the start, used once. */
    async linkIntent(tenant: Tenant, account: Account, providerId: string): Promise<LinkIntent> {
      const p = providerOf(tenant, providerId);
      const intent = randomToken(32);
      await store.atomic([repo.insertCode(db, { tenant_id: tenant.id, id: await sha256Hex(intent), purpose: "link", account_id: account.id, provider_id: p.id, trust_level: null, challenge: null, expires_at: clock.now() + intentMs, used_at: null })]);
      return { intent };
    },

    async linked(tenant: Tenant, account: Account): Promise<LinkedIdentities> {
      const rows = await repo.identitiesOfAccount(db, tenant.id, account.id);
      return {
        items: rows.map((r) => ({
          providerId: r.provider_id,
          label: tenant.config.identityProviders.find((p) => p.id === r.provider_id)?.label ?? { de: r.provider_id },
          linkedAt: new Date(r.linked_at).toISOString(),
          lastLoginAt: r.last_login_at === null ? null : new Date(r.last_login_at).toISOString(),
        })),
      };
    },

    /** Unlinks a provider, unless it is the account's only way to log in. */
    async unlink(tenant: Tenant, account: Account, providerId: string): Promise<void> {
      const rows = await repo.identitiesOfAccount(db, tenant.id, account.id);
      if (!rows.some((r) => r.provider_id === providerId)) throw AppError.of(404, "not_found");
      if (rows.length === 1 && !(await findPasswordHash(db, tenant.id, account.id))) throw AppError.of(409, "last_login_method");
      await store.atomic([repo.unlink(db, tenant.id, account.id, providerId)]);
    },
  };
}

export type IdentityService = ReturnType<typeof identityService>;
