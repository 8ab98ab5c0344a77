import { argon2idAsync } from "@noble/hashes/argon2.js";
import { type PasswordHasher, argon2Params } from "../accounts/hasher.js";

// PHC strings use standard base64 without padding.
function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
}
function unb64(s: string): Uint8Array {
  const bin = atob(s + "=".repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Pure-JS argon2id for workerd, where the native @node-rs/argon2 cannot load. */
export const workersArgon2Hasher: PasswordHasher = {
  async hash(password) {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const { memoryCost: m, timeCost: t, parallelism: p } = argon2Params;
    const out = await argon2idAsync(password, salt, { m, t, p, dkLen: 32 });
    return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(out)}`;
  },
  async verify(phc, password) {
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
    if (!match) return false;
    const [, m, t, p, salt, expected] = match;
    const want = unb64(expected!);
    const got = await argon2idAsync(password, unb64(salt!), { m: Number(m), t: Number(t), p: Number(p), dkLen: want.length });
    return equal(got, want);
  },
};
