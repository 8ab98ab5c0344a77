import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import type { Db, SessionKind } from "../db/schema.js";
import type { TrustLevel } from "../identity/types.js";
import { sha256Hex } from "../lib/crypto.js";
import type { Account } from "./account.js";
import { accountColumns, toAccount } from "./repo.js";

/** Sessions in the Lucia design: the client holds a random token, the database only its SHA-256. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60_000;
/** Office sessions end after this long without a request. */
export const OFFICE_IDLE_MS = 30 * 60_000;

/** How long a session lives, and when its expiry is pushed out again (a write at most that often). */
const lifetimes: Record<SessionKind, { lifetime: number; renewWhenLeft: number }> = {
  bearer: { lifetime: SESSION_LIFETIME_MS, renewWhenLeft: 15 * 24 * 60 * 60_000 },
  office: { lifetime: OFFICE_IDLE_MS, renewWhenLeft: OFFICE_IDLE_MS - 60_000 },
};

export function generateSessionToken(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

export const sessionIdOf = (token: string) => sha256Hex(token);

/** `login`: a login at an identity provider, whose trust level the session keeps (forms may demand one). */
export async function newSession(db: Db, tenantId: string, accountId: string, now: number, kind: SessionKind = "bearer", login?: { provider: string; trustLevel: TrustLevel }) {
  const token = generateSessionToken();
  const id = await sessionIdOf(token);
  const expiresAt = now + lifetimes[kind].lifetime;
  const query = db
    .insertInto("sessions")
    .values({ tenant_id: tenantId, id, account_id: accountId, kind, created_at: now, expires_at: expiresAt, ...(login ? { trust_level: login.trustLevel, identity_provider: login.provider } : {}) });
  return { token, id, expiresAt, query };
}

export interface ValidSession {
  sessionId: string;
  expiresAt: number;
  account: Account;
  /** How sure the login of this session was: null after a password login. */
  trustLevel: TrustLevel | null;
}

/**
 * Looks the token up in this town only, so a token of another town is simply unknown, and
 * among sessions of its kind only: an office cookie is no bearer token and the other way round.
 * Expiry slides: a widget session used in its second half is extended to a full 30 days again,
 * an office session to 30 minutes from its last request. Disabled accounts have no session.
 */
export async function validateSessionToken(db: Db, tenantId: string, token: string, now: number, kind: SessionKind = "bearer"): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = await sessionIdOf(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("accounts", (j) => j.onRef("accounts.tenant_id", "=", "sessions.tenant_id").onRef("accounts.id", "=", "sessions.account_id"))
    .select(accountColumns.map((c) => `accounts.${c}` as const))
    .select(["sessions.expires_at as session_expires_at", "sessions.trust_level as session_trust_level"])
    .where("sessions.tenant_id", "=", tenantId)
    .where("sessions.id", "=", id)
    .where("sessions.kind", "=", kind)
    .where("accounts.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const { session_expires_at, session_trust_level, ...account } = row;
  if (session_expires_at <= now) {
    await db.deleteFrom("sessions").where("tenant_id", "=", tenantId).where("id", "=", id).execute();
    return null;
  }
  let expiresAt = session_expires_at;
  if (expiresAt - now < lifetimes[kind].renewWhenLeft) {
    expiresAt = now + lifetimes[kind].lifetime;
    await db.updateTable("sessions").set({ expires_at: expiresAt }).where("tenant_id", "=", tenantId).where("id", "=", id).execute();
  }
  return { sessionId: id, expiresAt, account: toAccount(account), trustLevel: session_trust_level };
}

export function deleteSession(db: Db, tenantId: string, sessionId: string) {
  return db.deleteFrom("sessions").where("tenant_id", "=", tenantId).where("id", "=", sessionId);
}

export function deleteSessionsOf(db: Db, tenantId: string, accountId: string, exceptSessionId?: string) {
  let q = db.deleteFrom("sessions").where("tenant_id", "=", tenantId).where("account_id", "=", accountId);
  if (exceptSessionId) q = q.where("id", "!=", exceptSessionId);
  return q;
}
