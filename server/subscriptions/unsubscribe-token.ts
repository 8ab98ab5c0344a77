import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

/**
 * The token in a mail's unsubscribe link: the account and topics, encrypted and
 * authenticated with AES-GCM under the deployment secret. Nobody can read the account id
 * from it, and nobody can forge one for another account.
 */
export interface UnsubscribePayload {
  tenantId: string;
  accountId: string;
  topics: string[];
}

const keys = new Map<string, Promise<CryptoKey>>();
function keyFor(secret: string) {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(`digitales-rathaus/unsubscribe/${secret}`))
      .then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    keys.set(secret, k);
  }
  return k;
}

export async function createUnsubscribeToken(secret: string, p: UnsubscribePayload): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify([p.tenantId, p.accountId, p.topics]));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyFor(secret), plain));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return encodeBase64urlNoPadding(out);
}

export async function readUnsubscribeToken(secret: string, token: string): Promise<UnsubscribePayload | null> {
  try {
    const bytes = decodeBase64urlIgnorePadding(token);
    if (bytes.length < 12 + 16) return null;
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, await keyFor(secret), bytes.slice(12));
    const [tenantId, accountId, topics] = JSON.parse(new TextDecoder().decode(plain)) as [string, string, string[]];
    return { tenantId, accountId, topics };
  } catch {
    return null;
  }
}
