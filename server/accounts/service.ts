import type { Compilable } from "kysely";
import type { z } from "zod";
import type { Db } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import { fieldMessages } from "../http/messages.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { enqueue } from "../outbox/enqueue.js";
import { type Limits, defaultLimits, enforce, rateLimited, reserve } from "../ratelimit/limiter.js";
import type { Tenant } from "../tenants/tenant.js";
import { type Account, publicAccount } from "./account.js";
import { CODE_TTL_MS, NO_ACCOUNT, RESEND_INTERVAL_MS, checkCode, deleteCode, findOpenCode, issueCode } from "./codes.js";
import { exportDocument } from "./export.js";
import type { PasswordHasher } from "./hasher.js";
import type * as inputs from "./inputs.js";
import {
  type AccountPatch,
  deleteAccountQueries,
  findAccount,
  findAccountByEmail,
  findAccountRecords,
  findCredentialsByEmail,
  findPasswordHash,
  insertAccount,
  markEmailVerified,
  markMobileVerified,
  updateAccount,
  verifiedEmailTaken,
} from "./repo.js";
import { deleteSession, deleteSessionsOf, newSession } from "./sessions.js";

export interface AccountDeps {
  store: Store;
  clock: Clock;
  hasher: PasswordHasher;
  /** Called after messages were put into the outbox, so a dispatcher can send them right away. */
  onEnqueued: () => void;
  /** Overrides of the default limits (benchmarks raise them). */
  limits?: Partial<Limits>;
}

const minutes = (ms: number) => String(Math.round(ms / 60_000));

