import { encodeBase64urlNoPadding } from "@oslojs/encoding";

/**
 * The link in a receipt mail opens that one receipt without an account. The token is an HMAC
 * of the submission, so it needs no storage and the same request sent twice (Idempotency-Key)
 * answers with the same link.
 */
async function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(`receipt:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

export async function receiptToken(secret: string, tenantId: string, submissionId: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await key(secret), new TextEncoder().encode(`${tenantId}/${submissionId}`));
  return encodeBase64urlNoPadding(new Uint8Array(mac));
}

/** Constant-time by way of `verify`. */
export async function receiptTokenMatches(secret: string, tenantId: string, submissionId: string, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const bytes = Uint8Array.from(atob(token.replace(/-/g, "+").replace(/_/g, "/") + "="), (c) => c.charCodeAt(0));
  return crypto.subtle.verify("HMAC", await key(secret), bytes, new TextEncoder().encode(`${tenantId}/${submissionId}`));
}
