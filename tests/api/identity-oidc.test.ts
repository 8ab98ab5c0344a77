import { inject } from "vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { demoIdentities } from "../../server/node/demo-people.js";
import type { TestApp } from "../harness/types.js";
import { exchange as exchangeAt, posted, pkce, providerLogin, widgetOrigin as origin } from "../support/oidc-login.js";
import { api, call, verifiedAccount } from "./flows.js";

/*
 * Login with a Bürgerkonto over OpenID Connect on both runtimes, against a real OIDC provider
 * (oidc-provider, the demo's Test-Bürgerkonto, started for the run: tests/support/test-idp.ts):
 * from the widget's start through the provider's page to the one-time code and the session, the
 * first login making an account, linking a provider to an existing account, and everything that
 * must not give a session.
 */

const T = api("tangerhuette");
const M = api("musterstadt");
const issuer = inject("idpIssuer");
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const login = (opts: Omit<Parameters<typeof providerLogin>[2], "person"> & { person?: string }) => providerLogin(t, issuer, { ...opts, person: opts.person ?? demoIdentities[0]!.id });
const exchange = (code: string, verifier: string, slug = "tangerhuette") => exchangeAt(t, code, verifier, slug);

describe("login with the Test-Bürgerkonto over OIDC", () => {
  it("lists the town's providers in its public configuration", async () => {
    const config = await call(t, "GET", T);
    expect(config.json.identityProviders).toEqual([{ id: "test-buergerkonto", type: "oidc", label: { de: "Mit Test-Bürgerkonto anmelden", en: "Log in with the test citizen account" } }]);
  });

  it("makes an account at the first login, with the provider's name, e-mail and trust level; the next login finds it", async () => {
    const anna = demoIdentities[0]!;
    const first = await login({ person: anna.id, level: "substantial" });
    expect(first.back.status).toBe(200);
    expect(first.back.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(first.back.headers.get("cache-control")).toBe("no-store");
    const message = posted(first.html);
    expect(message.to).toBe(origin);
    expect(message.code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const session = await exchange(message.code!, first.verifier);
    expect(session.status, session.text).toBe(200);
    expect(session.json).toMatchObject({ trustLevel: "substantial", account: { name: `${anna.givenName} ${anna.familyName}`, email: anna.email, emailVerified: true, mobileVerified: false, identityVerified: true } });
    // Counts as a confirmed account: it may use the services that need one.
    const me = await call(t, "GET", `${T}/me/subscriptions`, { token: session.json.token });
    expect(me.status, me.text).toBe(200);
    expect((await call(t, "GET", `${T}/me/identities`, { token: session.json.token })).json.items).toEqual([expect.objectContaining({ providerId: "test-buergerkonto", label: { de: "Mit Test-Bürgerkonto anmelden", en: "Log in with the test citizen account" } })]);

    // The session knows how sure its login was; a password session does not claim any.
    expect((await call(t, "GET", `${T}/me`, { token: session.json.token })).json.trustLevel).toBe("substantial");
    // The export (DSGVO) names the link and the session's login.
    const exported = await call(t, "GET", `${T}/me/export`, { token: session.json.token });
    expect(exported.json.linkedIdentities).toEqual([expect.objectContaining({ provider: "test-buergerkonto", subject: anna.id, trustLevel: "substantial" })]);
    expect(exported.json.sessions).toContainEqual(expect.objectContaining({ current: true, loginWith: "test-buergerkonto", trustLevel: "substantial" }));
    // The code is spent; a second exchange gets nothing.
    expect((await exchange(message.code!, first.verifier)).json.error.code).toBe("login_expired");
    const again = await login({ person: anna.id, level: "high" });
    const second = await exchange(posted(again.html).code!, again.verifier);
    expect(second.json.account.id).toBe(session.json.account.id);
    expect(second.json.trustLevel).toBe("high");
    // No password works for an account made from a provider's login.
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: anna.email, password: "" } })).status).toBe(400);
    expect((await call(t, "POST", `${T}/auth/login`, { body: { email: anna.email, password: "irgendein-Passwort-123" } })).status).toBe(401);
  });

  it("gives nothing for a code without its verifier, or in another town", async () => {
    const other = await login({ person: demoIdentities[1]!.id });
    const { code } = posted(other.html);
    const { verifier: wrong } = await pkce();
    expect((await exchange(code!, wrong)).json.error.code).toBe("login_expired");
    // The wrong try spent it: the right verifier is now too late.
    expect((await exchange(code!, other.verifier)).status).toBe(400);
    const fresh = await login({ person: demoIdentities[1]!.id });
    expect((await exchange(posted(fresh.html).code!, fresh.verifier, "musterstadt")).status).toBe(400);
  });

  it("comes back to the town's page with the code in the fragment when the popup was blocked", async () => {
    const r = await login({ mode: "redirect", person: demoIdentities[2]!.id });
    expect(r.back.status).toBe(200);
    // A page of ours moving on (a provider's CSP form-action would stop a redirect).
    const to = new URL(/<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(r.html)![1]!.replace(/&amp;/g, "&"));
    expect(to.origin + to.pathname).toBe(`${origin}/tangerhuette/seite.html`);
    const code = /^#dr-login=([A-Za-z0-9_-]{43})$/.exec(to.hash)?.[1];
    expect(code).toBeDefined();
    expect(r.html).not.toContain("<script");
    expect((await exchange(code!, r.verifier)).status).toBe(200);
  });

  it("ends a cancelled login on a clear page and posts the reason, never a session", async () => {
    const r = await login({ cancel: true });
    expect(r.back.status).toBe(400);
    expect(r.html).toContain("Sie haben die Anmeldung abgebrochen.");
    expect(posted(r.html)).toMatchObject({ error: "cancelled", to: origin });
    const redirect = await login({ cancel: true, mode: "redirect" });
    expect(redirect.html).toContain("#dr-login-error=cancelled");
  });

  it("answers only in the browser that started the login: a start link sent to someone else gives nothing", async () => {
    // The attacker's start (with an intent to link to their own account, or to take the code), the victim's login.
    const r = await login({ person: demoIdentities[0]!.id, otherBrowser: true });
    expect(r.back.status).toBe(400);
    expect(r.html).toContain("Die Anmeldung hat zu lange gedauert oder wurde schon abgeschlossen.");
    expect(r.html).not.toContain("postMessage");
  });

  it("answers a used or unknown state with a page and nothing else", async () => {
    const r = await login({ person: demoIdentities[3]!.id });
    const callback = /postMessage/.test(r.html);
    expect(callback).toBe(true);
    const replay = await t.app.request(`${T}/auth/providers/test-buergerkonto/callback?code=abc&state=${"x".repeat(43)}`);
    expect(replay.status).toBe(400);
    const html = await replay.text();
    expect(html).toContain("Die Anmeldung hat zu lange gedauert oder wurde schon abgeschlossen.");
    expect(html).not.toContain("postMessage");
  });

  it("refuses starts from a website the town does not list, a bad challenge, and a return address elsewhere", async () => {
    const { challenge } = await pkce();
    const start = (q: Record<string, string>) => call(t, "GET", `${T}/auth/providers/test-buergerkonto/start?${new URLSearchParams(q)}`);
    expect((await start({ origin: "https://boese.example", challenge, mode: "popup" })).json.error.fields.origin).toBeDefined();
    expect((await start({ origin, challenge: "kurz", mode: "popup" })).json.error.fields.challenge).toBeDefined();
    expect((await start({ origin, challenge, mode: "redirect", return_to: "https://boese.example/" })).json.error.fields.return_to).toBeDefined();
    expect((await start({ origin, challenge, mode: "popup" })).status).toBe(302);
    expect((await call(t, "GET", `${T}/auth/providers/gibtsnicht/start?${new URLSearchParams({ origin, challenge, mode: "popup" })}`)).status).toBe(404);
  });

  it("links the provider to an account that logs in with a password, and unlinks it; a second person cannot take it", async () => {
    const citizen = await verifiedAccount(t, "musterstadt", { name: "Paula Passwort" });
    const intent = await call(t, "POST", `${M}/me/identities/test-buergerkonto/link`, { token: citizen.token });
    expect(intent.status, intent.text).toBe(201);
    const linked = await login({ slug: "musterstadt", person: demoIdentities[1]!.id, intent: intent.json.intent });
    const session = await exchange(posted(linked.html).code!, linked.verifier, "musterstadt");
    expect(session.json.account.id).toBe(citizen.account.id);
    // From now on the provider's login is this account.
    const later = await login({ slug: "musterstadt", person: demoIdentities[1]!.id });
    expect((await exchange(posted(later.html).code!, later.verifier, "musterstadt")).json.account.id).toBe(citizen.account.id);
    // The intent was used once.
    expect((await call(t, "GET", `${M}/auth/providers/test-buergerkonto/start?${new URLSearchParams({ origin, challenge: (await pkce()).challenge, mode: "popup", intent: intent.json.intent })}`)).status).toBe(400);

    // Another account cannot link the same person.
    const other = await verifiedAccount(t, "musterstadt");
    const otherIntent = await call(t, "POST", `${M}/me/identities/test-buergerkonto/link`, { token: other.token });
    const taken = await login({ slug: "musterstadt", person: demoIdentities[1]!.id, intent: otherIntent.json.intent });
    expect(posted(taken.html).error).toBe("already_linked");

    expect((await call(t, "DELETE", `${M}/me/identities/test-buergerkonto`, { token: citizen.token })).status).toBe(204);
    expect((await call(t, "GET", `${M}/me/identities`, { token: citizen.token })).json.items).toEqual([]);
  });

  it("keeps an account made from a provider from losing its only way to log in, and never takes over an account by its e-mail address", async () => {
    const anna = await login({ person: demoIdentities[0]!.id });
    const session = await exchange(posted(anna.html).code!, anna.verifier);
    const refused = await call(t, "DELETE", `${T}/me/identities/test-buergerkonto`, { token: session.json.token });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("last_login_method");

    // Jürgen registered with a password before: his provider login is not his account until he links it.
    const juergen = demoIdentities.find((p) => p.givenName === "Jürgen")!;
    await verifiedAccount(t, "musterstadt", { email: juergen.email });
    const r = await login({ slug: "musterstadt", person: juergen.id });
    expect(posted(r.html).error).toBe("email_in_use");
    expect(r.html).toContain("Es gibt schon ein Konto mit dieser E-Mail-Adresse.");
  });
});
