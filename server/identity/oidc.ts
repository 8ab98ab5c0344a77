import * as oauth from "oauth4webapi";
import type { OidcProviderConfig } from "./config.js";
import { type ExternalIdentity, IdentityError, type TrustLevel, atLeast } from "./types.js";

/**
 * The OpenID Connect port: authorization code flow with PKCE, `state` and `nonce`, through
 * oauth4webapi (Web APIs only, so the same code runs on Node and in workerd). The provider's
 * discovery document is fetched once per issuer and kept for an hour.
 */

export interface OidcStart {
  url: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcPort {
  /** Where to send the browser; `state` travels through the provider and comes back with the answer. */
  start(p: OidcProviderConfig, redirectUri: string, state: string): Promise<OidcStart>;
  /** The provider's answer at the redirect URI: the code exchanged (with the client secret and the PKCE verifier), the ID token checked, the person. */
  finish(p: OidcProviderConfig, callbackUrl: URL, redirectUri: string, flow: { state: string; nonce: string; codeVerifier: string }, secret: string): Promise<ExternalIdentity>;
}

const discoveryTtlMs = 60 * 60_000;

/** Plain http only for a provider on this machine (the demo's Test-Bürgerkonto). */
const insecure = (issuer: string) => {
  const u = new URL(issuer);
  return u.protocol === "http:" && (u.hostname === "localhost" || u.hostname === "127.0.0.1");
};

export function oidcPort(opts: { fetch?: typeof fetch; now?: () => number } = {}): OidcPort {
  const servers = new Map<string, { at: number; server: Promise<oauth.AuthorizationServer> }>();
  const now = opts.now ?? Date.now;
  const options = (issuer: string) => ({ ...(insecure(issuer) ? { [oauth.allowInsecureRequests]: true } : {}), ...(opts.fetch ? { [oauth.customFetch]: opts.fetch } : {}), signal: AbortSignal.timeout(10_000) });

  function discover(issuer: string): Promise<oauth.AuthorizationServer> {
    const kept = servers.get(issuer);
    if (kept && now() - kept.at < discoveryTtlMs) return kept.server;
    const url = new URL(issuer);
    const server = oauth
      .discoveryRequest(url, { algorithm: "oidc", ...options(issuer) })
      .then((r) => oauth.processDiscoveryResponse(url, r))
      .catch((e: unknown) => {
        servers.delete(issuer);
        throw new IdentityError("provider_error", `discovery: ${e instanceof Error ? e.message : String(e)}`);
      });
    servers.set(issuer, { at: now(), server });
    return server;
  }

  return {
    async start(p, redirectUri, state) {
      const as = await discover(p.issuer);
      if (!as.authorization_endpoint) throw new IdentityError("provider_error", "no authorization endpoint");
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const nonce = oauth.generateRandomNonce();
      let url: URL;
      try {
        url = new URL(as.authorization_endpoint);
      } catch {
        throw new IdentityError("provider_error", "authorization endpoint is not a URL");
      }
      url.search = new URLSearchParams({
        client_id: p.clientId,
        redirect_uri: redirectUri,
        response_type: "code",
        scope: p.scopes.join(" "),
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        // Ask for at least the trust level the town needs; providers that know the claim honour it.
        ...(p.minTrustLevel !== "basic" ? { acr_values: acrValuesFrom(p) } : {}),
      }).toString();
      return { url: url.href, nonce, codeVerifier };
    },

    async finish(p, callbackUrl, redirectUri, flow, secret) {
      const as = await discover(p.issuer);
      const client: oauth.Client = { client_id: p.clientId };
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(as, client, callbackUrl, flow.state);
      } catch (e) {
        if (e instanceof oauth.AuthorizationResponseError) {
          const error = e.cause.get("error");
          throw new IdentityError(error === "access_denied" || error === "login_required" || error === "consent_required" ? "cancelled" : "provider_error", `authorization: ${error ?? "?"}`);
        }
        throw new IdentityError("invalid_response", `authorization response: ${e instanceof Error ? e.message : String(e)}`);
      }
      let claims: oauth.IDToken;
      try {
        const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(secret), params, redirectUri, flow.codeVerifier, options(p.issuer));
        const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: flow.nonce, requireIdToken: true });
        claims = oauth.getValidatedIdTokenClaims(result)!;
      } catch (e) {
        throw new IdentityError(e instanceof oauth.ResponseBodyError ? "provider_error" : "invalid_response", `token: ${e instanceof Error ? e.message : String(e)}`);
      }
      return identityFrom(p, claims);
    },
  };
}

function acrValuesFrom(p: OidcProviderConfig): string {
  return Object.entries(p.trustLevels)
    .filter(([, level]) => atLeast(level, p.minTrustLevel))
    .map(([value]) => value)
    .join(" ");
}

/** The person from the ID token's claims, under the names the town's configuration gives them. */
export function identityFrom(p: OidcProviderConfig, claims: Record<string, unknown>): ExternalIdentity {
  const text = (name: string) => (typeof claims[name] === "string" && (claims[name] as string).trim() !== "" ? (claims[name] as string).trim() : null);
  const subject = text(p.claims.subject);
  if (!subject) throw new IdentityError("invalid_response", "no subject");
  const value = String(claims[p.claims.trustLevel] ?? "");
  const level: TrustLevel = Object.hasOwn(p.trustLevels, value) ? p.trustLevels[value]! : p.defaultTrustLevel;
  if (!atLeast(level, p.minTrustLevel)) throw new IdentityError("trust_level_too_low", level);
  const address = claims.address as { street_address?: unknown; postal_code?: unknown; locality?: unknown } | undefined;
  return {
    subject,
    trustLevel: level,
    email: text(p.claims.email)?.toLowerCase() ?? null,
    emailVerified: claims[p.claims.emailVerified] === true,
    givenName: text(p.claims.givenName),
    familyName: text(p.claims.familyName),
    address:
      address && typeof address.street_address === "string" && typeof address.postal_code === "string" && typeof address.locality === "string"
        ? { street: address.street_address, postalCode: address.postal_code, city: address.locality }
        : null,
  };
}
