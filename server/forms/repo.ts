import { searchTerms } from "../office/search.js";
import { type Compilable, sql } from "kysely";
import type { Db, SubmissionStatusColumn } from "../db/schema.js";
import type { FormData, FormDefinition } from "./definition.js";
import type { StoredDefinition } from "./sync.js";

/** Rows of the forms tables, mapped to domain shapes here and nowhere else. */

function toDefinition(row: { definition: string; version: number }): FormDefinition {
  return { ...(JSON.parse(row.definition) as StoredDefinition), version: row.version };
}

/** The forms a town serves now, each in its current version. */
export async function listActiveForms(db: Db, tenantId: string): Promise<FormDefinition[]> {
  const rows = await db
    .selectFrom("forms as f")
    .innerJoin("form_versions as v", (j) => j.onRef("v.tenant_id", "=", "f.tenant_id").onRef("v.form_id", "=", "f.id").onRef("v.version", "=", "f.version"))
    .select(["v.definition", "v.version"])
    .where("f.tenant_id", "=", tenantId)
    .where("f.active", "=", 1)
    .orderBy("f.id")
    .execute();
  return rows.map(toDefinition);
}

export async function findActiveForm(db: Db, tenantId: string, formId: string): Promise<FormDefinition | null> {
  const row = await db
    .selectFrom("forms as f")
    .innerJoin("form_versions as v", (j) => j.onRef("v.tenant_id", "=", "f.tenant_id").onRef("v.form_id", "=", "f.id").onRef("v.version", "=", "f.version"))
    .select(["v.definition", "v.version"])
    .where("f.tenant_id", "=", tenantId)
    .where("f.id", "=", formId)
    .where("f.active", "=", 1)
    .executeTakeFirst();
  return row ? toDefinition(row) : null;
}

/** Any version ever served, active or not: stored submissions are read with theirs. */
export async function findFormVersion(db: Db, tenantId: string, formId: string, version: number): Promise<FormDefinition | null> {
  const row = await db
    .selectFrom("form_versions")
    .select(["definition", "version"])
    .where("tenant_id", "=", tenantId)
    .where("form_id", "=", formId)
    .where("version", "=", version)
    .executeTakeFirst();
  return row ? toDefinition(row) : null;
}

export interface DraftRecord {
  formVersion: number;
  data: FormData;
  updatedAt: number;
  expiresAt: number;
}

export async function findDraft(db: Db, tenantId: string, accountId: string, formId: string, now: number): Promise<DraftRecord | null> {
  const row = await db
    .selectFrom("form_drafts")
    .select(["form_version", "data", "updated_at", "expires_at"])
    .where("tenant_id", "=", tenantId)
    .where("account_id", "=", accountId)
    .where("form_id", "=", formId)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row ? { formVersion: row.form_version, data: JSON.parse(row.data) as FormData, updatedAt: row.updated_at, expiresAt: row.expires_at } : null;
}

export function saveDraft(db: Db, tenantId: string, accountId: string, formId: string, d: DraftRecord) {
  const values = { form_version: d.formVersion, data: JSON.stringify(d.data), updated_at: d.updatedAt, expires_at: d.expiresAt };
  return db
    .insertInto("form_drafts")
    .values({ tenant_id: tenantId, account_id: accountId, form_id: formId, ...values })
    .onConflict((oc) => oc.columns(["tenant_id", "account_id", "form_id"]).doUpdateSet(values));
}

export function deleteDraft(db: Db, tenantId: string, accountId: string, formId: string) {
  return db.deleteFrom("form_drafts").where("tenant_id", "=", tenantId).where("account_id", "=", accountId).where("form_id", "=", formId);
}

export interface UploadRecord {
  id: string;
  formId: string;
  /** The file field without entry indexes: `hunde.nachweis`. */
  field: string;
  accountId: string | null;
  name: string;
  size: number;
  mediaType: string;
  sha256: string;
  blobKey: string;
  createdAt: number;
  /** Set once a submission took the file. */
  submissionId: string | null;
}

