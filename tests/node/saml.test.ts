import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Element } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type SamlProviderConfig, samlPort } from "../../server/node/saml.js";
import { type IdentityFailure, IdentityError } from "../../server/identity/types.js";
import {
  assertionXml,
  base64,
  type BundIdScenario,
  bundIdEidAttributes,
  bundIdResponse,
  encryptAssertion,
  idpMetadata,
  parse,
  responseXml,
  serialize,
  signRoot,
  testKeys,
} from "../support/saml-idp.js";

const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
const MD = "urn:oasis:names:tc:SAML:2.0:metadata";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const AKDB = "https://www.akdb.de/request/2018/09";
const CLASSIC_UI = "https://www.akdb.de/request/2018/09/classic-ui/v1";

const slug = "musterstadt";
const publicUrl = "https://rathaus.example";
const sp = { entityId: `${publicUrl}/saml/${slug}/metadata.xml`, acs: `${publicUrl}/saml/${slug}/acs` };
const idp = { entityId: "https://int.id.bund.de/idp", ssoUrl: "https://int.id.bund.de/idp/profile/SAML2/POST/SSO" };
const keys = { idp: testKeys("idp"), sp: testKeys("sp"), encryption: testKeys("sp-encryption"), attacker: testKeys("attacker") };
const start = Date.parse("2026-03-02T10:00:00.000Z");
const requestId = "_3f1c9e0d7a2b4c6e8f0a1b2c3d4e5f60";

const tenantsDir = mkdtempSync(join(tmpdir(), "saml-tenants-"));
mkdirSync(join(tenantsDir, slug));
writeFileSync(join(tenantsDir, slug, "bundid-idp-metadata.xml"), idpMetadata({ ...idp, cert: keys.idp.cert }));
writeFileSync(join(tenantsDir, slug, "saml-signing-key.pem"), keys.sp.key);
writeFileSync(join(tenantsDir, slug, "saml-signing-cert.pem"), keys.sp.cert);
afterAll(() => rmSync(tenantsDir, { recursive: true, force: true }));

const provider: SamlProviderConfig = {
  id: "bundid",
  type: "saml",
  label: { de: "BundID", en: "BundID" },
  profile: "bundid",
  metadataFile: "bundid-idp-metadata.xml",
  signing: { keyFile: "saml-signing-key.pem", certFile: "saml-signing-cert.pem" },
  encryption: { keyEnv: "SAML_ENCRYPTION_KEY", certEnv: "SAML_ENCRYPTION_CERT" },
  attributes: [
    "urn:oid:1.3.6.1.4.1.25484.494450.3",
    "urn:oid:2.5.4.42",
    "urn:oid:2.5.4.4",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "urn:oid:2.5.4.16",
    "urn:oid:2.5.4.17",
    "urn:oid:2.5.4.7",
  ],
  minTrustLevel: "substantial",
  onlineServiceId: "TEST-OSI-4711",
  display: { organization: "Stadt Musterstadt", onlineServiceName: "Digitales Rathaus" },
};
// Environment variables often carry PEMs with escaped newlines; the port accepts both.
const env = { SAML_ENCRYPTION_KEY: keys.encryption.key.replace(/\n/g, "\\n"), SAML_ENCRYPTION_CERT: keys.encryption.cert };

let clock = start;
const port = samlPort({ tenantsDir, env, now: () => clock });
const scenario: BundIdScenario = { idp: { entityId: idp.entityId, keys: keys.idp }, sp: { ...sp, encryptionCert: keys.encryption.cert }, requestId, now: start };
beforeEach(() => {
  clock = start;
});

const consume = (samlResponse: string, expected = requestId, p = provider) => port.consume({ slug }, p, publicUrl, samlResponse, expected);

/** Refused with this failure, and for the reason the test is about (the log detail). */
async function refused(samlResponse: string, failure: IdentityFailure, reason: RegExp, expected = requestId) {
  const error = await consume(samlResponse, expected).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdentityError);
  expect((error as IdentityError).failure).toBe(failure);
  expect((error as IdentityError).detail).toMatch(reason);
}

const only = (parent: Element, namespace: string, localName: string): Element => {
  const list = parent.getElementsByTagNameNS(namespace, localName);
  expect(list.length).toBe(1);
  return list.item(0)!;
};

