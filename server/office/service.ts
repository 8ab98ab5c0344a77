import type { Compilable } from "kysely";
import type { Account } from "../accounts/account.js";
import { publicAccount } from "../accounts/account.js";
import { findAccount } from "../accounts/repo.js";
import type { SubmissionStatusColumn } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { SubmissionStatus } from "../forms/api-types.js";
import { berlinMidnight } from "../lib/berlin-time.js";
import { findFormVersion, findSubmission, findUploads, uploadsOfSubmission } from "../forms/repo.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { webhookWrites } from "../handoff/enqueue.js";
import { postfachNotice } from "../mailbox/notify.js";
import { attachFiles, findEntryFile, historyOf, insertEntry } from "../mailbox/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import type { AuditPage, OfficeInbox, OfficeSubmissionDetail, OfficeSubmissionSummary, PersonRef, StaffMember } from "./api-types.js";
import type { PasswordHasher } from "../accounts/hasher.js";
import { CODE_TTL_MS, issueCode } from "../accounts/codes.js";
import { findAccountByEmail, insertAccount } from "../accounts/repo.js";
import { enqueue } from "../outbox/enqueue.js";
import { randomToken } from "../lib/crypto.js";
import type { InboxQuery, StaffInvite, StaffPatch, StatusInput } from "./inputs.js";
import * as repo from "./repo.js";

export interface OfficeDeps {
  store: Store;
  clock: Clock;
  hasher: PasswordHasher;
  onEnqueued: () => void;
}

/** Which status may follow which: eingegangen → in Bearbeitung → Rückfrage ↔ in Bearbeitung → bewilligt / abgelehnt / abgeschlossen. */
export const transitions: Record<SubmissionStatusColumn, SubmissionStatusColumn[]> = {
  received: ["in_progress"],
  in_progress: ["waiting", "approved", "rejected", "closed"],
  waiting: ["in_progress"],
  approved: [],
  rejected: [],
  closed: [],
};

const statuses: SubmissionStatus[] = ["received", "in_progress", "waiting", "approved", "rejected", "closed"];
const iso = (ms: number) => new Date(ms).toISOString();

