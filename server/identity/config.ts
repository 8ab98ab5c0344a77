import { z } from "zod";

/**
 * The identity providers of a town (`identityProviders` in tenant.json): OpenID Connect providers
 * (a state's Servicekonto, the demo's Test-Bürgerkonto) and SAML 2.0 with the BundID profile.
 * Secrets are never written here: they are named environment variables (or, for SAML keys, files
 * in the town folder that are not committed).
 */

const label = z.object({ de: z.string().min(1).max(80), en: z.string().min(1).max(80).optional() }).strict();
const providerId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lowercase letters, digits and dashes");
const trustLevel = z.enum(["basic", "substantial", "high"]);
/**
 * Secrets come from environment variables whose names say what they are for: a town's file can
 * name no other variable (not the deployment's APP_SECRET, not another town's webhook secret).
 */
const envName = (prefix: "OIDC_" | "SAML_") => z.string().regex(new RegExp(`^${prefix}[A-Z0-9_]{1,76}$`), `the name of an environment variable starting with ${prefix}`);

/** The environment as the identity code may read it: only the OIDC_ and SAML_ variables. */
export function identityEnv(read: (name: string) => string | undefined): (name: string) => string | undefined {
  return (name) => (/^(OIDC|SAML)_[A-Z0-9_]+$/.test(name) ? read(name) : undefined);
}
const fileName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, "a file name in the town folder");

export const oidcProviderSchema = z
  .object({
    id: providerId,
    type: z.literal("oidc"),
    label,
    /** Discovery at `<issuer>/.well-known/openid-configuration`; https, or http on localhost for the demo. */
    issuer: z.url(),
    clientId: z.string().min(1).max(200),
    /** The environment variable holding the client secret. */
    clientSecretEnv: envName("OIDC_"),
    scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/)).default(["openid", "profile", "email"]),
    /** Claim names, where the provider's differ from the standard ones. */
    claims: z
      .object({
        subject: z.string().default("sub"),
        email: z.string().default("email"),
        emailVerified: z.string().default("email_verified"),
        givenName: z.string().default("given_name"),
        familyName: z.string().default("family_name"),
        trustLevel: z.string().default("acr"),
      })
      .strict()
      .default({ subject: "sub", email: "email", emailVerified: "email_verified", givenName: "given_name", familyName: "family_name", trustLevel: "acr" }),
    /** Values of the trust-level claim (e.g. `acr`) and what they mean; a login whose value is not listed counts as `defaultTrustLevel`. */
    trustLevels: z.record(z.string(), trustLevel).default({ basic: "basic", substantial: "substantial", high: "high" }),
    defaultTrustLevel: trustLevel.default("basic"),
    minTrustLevel: trustLevel.default("basic"),
  })
  .strict();

const keyPair = z
  .object({ keyFile: fileName.optional(), keyEnv: envName("SAML_").optional(), certFile: fileName.optional(), certEnv: envName("SAML_").optional() })
  .strict()
  .refine((k) => (k.keyFile || k.keyEnv) && (k.certFile || k.certEnv), { message: "needs a key (keyFile or keyEnv) and a certificate (certFile or certEnv)" });

export const samlProviderSchema = z
  .object({
    id: providerId,
    type: z.literal("saml"),
    label,
    profile: z.enum(["bundid", "generic"]).default("bundid"),
    /** The IdP's metadata file in the town folder. */
    metadataFile: fileName,
    /** Our SP entity id; default `<public URL>/saml/<slug>/metadata.xml`. */
    entityId: z.string().min(1).max(300).optional(),
    signing: keyPair,
    encryption: keyPair.optional(),
    /** Requested attributes by OID (bPK2, names, address, e-mail, …). */
    attributes: z.array(z.string().regex(/^urn:oid:[0-9.]+$/)).min(1),
    minTrustLevel: trustLevel.default("substantial"),
    /** BundID: the OnlineServiceId of the town's service, and what the login page shows. */
    onlineServiceId: z.string().min(1).max(200).optional(),
    display: z.object({ organization: z.string().min(1).max(200), onlineServiceName: z.string().min(1).max(200) }).strict().optional(),
  })
  .strict();

export const identityProvidersSchema = z
  .array(z.discriminatedUnion("type", [oidcProviderSchema, samlProviderSchema]))
  .default([])
  .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, { message: "identity provider ids must be unique" });

export type OidcProviderConfig = z.output<typeof oidcProviderSchema>;
export type SamlProviderSettings = z.output<typeof samlProviderSchema>;
export type IdentityProviderConfig = z.output<typeof identityProvidersSchema>[number];