export function insertUpload(db: Db, tenantId: string, u: Omit<UploadRecord, "submissionId">) {
  return db.insertInto("uploads").values({
    tenant_id: tenantId,
    id: u.id,
    form_id: u.formId,
    field: u.field,
    account_id: u.accountId,
    name: u.name,
    size: u.size,
    media_type: u.mediaType,
    sha256: u.sha256,
    blob_key: u.blobKey,
    created_at: u.createdAt,
  });
}

const uploadColumns = (db: Db, tenantId: string) =>
  db
    .selectFrom("uploads as u")
    .leftJoin("submission_uploads as s", (j) => j.onRef("s.tenant_id", "=", "u.tenant_id").onRef("s.upload_id", "=", "u.id"))
    .select(["u.id", "u.form_id", "u.field", "u.account_id", "u.name", "u.size", "u.media_type", "u.sha256", "u.blob_key", "u.created_at", "s.submission_id"])
    .where("u.tenant_id", "=", tenantId);

type UploadRow = Awaited<ReturnType<ReturnType<typeof uploadColumns>["executeTakeFirstOrThrow"]>>;
const toUpload = (r: UploadRow): UploadRecord => ({
  id: r.id,
  formId: r.form_id,
  field: r.field,
  accountId: r.account_id,
  name: r.name,
  size: r.size,
  mediaType: r.media_type,
  sha256: r.sha256,
  blobKey: r.blob_key,
  createdAt: r.created_at,
  submissionId: r.submission_id,
});

export async function findUploads(db: Db, tenantId: string, ids: ReadonlyArray<string>): Promise<UploadRecord[]> {
  if (ids.length === 0) return [];
  return (await uploadColumns(db, tenantId).where("u.id", "in", ids).execute()).map(toUpload);
}

export async function uploadsOfSubmission(db: Db, tenantId: string, submissionId: string): Promise<UploadRecord[]> {
  return (await uploadColumns(db, tenantId).where("s.submission_id", "=", submissionId).orderBy("u.created_at").execute()).map(toUpload);
}

export function deleteUploadRow(db: Db, tenantId: string, id: string) {
  return db.deleteFrom("uploads").where("tenant_id", "=", tenantId).where("id", "=", id);
}

/** Uploads older than `before` that no submission took: their bytes and rows go. */
export async function unusedUploadsBefore(db: Db, before: number, limit: number): Promise<Array<{ tenantId: string; id: string; blobKey: string }>> {
  const rows = await db
    .selectFrom("uploads as u")
    .select(["u.tenant_id", "u.id", "u.blob_key"])
    .where("u.created_at", "<", before)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("submission_uploads as s").select(sql`1`.as("x")).whereRef("s.tenant_id", "=", "u.tenant_id").whereRef("s.upload_id", "=", "u.id"))),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, blobKey: r.blob_key }));
}

export interface SubmissionRecord {
  id: string;
  reference: string;
  formId: string;
  formVersion: number;
  accountId: string | null;
  email: string;
  lang: "de" | "en";
  data: FormData;
  status: SubmissionStatusColumn;
  idempotencyKey: string;
  requestHash: string;
  submittedAt: number;
  updatedAt: number;
}

const submissionColumns = (db: Db, tenantId: string) =>
  db
    .selectFrom("submissions")
    .select(["id", "reference", "form_id", "form_version", "account_id", "email", "lang", "data", "status", "idempotency_key", "request_hash", "submitted_at", "updated_at"])
    .where("tenant_id", "=", tenantId);

type SubmissionRow = Awaited<ReturnType<ReturnType<typeof submissionColumns>["executeTakeFirstOrThrow"]>>;
const toSubmission = (r: SubmissionRow): SubmissionRecord => ({
  id: r.id,
  reference: r.reference,
  formId: r.form_id,
  formVersion: r.form_version,
  accountId: r.account_id,
  email: r.email,
  lang: r.lang,
  data: JSON.parse(r.data) as FormData,
  status: r.status,
  idempotencyKey: r.idempotency_key,
  requestHash: r.request_hash,
  submittedAt: r.submitted_at,
  updatedAt: r.updated_at,
});

