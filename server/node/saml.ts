/**
 * The SAML 2.0 port: our service provider towards BundID (or a state Servicekonto speaking SAML).
 * Node only — node-saml, xml-crypto and xml-encryption need Node's crypto, and the town's keys
 * are read from its folder — so only `server/node.ts` imports this module, and SAML logins are
 * served by the Node deployment.
 *
 * Who checks what in `consume`: node-saml verifies signatures (only the signed bytes are read
 * afterwards, which defeats signature wrapping), refuses a second assertion, decrypts, and checks
 * the audience. Everything else is checked here against the signed assertion node-saml hands
 * back: declarations, status, Destination, InResponseTo, Recipient, issuer, validity window with
 * our own clock, trust level. Replay protection is the caller's: it stores `assertionId` uniquely
 * until `notOnOrAfter`.
 */
import { readFile } from "node:fs/promises";
import { generateServiceProviderMetadata, SAML, type SamlConfig, ValidateInResponseTo } from "@node-saml/node-saml";
import { type Element, XMLSerializer } from "@xmldom/xmldom";
import xmlenc from "xml-encryption";
import type { SamlProviderSettings } from "../identity/config.js";
import type { SamlPort } from "../identity/ports.js";
import { akdbAuthenticationRequest, bundIdAttributes, levelOfAkdbTrustLevel, levelOfClassRef, storkLevelFor, weakestTrustLevel } from "../identity/saml-bundid.js";
import { type IdpMetadata, parseIdpMetadata } from "../identity/saml-idp-metadata.js";
import { attr, children, decodeBase64Utf8, is, ns, onlyChild, parseInstant, parseXml, refuseDeclarations, textOf, XmlRefused } from "../identity/saml-xml.js";
import { atLeast, type ExternalIdentity, IdentityError, type TrustLevel } from "../identity/types.js";

/** One `identityProviders` entry of type "saml"; its fields are documented with the schema in config.ts. */
export type SamlProviderConfig = SamlProviderSettings;
export type { SamlPort };
type KeySource = SamlProviderConfig["signing"];

/** How far the IdP's clock may be off ours; BundID's assertions live for minutes, so a minute is plenty. */
export const clockSkewMs = 60_000;
/** A BundID response with all attributes is a few kilobytes; this is generous and still bounds the parsers' work. */
const maxResponseBytes = 256 * 1024;

class SamlConfigError extends Error {}

interface Loaded {
  idp: IdpMetadata;
  signing: { key: string; cert: string };
  encryption: { key: string; cert: string };
  entityId: string;
  acs: string;
}