/** The staff side: the inbox of what a clerk may see, working on a submission, staff, audit. */
export function officeService(deps: OfficeDeps) {
  const { store, clock } = deps;
  const db = store.db;

  async function scopeOf(tenant: Tenant, account: Account): Promise<repo.Scope> {
    return { accountId: account.id, admin: account.role === "admin", departments: account.role === "admin" ? [] : await repo.departmentsOf(db, tenant.id, account.id) };
  }

  const people = async (tenant: Tenant, ids: Array<string | null>): Promise<Map<string, PersonRef>> => {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    const rows = wanted.length ? await db.selectFrom("accounts").select(["id", "name"]).where("tenant_id", "=", tenant.id).where("id", "in", wanted).execute() : [];
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name }]));
  };

  /** The submission if this clerk may see it; another department's is not found, like another town's. */
  async function visible(tenant: Tenant, account: Account, id: string) {
    const scope = await scopeOf(tenant, account);
    const office = await repo.officeRow(db, tenant.id, scope, id);
    const s = office ? await findSubmission(db, tenant.id, id) : null;
    if (!office || !s) throw AppError.of(404, "not_found");
    return { s, office, scope };
  }

  async function detail(tenant: Tenant, account: Account, id: string): Promise<OfficeSubmissionDetail> {
    const { s, office } = await visible(tenant, account, id);
    const form = await findFormVersion(db, tenant.id, s.formId, s.formVersion);
    if (!form) throw AppError.of(404, "not_found");
    const applicant = s.accountId ? await findAccount(db, tenant.id, s.accountId) : undefined;
    const notes = await repo.notesOf(db, tenant.id, id);
    const names = await people(tenant, [office.assignee_id]);
    return {
      id: s.id,
      reference: s.reference,
      formId: s.formId,
      formTitle: form.title,
      department: office.department,
      status: s.status,
      submittedAt: iso(s.submittedAt),
      applicantName: office.applicant_name,
      assignee: office.assignee_id ? (names.get(office.assignee_id) ?? null) : null,
      unread: office.office_unread === 1,
      form,
      data: s.data,
      files: (await uploadsOfSubmission(db, tenant.id, id)).map((u) => ({ id: u.id, name: u.name, size: u.size, mediaType: u.mediaType })),
      applicant: applicant
        ? { anonymous: false, kind: applicant.kind, name: applicant.name, organisation: applicant.organisation, email: applicant.email, mobile: applicant.mobile, address: applicant.address }
        : { anonymous: true, email: s.email },
      statusReason: office.status_reason,
      history: (await historyOf(db, tenant.id, id)).map((e) => ({ ...e, unread: false })),
      notes: notes.map((n) => ({ id: n.id, text: n.text, author: { id: n.author_id, name: n.name ?? "" }, at: iso(n.created_at) })),
      nextStatuses: transitions[s.status],
    };
  }

  /** A change with its audit entry, and for account holders the entry in their Postfach plus the notice. */
  async function change(tenant: Tenant, writes: Compilable[]) {
    await store.atomic(writes);
    deps.onEnqueued();
  }

  const applicantOf = async (tenant: Tenant, accountId: string | null) => (accountId ? await findAccount(db, tenant.id, accountId) : undefined);

  return {
    scopeOf,

    async inbox(tenant: Tenant, account: Account, q: InboxQuery): Promise<OfficeInbox> {
      const scope = await scopeOf(tenant, account);
      const limit = q.limit ?? 25;
      const { rows, counts } = await repo.inbox(db, tenant.id, scope, q, berlinMidnight);
      const page = rows.slice(0, limit);
      const titles = new Map<string, OfficeSubmissionSummary["formTitle"]>();
      for (const r of page) {
        const key = `${r.formId}@${r.formVersion}`;
        if (!titles.has(key)) titles.set(key, (await findFormVersion(db, tenant.id, r.formId, r.formVersion))?.title ?? { de: r.formId });
      }
      const names = await people(tenant, page.map((r) => r.assigneeId));
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id,
          reference: r.reference,
          formId: r.formId,
          formTitle: titles.get(`${r.formId}@${r.formVersion}`)!,
          department: r.department,
          status: r.status,
          submittedAt: iso(r.submittedAt),
          applicantName: r.applicantName,
          assignee: r.assigneeId ? (names.get(r.assigneeId) ?? null) : null,
          unread: r.unread,
        })),
        nextCursor: rows.length > limit && last ? `${last.submittedAt}.${last.id}` : null,
        counts: Object.fromEntries(statuses.map((st) => [st, counts.find((c) => c.status === st)?.n ?? 0])) as Record<SubmissionStatus, number>,
      };
    },

    /** Opening a submission marks it read for the office. */
    async open(tenant: Tenant, account: Account, id: string): Promise<OfficeSubmissionDetail> {
      const d = await detail(tenant, account, id);
      if (d.unread) await db.updateTable("submissions").set({ office_unread: 0 }).where("tenant_id", "=", tenant.id).where("id", "=", id).execute();
      return { ...d, unread: false };
    },

    async file(tenant: Tenant, account: Account, id: string, fileId: string) {
      await visible(tenant, account, id);
      const own = (await uploadsOfSubmission(db, tenant.id, id)).find((u) => u.id === fileId);
      if (own) return { name: own.name, mediaType: own.mediaType, blobKey: own.blobKey };
      const attached = await findEntryFile(db, tenant.id, fileId);
      if (attached && attached.submissionId === id) return { name: attached.name, mediaType: attached.mediaType, blobKey: attached.blobKey };
      throw AppError.of(404, "not_found");
    },

    async setStatus(tenant: Tenant, account: Account, id: string, input: StatusInput): Promise<OfficeSubmissionDetail> {
      const { s } = await visible(tenant, account, id);
      if (!transitions[s.status].includes(input.status)) throw AppError.of(409, "invalid_transition");
      if (input.status === "rejected" && !input.reason) {
        throw AppError.of(400, "validation_failed", { reason: { code: "required", messages: { de: "Bitte geben Sie einen kurzen Grund für die Ablehnung an.", en: "Please give a short reason for the rejection." } } });
      }
      const now = clock.now();
      const entryId = randomId("e");
      const writes: Compilable[] = [
        db
          .updateTable("submissions")
          .set({ status: input.status, status_reason: input.reason ?? null, updated_at: now })
          .where("tenant_id", "=", tenant.id)
          .where("id", "=", id)
          .where("status", "=", s.status),
        insertEntry(db, tenant.id, { id: entryId, submissionId: id, accountId: s.accountId, kind: "status", status: input.status, reason: input.reason ?? null, authorId: account.id, at: now }),
        repo.audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "submission.status", subject: `submission:${id}`, before: { status: s.status }, after: { status: input.status, reason: input.reason ?? null }, at: now }),
      ];
      if (input.message) writes.push(insertEntry(db, tenant.id, { id: randomId("e"), submissionId: id, accountId: s.accountId, kind: "message", text: input.message, authorId: account.id, at: now + 1 }));
      const applicant = await applicantOf(tenant, s.accountId);
      if (applicant) writes.push(...postfachNotice(db, tenant, applicant, entryId, now));
      writes.push(...webhookWrites(db, tenant, { submissionId: id, formId: s.formId, now, statusEntryId: entryId }));
      await change(tenant, writes);
      return detail(tenant, account, id);
    },

    async assign(tenant: Tenant, account: Account, id: string, assigneeId: string | null): Promise<OfficeSubmissionDetail> {
      const { office } = await visible(tenant, account, id);
      if (assigneeId) {
        const target = await findAccount(db, tenant.id, assigneeId);
        // Only a colleague who may see it; anyone else is as unknown as a wrong id.
        const canSee = target && target.role !== "citizen" && (await repo.officeRow(db, tenant.id, await scopeOf(tenant, target), id));
        if (!canSee) throw AppError.of(400, "validation_failed", { accountId: { code: "invalid", messages: { de: "Diese Person kann den Antrag nicht bearbeiten.", en: "This person cannot work on the application." } } });
      }
      const now = clock.now();
      await change(tenant, [
        db.updateTable("submissions").set({ assignee_id: assigneeId, updated_at: now }).where("tenant_id", "=", tenant.id).where("id", "=", id),
        repo.audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "submission.assign", subject: `submission:${id}`, before: { assignee: office.assignee_id }, after: { assignee: assigneeId }, at: now }),
      ]);
      return detail(tenant, account, id);
    },

    /** Where a document for this submission is stored: the clerk's upload, for the submission's form. */
    async documentTarget(tenant: Tenant, account: Account, id: string) {
      const { s } = await visible(tenant, account, id);
      return s;
    },

    async message(tenant: Tenant, account: Account, id: string, input: { text: string; uploads?: string[] | undefined }): Promise<OfficeSubmissionDetail> {
      const { s } = await visible(tenant, account, id);
      const ids = [...new Set(input.uploads ?? [])];
      const files = await findUploads(db, tenant.id, ids);
      if (files.filter((u) => u.accountId === account.id && u.field === "_document" && u.formId === s.formId).length !== ids.length) {
        throw AppError.of(400, "validation_failed", { uploads: { code: "upload_not_found", messages: { de: "Ein Dokument ist nicht (mehr) vorhanden. Bitte laden Sie es erneut hoch.", en: "A document is not available (any more). Please upload it again." } } });
      }
      const now = clock.now();
      const entryId = randomId("e");
      const writes: Compilable[] = [
        insertEntry(db, tenant.id, { id: entryId, submissionId: id, accountId: s.accountId, kind: "message", text: input.text, authorId: account.id, at: now }),
        ...attachFiles(db, tenant.id, entryId, ids),
        repo.audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "submission.message", subject: `submission:${id}`, after: { entry: entryId, documents: ids }, at: now }),
      ];
      const applicant = await applicantOf(tenant, s.accountId);
      if (applicant) writes.push(...postfachNotice(db, tenant, applicant, entryId, now));
      await change(tenant, writes);
      return detail(tenant, account, id);
    },

    async note(tenant: Tenant, account: Account, id: string, text: string): Promise<OfficeSubmissionDetail> {
      await visible(tenant, account, id);
      const now = clock.now();
      const noteId = randomId("n");
      await change(tenant, [
        db.insertInto("submission_notes").values({ tenant_id: tenant.id, id: noteId, submission_id: id, author_id: account.id, text, created_at: now }),
        repo.audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "submission.note", subject: `submission:${id}`, after: { note: noteId }, at: now }),
      ]);
      return detail(tenant, account, id);
    },

    async audit(tenant: Tenant, account: Account, before?: { at: number; id: string }, limit = 50): Promise<AuditPage> {
      if (account.role !== "admin") throw AppError.of(403, "forbidden");
      const rows = await repo.auditPage(db, tenant.id, limit + 1, before);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id,
          at: iso(r.created_at),
          actor: r.actor_id ? { id: r.actor_id, name: r.name ?? "" } : null,
          action: r.action,
          subject: r.subject,
          before: r.before === null ? null : JSON.parse(r.before),
          after: r.after === null ? null : JSON.parse(r.after),
        })),
        nextCursor: rows.length > limit && last ? `${last.created_at}.${last.id}` : null,
      };
    },

    async staff(tenant: Tenant, account: Account): Promise<{ items: StaffMember[] }> {
      // Staff see their colleagues (to assign); only admins change them.
      const rows = await repo.staffOf(db, tenant.id);
      return { items: rows.map((r) => ({ id: r.id, name: r.name, email: account.role === "admin" ? r.email : "", role: r.role === "admin" ? "admin" : "staff", departments: r.departments, disabled: r.disabled })) };
    },

    /**
     * A new colleague: an account with the office role, and a mail with a code to set the
     * password (the password-reset code, so "Passwort vergessen" renews it). Vouched for by the
     * admin, so the address counts as confirmed; a mobile number is not needed in the office.
     */
    async inviteStaff(tenant: Tenant, admin: Account, input: StaffInvite, officeUrl: string): Promise<StaffMember> {
      if (admin.role !== "admin") throw AppError.of(403, "forbidden");
      const known = new Set(tenant.config.departments.map((d) => d.id));
      const unknown = input.departments.findIndex((d) => !known.has(d));
      if (unknown >= 0) throw AppError.of(400, "validation_failed", { [`departments.${unknown}`]: { code: "invalid", messages: { de: "Diese Abteilung gibt es nicht.", en: "There is no such department." } } });
      if (await findAccountByEmail(db, tenant.id, input.email)) throw AppError.of(409, "email_in_use");
      const now = clock.now();
      const account: Account = {
        id: randomId("a"),
        kind: "person",
        role: input.role,
        name: input.name,
        organisation: null,
        registerNumber: null,
        address: null,
        email: input.email,
        emailVerifiedAt: now,
        mobile: "",
        mobileVerifiedAt: null,
        lang: tenant.config.locale,
        privacyVersion: tenant.config.privacyPolicyVersion,
        privacyAcceptedAt: now,
        smsAlerts: false,
        identityVerifiedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      const { code, query } = await issueCode(db, tenant.id, account.id, "password_reset", account.email, now);
      await store.atomic([
        // Nobody knows this password: the invited colleague sets one with the code.
        insertAccount(db, tenant.id, account, await deps.hasher.hash(randomToken(32))),
        ...repo.replaceDepartments(db, tenant.id, account.id, [...new Set(input.departments)]),
        query,
        enqueue(db, tenant.id, { channel: "email", template: "staff_invite", recipient: account.email, lang: account.lang, accountId: account.id, vars: { name: account.name, link: `${officeUrl}#einladung`, code, minutes: String(CODE_TTL_MS.password_reset / 60_000) } }, now),
        repo.audit(db, tenant.id, { id: randomId("l"), actorId: admin.id, action: "staff.invite", subject: `account:${account.id}`, after: { email: input.email, role: input.role, departments: input.departments }, at: now }),
      ]);
      deps.onEnqueued();
      const [member] = await repo.staffOf(db, tenant.id, [account.id]);
      return { id: member!.id, name: member!.name, email: member!.email, role: member!.role === "admin" ? "admin" : "staff", departments: member!.departments, disabled: member!.disabled };
    },

    async updateStaff(tenant: Tenant, account: Account, id: string, patch: StaffPatch): Promise<StaffMember> {
      if (account.role !== "admin") throw AppError.of(403, "forbidden");
      const [before] = await repo.staffOf(db, tenant.id, [id]);
      if (!before) throw AppError.of(404, "not_found");
      const known = new Set(tenant.config.departments.map((d) => d.id));
      const unknown = (patch.departments ?? []).findIndex((d) => !known.has(d));
      if (unknown >= 0) throw AppError.of(400, "validation_failed", { [`departments.${unknown}`]: { code: "invalid", messages: { de: "Diese Abteilung gibt es nicht.", en: "There is no such department." } } });
      if (id === account.id && (patch.disabled || patch.role === "staff")) throw AppError.of(409, "invalid_transition");
      const now = clock.now();
      const writes: Compilable[] = [];
      if (patch.departments) writes.push(...repo.replaceDepartments(db, tenant.id, id, [...new Set(patch.departments)]));
      if (patch.disabled !== undefined || patch.role) {
        writes.push(
          db
            .updateTable("accounts")
            .set({ ...(patch.disabled !== undefined ? { disabled_at: patch.disabled ? now : null } : {}), ...(patch.role ? { role: patch.role } : {}), updated_at: now })
            .where("tenant_id", "=", tenant.id)
            .where("id", "=", id),
        );
      }
      // A disabled account's sessions end at once.
      if (patch.disabled) writes.push(db.deleteFrom("sessions").where("tenant_id", "=", tenant.id).where("account_id", "=", id));
      writes.push(repo.audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "staff.update", subject: `account:${id}`, before: { role: before.role, departments: before.departments, disabled: before.disabled }, after: patch, at: now }));
      await store.atomic(writes);
      const [after] = await repo.staffOf(db, tenant.id, [id]);
      return { id: after!.id, name: after!.name, email: after!.email, role: after!.role === "admin" ? "admin" : "staff", departments: after!.departments, disabled: after!.disabled };
    },

    publicAccount,
  };
}

export type OfficeService = ReturnType<typeof officeService>;
