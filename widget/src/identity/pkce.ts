/**
 * The widget's half of the code exchange: a secret verifier that stays in this page and its
 * SHA-256 hash (the challenge) that travels with the start of the login. The one-time code the
 * popup hands over is worth nothing without the verifier, so a code that leaks from the popup's
 * URL or a stray message cannot be turned into a session elsewhere.
 */

export interface Pkce {
  /** 32 random bytes, base64url: 43 characters. */
  verifier: string;
  /** base64url(SHA-256(verifier)): 43 characters. */
  challenge: string;
}

export function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** `crypto.subtle` exists only in secure contexts (https, localhost): without it there is no login at a provider. */
export const canHash = () => typeof crypto !== "undefined" && !!crypto.subtle;

export async function createPkce(): Promise<Pkce> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}
