import { connect } from "node:net";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { demoIdentities, startDemoIdp, type DemoIdp } from "../../server/node/demo-idp.js";
import { IdpBrowser } from "../support/idp-browser.js";

/**
 * The Test-Bürgerkonto end to end, the way the server and a browser will use it: oauth4webapi as
 * the client (discovery, PKCE, state, nonce, token request, ID token signature against the JWKS),
 * fetch with manual redirects and a cookie jar as the browser.
 */

const redirectUri = "http://localhost:8787/auth/oidc/musterstadt/callback";
const clientSecret = "test-secret-of-musterstadt-0123456789";
const client: oauth.Client = { client_id: "musterstadt" };
const insecure = { [oauth.allowInsecureRequests]: true } as const;

const consoleCalls = (["log", "info", "warn", "error"] as const).map((m) => vi.spyOn(console, m));

let idp: DemoIdp;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  idp = await startDemoIdp({ port: 0, clients: [{ clientId: client.client_id, clientSecret, redirectUris: [redirectUri] }] });
  const issuer = new URL(idp.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
});

afterAll(async () => {
  await idp.close();
  for (const spy of consoleCalls) spy.mockRestore();
});

async function startLogin(browser: IdpBrowser, extra: Record<string, string> = {}) {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid profile email address",
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  }).toString();
  const shown = await browser.follow(url);
  if (!("page" in shown)) throw new Error(`no login page, redirected to ${shown.leftTo.href}`);
  const page = shown.page;
  // The page's own URL is where its form posts; the last hop was a redirect to it.
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  return { page, html, action: action ? new URL(action, idp.issuer) : null, codeVerifier, state, nonce };
}

async function choose(browser: IdpBrowser, action: URL, form: Record<string, string>) {
  const done = await browser.follow(action, { form });
  if (!("leftTo" in done)) throw new Error(`stayed on the provider: ${done.page.status} ${await done.page.text()}`);
  return done.leftTo;
}

async function redeem(callback: URL, login: { state: string; nonce: string; codeVerifier: string }, auth = oauth.ClientSecretBasic(clientSecret)) {
  const params = oauth.validateAuthResponse(as, client, callback, login.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, login.codeVerifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: login.nonce, requireIdToken: true });
  await oauth.validateApplicationLevelSignature(as, response, insecure);
  return { claims: oauth.getValidatedIdTokenClaims(tokens)!, idToken: tokens.id_token! };
}

