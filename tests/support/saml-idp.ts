/**
 * A stand-in for BundID's integration environment: builds, signs (xml-crypto) and encrypts
 * (xml-encryption) SAML responses the way BundID sends them — attributes by OID with
 * `akdb:TrustLevel`, STORK-QAA-Level-N as AuthnContextClassRef, the assertion signed and then
 * encrypted for the SP — so tests can bend one detail at a time.
 */
import { readFileSync } from "node:fs";
import { DOMParser, type Node, XMLSerializer } from "@xmldom/xmldom";
import xmlenc from "xml-encryption";
import { SignedXml } from "xml-crypto";

const fixtures = new URL("../fixtures/saml/", import.meta.url);
/** Key pairs generated once with openssl for the tests only; see tests/fixtures/saml/README.md. */
export const testKeys = (name: "idp" | "sp" | "sp-encryption" | "attacker") => ({
  key: readFileSync(new URL(`test-only-${name}-key.pem`, fixtures), "utf8"),
  cert: readFileSync(new URL(`test-only-${name}-cert.pem`, fixtures), "utf8"),
});

export type KeyPair = ReturnType<typeof testKeys>;

const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
const AKDB = "https://www.akdb.de/request/2018/09";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const iso = (ms: number) => new Date(ms).toISOString();
const certBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");

