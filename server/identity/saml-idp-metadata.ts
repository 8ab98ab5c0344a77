import type { Element } from "@xmldom/xmldom";
import { attr, children, is, ns, parseXml, textOf, XmlRefused } from "./saml-xml.js";

/** What we take from the identity provider's metadata: who it is, where to send people, whose signatures to trust. */
export interface IdpMetadata {
  entityId: string;
  /** The SingleSignOnService for the HTTP-POST binding. */
  ssoUrl: string;
  /** PEM certificates of the KeyDescriptors for signing (or without `use`). */
  signingCerts: string[];
}

const postBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

function identityProviders(el: Element): Element[] {
  if (is(el, ns.metadata, "EntityDescriptor")) return children(el, ns.metadata, "IDPSSODescriptor").length > 0 ? [el] : [];
  if (is(el, ns.metadata, "EntitiesDescriptor")) {
    return [...children(el, ns.metadata, "EntityDescriptor"), ...children(el, ns.metadata, "EntitiesDescriptor")].flatMap(identityProviders);
  }
  return [];
}

const pem = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64.replace(/\s+/g, "").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;

/**
 * Reads the IdP metadata file a town keeps in its folder (an EntityDescriptor, or an
 * EntitiesDescriptor holding exactly one identity provider). The file is trusted as it is: the
 * town's admin put it there, so its own signature is not checked.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const root = parseXml(xml).documentElement!;
  const idps = identityProviders(root);
  if (idps.length !== 1) throw new XmlRefused(`metadata must describe exactly one identity provider, found ${idps.length}`);
  const entity = idps[0]!;
  const entityId = attr(entity, "entityID");
  if (!entityId) throw new XmlRefused("metadata: EntityDescriptor without entityID");
  const descriptor = children(entity, ns.metadata, "IDPSSODescriptor").find((d) => (d.getAttribute("protocolSupportEnumeration") ?? "").split(/\s+/).includes(ns.protocol));
  if (!descriptor) throw new XmlRefused("metadata: no IDPSSODescriptor for SAML 2.0");
  const sso = children(descriptor, ns.metadata, "SingleSignOnService").find((s) => s.getAttribute("Binding") === postBinding);
  const ssoUrl = sso ? attr(sso, "Location") : null;
  if (!ssoUrl) throw new XmlRefused("metadata: no SingleSignOnService for HTTP-POST");
  const url = new URL(ssoUrl);
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) throw new XmlRefused("metadata: SingleSignOnService must use https");
  const signingCerts = children(descriptor, ns.metadata, "KeyDescriptor")
    .filter((k) => (k.getAttribute("use") || "signing") === "signing")
    .flatMap((k) => children(k, ns.dsig, "KeyInfo"))
    .flatMap((k) => children(k, ns.dsig, "X509Data"))
    .flatMap((d) => children(d, ns.dsig, "X509Certificate"))
    .map((c) => textOf(c))
    .filter((c): c is string => c != null)
    .map(pem);
  if (signingCerts.length === 0) throw new XmlRefused("metadata: no signing certificate");
  return { entityId, ssoUrl, signingCerts };
}