describe("Test-Bürgerkonto (local OIDC provider for the demo)", () => {
  it("publishes its discovery document under http://localhost with the trust levels as acr values", () => {
    expect(idp.issuer).toMatch(/^http:\/\/localhost:\d+$/);
    expect(as.issuer).toBe(idp.issuer);
    expect(as.acr_values_supported).toEqual(["basic", "substantial", "high"]);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
    expect(as.id_token_signing_alg_values_supported).toEqual(["RS256"]);
    expect(as.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "address"]));
  });

  it("logs in as the person and at the trust level chosen on its page, with a signed ID token", async () => {
    const browser = new IdpBrowser(idp.issuer);
    const login = await startLogin(browser);
    expect(login.page.status).toBe(200);
    expect(login.page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(login.page.headers.get("content-security-policy")).toContain("form-action 'self' http://localhost:8787");
    expect(login.html).toContain('<html lang="de">');
    expect(login.html).toContain("Test-Bürgerkonto – nur zum Ausprobieren, keine echten Daten");
    for (const p of demoIdentities) expect(login.html).toContain(`${p.givenName} ${p.familyName}, ${p.address.city}`);
    expect(login.html).toContain("Anna Schmidt, Tangerhütte");
    for (const label of ["Basisregistrierung (Benutzername und Passwort)", "Substantiell (ELSTER-Zertifikat)", "Hoch (Online-Ausweis)"]) expect(login.html).toContain(label);
    expect(login.html).toMatch(/<fieldset[^>]*><legend>Als wer möchten Sie sich anmelden\?<\/legend>/);
    expect(login.html).not.toContain("<script");

    const mehmet = demoIdentities[1]!;
    const callback = await choose(browser, login.action!, { person: mehmet.id, level: "substantial", action: "login" });
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get("state")).toBe(login.state);
    expect(callback.searchParams.get("code")).toBeTruthy();

    const { claims, idToken } = await redeem(callback, login);
    expect(JSON.parse(Buffer.from(idToken.split(".")[0]!, "base64url").toString())).toMatchObject({ alg: "RS256", kid: expect.any(String) });
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: client.client_id,
      nonce: login.nonce,
      sub: mehmet.id,
      acr: "substantial",
      amr: ["swk"],
      given_name: "Mehmet",
      family_name: "Yılmaz",
      name: "Mehmet Yılmaz",
      email: mehmet.email,
      email_verified: true,
      address: { street_address: mehmet.address.street, postal_code: mehmet.address.postalCode, locality: mehmet.address.city, country: "DE" },
    });
  });

  it("asks again on the next login in the same browser, and hands over the newly chosen person and level", async () => {
    const browser = new IdpBrowser(idp.issuer);
    const first = await startLogin(browser);
    const anna = demoIdentities[0]!;
    await redeem(await choose(browser, first.action!, { person: anna.id, level: "high", action: "login" }), first);

    const second = await startLogin(browser);
    expect(second.page.status).toBe(200);
    const juergen = demoIdentities[2]!;
    const callback = await choose(browser, second.action!, { person: juergen.id, level: "basic", action: "login" });
    // client_secret_post is accepted as well as client_secret_basic.
    const { claims } = await redeem(callback, second, oauth.ClientSecretPost(clientSecret));
    expect(claims).toMatchObject({ sub: juergen.id, acr: "basic", family_name: "Weiß" });
  });

  it("ends a cancelled login at the client with error=access_denied", async () => {
    const browser = new IdpBrowser(idp.issuer);
    const login = await startLogin(browser);
    const callback = await choose(browser, login.action!, { person: demoIdentities[0]!.id, level: "high", action: "cancel" });
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("code")).toBeNull();
    expect(() => oauth.validateAuthResponse(as, client, callback, login.state)).toThrow(
      expect.objectContaining({ error: "access_denied" }) as Error,
    );
  });

  it("refuses to redeem the code with a wrong code_verifier", async () => {
    const browser = new IdpBrowser(idp.issuer);
    const login = await startLogin(browser);
    const callback = await choose(browser, login.action!, { person: demoIdentities[0]!.id, level: "high", action: "login" });
    const params = oauth.validateAuthResponse(as, client, callback, login.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(clientSecret), params, redirectUri, oauth.generateRandomCodeVerifier(), insecure);
    await expect(oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: login.nonce })).rejects.toMatchObject({
      error: "invalid_grant",
      status: 400,
    });
  });

  it("refuses an authorization request without PKCE", async () => {
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: redirectUri, response_type: "code", scope: "openid", state: "s1" }).toString();
    const res = await fetch(url, { redirect: "manual" });
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toMatch(/PKCE/);
  });

  it("shows the page again with an error for an unknown person, in English when ui_locales asks for it", async () => {
    const browser = new IdpBrowser(idp.issuer);
    const login = await startLogin(browser, { ui_locales: "en-GB de" });
    expect(login.html).toContain('<html lang="en">');
    expect(login.html).toContain("High (online ID card)");
    const again = await browser.follow(login.action!, { form: { person: "nobody", level: "high", action: "login" } });
    if (!("page" in again)) throw new Error("left the provider");
    expect(again.page.status).toBe(400);
    expect(await again.page.text()).toMatch(/role="alert">Please choose a person and a trust level\./);

    // The interaction is still open: a valid choice finishes it.
    const callback = await choose(browser, login.action!, { person: demoIdentities[3]!.id, level: "high", action: "login" });
    expect((await redeem(callback, login)).claims.sub).toBe(demoIdentities[3]!.id);
  });

  it("answers an interaction without its cookie with an error page, not a login", async () => {
    const login = await startLogin(new IdpBrowser(idp.issuer));
    const res = await fetch(login.action!, { redirect: "manual" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Anmeldung nicht möglich");
    expect(html).not.toContain("<form");
  });

  it("prints nothing to the console while starting and serving logins", () => {
    for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
  });

  it("closes promptly although a connection is kept alive and another is still sending, then refuses connections", async () => {
    const other = await startDemoIdp({ port: 0, clients: [] });
    expect((await fetch(`${other.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    const halfSent = connect(Number(new URL(other.issuer).port), "127.0.0.1");
    halfSent.on("error", () => {});
    await new Promise<void>((resolve) => halfSent.once("connect", resolve));
    halfSent.write("GET /jwks HTTP/1.1\r\nHost: localhost\r\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${other.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    halfSent.destroy();
  });
});
