import { type Compilable, sql } from "kysely";
import type { Db, SubmissionStatusColumn, TimelineKind } from "../db/schema.js";
import type { Text } from "../forms/definition.js";
import type { DocumentRef, TimelineEntry } from "./api-types.js";

/** The timeline of submissions, which is also each citizen's Postfach. Rows are mapped here only. */

export interface NewEntry {
  id: string;
  submissionId: string;
  accountId: string | null;
  kind: TimelineKind;
  status?: SubmissionStatusColumn | null;
  reason?: string | null;
  text?: string | null;
  authorId: string | null;
  at: number;
  /** Entries the citizen wrote or caused are read already. */
  readAt?: number | null;
}

export function insertEntry(db: Db, tenantId: string, e: NewEntry) {
  return db.insertInto("timeline").values({
    tenant_id: tenantId,
    id: e.id,
    submission_id: e.submissionId,
    account_id: e.accountId,
    kind: e.kind,
    status: e.status ?? null,
    reason: e.reason ?? null,
    text: e.text ?? null,
    author_id: e.authorId,
    created_at: e.at,
    read_at: e.readAt ?? null,
  });
}

/** Attaches uploads to an entry; an upload can belong to one entry only (the key refuses a second). */
export function attachFiles(db: Db, tenantId: string, entryId: string, uploadIds: ReadonlyArray<string>): Compilable[] {
  return uploadIds.map((id) => db.insertInto("timeline_files").values({ tenant_id: tenantId, upload_id: id, entry_id: entryId }));
}

const entryColumns = (db: Db, tenantId: string) =>
  db
    .selectFrom("timeline as t")
    .innerJoin("submissions as s", (j) => j.onRef("s.tenant_id", "=", "t.tenant_id").onRef("s.id", "=", "t.submission_id"))
    .innerJoin("form_versions as v", (j) => j.onRef("v.tenant_id", "=", "s.tenant_id").onRef("v.form_id", "=", "s.form_id").onRef("v.version", "=", "s.form_version"))
    .select(["t.id", "t.submission_id", "t.kind", "t.status", "t.reason", "t.text", "t.author_id", "t.created_at", "t.read_at", "s.reference", "s.form_id", "s.form_version", "v.definition"])
    .where("t.tenant_id", "=", tenantId);

type EntryRow = Awaited<ReturnType<ReturnType<typeof entryColumns>["executeTakeFirstOrThrow"]>>;

/** Form titles of the rows, parsed once per form version rather than once per row. */
async function toEntries(db: Db, tenantId: string, rows: EntryRow[]): Promise<TimelineEntry[]> {
  const titles = new Map<string, Text>();
  const titleOf = (r: EntryRow) => {
    const key = `${r.form_id}@${r.form_version}`;
    let title = titles.get(key);
    if (!title) titles.set(key, (title = (JSON.parse(r.definition) as { title: Text }).title));
    return title;
  };
  const files = await filesOf(db, tenantId, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    submissionId: r.submission_id,
    reference: r.reference,
    formTitle: titleOf(r),
    kind: r.kind,
    at: new Date(r.created_at).toISOString(),
    ...(r.status && r.kind !== "submitted" ? { status: r.status } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.text ? { text: r.text } : {}),
    ...(files.get(r.id) ? { documents: files.get(r.id)! } : {}),
    unread: r.read_at === null,
  }));
}

async function filesOf(db: Db, tenantId: string, entryIds: string[]): Promise<Map<string, DocumentRef[]>> {
  const out = new Map<string, DocumentRef[]>();
  if (entryIds.length === 0) return out;
  const rows = await db
    .selectFrom("timeline_files as f")
    .innerJoin("uploads as u", (j) => j.onRef("u.tenant_id", "=", "f.tenant_id").onRef("u.id", "=", "f.upload_id"))
    .select(["f.entry_id", "u.id", "u.name", "u.size", "u.media_type"])
    .where("f.tenant_id", "=", tenantId)
    .where("f.entry_id", "in", entryIds)
    .orderBy("u.created_at")
    .execute();
  for (const r of rows) {
    const list = out.get(r.entry_id) ?? [];
    list.push({ id: r.id, name: r.name, size: r.size, mediaType: r.media_type });
    out.set(r.entry_id, list);
  }
  return out;
}

/** A submission's whole history, oldest first. */
export async function historyOf(db: Db, tenantId: string, submissionId: string): Promise<TimelineEntry[]> {
  // Written in one go, entries can share a millisecond: then the order they were written in decides.
  const rows = await entryColumns(db, tenantId).where("t.submission_id", "=", submissionId).orderBy("t.created_at").orderBy(sql`t.rowid`).execute();
  return toEntries(db, tenantId, rows);
}

/** An account's Postfach, newest first, after the cursor. */
export async function postfachOf(db: Db, tenantId: string, accountId: string, limit: number, before?: { at: number; id: string }): Promise<TimelineEntry[]> {
  let q = entryColumns(db, tenantId).where("t.account_id", "=", accountId);
  if (before) q = q.where((eb) => eb(eb.refTuple("t.created_at", "t.id"), "<", eb.tuple(before.at, before.id)));
  const rows = await q.orderBy("t.created_at", "desc").orderBy("t.id", "desc").limit(limit).execute();
  return toEntries(db, tenantId, rows);
}

export async function unreadCount(db: Db, tenantId: string, accountId: string): Promise<number> {
  const row = await db
    .selectFrom("timeline")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function markRead(db: Db, tenantId: string, accountId: string, upTo: number, now: number) {
  return db
    .updateTable("timeline")
    .set({ read_at: now })
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .where("read_at", "is", null)
    .where("created_at", "<=", upTo);
}

/** A file attached to a timeline entry, with the account whose Postfach the entry is in. */
export async function findEntryFile(db: Db, tenantId: string, uploadId: string) {
  return db
    .selectFrom("timeline_files as f")
    .innerJoin("timeline as t", (j) => j.onRef("t.tenant_id", "=", "f.tenant_id").onRef("t.id", "=", "f.entry_id"))
    .innerJoin("uploads as u", (j) => j.onRef("u.tenant_id", "=", "f.tenant_id").onRef("u.id", "=", "f.upload_id"))
    .select(["u.id", "u.name", "u.size", "u.media_type as mediaType", "u.blob_key as blobKey", "t.account_id as accountId", "t.submission_id as submissionId"])
    .where("f.tenant_id", "=", tenantId)
    .where("f.upload_id", "=", uploadId)
    .executeTakeFirst();
}