/** A plain file name: the town folder is the only place config may point into. */
const safeName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function samlPort(opts: { tenantsDir: string; env: Record<string, string | undefined>; now: () => number }): SamlPort {
  const townFile = async (slug: string, file: string) => {
    if (!safeName.test(slug) || !safeName.test(file)) throw new SamlConfigError(`not a plain file name: ${file}`);
    try {
      return await readFile(`${opts.tenantsDir.replace(/\/+$/, "")}/${slug}/${file}`, "utf8");
    } catch {
      throw new SamlConfigError(`cannot read ${slug}/${file}`);
    }
  };
  const pemFrom = async (slug: string, file: string | undefined, envName: string | undefined, what: string) => {
    let value: string | undefined;
    if (file) value = await townFile(slug, file);
    else if (envName) value = opts.env[envName]?.replace(/\\n/g, "\n");
    else throw new SamlConfigError(`no ${what} configured`);
    if (!value || !/-----BEGIN [A-Z ]+-----/.test(value)) throw new SamlConfigError(`${what} is not PEM (${file ?? envName})`);
    return value;
  };
  const keyPair = async (slug: string, s: KeySource, what: string) => ({
    key: await pemFrom(slug, s.keyFile, s.keyEnv, `${what} key`),
    cert: await pemFrom(slug, s.certFile, s.certEnv, `${what} certificate`),
  });

  async function load(slug: string, p: SamlProviderConfig, publicUrl: string): Promise<Loaded> {
    let idp: IdpMetadata;
    try {
      idp = parseIdpMetadata(await townFile(slug, p.metadataFile));
    } catch (e) {
      throw e instanceof SamlConfigError ? e : new SamlConfigError(`${p.metadataFile}: ${e instanceof Error ? e.message : "unreadable"}`);
    }
    const signing = await keyPair(slug, p.signing, "signing");
    const encryption = p.encryption ? await keyPair(slug, p.encryption, "encryption") : signing;
    const base = publicUrl.replace(/\/+$/, "");
    return { idp, signing, encryption, entityId: p.entityId ?? `${base}/saml/${slug}/metadata.xml`, acs: `${base}/saml/${slug}/acs` };
  }

  /** One node-saml instance per call: the options differ per town, and no state may carry over. */
  const nodeSaml = (l: Loaded, p: SamlProviderConfig, generateUniqueId: () => string) => {
    const bundid = p.profile === "bundid";
    const config: SamlConfig = {
      entryPoint: l.idp.ssoUrl,
      issuer: l.entityId,
      callbackUrl: l.acs,
      idpCert: l.idp.signingCerts,
      privateKey: l.signing.key,
      publicCert: l.signing.cert,
      signatureAlgorithm: "sha256",
      digestAlgorithm: "sha256",
      decryptionPvk: l.encryption.key,
      audience: l.entityId,
      // The person is identified by an attribute (bPK2), so the IdP may choose its NameID format.
      identifierFormat: null,
      wantAssertionsSigned: true,
      // BundID signs the assertion; a signed response around it is welcome but not required.
      wantAuthnResponseSigned: false,
      // Time and InResponseTo are checked below with the caller's clock and request id.
      acceptedClockSkewMs: -1,
      validateInResponseTo: ValidateInResponseTo.never,
      authnRequestBinding: "HTTP-POST",
      // The POST binding carries the request base64-encoded, not deflated (SAML bindings 3.5.4).
      skipRequestCompression: true,
      forceAuthn: true,
      disableRequestedAuthnContext: !bundid,
      authnContext: [storkLevelFor(p.minTrustLevel)],
      racComparison: "minimum",
      generateUniqueId,
      ...(bundid ? { samlAuthnRequestExtensions: akdbAuthenticationRequest(p) } : {}),
    };
    return new SAML(config);
  };

  return {
    async metadata(tenant, p, publicUrl) {
      const l = await load(tenant.slug, p, publicUrl);
      return generateServiceProviderMetadata({
        issuer: l.entityId,
        callbackUrl: l.acs,
        identifierFormat: null,
        wantAssertionsSigned: true,
        privateKey: l.signing.key,
        publicCerts: l.signing.cert,
        decryptionPvk: l.encryption.key,
        decryptionCert: l.encryption.cert,
        signatureAlgorithm: "sha256",
        digestAlgorithm: "sha256",
        signMetadata: true,
        generateUniqueId: newId,
        ...(p.display
          ? {
              metadataOrganization: {
                OrganizationName: [{ "@xml:lang": "de", "#text": p.display.organization }],
                OrganizationDisplayName: [{ "@xml:lang": "de", "#text": p.display.organization }],
                OrganizationURL: [{ "@xml:lang": "de", "#text": publicUrl }],
              },
            }
          : {}),
      });
    },

    async authnRequest(tenant, p, publicUrl, relayState) {
      // SAML bindings 3.5.3: RelayState MUST NOT exceed 80 bytes.
      if (new TextEncoder().encode(relayState).length > 80) throw new Error("RelayState longer than 80 bytes");
      const l = await load(tenant.slug, p, publicUrl);
      let requestId = "";
      const message = await nodeSaml(l, p, () => (requestId = newId())).getAuthorizeMessageAsync(relayState);
      const samlRequest = message.SAMLRequest;
      if (typeof samlRequest !== "string" || !requestId) throw new Error("node-saml produced no AuthnRequest");
      const script = "document.forms[0].submit();";
      const html = [
        "<!DOCTYPE html>",
        '<html lang="de">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">',
        `<title>Weiter zu ${esc(p.label.de)} · Continue to ${esc(p.label.en ?? p.label.de)}</title></head>`,
        "<body>",
        `<form method="post" action="${esc(l.idp.ssoUrl)}">`,
        `<input type="hidden" name="SAMLRequest" value="${esc(samlRequest)}">`,
        `<input type="hidden" name="RelayState" value="${esc(relayState)}">`,
        "<noscript>",
        `<p>Weiter zur Anmeldung mit ${esc(p.label.de)}.</p>`,
        `<p lang="en">Continue to sign in with ${esc(p.label.en ?? p.label.de)}.</p>`,
        '<button type="submit">Weiter · Continue</button>',
        "</noscript>",
        "</form>",
        `<script>${script}</script>`,
        "</body>",
        "</html>",
      ].join("\n");
      const csp = `default-src 'none'; script-src '${await sha256Source(script)}'; form-action ${new URL(l.idp.ssoUrl).origin}; base-uri 'none'; frame-ancestors 'none'`;
      return { requestId, html, csp };
    },

    async consume(tenant, p, publicUrl, samlResponse, expectedRequestId) {
      let l: Loaded;
      try {
        l = await load(tenant.slug, p, publicUrl);
      } catch (e) {
        throw new IdentityError("provider_error", `configuration: ${e instanceof Error ? e.message : "unreadable"}`);
      }
      try {
        return await consumeLoaded(l, p, samlResponse, expectedRequestId);
      } catch (e) {
        if (e instanceof IdentityError) throw e;
        throw new IdentityError("invalid_response", e instanceof Error ? e.message : "unreadable");
      }
    },
  };

  async function consumeLoaded(l: Loaded, p: SamlProviderConfig, samlResponse: string, expectedRequestId: string) {
    // parseXml refuses DOCTYPE/ENTITY before it parses anything.
    const response = parseXml(decodeBase64Utf8(samlResponse, maxResponseBytes)).documentElement!;
    if (!is(response, ns.protocol, "Response") || response.getAttribute("Version") !== "2.0") throw new XmlRefused("not a SAML 2.0 Response");
    requireSuccess(response);
    // Unsigned unless the IdP signs the response too, so these only add to the signed checks below.
    const destination = attr(response, "Destination");
    if (destination != null && destination !== l.acs) throw new XmlRefused("Destination is not our ACS");
    const responseInResponseTo = attr(response, "InResponseTo");
    if (responseInResponseTo != null && responseInResponseTo !== expectedRequestId) throw new XmlRefused("Response InResponseTo does not match the request");
    await refuseDeclarationsInEncryptedAssertions(response, l.encryption.key);

    const saml = nodeSaml(l, p, newId);
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse.replace(/\s+/g, "") });
    const signedXml = profile?.getAssertionXml?.();
    if (!signedXml) throw new XmlRefused("no signed assertion");
    // From here on only the bytes the signature covers are read.
    const assertion = parseXml(signedXml).documentElement!;
    if (!is(assertion, ns.assertion, "Assertion")) throw new XmlRefused("signed element is not an Assertion");
    const assertionId = attr(assertion, "ID");
    if (!assertionId) throw new XmlRefused("assertion without ID");
    if (textOf(onlyChild(assertion, ns.assertion, "Issuer")) !== l.idp.entityId) throw new XmlRefused("assertion issuer is not the configured IdP");

    const now = opts.now();
    const subject = onlyChild(assertion, ns.assertion, "Subject");
    if (!subject) throw new XmlRefused("assertion without Subject");
    const bearer = children(subject, ns.assertion, "SubjectConfirmation").filter((c) => c.getAttribute("Method") === "urn:oasis:names:tc:SAML:2.0:cm:bearer");
    if (bearer.length !== 1) throw new XmlRefused("expected exactly one bearer SubjectConfirmation");
    const data = onlyChild(bearer[0]!, ns.assertion, "SubjectConfirmationData");
    if (!data) throw new XmlRefused("SubjectConfirmation without SubjectConfirmationData");
    if (attr(data, "Recipient") !== l.acs) throw new XmlRefused("Recipient is not our ACS");
    if (!expectedRequestId || attr(data, "InResponseTo") !== expectedRequestId) throw new XmlRefused("InResponseTo does not match the request");
    const confirmationEnd = parseInstant(attr(data, "NotOnOrAfter"), "SubjectConfirmationData NotOnOrAfter");
    if (confirmationEnd == null) throw new XmlRefused("SubjectConfirmationData without NotOnOrAfter");
    checkWindow(now, parseInstant(attr(data, "NotBefore"), "SubjectConfirmationData NotBefore"), confirmationEnd);

    const conditions = onlyChild(assertion, ns.assertion, "Conditions");
    const conditionsEnd = conditions ? parseInstant(attr(conditions, "NotOnOrAfter"), "Conditions NotOnOrAfter") : null;
    if (conditions) checkWindow(now, parseInstant(attr(conditions, "NotBefore"), "Conditions NotBefore"), conditionsEnd);

    const attributes = readAttributes(assertion);
    const trustLevel = trustLevelOf(assertion, attributes, p);
    if (!trustLevel || !atLeast(trustLevel, p.minTrustLevel)) throw new IdentityError("trust_level_too_low", `got ${trustLevel ?? "none"}, need ${p.minTrustLevel}`);
    const identity = identityOf(attributes, subject, p, trustLevel);
    return { identity, assertionId, notOnOrAfter: Math.min(confirmationEnd, conditionsEnd ?? Infinity) };
  }

  /** The parser of the decrypted assertion sits inside node-saml; declarations are refused before it gets there. */
  async function refuseDeclarationsInEncryptedAssertions(response: Element, key: string) {
    for (const encrypted of children(response, ns.assertion, "EncryptedAssertion")) {
      const plain = await new Promise<string>((resolve, reject) =>
        xmlenc.decrypt(new XMLSerializer().serializeToString(encrypted), { key, disallowDecryptionWithInsecureAlgorithm: true, warnInsecureAlgorithm: false }, (err, result) => (err ? reject(new XmlRefused(`cannot decrypt: ${err.message}`)) : resolve(result))),
      );
      refuseDeclarations(plain);
    }
  }
}

