import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samlPort } from "../../server/node/saml.js";
import { api, call } from "../api/flows.js";
import { createTestApp, townsCopy } from "../harness/node.js";
import { type TestApp, testPublicUrl } from "../harness/types.js";
import { startCookie } from "../support/oidc-login.js";
import { type BundIdScenario, bundIdEidAttributes, bundIdResponse, idpMetadata, testKeys } from "../support/saml-idp.js";

/*
 * Login with BundID over SAML through the app's own addresses: the SP metadata at
 * /saml/{slug}/metadata.xml, the start that posts a signed AuthnRequest, the assertion consumer
 * service at /saml/{slug}/acs with a signed and encrypted response shaped like BundID's
 * integration environment, the session with the eID's trust level, and the replays that must
 * give nothing. The checks of the response itself are in tests/node/saml.test.ts.
 */

const slug = "tangerhuette";
const T = api(slug);
const origin = "http://localhost:8080";
const keys = { idp: testKeys("idp"), sp: testKeys("sp"), encryption: testKeys("sp-encryption") };
const idp = { entityId: "https://int.id.bund.de/idp", ssoUrl: "https://int.id.bund.de/idp/profile/SAML2/POST/SSO" };
const sp = { entityId: `${testPublicUrl}/saml/${slug}/metadata.xml`, acs: `${testPublicUrl}/saml/${slug}/acs` };
let t: TestApp;
let tenantsDir: string;

beforeAll(async () => {
  tenantsDir = townsCopy();
  const town = join(tenantsDir, slug);
  writeFileSync(join(town, "bundid-idp-metadata.xml"), idpMetadata({ ...idp, cert: keys.idp.cert }));
  writeFileSync(join(town, "saml-signing-key.pem"), keys.sp.key);
  writeFileSync(join(town, "saml-signing-cert.pem"), keys.sp.cert);
  const file = join(town, "tenant.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as { identityProviders: unknown[] };
  config.identityProviders.push({
    id: "bundid",
    type: "saml",
    label: { de: "Mit BundID anmelden", en: "Log in with BundID" },
    metadataFile: "bundid-idp-metadata.xml",
    signing: { keyFile: "saml-signing-key.pem", certFile: "saml-signing-cert.pem" },
    encryption: { keyEnv: "SAML_TANGERHUETTE_ENCRYPTION_KEY", certEnv: "SAML_TANGERHUETTE_ENCRYPTION_CERT" },
    attributes: ["urn:oid:1.3.6.1.4.1.25484.494450.3", "urn:oid:2.5.4.42", "urn:oid:2.5.4.4", "urn:oid:0.9.2342.19200300.100.1.3"],
    minTrustLevel: "substantial",
    onlineServiceId: "TEST-OSI-4711",
    display: { organization: "Einheitsgemeinde Stadt Tangerhütte", onlineServiceName: "Digitales Rathaus" },
  });
  writeFileSync(file, JSON.stringify(config, null, 2));
  const env = { SAML_TANGERHUETTE_ENCRYPTION_KEY: keys.encryption.key, SAML_TANGERHUETTE_ENCRYPTION_CERT: keys.encryption.cert };
  const clock = { now: () => t.clock.now() };
  t = await createTestApp({ tenantsDir, app: { saml: samlPort({ tenantsDir, env, now: () => clock.now() }) } });
});

afterAll(async () => {
  await t?.close();
});

async function pkce() {
  const verifier = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = encodeBase64urlNoPadding(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1]?.replace(/&#x2B;|&#43;/g, "+").replace(/&#x3D;|&#61;/g, "=").replace(/&amp;/g, "&");

/** The widget's start: the page that posts the AuthnRequest, its request ID and RelayState. */
/** This browser's cookie, set by the first start (the answer counts only where the login started). */
let cookie = "";

async function start() {
  const { verifier, challenge } = await pkce();
  const res = await t.app.request(`${T}/auth/providers/bundid/start?${new URLSearchParams({ origin, challenge, mode: "popup" })}`, cookie ? { headers: { cookie } } : {});
  cookie = startCookie(res);
  const html = await res.text();
  expect(res.status, html).toBe(200);
  const request = Buffer.from(field(html, "SAMLRequest")!, "base64").toString("utf8");
  return { res, html, request, requestId: /\bID="([^"]+)"/.exec(request)![1]!, relayState: field(html, "RelayState")!, verifier };
}

const acs = (samlResponse: string, relayState: string, inBrowser = cookie) =>
  t.app.request(`/saml/${slug}/acs`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(inBrowser ? { cookie: inBrowser } : {}) },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
  });

const scenario = (requestId: string): BundIdScenario => ({ idp: { entityId: idp.entityId, keys: keys.idp }, sp: { ...sp, encryptionCert: keys.encryption.cert }, requestId, now: t.clock.now() });

