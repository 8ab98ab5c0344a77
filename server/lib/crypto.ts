import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/** Web Crypto only, so the same code runs on Node and in workerd. */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return encodeHexLowerCase(new Uint8Array(digest));
}

export function randomToken(bytes = 20): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function randomId(prefix: string): string {
  return `${prefix}_${randomToken(12)}`;
}