function checkWindow(now: number, notBefore: number | null, notOnOrAfter: number | null) {
  if (notBefore != null && now + clockSkewMs < notBefore) throw new XmlRefused("assertion not yet valid");
  if (notOnOrAfter != null && now - clockSkewMs >= notOnOrAfter) throw new IdentityError("expired", "assertion no longer valid");
}

const statusPrefix = "urn:oasis:names:tc:SAML:2.0:status:";

/** A response without success ends the login; whether the person cancelled decides which page they see. */
function requireSuccess(response: Element) {
  const status = onlyChild(response, ns.protocol, "Status");
  const code = status ? onlyChild(status, ns.protocol, "StatusCode") : null;
  const value = code ? attr(code, "Value") : null;
  if (value === `${statusPrefix}Success`) return;
  const nested = code ? onlyChild(code, ns.protocol, "StatusCode") : null;
  const nestedValue = nested ? attr(nested, "Value") : null;
  const detail = [value, nestedValue].filter(Boolean).join(" / ") || "no status";
  // Responder / AuthnFailed or RequestDenied: the person did not log in or refused to pass the data on. Assumed to be
  // what BundID's cancel button sends (seen in integrations, not in a public specification).
  const cancelled = value === `${statusPrefix}Responder` && (nestedValue === `${statusPrefix}AuthnFailed` || nestedValue === `${statusPrefix}RequestDenied`);
  throw new IdentityError(cancelled ? "cancelled" : "provider_error", detail);
}