export async function findSubmission(db: Db, tenantId: string, id: string): Promise<SubmissionRecord | null> {
  const row = await submissionColumns(db, tenantId).where("id", "=", id).executeTakeFirst();
  return row ? toSubmission(row) : null;
}

export async function findSubmissionByReference(db: Db, tenantId: string, reference: string): Promise<SubmissionRecord | null> {
  const row = await submissionColumns(db, tenantId).where("reference", "=", reference).executeTakeFirst();
  return row ? toSubmission(row) : null;
}

export async function findSubmissionByIdempotencyKey(db: Db, tenantId: string, key: string): Promise<SubmissionRecord | null> {
  const row = await submissionColumns(db, tenantId).where("idempotency_key", "=", key).executeTakeFirst();
  return row ? toSubmission(row) : null;
}

/** An account's submissions, newest first, after the cursor (`submitted_at`, `id`). */
export async function listSubmissionsOfAccount(db: Db, tenantId: string, accountId: string, limit: number, after?: { at: number; id: string }): Promise<SubmissionRecord[]> {
  let q = submissionColumns(db, tenantId).where("account_id", "=", accountId);
  if (after) q = q.where((eb) => eb(eb.refTuple("submitted_at", "id"), "<", eb.tuple(after.at, after.id)));
  return (await q.orderBy("submitted_at", "desc").orderBy("id", "desc").limit(limit).execute()).map(toSubmission);
}

/** The reference of a submission written earlier in the same atomic unit. */
export function referenceOf(tenantId: string, submissionId: string) {
  return sql<string>`(SELECT reference FROM submissions WHERE tenant_id = ${tenantId} AND id = ${submissionId})`;
}

/**
 * The writes of a new submission, run as one atomic unit with the uploads it takes and its
 * messages. The reference number comes from the town's counter for the year inside the same
 * write, so two submissions at the same moment never share one, on SQLite or D1.
 */
export function submissionWrites(
  db: Db,
  tenantId: string,
  s: Omit<SubmissionRecord, "reference" | "status">,
  opts: { prefix: string; year: number; receiptTokenHash: string; uploadIds: ReadonlyArray<string>; department: string | null; applicantName: string },
): Compilable[] {
  const counter = db
    .insertInto("reference_counters")
    .values({ tenant_id: tenantId, year: opts.year, value: 1 })
    .onConflict((oc) => oc.columns(["tenant_id", "year"]).doUpdateSet((eb) => ({ value: eb("reference_counters.value", "+", 1) })));
  const reference = sql<string>`${`${opts.prefix}-${opts.year}-`} || printf('%06d', (SELECT value FROM reference_counters WHERE tenant_id = ${tenantId} AND year = ${opts.year}))`;
  const insert = db.insertInto("submissions").values({
    tenant_id: tenantId,
    id: s.id,
    reference,
    form_id: s.formId,
    form_version: s.formVersion,
    account_id: s.accountId,
    email: s.email,
    lang: s.lang,
    data: JSON.stringify(s.data),
    idempotency_key: s.idempotencyKey,
    request_hash: s.requestHash,
    receipt_token_hash: opts.receiptTokenHash,
    submitted_at: s.submittedAt,
    updated_at: s.updatedAt,
    department: opts.department,
    applicant_name: opts.applicantName,
  });
  // The first entry of its timeline (and of the sender's Postfach).
  const arrived = db.insertInto("timeline").values({
    tenant_id: tenantId,
    id: `${s.id}_in`,
    submission_id: s.id,
    account_id: s.accountId,
    kind: "submitted",
    status: "received",
    reason: null,
    text: null,
    author_id: s.accountId,
    created_at: s.submittedAt,
    read_at: s.submittedAt,
  });
  const links = opts.uploadIds.map((uploadId) => db.insertInto("submission_uploads").values({ tenant_id: tenantId, upload_id: uploadId, submission_id: s.id }));
  // What the office's inbox search finds it by (server/office/search.ts).
  const terms = searchTerms(opts.applicantName).map((term) => ({ tenant_id: tenantId, term, submitted_at: s.submittedAt, submission_id: s.id }));
  return [counter, insert, arrived, ...links, ...(terms.length ? [db.insertInto("submission_terms").values(terms)] : [])];
}