/** IdP metadata as BundID publishes it: one IDPSSODescriptor, a signing and an encryption key, SSO over POST and Redirect. */
export function idpMetadata(o: { entityId: string; ssoUrl: string; cert: string }): string {
  const keyInfo = `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(o.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(o.entityId)}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">${keyInfo}</md:KeyDescriptor>
    <md:KeyDescriptor use="encryption">${keyInfo}</md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(o.ssoUrl)}/redirect"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(o.ssoUrl)}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

export interface SamlAttribute {
  name: string;
  values: string[];
  /** BundID's per-attribute proof level: UNTERGEORDNET, NORMAL, SUBSTANTIELL, HOCH. */
  trustLevel?: string;
  friendlyName?: string;
}

/** What an eID login (Online-Ausweis, level "hoch") at BundID hands over. */
export function bundIdEidAttributes(): SamlAttribute[] {
  return [
    { name: "urn:oid:1.3.6.1.4.1.25484.494450.3", friendlyName: "bPK2", values: ["VHl0MzJiUGsyVGVzdGlkZW50aXR5RXJpa2E="], trustLevel: "HOCH" },
    { name: "urn:oid:2.5.4.42", friendlyName: "givenName", values: ["ERIKA"], trustLevel: "HOCH" },
    { name: "urn:oid:2.5.4.4", friendlyName: "surname", values: ["MUSTERMANN"], trustLevel: "HOCH" },
    { name: "urn:oid:0.9.2342.19200300.100.1.3", friendlyName: "mail", values: ["erika.mustermann@example.org"], trustLevel: "NORMAL" },
    { name: "urn:oid:2.5.4.16", friendlyName: "postalAddress", values: ["HEIDESTRASSE 17"], trustLevel: "HOCH" },
    { name: "urn:oid:2.5.4.17", friendlyName: "postalCode", values: ["51147"], trustLevel: "HOCH" },
    { name: "urn:oid:2.5.4.7", friendlyName: "localityName", values: ["KÖLN"], trustLevel: "HOCH" },
    { name: "urn:oid:1.2.40.0.10.2.1.1.225599", friendlyName: "country", values: ["DE"], trustLevel: "HOCH" },
  ];
}

export interface AssertionOptions {
  id?: string;
  issuer: string;
  audience: string;
  recipient: string;
  inResponseTo: string;
  /** Epoch ms; the other times default to a window around it like BundID's (5 minutes). */
  now: number;
  notBefore?: number | null;
  notOnOrAfter?: number;
  subjectNotOnOrAfter?: number;
  authnContextClassRef?: string;
  attributes?: SamlAttribute[];
}

/** An unsigned assertion with its own namespace declarations, so it can be signed and encrypted standalone. */
export function assertionXml(o: AssertionOptions): string {
  const id = o.id ?? randomId();
  const end = o.notOnOrAfter ?? o.now + 5 * 60_000;
  const notBefore = o.notBefore === undefined ? o.now - 5_000 : o.notBefore;
  const attributes = (o.attributes ?? bundIdEidAttributes())
    .map(
      (a) =>
        `<saml2:Attribute Name="${esc(a.name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"${a.friendlyName ? ` FriendlyName="${esc(a.friendlyName)}"` : ""}${a.trustLevel ? ` akdb:TrustLevel="${esc(a.trustLevel)}"` : ""}>` +
        a.values.map((v) => `<saml2:AttributeValue xsi:type="xs:string">${esc(v)}</saml2:AttributeValue>`).join("") +
        "</saml2:Attribute>",
    )
    .join("");
  return (
    `<saml2:Assertion xmlns:saml2="${SAML}" xmlns:akdb="${AKDB}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${id}" IssueInstant="${iso(o.now)}" Version="2.0">` +
    `<saml2:Issuer>${esc(o.issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">${randomId()}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData InResponseTo="${esc(o.inResponseTo)}" NotOnOrAfter="${iso(o.subjectNotOnOrAfter ?? end)}" Recipient="${esc(o.recipient)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions${notBefore == null ? "" : ` NotBefore="${iso(notBefore)}"`} NotOnOrAfter="${iso(end)}"><saml2:AudienceRestriction><saml2:Audience>${esc(o.audience)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${iso(o.now - 2_000)}" SessionIndex="${randomId()}"><saml2:AuthnContext><saml2:AuthnContextClassRef>${esc(o.authnContextClassRef ?? "STORK-QAA-Level-4")}</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement>` +
    "</saml2:Assertion>"
  );
}

/** Enveloped RSA-SHA256 signature over the document's root, placed after its Issuer as SAML wants. */
export function signRoot(xml: string, keys: KeyPair): string {
  const sig = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.cert,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  sig.addReference({
    xpath: "/*",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
  });
  sig.computeSignature(xml, { prefix: "ds", location: { reference: "/*/*[local-name(.)='Issuer']", action: "after" } });
  return sig.getSignedXml();
}

/** `<saml2:EncryptedAssertion>` for the SP's certificate: AES-256-GCM content key, RSA-OAEP key transport. */
export async function encryptAssertion(assertion: string, spCert: string): Promise<string> {
  const encrypted = await new Promise<string>((resolve, reject) =>
    xmlenc.encrypt(
      assertion,
      {
        rsa_pub: spCert,
        pem: spCert,
        encryptionAlgorithm: "http://www.w3.org/2009/xmlenc11#aes256-gcm",
        keyEncryptionAlgorithm: "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        disallowEncryptionWithInsecureAlgorithm: true,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
  return `<saml2:EncryptedAssertion xmlns:saml2="${SAML}">${encrypted}</saml2:EncryptedAssertion>`;
}

export interface ResponseOptions {
  id?: string;
  issuer: string;
  destination?: string | null;
  inResponseTo?: string | null;
  now: number;
  status?: { code: string; nested?: string; message?: string };
  /** Assertion or EncryptedAssertion elements, as XML. */
  assertions: string[];
}

export function responseXml(o: ResponseOptions): string {
  const status = o.status ?? { code: "urn:oasis:names:tc:SAML:2.0:status:Success" };
  return (
    `<saml2p:Response xmlns:saml2p="${SAMLP}" ID="${o.id ?? randomId()}" Version="2.0" IssueInstant="${iso(o.now)}"` +
    (o.destination ? ` Destination="${esc(o.destination)}"` : "") +
    (o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : "") +
    ">" +
    `<saml2:Issuer xmlns:saml2="${SAML}">${esc(o.issuer)}</saml2:Issuer>` +
    `<saml2p:Status><saml2p:StatusCode Value="${status.code}">${status.nested ? `<saml2p:StatusCode Value="${status.nested}"/>` : ""}</saml2p:StatusCode>` +
    (status.message ? `<saml2p:StatusMessage>${esc(status.message)}</saml2p:StatusMessage>` : "") +
    "</saml2p:Status>" +
    o.assertions.join("") +
    "</saml2p:Response>"
  );
}

export const base64 = (xml: string) => Buffer.from(xml, "utf8").toString("base64");

export interface BundIdScenario {
  idp: { entityId: string; keys: KeyPair };
  sp: { entityId: string; acs: string; encryptionCert: string };
  requestId: string;
  now: number;
}

/**
 * A complete response as BundID sends it, with any part bent: `assertion` changes the assertion,
 * `response` the envelope; `signAssertionWith: null` leaves it unsigned, `encrypt: false` plain,
 * `signResponseWith` signs the envelope too.
 */
export async function bundIdResponse(
  s: BundIdScenario,
  bend: {
    assertion?: Partial<AssertionOptions>;
    response?: Partial<ResponseOptions>;
    signAssertionWith?: KeyPair | null;
    signResponseWith?: KeyPair | null;
    encrypt?: boolean;
  } = {},
): Promise<{ base64: string; xml: string; assertionId: string }> {
  const assertionId = bend.assertion?.id ?? randomId();
  let assertion = assertionXml({ issuer: s.idp.entityId, audience: s.sp.entityId, recipient: s.sp.acs, inResponseTo: s.requestId, now: s.now, ...bend.assertion, id: assertionId });
  const signer = bend.signAssertionWith === undefined ? s.idp.keys : bend.signAssertionWith;
  if (signer) assertion = signRoot(assertion, signer);
  if (bend.encrypt !== false) assertion = await encryptAssertion(assertion, s.sp.encryptionCert);
  let xml = responseXml({ issuer: s.idp.entityId, destination: s.sp.acs, inResponseTo: s.requestId, now: s.now, assertions: [assertion], ...bend.response });
  if (bend.signResponseWith) xml = signRoot(xml, bend.signResponseWith);
  return { base64: base64(xml), xml, assertionId };
}

/** DOM surgery for the wrapping attacks. */
export function parse(xml: string) {
  return new DOMParser().parseFromString(xml, "text/xml");
}
export const serialize = (node: Node) => new XMLSerializer().serializeToString(node);

function randomId(): string {
  return `_${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