interface Attribute {
  values: string[];
  akdbTrustLevel: string | null;
}

function readAttributes(assertion: Element): Map<string, Attribute> {
  const found = new Map<string, Attribute>();
  for (const statement of children(assertion, ns.assertion, "AttributeStatement")) {
    for (const a of children(statement, ns.assertion, "Attribute")) {
      const name = attr(a, "Name")?.trim();
      if (!name) continue;
      if (found.has(name)) throw new XmlRefused(`attribute ${name} twice`);
      const values = children(a, ns.assertion, "AttributeValue")
        .map((v) => textOf(v))
        .filter((v): v is string => v != null);
      found.set(name, { values, akdbTrustLevel: a.getAttributeNS(ns.akdb, "TrustLevel") || null });
    }
  }
  return found;
}

/**
 * The weakest of what the assertion says: the AuthnContextClassRef (how the person logged in) and,
 * at BundID, the akdb:TrustLevel of bPK2 (how well the identity behind it is proven). Data
 * attributes carry their own levels (a self-entered e-mail stays NORMAL after an eID login) and
 * do not lower the login's level.
 */
function trustLevelOf(assertion: Element, attributes: Map<string, Attribute>, p: SamlProviderConfig): TrustLevel | null {
  const statement = children(assertion, ns.assertion, "AuthnStatement")[0];
  const context = statement ? onlyChild(statement, ns.assertion, "AuthnContext") : null;
  const classRef = textOf(context ? onlyChild(context, ns.assertion, "AuthnContextClassRef") : null);
  const fromClassRef = levelOfClassRef(classRef);
  if (p.profile === "generic") return fromClassRef == null ? (classRef ? "basic" : null) : weakestTrustLevel([fromClassRef]);
  const fromBpk2 = levelOfAkdbTrustLevel(attributes.get(bundIdAttributes.bPK2)?.akdbTrustLevel ?? null);
  return weakestTrustLevel([fromClassRef, fromBpk2]);
}

function identityOf(attributes: Map<string, Attribute>, subject: Element, p: SamlProviderConfig, trustLevel: TrustLevel): ExternalIdentity {
  const one = (oid: string) => attributes.get(oid)?.values[0] ?? null;
  const subjectId = one(bundIdAttributes.bPK2) ?? (p.profile === "generic" ? textOf(onlyChild(subject, ns.assertion, "NameID")) : null);
  if (!subjectId) throw new XmlRefused(p.profile === "bundid" ? "no bPK2 attribute" : "neither bPK2 nor NameID");
  const street = one(bundIdAttributes.postalAddress);
  const postalCode = one(bundIdAttributes.postalCode);
  const city = one(bundIdAttributes.localityName);
  const email = one(bundIdAttributes.mail);
  return {
    subject: subjectId,
    trustLevel,
    email,
    // BundID confirms an account's e-mail address before it hands it out; a generic IdP's word is not known.
    emailVerified: p.profile === "bundid" && email != null,
    givenName: one(bundIdAttributes.givenName),
    familyName: one(bundIdAttributes.surname),
    address: street && postalCode && city ? { street, postalCode, city } : null,
  };
}

/** SAML IDs are xs:ID (an NCName): a letter or underscore first. */
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

async function sha256Source(script: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(script)));
  return `sha256-${btoa(String.fromCharCode(...digest))}`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