function verifySignature(xml: string, cert: string) {
  const doc = parse(xml);
  const signature = doc.documentElement!.getElementsByTagNameNS(DS, "Signature").item(0)!;
  const sig = new SignedXml({ publicCert: cert });
  sig.loadSignature(serialize(signature));
  return sig.checkSignature(xml);
}

describe("SAML port, BundID profile: what we send", () => {
  it("publishes signed SP metadata with signing and encryption keys and the POST ACS", async () => {
    const xml = await port.metadata({ slug }, provider, publicUrl);
    const root = parse(xml).documentElement!;
    expect(root.localName).toBe("EntityDescriptor");
    expect(root.getAttribute("entityID")).toBe(sp.entityId);
    const descriptor = only(root, MD, "SPSSODescriptor");
    expect(descriptor.getAttribute("AuthnRequestsSigned")).toBe("true");
    expect(descriptor.getAttribute("WantAssertionsSigned")).toBe("true");
    const acs = only(descriptor, MD, "AssertionConsumerService");
    expect(acs.getAttribute("Location")).toBe(sp.acs);
    expect(acs.getAttribute("Binding")).toBe("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    const certOf = (use: string) => {
      const kd = Array.from(descriptor.getElementsByTagNameNS(MD, "KeyDescriptor")).find((k) => k.getAttribute("use") === use)!;
      return kd.getElementsByTagNameNS(DS, "X509Certificate").item(0)!.textContent!.replace(/\s+/g, "");
    };
    const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, "");
    expect(certOf("signing")).toBe(body(keys.sp.cert));
    expect(certOf("encryption")).toBe(body(keys.encryption.cert));
    expect(verifySignature(xml, keys.sp.cert)).toBe(true);
  });

  it("posts a signed BundID AuthnRequest from a page that runs under a strict CSP", async () => {
    const { requestId: id, html, csp } = await port.authnRequest({ slug }, provider, publicUrl, "flow-7f3a");
    expect(id).toMatch(/^_[0-9a-f]{40}$/);
    expect(html).toContain(`<form method="post" action="${idp.ssoUrl}">`);
    expect(html).toContain('<input type="hidden" name="RelayState" value="flow-7f3a">');
    expect(html).toMatch(/<noscript>[\s\S]*<button type="submit">[\s\S]*<\/noscript>/);
    const script = /<script>([^<]*)<\/script>/.exec(html)![1]!;
    const hash = createHash("sha256").update(script).digest("base64");
    expect(csp).toBe(`default-src 'none'; script-src 'sha256-${hash}'; form-action https://int.id.bund.de; base-uri 'none'; frame-ancestors 'none'`);

    // HTTP-POST binding: plain base64, not deflated.
    const xml = Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(html)![1]!, "base64").toString("utf8");
    const request = parse(xml).documentElement!;
    expect(request.namespaceURI).toBe(SAMLP);
    expect(request.localName).toBe("AuthnRequest");
    expect(request.getAttribute("ID")).toBe(id);
    expect(request.getAttribute("Destination")).toBe(idp.ssoUrl);
    expect(request.getAttribute("AssertionConsumerServiceURL")).toBe(sp.acs);
    expect(request.getAttribute("ProtocolBinding")).toBe("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    expect(request.getAttribute("ForceAuthn")).toBe("true");
    expect(only(request, SAML, "Issuer").textContent).toBe(sp.entityId);
    const context = only(request, SAMLP, "RequestedAuthnContext");
    expect(context.getAttribute("Comparison")).toBe("minimum");
    expect(only(context, SAML, "AuthnContextClassRef").textContent).toBe("STORK-QAA-Level-3");

    const akdb = only(only(request, SAMLP, "Extensions"), AKDB, "AuthenticationRequest");
    expect(akdb.getAttribute("Version")).toBe("2");
    const methods = Array.from(only(akdb, AKDB, "AuthnMethods").childNodes).filter((n): n is Element => n.nodeType === 1);
    expect(methods.map((m) => m.localName)).toEqual(["Authega", "Benutzername", "Diia", "eID", "eIDAS", "Elster", "FINK"]);
    expect(methods.every((m) => only(m, AKDB, "Enabled").textContent === "true")).toBe(true);
    const requested = Array.from(akdb.getElementsByTagNameNS(AKDB, "RequestedAttribute"));
    expect(requested.map((r) => r.getAttribute("Name"))).toEqual(provider.attributes);
    expect(requested.every((r) => r.getAttribute("RequiredAttribute") === "true")).toBe(true);
    const display = only(only(akdb, AKDB, "DisplayInformation"), CLASSIC_UI, "Version");
    expect(only(display, CLASSIC_UI, "OrganizationDisplayName").textContent).toBe("Stadt Musterstadt");
    expect(only(display, CLASSIC_UI, "OnlineServiceId").textContent).toBe("TEST-OSI-4711");

    expect(verifySignature(xml, keys.sp.cert)).toBe(true);
    expect(only(request, DS, "SignatureMethod").getAttribute("Algorithm")).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  });
});

