import type { Account } from "../accounts/account.js";
import { isVerified } from "../accounts/account.js";
import type { Store } from "../db/store.js";
import { AppError, type FieldError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId, sha256Hex } from "../lib/crypto.js";
import { webhookWrites } from "../handoff/enqueue.js";
import { enqueue } from "../outbox/enqueue.js";
import { markProofUsed } from "../proof/repo.js";
import { type ProofOptions, issueChallenge, verifyProof } from "../proof/proof.js";
import { type Limits, defaultLimits, enforce } from "../ratelimit/limiter.js";
import { type Tenant, publicTenantConfig } from "../tenants/tenant.js";
import { errorMessages } from "../http/messages.js";
import { type TrustLevel, atLeast } from "../identity/types.js";
import type { Draft, FormList, ProofChallenge, SubmissionDetail, SubmissionPage, SubmissionReceipt, SubmissionSummary } from "./api-types.js";
import { berlinDate, berlinStamp, berlinYear } from "../lib/berlin-time.js";
import type { FormDefinition, FormSummary } from "./definition.js";
import type { DraftInput, MySubmissionsQuery, SubmissionInput } from "./inputs.js";
import { formJsonSchema } from "./json-schema.js";
import { linkToken, linkTokenMatches } from "../lib/link-token.js";
import * as repo from "./repo.js";
import { fileRefs, validateForm } from "./rules/index.js";

/** What a solved challenge opens: one upload, one anonymous submission, one booking without an account. */
export type ProofPurpose = "upload" | "submission" | "appointment";

export interface FormsDeps {
  store: Store;
  clock: Clock;
  /** Deployment secret: derives receipt links and the proof-of-work keys. */
  secret: string;
  /** Wakes the dispatcher after a submission put its mails into the outbox. */
  onEnqueued: () => void;
  limits?: Partial<Limits>;
  /** Proof-of-work difficulty; tests lower it. */
  proof?: Omit<ProofOptions, "secret">;
}

const DAY = 24 * 60 * 60_000;
export const draftLifetimeMs = 30 * DAY;
/** What one submission may carry in files altogether. */
export const maxSubmissionBytes = 25 * 1024 * 1024;
export const defaultMaxFileBytes = 10 * 1024 * 1024;

/** Who sends: a signed-in account, or someone without one (then the proof and an address are needed). */
/** Who sends: an account (with the trust level of its session's login, null after a password login), or nobody with an address. */
export type Sender = { account: Account; trustLevel?: TrustLevel | null } | { anonymous: true; ip: string };

const summaryOf = (f: FormDefinition): FormSummary => ({
  id: f.id,
  version: f.version,
  title: f.title,
  summary: f.summary ?? null,
  category: f.category,
  keywords: f.keywords ?? [],
  access: f.access,
});

/** `hunde.1.nachweis` → `hunde.nachweis`: the field an upload is for, whichever entry it sits in. */
export const fieldOfPath = (path: string) =>
  path
    .split(".")
    .filter((p) => !/^\d+$/.test(p))
    .join(".");

/** Stands for the reference number in mail variables until the write that counts it fills it in. */
const referencePlaceholder = "@@reference@@";

const iso = (ms: number) => new Date(ms).toISOString();

function rulesErrors(errors: ReadonlyArray<{ path: string; code: string; message: { de: string; en: string } }>): Record<string, FieldError> {
  // Without a prototype: an answer named `constructor` or `toString` must find no field there already.
  const fields: Record<string, FieldError> = Object.create(null);
  for (const e of errors) fields[e.path || "data"] ??= { code: e.code, messages: e.message };
  return fields;
}