function posted(html: string): { code?: string; error?: string } {
  const m = /var m=(\{.*?\});/.exec(html);
  if (!m) throw new Error(`no postMessage in ${html.slice(0, 300)}`);
  return JSON.parse(m[1]!) as { code?: string; error?: string };
}

describe("login with BundID over SAML", () => {
  it("publishes our SP metadata with the ACS and both certificates, for registering with BundID", async () => {
    const res = await t.app.request(`/saml/${slug}/metadata.xml`);
    const xml = await res.text();
    expect(res.status, xml).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/samlmetadata\+xml/);
    expect(xml).toContain(`entityID="${sp.entityId}"`);
    expect(xml).toContain(`Location="${sp.acs}"`);
    expect(xml).toContain('AuthnRequestsSigned="true"');
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect((await t.app.request("/saml/musterstadt/metadata.xml")).status).toBe(404);
    expect((await call(t, "GET", api("musterstadt"))).json.identityProviders.map((p: { id: string }) => p.id)).toEqual(["test-buergerkonto"]);
  });

  it("posts a signed AuthnRequest with BundID's extension, and logs in with the eID at trust level high", async () => {
    const s = await start();
    expect(s.res.headers.get("content-security-policy")).toMatch(/form-action https:\/\/int\.id\.bund\.de/);
    expect(s.html).toContain(`action="${idp.ssoUrl}"`);
    expect(s.request).toContain("akdb:AuthenticationRequest");
    expect(s.request).toContain("TEST-OSI-4711");
    expect(s.request).toContain("STORK-QAA-Level-3");
    expect(s.request).toMatch(/<ds:Signature|<Signature/);

    const { base64 } = await bundIdResponse(scenario(s.requestId), { assertion: { authnContextClassRef: "STORK-QAA-Level-4", attributes: bundIdEidAttributes() } });
    const back = await acs(base64, s.relayState);
    const html = await back.text();
    expect(back.status, html).toBe(200);
    const { code } = posted(html);
    const session = await call(t, "POST", `${T}/auth/providers/exchange`, { body: { code, verifier: s.verifier } });
    expect(session.status, session.text).toBe(200);
    expect(session.json.trustLevel).toBe("high");
    expect(session.json.account).toMatchObject({ identityVerified: true, emailVerified: true });
    expect((await call(t, "GET", `${T}/me/identities`, { token: session.json.token })).json.items.map((i: { providerId: string }) => i.providerId)).toEqual(["bundid"]);
  });

  it("gives nothing when the answer arrives in another browser than the one that started the login", async () => {
    const s = await start();
    const { base64 } = await bundIdResponse(scenario(s.requestId), { assertion: { authnContextClassRef: "STORK-QAA-Level-4", attributes: bundIdEidAttributes() } });
    const elsewhere = await acs(base64, s.relayState, "");
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).not.toContain("postMessage");
    const otherCookie = await acs(base64, s.relayState, `__Host-dr-login=${"B".repeat(43)}`);
    expect(otherCookie.status).toBe(400);
    // The flow is still there for the right browser.
    expect((await acs(base64, s.relayState)).status).toBe(200);
  });

  it("gives nothing for the same response posted again, nor for the same assertion in another login", async () => {
    const s = await start();
    const { base64 } = await bundIdResponse(scenario(s.requestId), { assertion: { authnContextClassRef: "STORK-QAA-Level-4", attributes: bundIdEidAttributes() } });
    expect((await acs(base64, s.relayState)).status).toBe(200);
    // The same POST again: its login is used up.
    const again = await acs(base64, s.relayState);
    expect(again.status).toBe(400);
    expect(await again.text()).not.toContain("postMessage");
    // The same assertion for a new login (whose request it does not answer, and which it was already used for).
    const next = await start();
    const replay = await acs(base64, next.relayState);
    expect(replay.status).toBe(400);
    expect(posted(await replay.text()).error).toMatch(/^(replayed|invalid_response)$/);
  });

  it("refuses a response for another request, and a tampered one, with a page and no session", async () => {
    const s = await start();
    const other = await bundIdResponse(scenario("_another-request"), { assertion: { authnContextClassRef: "STORK-QAA-Level-4", attributes: bundIdEidAttributes() } });
    const wrong = await acs(other.base64, s.relayState);
    expect(wrong.status).toBe(400);
    expect(posted(await wrong.text()).error).toBe("invalid_response");

    const s2 = await start();
    const tampered = await acs(Buffer.from("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>").toString("base64"), s2.relayState);
    expect(tampered.status).toBe(400);
    expect(posted(await tampered.text()).error).toBe("invalid_response");
    // Without a RelayState nothing is known: a plain page.
    const unknown = await acs(other.base64, "");
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).not.toContain("<script>");
  });
});
