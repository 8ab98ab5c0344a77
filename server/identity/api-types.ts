/**
 * What the identity routes answer, as the widget reads it (`import type`; no runtime imports here).
 */
import type { PublicAccount } from "../accounts/account.js";
import type { TrustLevel } from "./types.js";

export type { TrustLevel };

/** A login button of the town (public configuration). */
export interface PublicIdentityProvider {
  id: string;
  type: "oidc" | "saml";
  label: { de: string; en?: string | undefined };
}

/** `POST auth/providers/exchange`: the session of a login at a provider. */
export interface IdentityLogin {
  token: string;
  account: PublicAccount;
  trustLevel: TrustLevel;
}

/** `GET me/identities`. */
export interface LinkedIdentities {
  items: Array<{ providerId: string; label: PublicIdentityProvider["label"]; linkedAt: string; lastLoginAt: string | null }>;
}

/** `POST me/identities/{providerId}/link`: the intent to pass to the start of the login at the provider. */
export interface LinkIntent {
  intent: string;
}

/** What the popup page posts to the widget's window (to its exact origin). */
export type LoginMessage = { type: "digitales-rathaus:login"; code: string } | { type: "digitales-rathaus:login"; error: string; message: { de: string; en: string } };
