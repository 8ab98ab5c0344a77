import type { AccountKind, Role } from "../db/schema.js";

/**
 * The domain types of an account. The widget imports `PublicAccount` with `import type`, so this
 * module must stay free of runtime imports (no zod, no hono, no database).
 */

export interface Address {
  street: string;
  postalCode: string;
  city: string;
}

/**
 * An account as the server works with it. The password hash is deliberately absent: it stays in
 * the repository and is fetched only where a password is verified, so no handler can leak it.
 */
export interface Account {
  id: string;
  kind: AccountKind;
  role: Role;
  name: string;
  organisation: string | null;
  registerNumber: string | null;
  address: Address | null;
  email: string;
  /** Epoch ms; null until confirmed with a code. */
  emailVerifiedAt: number | null;
  mobile: string;
  mobileVerifiedAt: number | null;
  lang: "de" | "en";
  privacyVersion: string;
  privacyAcceptedAt: number;
  smsAlerts: boolean;
  /** Epoch ms: made from a login at an identity provider (BundID, a state account), which confirmed the person instead of a mobile code. */
  identityVerifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The account as its owner sees it in every API answer: derived from `Account`, so the two cannot drift. */
export interface PublicAccount extends Pick<Account, "id" | "kind" | "role" | "name" | "organisation" | "registerNumber" | "address" | "email" | "mobile" | "lang"> {
  emailVerified: boolean;
  mobileVerified: boolean;
  /** Confirmed by an identity provider: counts instead of the mobile number's code. */
  identityVerified: boolean;
  /** ISO 8601. */
  createdAt: string;
}

export function publicAccount(a: Account): PublicAccount {
  return {
    id: a.id,
    kind: a.kind,
    role: a.role,
    name: a.name,
    organisation: a.organisation,
    registerNumber: a.registerNumber,
    address: a.address,
    email: a.email,
    emailVerified: a.emailVerifiedAt !== null,
    mobile: a.mobile,
    mobileVerified: a.mobileVerifiedAt !== null,
    identityVerified: a.identityVerifiedAt !== null,
    lang: a.lang,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}

/** Both contact ways confirmed with a code, or the e-mail address and the person confirmed by an identity provider. */
export const isVerified = (a: Account) => a.emailVerifiedAt !== null && (a.mobileVerifiedAt !== null || a.identityVerifiedAt !== null);
