import type { CodePurpose, Db } from "../db/schema.js";
import { sha256Hex } from "../lib/crypto.js";

export const CODE_TTL_MS: Record<CodePurpose, number> = {
  email: 15 * 60_000,
  mobile: 15 * 60_000,
  password_reset: 60 * 60_000,
};
export const MAX_CODE_ATTEMPTS = 5;
/** A new code may be requested once a minute. */
export const RESEND_INTERVAL_MS = 60_000;

/** Six uniformly random digits (rejection sampling avoids the modulo bias). */
export function generateCode(): string {
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0]! < 4_294_000_000) return String(buf[0]! % 1_000_000).padStart(6, "0");
  }
}

function codeHash(tenantId: string, accountId: string, purpose: CodePurpose, code: string) {
  return sha256Hex(`${tenantId}:${accountId}:${purpose}:${code}`);
}

/** A new code replaces any open one of the same purpose; only its hash is stored. */
export async function issueCode(db: Db, tenantId: string, accountId: string, purpose: CodePurpose, target: string, now: number) {
  const code = generateCode();
  const values = {
    target,
    code_hash: await codeHash(tenantId, accountId, purpose, code),
    attempts: 0,
    expires_at: now + CODE_TTL_MS[purpose],
    sent_at: now,
  };
  const query = db
    .insertInto("verification_codes")
    .values({ tenant_id: tenantId, account_id: accountId, purpose, ...values })
    .onConflict((oc) => oc.columns(["tenant_id", "account_id", "purpose"]).doUpdateSet(values));
  return { code, query };
}

/** When the open code of this purpose was sent, if there is one (re-sending is throttled on it). */
export function findOpenCode(db: Db, tenantId: string, accountId: string, purpose: CodePurpose) {
  return db
    .selectFrom("verification_codes")
    .select(["sent_at"])
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .where("purpose", "=", purpose)
    .executeTakeFirst();
}

export type CodeCheck = { ok: true; target: string } | { ok: false; reason: "invalid" | "expired" };

/** Stands in for the account when an address has none, so that path runs the same statement. */
export const NO_ACCOUNT = "-";

/**
 * Checks a code. The attempt is counted first, in the same statement that reads the code: a
 * conditional `UPDATE … RETURNING` that only matches a live code with attempts left. Parallel
 * guesses therefore each take one of the five attempts, and only the ones that got one are
 * compared; nothing is read, awaited and then written back. After five attempts, or after
 * expiry, the code is dead and only a new one helps. A right code is consumed by the caller.
 *
 * The work does not depend on whether a code (or an account) exists: the guess is hashed and
 * the one statement runs either way, so callers can pass `NO_ACCOUNT` for an unknown address.
 */
export async function checkCode(db: Db, tenantId: string, accountId: string, purpose: CodePurpose, code: string, now: number): Promise<CodeCheck> {
  const guess = await codeHash(tenantId, accountId, purpose, code);
  const row = await db
    .updateTable("verification_codes")
    .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .where("purpose", "=", purpose)
    .where("attempts", "<", MAX_CODE_ATTEMPTS)
    .where("expires_at", ">", now)
    .returning(["code_hash", "target", "attempts"])
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "expired" };
  if (!equalHex(row.code_hash, guess)) return { ok: false, reason: row.attempts >= MAX_CODE_ATTEMPTS ? "expired" : "invalid" };
  return { ok: true, target: row.target };
}

/** Compares two hex digests without stopping at the first difference. */
function equalHex(a: string, b: string) {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function deleteCode(db: Db, tenantId: string, accountId: string, purpose: CodePurpose) {
  return db
    .deleteFrom("verification_codes")
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .where("purpose", "=", purpose);
}
