import type { Compilable } from "kysely";
import type { z } from "zod";
import type { AccountsTable, Db } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import { fieldMessages } from "../http/messages.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { enqueue } from "../outbox/enqueue.js";
import { type Limits, defaultLimits, enforce, rateLimited } from "../ratelimit/limiter.js";
import type { Tenant } from "../tenants/tenant.js";
import { publicAccount } from "./account.js";
import { CODE_TTL_MS, RESEND_INTERVAL_MS, checkCode, deleteCode, findOpenCode, issueCode } from "./codes.js";
import type { PasswordHasher } from "./hasher.js";
import type * as inputs from "./inputs.js";
import { deleteAccountQueries, findAccountByEmail, insertAccount, updateAccount, verifiedEmailTaken } from "./repo.js";
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
  async function emailCodeMessages(tenant: Tenant, account: AccountsTable, now: number) {
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

  async function mobileCodeMessages(tenant: Tenant, account: AccountsTable, now: number) {
    const { code, query } = await issueCode(db, tenant.id, account.id, "mobile", account.mobile, now);
    const sms = enqueue(
      db,
      tenant.id,
      { channel: "sms", recipient: account.mobile, template: "verify_mobile", lang: account.lang, accountId: account.id, vars: { code, minutes: minutes(CODE_TTL_MS.mobile) } },
      now,
    );
    return [query, sms];
  }

  async function withSession(tenant: Tenant, account: AccountsTable, now: number) {
    const session = await newSession(db, tenant.id, account.id, now);
    return { session, token: session.token };
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
      const account: AccountsTable = {
        tenant_id: tenant.id,
        id: randomId("a"),
        kind: input.kind,
        role: "citizen",
        email: input.email,
        email_verified_at: null,
        mobile: input.mobile,
        mobile_verified_at: null,
        password_hash: await hasher.hash(input.password),
        name: input.name,
        organisation: input.organisation ?? null,
        register_number: input.registerNumber ?? null,
        address: input.address ? JSON.stringify(input.address) : null,
        lang: input.lang ?? tenant.config.locale,
        privacy_version: tenant.config.privacyPolicyVersion,
        privacy_accepted_at: now,
        demo: 0,
        sms_alerts: 0,
        created_at: now,
        updated_at: now,
      };
      const { session, token } = await withSession(tenant, account, now);
      await store.atomic([
        insertAccount(db, account),
        session.query,
        ...(await emailCodeMessages(tenant, account, now)),
        ...(await mobileCodeMessages(tenant, account, now)),
      ]);
      deps.onEnqueued();
      return { token, account: publicAccount(account) };
    },

    async verify(tenant: Tenant, account: AccountsTable, channel: "email" | "mobile", code: string, ip: string) {
      const now = clock.now();
      await enforce(db, tenant.id, now, [
        [limits.codePerIp, ip],
        [limits.codePerAccount, account.id],
      ]);
      const verifiedAt = channel === "email" ? account.email_verified_at : account.mobile_verified_at;
      if (verifiedAt !== null) return publicAccount(account);
      const result = await checkCode(db, tenant.id, account.id, channel, code, now);
      const current = channel === "email" ? account.email : account.mobile;
      if (!result.ok) throw AppError.of(400, result.reason === "invalid" ? "invalid_code" : "code_expired");
      // A code sent to an address the account no longer has proves nothing about the new one.
      if (result.target !== current) throw AppError.of(400, "code_expired");
      if (channel === "email" && (await verifiedEmailTaken(db, tenant.id, current, account.id))) throw AppError.of(409, "email_in_use");
      const set = channel === "email" ? { email_verified_at: now, updated_at: now } : { mobile_verified_at: now, updated_at: now };
      try {
        await store.atomic([updateAccount(db, tenant.id, account.id, set), deleteCode(db, tenant.id, account.id, channel)]);
      } catch (e) {
        // Two accounts verifying one address at the same moment: the unique index decides.
        if (channel === "email" && /UNIQUE/i.test(String(e))) throw AppError.of(409, "email_in_use");
        throw e;
      }
      return publicAccount({ ...account, ...set });
    },

    async resend(tenant: Tenant, account: AccountsTable, channel: "email" | "mobile") {
      const now = clock.now();
      if ((channel === "email" ? account.email_verified_at : account.mobile_verified_at) !== null) throw AppError.of(409, "already_verified");
      const open = await findOpenCode(db, tenant.id, account.id, channel);
      if (open && open.sent_at + RESEND_INTERVAL_MS > now) throw rateLimited(open.sent_at + RESEND_INTERVAL_MS - now);
      await enforce(db, tenant.id, now, [[limits.resendPerAccount, account.id]]);
      const messages = channel === "email" ? await emailCodeMessages(tenant, account, now) : await mobileCodeMessages(tenant, account, now);
      await store.atomic(messages);
      deps.onEnqueued();
    },

    async login(tenant: Tenant, input: z.output<typeof inputs.loginInput>, ip: string) {
      const now = clock.now();
      await enforce(db, tenant.id, now, [
        [limits.loginPerIp, ip],
        [limits.loginPerAccount, input.email],
      ]);
      const account = await findAccountByEmail(db, tenant.id, input.email);
      // Without an account the dummy hash is verified anyway, so both cases take one argon2 verify.
      const ok = await hasher.verify(account?.password_hash ?? (await dummy()), input.password);
      if (!account || !ok) throw AppError.of(401, "invalid_credentials");
      const { session, token } = await withSession(tenant, account, now);
      await store.atomic([session.query]);
      return { token, account: publicAccount(account) };
    },

    async logout(tenant: Tenant, sessionId: string) {
      await deleteSession(db, tenant.id, sessionId).execute();
    },

    async logoutEverywhere(tenant: Tenant, account: AccountsTable) {
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
      const account = await findAccountByEmail(db, tenant.id, input.email);
      // One answer for every failure: which one it was would tell whether the address has an account.
      if (!account) throw AppError.of(400, "reset_code_invalid");
      const result = await checkCode(db, tenant.id, account.id, "password_reset", input.code, now);
      if (!result.ok) throw AppError.of(400, "reset_code_invalid");
      const passwordHash = await hasher.hash(input.password);
      // The code arrived at this address, which proves it, unless another account holds it verified.
      const proves = account.email_verified_at === null && !(await verifiedEmailTaken(db, tenant.id, account.email, account.id));
      const set = { password_hash: passwordHash, updated_at: now, ...(proves ? { email_verified_at: now } : {}) };
      const { session, token } = await withSession(tenant, account, now);
      await store.atomic([
        updateAccount(db, tenant.id, account.id, set),
        deleteCode(db, tenant.id, account.id, "password_reset"),
        deleteSessionsOf(db, tenant.id, account.id),
        session.query,
      ]);
      return { token, account: publicAccount({ ...account, ...set }) };
    },

    async changePassword(tenant: Tenant, account: AccountsTable, sessionId: string, input: z.output<typeof inputs.changePasswordInput>) {
      await requirePassword(account, input.currentPassword, "currentPassword");
      const now = clock.now();
      await store.atomic([
        updateAccount(db, tenant.id, account.id, { password_hash: await hasher.hash(input.newPassword), updated_at: now }),
        deleteSessionsOf(db, tenant.id, account.id, sessionId),
      ]);
    },

    /** Profile changes; a new e-mail address or mobile number must be confirmed again. */
    async update(tenant: Tenant, account: AccountsTable, input: z.output<typeof inputs.updateMeInput>, ip: string) {
      const now = clock.now();
      const emailChanges = input.email !== undefined && input.email !== account.email;
      const mobileChanges = input.mobile !== undefined && input.mobile !== account.mobile;
      if (emailChanges || mobileChanges) {
        await requirePassword(account, input.currentPassword ?? "", "currentPassword");
        // Every change sends a code: limited like re-sending, so nobody runs up SMS costs or floods an inbox.
        await enforce(db, tenant.id, now, [
          [limits.resendPerAccount, account.id],
          [limits.registerPerIp, ip],
        ]);
      }
      if (input.organisation !== undefined && account.kind === "person") throw fieldProblem("organisation");

      // Only what changed is written: a concurrent password change or verification must not be undone.
      const set: Partial<AccountsTable> = { updated_at: now };
      if (input.name !== undefined) set.name = input.name;
      if (input.organisation !== undefined) set.organisation = input.organisation;
      if (input.registerNumber !== undefined) set.register_number = input.registerNumber;
      if (input.address !== undefined) set.address = input.address && JSON.stringify(input.address);
      if (input.lang !== undefined) set.lang = input.lang;
      if (emailChanges) Object.assign(set, { email: input.email!, email_verified_at: null });
      if (mobileChanges) Object.assign(set, { mobile: input.mobile!, mobile_verified_at: null });
      const updated: AccountsTable = { ...account, ...set };
      // A taken address is not refused (that would tell who has an account): its owner gets a
      // warning instead of a code, so it can never be verified by this account.
      const queries: Compilable[] = [updateAccount(db, tenant.id, account.id, set)];
      if (emailChanges) {
        queries.push(...(await emailCodeMessages(tenant, updated, now)));
        if (account.email_verified_at !== null) {
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

    /** DSGVO Art. 17: the account and its personal data go at once; a confirmation goes to the address. */
    async deleteAccount(tenant: Tenant, account: AccountsTable, password: string) {
      await requirePassword(account, password, "password");
      const now = clock.now();
      await store.atomic([
        ...deleteAccountQueries(db, tenant.id, account.id),
        enqueue(db, tenant.id, { channel: "email", recipient: account.email, template: "account_deleted", lang: account.lang, vars: { name: account.name } }, now),
      ]);
      deps.onEnqueued();
    },
  };

  async function requirePassword(account: AccountsTable, password: string, field: string) {
    if (!(await hasher.verify(account.password_hash, password))) {
      throw AppError.of(400, "validation_failed", { [field]: { code: "wrong_password", messages: fieldMessages.wrong_password } });
    }
  }
}

function fieldProblem(field: string) {
  return AppError.of(400, "validation_failed", { [field]: { code: "unknown_field", messages: fieldMessages.unknown_field } });
}

export type AccountService = ReturnType<typeof accountService>;
