import type { SamlProviderSettings } from "./config.js";
import type { ExternalIdentity } from "./types.js";

/**
 * The SAML 2.0 port (BundID profile). Implemented on Node only (server/identity/saml.ts, with
 * node-saml's XML signature and encryption code); on Workers a town's SAML provider answers that
 * its logins go through the Node deployment (README, docs/buergerkonto.md).
 */
export interface SamlPort {
  /** Our SP metadata for registering with the IdP. */
  metadata(tenant: { slug: string }, p: SamlProviderSettings, publicUrl: string): Promise<string>;
  /** A page that POSTs a signed AuthnRequest with RelayState to the IdP, with the CSP that lets it; the request's ID to match InResponseTo. */
  authnRequest(tenant: { slug: string }, p: SamlProviderSettings, publicUrl: string, relayState: string): Promise<{ requestId: string; html: string; csp: string }>;
  /** The IdP's posted answer, checked (signatures, audience, recipient, validity, InResponseTo); the person, and the assertion's ID and end for replay protection. */
  consume(tenant: { slug: string }, p: SamlProviderSettings, publicUrl: string, samlResponse: string, expectedRequestId: string): Promise<{ identity: ExternalIdentity; assertionId: string; notOnOrAfter: number }>;
}