/** Applications: the forms a town serves, drafts, sending, and the sender's own submissions. */
export function formsService(deps: FormsDeps) {
  const { store, clock } = deps;
  const db = store.db;
  const limits: Limits = { ...defaultLimits, ...deps.limits };
  const proofOptions: ProofOptions = { secret: deps.secret, ...deps.proof };

  async function mustFindForm(tenant: Tenant, formId: string): Promise<FormDefinition> {
    const form = await repo.findActiveForm(db, tenant.id, formId);
    if (!form) throw AppError.of(404, "not_found");
    return form;
  }

  /** Account-only forms: who may use them. Anonymous forms take any account too. */
  function checkAccount(form: FormDefinition, account: Account) {
    if (!isVerified(account)) throw AppError.of(403, "verification_required");
    if (form.access.accountKinds && !form.access.accountKinds.includes(account.kind)) throw AppError.of(403, "account_kind_not_allowed");
  }

  function receiptUrl(tenant: Tenant, base: string, id: string, token: string) {
    return `${base}/api/v1/tenants/${tenant.slug}/me/submissions/${id}/receipt.pdf?token=${token}`;
  }

  async function toReceipt(tenant: Tenant, base: string, s: repo.SubmissionRecord): Promise<SubmissionReceipt> {
    return { id: s.id, reference: s.reference, submittedAt: iso(s.submittedAt), receiptUrl: receiptUrl(tenant, base, s.id, await linkToken(deps.secret, "receipt", tenant.id, s.id)) };
  }

  /** The account's own unsent uploads of this form that a draft names; a draft may hold anything, so it is searched, not validated. */
  async function draftUploads(tenant: Tenant, account: Account, formId: string, data: unknown) {
    const ids = [...new Set(JSON.stringify(data).match(/u_[A-Za-z0-9_-]{10,64}/g) ?? [])].slice(0, 100);
    const found = await repo.findUploads(db, tenant.id, ids);
    return found
      .filter((u) => u.accountId === account.id && u.formId === formId && u.submissionId === null)
      .map((u) => ({ id: u.id, name: u.name, size: u.size, mediaType: u.mediaType }));
  }

  async function summaryOfSubmission(tenant: Tenant, s: repo.SubmissionRecord): Promise<SubmissionSummary> {
    const form = await repo.findFormVersion(db, tenant.id, s.formId, s.formVersion);
    return {
      id: s.id,
      reference: s.reference,
      formId: s.formId,
      formTitle: form?.title ?? { de: s.formId },
      status: s.status,
      submittedAt: iso(s.submittedAt),
    };
  }

  return {
    async list(tenant: Tenant): Promise<FormList> {
      return { items: (await repo.listActiveForms(db, tenant.id)).map(summaryOf) };
    },

    get: mustFindForm,

    async schema(tenant: Tenant, formId: string, url: string) {
      return formJsonSchema(await mustFindForm(tenant, formId), url);
    },

    async challenge(tenant: Tenant, purpose: ProofPurpose): Promise<ProofChallenge> {
      return issueChallenge(tenant.id, purpose, clock.now(), proofOptions);
    },

    /** Checks a solved challenge and uses it up: each solution opens one request. */
    async spendProof(tenant: Tenant, payload: string | undefined, purpose: ProofPurpose, fields?: boolean): Promise<void> {
      const now = clock.now();
      const fail = () =>
        fields ? AppError.of(400, "validation_failed", { proof: { code: "proof_required", messages: AppError.of(400, "proof_required").messages } }) : AppError.of(400, "proof_required");
      if (!payload) throw fail();
      const result = await verifyProof(payload, tenant.id, purpose, now, proofOptions);
      if (!result.ok) throw fail();
      if (!(await markProofUsed(db, tenant.id, result.challengeId, now + (proofOptions.ttlMs ?? 10 * 60_000)))) throw fail();
    },

    async limitAnonymous(tenant: Tenant, ip: string, what: "submit" | "upload") {
      await enforce(db, tenant.id, clock.now(), [[what === "submit" ? limits.anonymousSubmitPerIp : limits.anonymousUploadPerIp, ip]]);
    },

    async limitAccountUploads(tenant: Tenant, account: Account) {
      await enforce(db, tenant.id, clock.now(), [[limits.uploadPerAccount, account.id]]);
    },

    async getDraft(tenant: Tenant, account: Account, formId: string): Promise<Draft> {
      const form = await mustFindForm(tenant, formId);
      checkAccount(form, account);
      const d = await repo.findDraft(db, tenant.id, account.id, formId, clock.now());
      if (!d) throw AppError.of(404, "draft_not_found");
      return { data: d.data, version: d.formVersion, outdated: d.formVersion !== form.version, updatedAt: iso(d.updatedAt), expiresAt: iso(d.expiresAt), uploads: await draftUploads(tenant, account, formId, d.data) };
    },

    async saveDraft(tenant: Tenant, account: Account, formId: string, input: DraftInput): Promise<Draft> {
      const form = await mustFindForm(tenant, formId);
      checkAccount(form, account);
      const now = clock.now();
      const record = { formVersion: input.version, data: input.data, updatedAt: now, expiresAt: now + draftLifetimeMs };
      await repo.saveDraft(db, tenant.id, account.id, formId, record).execute();
      return {
        data: input.data,
        version: input.version,
        outdated: input.version !== form.version,
        updatedAt: iso(now),
        expiresAt: iso(record.expiresAt),
        uploads: await draftUploads(tenant, account, formId, input.data),
      };
    },

    async deleteDraft(tenant: Tenant, account: Account, formId: string): Promise<void> {
      await mustFindForm(tenant, formId);
      await repo.deleteDraft(db, tenant.id, account.id, formId).execute();
    },

    /** The form a file is uploaded for, the file field, and whether this sender may upload. */
    async uploadTarget(tenant: Tenant, sender: Sender, formId: string) {
      const form = await mustFindForm(tenant, formId);
      if ("account" in sender) checkAccount(form, sender.account);
      else if (!form.access.anonymous) throw AppError.of(401, "unauthorized");
      return form;
    },

    async submit(tenant: Tenant, sender: Sender, formId: string, input: SubmissionInput, idempotencyKey: string | undefined, base: string): Promise<SubmissionReceipt> {
      const form = await mustFindForm(tenant, formId);
      const account = "account" in sender ? sender.account : null;
      const need = form.access.trustLevel;
      if (need && !("account" in sender && atLeast(sender.trustLevel, need))) {
        throw new AppError(403, "trust_level_required", errorMessages.trust_level_required, undefined, undefined, { requiredTrustLevel: need, providers: publicTenantConfig(tenant, base).identityProviders });
      }
      if (account) checkAccount(form, account);
      else if (!form.access.anonymous) throw AppError.of(401, "unauthorized");
      const email = account ? account.email : input.email;

      const scope = account ? account.id : "anon";
      const key = `${scope}:${idempotencyKey ?? randomId("k")}`;
      const requestHash = await sha256Hex(JSON.stringify([formId, input.version, input.data, email ?? null]));
      const replay = async () => {
        const existing = idempotencyKey ? await repo.findSubmissionByIdempotencyKey(db, tenant.id, key) : null;
        if (!existing) return null;
        if (existing.requestHash !== requestHash) throw AppError.of(422, "idempotency_key_reused");
        return toReceipt(tenant, base, existing);
      };
      const earlier = await replay();
      if (earlier) return earlier;

      if (input.version !== form.version) throw AppError.of(409, "form_changed");
      const { data, errors } = validateForm(form, input.data, { today: berlinDate(clock.now()) });
      const fields = rulesErrors(errors);
      if (!account && !email) fields.email ??= { code: "required", messages: { de: "Bitte geben Sie Ihre E-Mail-Adresse an, damit wir Ihnen die Eingangsbestätigung senden können.", en: "Please enter your e-mail address so that we can send you the receipt." } };
      const refs = fileRefs(form, data);
      const uploads = await repo.findUploads(db, tenant.id, refs.flatMap((r) => r.ids));
      const byId = new Map(uploads.map((u) => [u.id, u]));
      let total = 0;
      for (const ref of refs) {
        for (const id of ref.ids) {
          const u = byId.get(id);
          const usable =
            u &&
            u.formId === formId &&
            u.field === fieldOfPath(ref.path) &&
            u.accountId === (account?.id ?? null) &&
            u.submissionId === null &&
            ref.field.accept.includes(u.mediaType) &&
            u.size <= (ref.field.maxSize ?? defaultMaxFileBytes);
          if (!usable) {
            fields[ref.path] ??= { code: "upload_not_found", messages: { de: "Diese Datei ist nicht (mehr) vorhanden. Bitte laden Sie sie erneut hoch.", en: "This file is not available (any more). Please upload it again." } };
          } else total += u.size;
        }
      }
      if (Object.keys(fields).length > 0) throw AppError.of(400, "validation_failed", fields);
      if (total > maxSubmissionBytes) throw AppError.of(413, "submission_too_large");
      if (!account) await this.spendProof(tenant, input.proof, "submission", true);

      const now = clock.now();
      const id = randomId("s");
      const lang = account?.lang ?? input.lang ?? "de";
      const token = await linkToken(deps.secret, "receipt", tenant.id, id);
      const prefix = tenant.config.forms.referencePrefix ?? tenant.slug.slice(0, 3).toUpperCase();
      const writes = repo.submissionWrites(
        db,
        tenant.id,
        { id, formId, formVersion: form.version, accountId: account?.id ?? null, email: email!, lang, data, idempotencyKey: key, requestHash, submittedAt: now, updatedAt: now },
        {
          prefix,
          year: berlinYear(now),
          receiptTokenHash: await sha256Hex(token),
          uploadIds: uploads.map((u) => u.id),
          department: form.department ?? null,
          applicantName: account ? (account.organisation ? `${account.name} (${account.organisation})` : account.name) : email!,
        },
      );
      if (account) writes.push(repo.deleteDraft(db, tenant.id, account.id, formId));
      // The mails are written with the submission; their reference is the one the same write counts.
      const department = tenant.config.departments.find((d) => d.id === form.department);
      const title = (l: "de" | "en") => (l === "en" ? form.title.en ?? form.title.de : form.title.de);
      const next = lang === "en" ? form.afterSubmit?.en ?? form.afterSubmit?.de ?? "" : form.afterSubmit?.de ?? "";
      const fill = { placeholder: referencePlaceholder, value: repo.referenceOf(tenant.id, id) };
      writes.push(
        enqueue(db, tenant.id, { channel: "email", template: "form_receipt", recipient: email!, lang, accountId: account?.id ?? null, dedupeKey: `receipt:${id}`, vars: { formTitle: title(lang), reference: referencePlaceholder, submittedAt: berlinStamp(now, lang), receiptUrl: receiptUrl(tenant, base, id, token), nextSteps: next } }, now, { fill }),
        enqueue(db, tenant.id, { channel: "email", template: "form_notification", recipient: department?.email ?? tenant.config.contact.email, lang: "de", dedupeKey: `notify:${id}`, vars: { formTitle: title("de"), reference: referencePlaceholder, submittedAt: berlinStamp(now, "de") } }, now, { fill }),
      );
      writes.push(...webhookWrites(db, tenant, { submissionId: id, formId, now }));
      try {
        await store.atomic(writes);
      } catch (e) {
        // The same key sent twice at once: the other request won, and this one answers with its submission.
        const winner = await replay();
        if (winner) return winner;
        // Two submissions naming the same upload at once: the other one took it.
        if (uploads.length > 0 && (await repo.findUploads(db, tenant.id, uploads.map((u) => u.id))).some((u) => u.submissionId !== null)) {
          throw AppError.of(409, "upload_taken");
        }
        throw e;
      }
      deps.onEnqueued();
      return toReceipt(tenant, base, (await repo.findSubmission(db, tenant.id, id))!);
    },

    async mySubmissions(tenant: Tenant, account: Account, q: MySubmissionsQuery): Promise<SubmissionPage> {
      const limit = q.limit ?? 20;
      const rows = await repo.listSubmissionsOfAccount(db, tenant.id, account.id, limit + 1, q.cursor);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: await Promise.all(page.map((s) => summaryOfSubmission(tenant, s))),
        nextCursor: rows.length > limit && last ? `${last.submittedAt}.${last.id}` : null,
      };
    },

    async mySubmission(tenant: Tenant, account: Account, id: string, base: string): Promise<SubmissionDetail> {
      const s = await repo.findSubmission(db, tenant.id, id);
      // Someone else's submission is not found, exactly like one that does not exist.
      if (!s || s.accountId !== account.id) throw AppError.of(404, "not_found");
      const uploads = await repo.uploadsOfSubmission(db, tenant.id, id);
      return {
        ...(await summaryOfSubmission(tenant, s)),
        formVersion: s.formVersion,
        data: s.data,
        uploads: uploads.map((u) => ({ id: u.id, name: u.name, size: u.size, mediaType: u.mediaType })),
        receiptUrl: (await toReceipt(tenant, base, s)).receiptUrl,
      };
    },

    /** A file of a submission, for its sender or the town's staff; anyone else finds nothing. */
    async submissionFile(tenant: Tenant, account: Account, submissionId: string, uploadId: string) {
      const s = await repo.findSubmission(db, tenant.id, submissionId);
      const staff = account.role === "staff" || account.role === "admin";
      if (!s || (s.accountId !== account.id && !staff)) throw AppError.of(404, "not_found");
      const file = (await repo.uploadsOfSubmission(db, tenant.id, submissionId)).find((u) => u.id === uploadId);
      if (!file) throw AppError.of(404, "not_found");
      return file;
    },

    /** The submission behind a receipt request: its owner's session, or the token from the receipt mail. */
    async receiptSubmission(tenant: Tenant, id: string, who: { account: Account } | { token: string }) {
      const s = await repo.findSubmission(db, tenant.id, id);
      const allowed = s && ("account" in who ? s.accountId === who.account.id : await linkTokenMatches(deps.secret, "receipt", tenant.id, id, who.token));
      if (!s || !allowed) throw AppError.of(404, "not_found");
      const form = await repo.findFormVersion(db, tenant.id, s.formId, s.formVersion);
      if (!form) throw AppError.of(404, "not_found");
      return { submission: s, form, uploads: await repo.uploadsOfSubmission(db, tenant.id, id) };
    },
  };
}

export type FormsService = ReturnType<typeof formsService>;
