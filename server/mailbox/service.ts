import type { Account } from "../accounts/account.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { linkTokenMatches } from "../lib/link-token.js";
import { findFormVersion, findSubmission, findUploads } from "../forms/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import type { MailboxPage, TimelineEntry } from "./api-types.js";
import type { MailboxQuery, MessageInput } from "./inputs.js";
import { attachFiles, findEntryFile, historyOf, insertEntry, markRead, postfachOf, unreadCount } from "./repo.js";

export interface MailboxDeps {
  store: Store;
  clock: Clock;
  secret: string;
}

/** Statuses in which the citizen may still write about a submission. */
const openForReplies = new Set(["waiting", "in_progress", "received"]);

/** The citizen's side of the timeline: read it, mark it read, answer, download documents. */
export function mailboxService(deps: MailboxDeps) {
  const { store, clock } = deps;
  const db = store.db;

  async function ownSubmission(tenant: Tenant, account: Account, id: string) {
    const s = await findSubmission(db, tenant.id, id);
    if (!s || s.accountId !== account.id) throw AppError.of(404, "not_found");
    return s;
  }

  return {
    async page(tenant: Tenant, account: Account, q: MailboxQuery): Promise<MailboxPage> {
      const limit = q.limit ?? 30;
      const items = await postfachOf(db, tenant.id, account.id, limit + 1, q.cursor);
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page, nextCursor: items.length > limit && last ? `${Date.parse(last.at)}.${last.id}` : null, unread: await unreadCount(db, tenant.id, account.id) };
    },

    async read(tenant: Tenant, account: Account, upTo: number) {
      await markRead(db, tenant.id, account.id, upTo, clock.now()).execute();
    },

    /** Where a reply's file goes: the account's own upload, for this submission. */
    async replyTarget(tenant: Tenant, account: Account, submissionId: string) {
      const s = await ownSubmission(tenant, account, submissionId);
      if (!openForReplies.has(s.status)) throw AppError.of(409, "invalid_transition");
      return s;
    },

    /** The citizen's answer; on a Rückfrage the submission goes back to the clerk (in progress). */
    async reply(tenant: Tenant, account: Account, submissionId: string, input: MessageInput): Promise<TimelineEntry> {
      const s = await ownSubmission(tenant, account, submissionId);
      if (!openForReplies.has(s.status)) throw AppError.of(409, "invalid_transition");
      const ids = input.uploads ?? [];
      const files = await findUploads(db, tenant.id, ids);
      const usable = files.filter((u) => u.accountId === account.id && u.field === `_reply` && u.formId === s.formId && u.submissionId === null);
      if (usable.length !== new Set(ids).size) {
        throw AppError.of(400, "validation_failed", { uploads: { code: "upload_not_found", messages: { de: "Eine Datei ist nicht (mehr) vorhanden. Bitte laden Sie sie erneut hoch.", en: "A file is not available (any more). Please upload it again." } } });
      }
      const now = clock.now();
      const id = randomId("e");
      const writes = [
        insertEntry(db, tenant.id, { id, submissionId, accountId: account.id, kind: "reply", text: input.text, authorId: account.id, at: now, readAt: now }),
        ...attachFiles(db, tenant.id, id, [...new Set(ids)]),
        db
          .updateTable("submissions")
          .set({ office_unread: 1, updated_at: now, ...(s.status === "waiting" ? { status: "in_progress" as const } : {}) })
          .where("tenant_id", "=", tenant.id)
          .where("id", "=", submissionId),
      ];
      if (s.status === "waiting") {
        writes.push(insertEntry(db, tenant.id, { id: randomId("e"), submissionId, accountId: account.id, kind: "status", status: "in_progress", authorId: account.id, at: now + 1, readAt: now }));
      }
      await store.atomic(writes);
      const entry = (await historyOf(db, tenant.id, submissionId)).find((e) => e.id === id)!;
      return entry;
    },

    /** A document of the account's Postfach; anyone else's is not found. */
    async document(tenant: Tenant, account: Account, uploadId: string) {
      const file = await findEntryFile(db, tenant.id, uploadId);
      if (!file || file.accountId !== account.id) throw AppError.of(404, "not_found");
      return file;
    },

    /** Anonymous senders follow their submission through the receipt link, read-only. */
    async anonymous(tenant: Tenant, submissionId: string, token: string) {
      const s = await findSubmission(db, tenant.id, submissionId);
      if (!s || !(await linkTokenMatches(deps.secret, "receipt", tenant.id, submissionId, token))) throw AppError.of(404, "not_found");
      const form = await findFormVersion(db, tenant.id, s.formId, s.formVersion);
      return { reference: s.reference, formTitle: form?.title ?? { de: s.formId }, status: s.status, history: (await historyOf(db, tenant.id, submissionId)).map((e) => ({ ...e, unread: false })) };
    },
  };
}

export type MailboxService = ReturnType<typeof mailboxService>;