describe("SAML port, BundID profile: what we accept", () => {
  it("reads the identity from a signed and encrypted BundID response", async () => {
    const { base64: response, assertionId } = await bundIdResponse(scenario);
    const result = await consume(response);
    expect(result.identity).toEqual({
      subject: "VHl0MzJiUGsyVGVzdGlkZW50aXR5RXJpa2E=",
      trustLevel: "high",
      email: "erika.mustermann@example.org",
      emailVerified: true,
      givenName: "ERIKA",
      familyName: "MUSTERMANN",
      address: { street: "HEIDESTRASSE 17", postalCode: "51147", city: "KÖLN" },
    });
    // The caller keeps this id until notOnOrAfter to refuse a replay.
    expect(result.assertionId).toBe(assertionId);
    expect(result.notOnOrAfter).toBe(start + 5 * 60_000);
  });

  it("takes the weaker of AuthnContextClassRef and bPK2's akdb:TrustLevel", async () => {
    const attributes = bundIdEidAttributes().map((a) => ({ ...a, trustLevel: "SUBSTANTIELL" }));
    const { base64: response } = await bundIdResponse(scenario, { assertion: { authnContextClassRef: "STORK-QAA-Level-4", attributes } });
    expect((await consume(response)).identity.trustLevel).toBe("substantial");
  });

  it("allows a minute of clock skew", async () => {
    const { base64: response } = await bundIdResponse(scenario);
    clock = start + 5 * 60_000 + 30_000;
    await expect(consume(response)).resolves.toMatchObject({ identity: { trustLevel: "high" } });
    clock = start - 5_000 - 30_000;
    await expect(consume(response)).resolves.toMatchObject({ identity: { trustLevel: "high" } });
  });
});

