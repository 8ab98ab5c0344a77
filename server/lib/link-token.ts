import { encodeBase64urlNoPadding } from "@oslojs/encoding";

/**
 * Links in mails that open one thing without an account: a receipt, an appointment. The token is
 * an HMAC of the thing under a key per purpose, so it needs no storage, the same request sent
 * twice answers with the same link, and a receipt's token opens no appointment.
 */
export type LinkPurpose = "receipt" | "appointment";

async function key(secret: string, purpose: LinkPurpose): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(`${purpose}:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

export async function linkToken(secret: string, purpose: LinkPurpose, tenantId: string, id: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await key(secret, purpose), new TextEncoder().encode(`${tenantId}/${id}`));
  return encodeBase64urlNoPadding(new Uint8Array(mac));
}

/** Constant-time by way of `verify`. */
export async function linkTokenMatches(secret: string, purpose: LinkPurpose, tenantId: string, id: string, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  const bytes = Uint8Array.from(atob(token.replace(/-/g, "+").replace(/_/g, "/") + "="), (c) => c.charCodeAt(0));
  return crypto.subtle.verify("HMAC", await key(secret, purpose), bytes, new TextEncoder().encode(`${tenantId}/${id}`));
}