/** Register, verify, log in, reset, change and delete: the account flows of one town. */
export function accountService(deps: AccountDeps) {
  const { store, clock, hasher } = deps;
  const limits: Limits = { ...defaultLimits, ...deps.limits };
  const db: Db = store.db;
  // Verified against when an address has no account, so both cases cost one argon2 verify.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hasher.hash("dummy password that never matches"));

  /** The mail that goes with a new e-mail code: the code, or, if the address belongs to someone else, a warning to its owner. */
  async function emailCodeMessages(tenant: Tenant, account: Account, now: number) {
    const { code, query } = await issueCode(db, tenant.id, account.id, "email", account.email, now);
    const taken = await verifiedEmailTaken(db, tenant.id, account.email, account.id);
    const mail = taken
      ? enqueue(db, tenant.id, { channel: "email", recipient: account.email, template: "registration_attempt", lang: account.lang, vars: {} }, now)
      : enqueue(
          db,
          tenant.id,
          {
            channel: "email",
            recipient: account.email,
            template: "verify_email",
            lang: account.lang,
            accountId: account.id,
            vars: { name: account.name, code, minutes: minutes(CODE_TTL_MS.email) },
          },
          now,
        );
    return [query, mail];
  }

  async function mobileCodeMessages(tenant: Tenant, account: Account, now: number) {
    const { code, query } = await issueCode(db, tenant.id, account.id, "mobile", account.mobile, now);
    const sms = enqueue(
      db,
      tenant.id,
      { channel: "sms", recipient: account.mobile, template: "verify_mobile", lang: account.lang, accountId: account.id, vars: { code, minutes: minutes(CODE_TTL_MS.mobile) } },
      now,
    );
    return [query, sms];
  }

  /**
   * Re-asks a signed-in person for their password. Wrong passwords are limited per account and
   * per address, and the limit is checked before argon2 runs, so a stolen session cannot be used
   * to guess the password (and with it the e-mail account's) at argon2 speed. A right password
   * gives its attempt back.
   */
  async function requirePassword(tenant: Tenant, account: Account, password: string | undefined, field: string, ip: string) {
    // Nothing was guessed, so nothing is verified or counted.
    if (!password) throw wrongPassword(field);
    const slot = await reserve(db, tenant.id, clock.now(), [
      [limits.passwordCheckPerAccount, account.id],
      [limits.passwordCheckPerIp, ip],
    ]);
    const hash = await findPasswordHash(db, tenant.id, account.id);
    if (!hash || !(await hasher.verify(hash, password))) throw wrongPassword(field);
    await slot.release();
  }

  return {
    /**
     * Always creates an account and a session, whether or not the address is taken: the
     * answer must not tell. A taken address gets a warning instead of a code, so the
     * duplicate can never be verified.
     */
    async register(tenant: Tenant, input: z.output<typeof inputs.registerInput>, ip: string) {
      const now = clock.now();
      await enforce(db, tenant.id, now, [[limits.registerPerIp, ip]]);
      const account: Account = {
        id: randomId("a"),
        kind: input.kind,
        role: "citizen",
        name: input.name,
        organisation: input.organisation ?? null,
        registerNumber: input.registerNumber ?? null,
        address: input.address ?? null,
        email: input.email,
        emailVerifiedAt: null,
        mobile: input.mobile,
        mobileVerifiedAt: null,
        lang: input.lang ?? tenant.config.locale,
        privacyVersion: tenant.config.privacyPolicyVersion,
        privacyAcceptedAt: now,
        smsAlerts: false,
        identityVerifiedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      const session = await newSession(db, tenant.id, account.id, now);
      await store.atomic([
        insertAccount(db, tenant.id, account, await hasher.hash(input.password)),
        session.query,
        ...(await emailCodeMessages(tenant, account, now)),
        ...(await mobileCodeMessages(tenant, account, now)),
      ]);
      deps.onEnqueued();
      return { token: session.token, account: publicAccount(account) };
    },

    async verify(tenant: Tenant, account: Account, channel: "email" | "mobile", code: string, ip: string) {
      const now = clock.now();
      await enforce(db, tenant.id, now, [
        [limits.codePerIp, ip],
        [limits.codePerAccount, account.id],
      ]);
      const verifiedAt = channel === "email" ? account.emailVerifiedAt : account.mobileVerifiedAt;
      if (verifiedAt !== null) return publicAccount(account);
      const result = await checkCode(db, tenant.id, account.id, channel, code, now);
      if (!result.ok) throw AppError.of(400, result.reason === "invalid" ? "invalid_code" : "code_expired");
      // A code sent to an address the account no longer has proves nothing about the new one.
      const current = channel === "email" ? account.email : account.mobile;
      if (result.target !== current) throw AppError.of(400, "code_expired");
      // The conditional write decides (address unchanged, not verified by another account), even
      // when two accounts confirm one address at the same moment.
      const written =
        channel === "email"
          ? await markEmailVerified(db, tenant.id, account.id, current, now).executeTakeFirst()
          : await markMobileVerified(db, tenant.id, account.id, current, now).executeTakeFirst();
      if (!written) {
        if (channel === "email" && (await verifiedEmailTaken(db, tenant.id, current, account.id))) throw AppError.of(409, "email_in_use");
        throw AppError.of(400, "code_expired");
      }
      await deleteCode(db, tenant.id, account.id, channel).execute();
      return publicAccount(channel === "email" ? { ...account, emailVerifiedAt: now } : { ...account, mobileVerifiedAt: now });
    },

    async resend(tenant: Tenant, account: Account, channel: "email" | "mobile") {
      const now = clock.now();
      if ((channel === "email" ? account.emailVerifiedAt : account.mobileVerifiedAt) !== null) throw AppError.of(409, "already_verified");
      const open = await findOpenCode(db, tenant.id, account.id, channel);
      if (open && open.sent_at + RESEND_INTERVAL_MS > now) throw rateLimited(open.sent_at + RESEND_INTERVAL_MS - now);
      await enforce(db, tenant.id, now, [[limits.resendPerAccount, account.id]]);
      const messages = channel === "email" ? await emailCodeMessages(tenant, account, now) : await mobileCodeMessages(tenant, account, now);
      await store.atomic(messages);
      deps.onEnqueued();
    },

    /**
     * Only failed logins count towards the limits, so someone who logs in often is never locked
     * out; yet the limit is checked before the password is verified (a locked account's password
     * is not tried at all), and parallel guesses each take a slot first (see `reserve`).
     */
    /** `office`: the staff app's session, for staff and admins only. */
    async login(tenant: Tenant, input: z.output<typeof inputs.loginInput>, ip: string, kind: "bearer" | "office" = "bearer") {
      const now = clock.now();
      const slot = await reserve(db, tenant.id, now, [
        [limits.loginPerIp, ip],
        [limits.loginPerAccount, input.email],
      ]);
      const found = await findCredentialsByEmail(db, tenant.id, input.email);
      // Without an account, or with one made from a provider's login (no password), the dummy
      // hash is verified anyway, so every case takes one argon2 verify.
      const ok = (await hasher.verify(found?.passwordHash || (await dummy()), input.password)) && Boolean(found?.passwordHash);
      if (!found || !ok) throw AppError.of(401, "invalid_credentials");
      await slot.release();
      if (kind === "office" && found.account.role === "citizen") throw AppError.of(403, "forbidden");
      const session = await newSession(db, tenant.id, found.account.id, now, kind);
      await store.atomic([session.query]);
      return { token: session.token, account: publicAccount(found.account) };
    },

    async logout(tenant: Tenant, sessionId: string) {
      await deleteSession(db, tenant.id, sessionId).execute();
    },

    async logoutEverywhere(tenant: Tenant, account: Account) {
      await deleteSessionsOf(db, tenant.id, account.id).execute();
    },

    /** Same answer whether or not the address has an account. */
    async requestPasswordReset(tenant: Tenant, email: string, ip: string) {
      const now = clock.now();
      await enforce(db, tenant.id, now, [
        [limits.resetPerIp, ip],
        [limits.resetPerAddress, email],
      ]);
      const account = await findAccountByEmail(db, tenant.id, email);
      if (!account) return;
      const { code, query } = await issueCode(db, tenant.id, account.id, "password_reset", account.email, now);
      await store.atomic([
        query,
        enqueue(
          db,
          tenant.id,
          {
            channel: "email",
            recipient: account.email,
            template: "password_reset",
            lang: account.lang,
            accountId: account.id,
            vars: { name: account.name, code, minutes: minutes(CODE_TTL_MS.password_reset) },
          },
          now,
        ),
      ]);
      deps.onEnqueued();
    },

    /** A correct code sets the new password, ends every session and opens a fresh one. */
    async confirmPasswordReset(tenant: Tenant, input: z.output<typeof inputs.resetConfirmInput>, ip: string) {
      const now = clock.now();
      await enforce(db, tenant.id, now, [
        [limits.codePerIp, ip],
        [limits.codePerAccount, input.email],
      ]);
      // Up to the answer, an unknown address takes the same path as a known one: the same
      // lookup, the same hash of the guess and the same conditional UPDATE (for an account id
      // that matches no row), and then the same single answer for every failure. Skipping the
      // code check for unknown addresses made their wrong guesses measurably faster, which
      // told who has an account.
      const account = await findAccountByEmail(db, tenant.id, input.email);
      const result = await checkCode(db, tenant.id, account?.id ?? NO_ACCOUNT, "password_reset", input.code, now);
      if (!account || !result.ok) throw AppError.of(400, "reset_code_invalid");
      const passwordHash = await hasher.hash(input.password);
      const session = await newSession(db, tenant.id, account.id, now);
      await store.atomic([
        updateAccount(db, tenant.id, account.id, { passwordHash, updatedAt: now }),
        // The code arrived at its address, which proves it, if the account still has it and no
        // other account holds it verified; the statement's own condition decides.
        markEmailVerified(db, tenant.id, account.id, result.target, now),
        deleteCode(db, tenant.id, account.id, "password_reset"),
        deleteSessionsOf(db, tenant.id, account.id),
        session.query,
      ]);
      const updated = (await findAccount(db, tenant.id, account.id)) ?? account;
      return { token: session.token, account: publicAccount(updated) };
    },

    async changePassword(tenant: Tenant, account: Account, sessionId: string, input: z.output<typeof inputs.changePasswordInput>, ip: string) {
      await requirePassword(tenant, account, input.currentPassword, "currentPassword", ip);
      const now = clock.now();
      await store.atomic([
        updateAccount(db, tenant.id, account.id, { passwordHash: await hasher.hash(input.newPassword), updatedAt: now }),
        deleteSessionsOf(db, tenant.id, account.id, sessionId),
      ]);
    },

    /** Profile changes; a new e-mail address or mobile number must be confirmed again. */
    async update(tenant: Tenant, account: Account, input: z.output<typeof inputs.updateMeInput>, ip: string) {
      const now = clock.now();
      if (input.organisation !== undefined && account.kind === "person") throw fieldProblem("organisation");
      const emailChanges = input.email !== undefined && input.email !== account.email;
      const mobileChanges = input.mobile !== undefined && input.mobile !== account.mobile;
      if (emailChanges || mobileChanges) {
        await requirePassword(tenant, account, input.currentPassword, "currentPassword", ip);
        // Every change sends a code: limited like re-sending, so nobody runs up SMS costs or
        // floods an inbox. Counted after the password, so wrong guesses do not use it up.
        await enforce(db, tenant.id, now, [
          [limits.resendPerAccount, account.id],
          [limits.registerPerIp, ip],
        ]);
      }

      const patch: AccountPatch = { updatedAt: now };
      if (input.name !== undefined) patch.name = input.name;
      if (input.organisation !== undefined) patch.organisation = input.organisation;
      if (input.registerNumber !== undefined) patch.registerNumber = input.registerNumber;
      if (input.address !== undefined) patch.address = input.address;
      if (input.lang !== undefined) patch.lang = input.lang;
      if (emailChanges) patch.email = input.email!;
      if (mobileChanges) patch.mobile = input.mobile!;
      const updated: Account = {
        ...account,
        ...patch,
        ...(emailChanges ? { emailVerifiedAt: null } : {}),
        ...(mobileChanges ? { mobileVerifiedAt: null } : {}),
      };
      // A taken address is not refused (that would tell who has an account): its owner gets a
      // warning instead of a code, so it can never be verified by this account.
      const queries: Compilable[] = [updateAccount(db, tenant.id, account.id, patch)];
      if (emailChanges) {
        queries.push(...(await emailCodeMessages(tenant, updated, now)));
        if (account.emailVerifiedAt !== null) {
          queries.push(
            enqueue(db, tenant.id, { channel: "email", recipient: account.email, template: "email_changed", lang: account.lang, vars: { name: account.name, newEmail: updated.email } }, now),
          );
        }
      }
      if (mobileChanges) queries.push(...(await mobileCodeMessages(tenant, updated, now)));
      await store.atomic(queries);
      if (emailChanges || mobileChanges) deps.onEnqueued();
      return publicAccount(updated);
    },

    /** DSGVO Art. 15/20: the account and everything stored about it, without secrets. */
    async exportData(tenant: Tenant, account: Account, sessionId: string) {
      return exportDocument(tenant, account, await findAccountRecords(db, tenant.id, account.id), sessionId, clock.now());
    },

    /** DSGVO Art. 17: the account and its personal data go at once; a confirmation goes to the address. */
    async deleteAccount(tenant: Tenant, account: Account, password: string, ip: string) {
      await requirePassword(tenant, account, password, "password", ip);
      const now = clock.now();
      await store.atomic([
        ...deleteAccountQueries(db, tenant.id, account.id),
        enqueue(db, tenant.id, { channel: "email", recipient: account.email, template: "account_deleted", lang: account.lang, vars: { name: account.name } }, now),
      ]);
      deps.onEnqueued();
    },
  };
}

function wrongPassword(field: string) {
  return AppError.of(400, "validation_failed", { [field]: { code: "wrong_password", messages: fieldMessages.wrong_password } });
}

function fieldProblem(field: string) {
  return AppError.of(400, "validation_failed", { [field]: { code: "unknown_field", messages: fieldMessages.unknown_field } });
}

export type AccountService = ReturnType<typeof accountService>;