describe("SAML port, BundID profile: what we refuse", () => {
  it("refuses an assertion signed with another key", async () => {
    const { base64: response } = await bundIdResponse(scenario, { signAssertionWith: keys.attacker });
    await refused(response, "invalid_response", /signature/i);
  });

  it("refuses an assertion for another audience", async () => {
    const { base64: response } = await bundIdResponse(scenario, { assertion: { audience: "https://other-service.example/saml/metadata.xml" } });
    await refused(response, "invalid_response", /audience/i);
  });

  it("refuses an expired assertion beyond the clock skew", async () => {
    const { base64: response } = await bundIdResponse(scenario);
    clock = start + 5 * 60_000 + 61_000;
    await refused(response, "expired", /no longer valid/);
  });

  it("refuses an expired subject confirmation even when the conditions still hold", async () => {
    const { base64: response } = await bundIdResponse(scenario, { assertion: { subjectNotOnOrAfter: start + 60_000, notOnOrAfter: start + 60 * 60_000 } });
    clock = start + 2 * 60_000 + 1;
    await refused(response, "expired", /no longer valid/);
  });

  it("refuses an assertion that is not valid yet", async () => {
    const { base64: response } = await bundIdResponse(scenario, { assertion: { notBefore: start + 2 * 60_000 } });
    await refused(response, "invalid_response", /not yet valid/);
  });

  it("refuses an assertion issued for another request", async () => {
    const { base64: response } = await bundIdResponse(scenario, { assertion: { inResponseTo: "_another-request" } });
    await refused(response, "invalid_response", /^InResponseTo does not match/);
  });

  it("refuses a response whose envelope answers another request", async () => {
    const { base64: response } = await bundIdResponse(scenario, { response: { inResponseTo: "_another-request" } });
    await refused(response, "invalid_response", /Response InResponseTo/);
  });

  it("refuses any response when no request is pending (IdP-initiated login)", async () => {
    const { base64: response } = await bundIdResponse(scenario);
    await refused(response, "invalid_response", /InResponseTo/, "");
  });

  it("refuses an assertion for another recipient", async () => {
    const { base64: response } = await bundIdResponse(scenario, { assertion: { recipient: "https://other-service.example/saml/acs" } });
    await refused(response, "invalid_response", /Recipient/);
  });

  it("refuses a response sent to another destination", async () => {
    const { base64: response } = await bundIdResponse(scenario, { response: { destination: "https://other-service.example/saml/acs" } });
    await refused(response, "invalid_response", /Destination/);
  });

  it("refuses an assertion of another issuer, even signed with the IdP's key", async () => {
    const { base64: response } = await bundIdResponse(scenario, { assertion: { issuer: "https://servicekonto.example/idp" } });
    await refused(response, "invalid_response", /issuer/);
  });

  it("refuses an unsigned assertion wrapped into a signed response", async () => {
    const { base64: response } = await bundIdResponse(scenario, { signAssertionWith: null, encrypt: false, signResponseWith: keys.idp });
    await refused(response, "invalid_response", /signature/i);
  });

  it("refuses a second, unsigned assertion injected next to the signed one", async () => {
    const good = await encryptAssertion(signRoot(assertionXml({ issuer: idp.entityId, audience: sp.entityId, recipient: sp.acs, inResponseTo: requestId, now: start }), keys.idp), keys.encryption.cert);
    const evilAttributes = bundIdEidAttributes().map((a) => (a.name.endsWith(".494450.3") ? { ...a, values: ["someone-else"] } : a));
    const evil = await encryptAssertion(assertionXml({ issuer: idp.entityId, audience: sp.entityId, recipient: sp.acs, inResponseTo: requestId, now: start, attributes: evilAttributes }), keys.encryption.cert);
    for (const assertions of [[evil, good], [good, evil]]) {
      await refused(base64(responseXml({ issuer: idp.entityId, destination: sp.acs, inResponseTo: requestId, now: start, assertions })), "invalid_response", /multiple assertions/);
    }
  });

  it("refuses a forged assertion that carries the real signature with the signed original tucked inside", async () => {
    // The classic wrapping: same ID on the forgery, the signature moved onto it, the original in ds:Object.
    const original = parse(signRoot(assertionXml({ id: "_victim", issuer: idp.entityId, audience: sp.entityId, recipient: sp.acs, inResponseTo: requestId, now: start }), keys.idp)).documentElement!;
    const evilAttributes = bundIdEidAttributes().map((a) => (a.name.endsWith(".494450.3") ? { ...a, values: ["someone-else"] } : a));
    const forgedDoc = parse(assertionXml({ id: "_victim", issuer: idp.entityId, audience: sp.entityId, recipient: sp.acs, inResponseTo: requestId, now: start, attributes: evilAttributes }));
    const forged = forgedDoc.documentElement!;
    const signature = original.getElementsByTagNameNS(DS, "Signature").item(0)!;
    original.removeChild(signature);
    const moved = forgedDoc.importNode(signature, true);
    const object = forgedDoc.createElementNS(DS, "ds:Object");
    object.appendChild(forgedDoc.importNode(original, true));
    moved.appendChild(object);
    forged.insertBefore(moved, forged.getElementsByTagNameNS(SAML, "Issuer").item(0)!.nextSibling);
    const xml = responseXml({ issuer: idp.entityId, destination: sp.acs, inResponseTo: requestId, now: start, assertions: [serialize(forged)] });
    await refused(base64(xml), "invalid_response", /signature/i);
  });

  it("refuses XML with a DOCTYPE or entity declarations before parsing it", async () => {
    const { xml } = await bundIdResponse(scenario);
    const external = `<?xml version="1.0"?><!DOCTYPE saml2p:Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${xml}`;
    await refused(base64(external), "invalid_response", /declaration/);
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${xml}`;
    await refused(base64(laughs), "invalid_response", /declaration/);
  });

  it("refuses declarations hidden inside the encrypted assertion", async () => {
    const signed = signRoot(assertionXml({ issuer: idp.entityId, audience: sp.entityId, recipient: sp.acs, inResponseTo: requestId, now: start }), keys.idp);
    const encrypted = await encryptAssertion(`<!DOCTYPE saml2:Assertion [<!ENTITY x "y">]>${signed}`, keys.encryption.cert);
    const xml = responseXml({ issuer: idp.entityId, destination: sp.acs, inResponseTo: requestId, now: start, assertions: [encrypted] });
    await refused(base64(xml), "invalid_response", /declaration/);
  });

  it("refuses an unsigned assertion in an unsigned response, plain or encrypted for us by anyone", async () => {
    for (const encrypt of [false, true]) {
      const { base64: response } = await bundIdResponse(scenario, { signAssertionWith: null, encrypt });
      await refused(response, "invalid_response", /signature/i);
    }
  });

  it("ends a cancelled login as cancelled and other IdP errors as provider errors", async () => {
    const status = async (code: string, nested?: string) => base64(responseXml({ issuer: idp.entityId, destination: sp.acs, inResponseTo: requestId, now: start, status: { code: `urn:oasis:names:tc:SAML:2.0:status:${code}`, ...(nested ? { nested: `urn:oasis:names:tc:SAML:2.0:status:${nested}` } : {}), message: "Der Vorgang wurde abgebrochen." }, assertions: [] }));
    await refused(await status("Responder", "AuthnFailed"), "cancelled", /Responder \/ .*AuthnFailed/);
    await refused(await status("Responder", "RequestDenied"), "cancelled", /RequestDenied/);
    await refused(await status("Responder"), "provider_error", /Responder$/);
    await refused(await status("Requester", "RequestUnsupported"), "provider_error", /RequestUnsupported/);
  });

  it("refuses a login below the town's minimum trust level", async () => {
    const basic = bundIdEidAttributes().map((a) => ({ ...a, trustLevel: "NORMAL" }));
    const { base64: username } = await bundIdResponse(scenario, { assertion: { authnContextClassRef: "STORK-QAA-Level-1", attributes: basic } });
    await refused(username, "trust_level_too_low", /got basic, need substantial/);
    // An eID-level login context does not lift a bPK2 that BundID only vouches for as NORMAL.
    const { base64: mixed } = await bundIdResponse(scenario, { assertion: { authnContextClassRef: "STORK-QAA-Level-4", attributes: basic } });
    await refused(mixed, "trust_level_too_low", /got basic/);
  });

  it("refuses a BundID response without bPK2", async () => {
    const { base64: response } = await bundIdResponse(scenario, { assertion: { attributes: bundIdEidAttributes().filter((a) => !a.name.endsWith(".494450.3")) } });
    await refused(response, "invalid_response", /bPK2/);
  });

  it("turns a broken configuration into a provider error, not a crash", async () => {
    const { base64: response } = await bundIdResponse(scenario);
    const broken = samlPort({ tenantsDir, env: {}, now: () => clock });
    const error = await broken.consume({ slug }, provider, publicUrl, response, requestId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).failure).toBe("provider_error");
    const escape = await port.consume({ slug }, { ...provider, metadataFile: "../musterstadt/bundid-idp-metadata.xml" }, publicUrl, response, requestId).catch((e: unknown) => e);
    expect((escape as IdentityError).failure).toBe("provider_error");
  });
});

describe("SAML port, generic profile", () => {
  const generic: SamlProviderConfig = { ...provider, id: "servicekonto", profile: "generic", minTrustLevel: "basic" };

  it("sends no BundID extension and reads NameID when there is no bPK2", async () => {
    const { html } = await port.authnRequest({ slug }, generic, publicUrl, "flow-1");
    const xml = Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(html)![1]!, "base64").toString("utf8");
    expect(xml).not.toContain(AKDB);
    const attributes = bundIdEidAttributes().filter((a) => !a.name.endsWith(".494450.3"));
    const { base64: response, xml: sent } = await bundIdResponse(scenario, { assertion: { attributes, authnContextClassRef: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport" }, encrypt: false });
    const nameId = /<saml2:NameID[^>]*>([^<]+)</.exec(sent)![1];
    const { identity } = await consume(response, requestId, generic);
    expect(identity).toMatchObject({ subject: nameId, trustLevel: "basic", emailVerified: false, email: "erika.mustermann@example.org" });
  });
});
