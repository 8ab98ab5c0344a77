/**
 * What every identity port (OIDC, SAML) hands the identity service after a login at the town's
 * identity provider: who it is, how sure the provider is, and what it says about the person.
 * Type-only module (the widget may import from it).
 */

/**
 * How sure the identity provider is of who logged in, in the terms of eIDAS and the TR-03107:
 * `basic` (a user name and a password: STORK-QAA-Level-1/2), `substantial` ("substantiell",
 * e.g. ELSTER certificate: Level 3), `high` ("hoch", the eID of the identity card: Level 4).
 */
export type TrustLevel = "basic" | "substantial" | "high";

export const trustLevels: ReadonlyArray<TrustLevel> = ["basic", "substantial", "high"];

export const atLeast = (have: TrustLevel | null | undefined, need: TrustLevel) => have != null && trustLevels.indexOf(have) >= trustLevels.indexOf(need);

export interface ExternalIdentity {
  /** The provider's stable id of the person: bPK2 at BundID, `sub` at an OIDC provider. */
  subject: string;
  trustLevel: TrustLevel;
  email: string | null;
  /** The provider vouches for the address (OIDC `email_verified`; BundID's addresses are confirmed). */
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
  address: { street: string; postalCode: string; city: string } | null;
}

/** Why a login at the provider ended without an identity; each has a page in German and English. */
export type IdentityFailure =
  | "cancelled"
  | "provider_error"
  | "invalid_response"
  | "expired"
  | "replayed"
  | "trust_level_too_low"
  | "email_missing"
  | "email_in_use"
  | "already_linked";

export class IdentityError extends Error {
  constructor(
    readonly failure: IdentityFailure,
    /** For the log only: never shown, never containing personal data. */
    readonly detail = "",
  ) {
    super(`${failure}${detail ? `: ${detail}` : ""}`);
  }
}
