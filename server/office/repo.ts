import { type Compilable, type SelectQueryBuilder, sql } from "kysely";
import type { Database, Db, Role, SubmissionStatusColumn } from "../db/schema.js";
import type { InboxQuery } from "./inputs.js";

/** Office queries: what a clerk may see, filtered and paged; staff and their departments; the audit log. */

/** Who is asking: admins see every department, staff theirs (and forms without one). */
export interface Scope {
  accountId: string;
  admin: boolean;
  departments: string[];
}

export async function departmentsOf(db: Db, tenantId: string, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom("staff_departments").select("department").where("tenant_id", "=", tenantId).where("account_id", "=", accountId).orderBy("department").execute();
  return rows.map((r) => r.department);
}

type SubmissionsQuery = SelectQueryBuilder<Database, "submissions", object>;

/** The rule of what a clerk sees, for every query over submissions (the hand-off's exports too). */
export function scoped(q: SubmissionsQuery, scope: Scope): SubmissionsQuery {
  if (scope.admin) return q;
  return q.where((eb) => eb.or([eb("submissions.department", "is", null), ...(scope.departments.length ? [eb("submissions.department", "in", scope.departments)] : [])]));
}

function filtered(db: Db, tenantId: string, scope: Scope, f: Omit<InboxQuery, "cursor" | "limit" | "sort" | "status">, dayStart: (d: string) => number): SubmissionsQuery {
  let q = scoped(db.selectFrom("submissions").where("submissions.tenant_id", "=", tenantId), scope);
  if (f.form) q = q.where("submissions.form_id", "=", f.form);
  if (f.assignee === "me") q = q.where("submissions.assignee_id", "=", scope.accountId);
  else if (f.assignee === "none") q = q.where("submissions.assignee_id", "is", null);
  else if (f.assignee) q = q.where("submissions.assignee_id", "=", f.assignee);
  if (f.unread !== undefined) q = q.where("submissions.office_unread", "=", f.unread ? 1 : 0);
  if (f.from) q = q.where("submissions.submitted_at", ">=", dayStart(f.from));
  // Up to the start of the next day, which is not always 24 hours later (daylight saving time).
  if (f.to) q = q.where("submissions.submitted_at", "<", dayStart(nextDay(f.to)));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) => eb.or([eb("submissions.reference", "like", sql<string>`${like} ESCAPE '\\'`), eb("submissions.applicant_name", "like", sql<string>`${like} ESCAPE '\\'`)]));
  }
  return q;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);

export interface InboxRow {
  id: string;
  reference: string;
  formId: string;
  formVersion: number;
  department: string | null;
  status: SubmissionStatusColumn;
  submittedAt: number;
  applicantName: string;
  assigneeId: string | null;
  unread: boolean;
}

export async function inbox(db: Db, tenantId: string, scope: Scope, f: InboxQuery, dayStart: (d: string) => number): Promise<{ rows: InboxRow[]; counts: Array<{ status: SubmissionStatusColumn; n: number }> }> {
  const base = filtered(db, tenantId, scope, f, dayStart);
  const newest = (f.sort ?? "newest") === "newest";
  let q = (f.status ? base.where("submissions.status", "=", f.status) : base).select([
    "submissions.id",
    "submissions.reference",
    "submissions.form_id",
    "submissions.form_version",
    "submissions.department",
    "submissions.status",
    "submissions.submitted_at",
    "submissions.applicant_name",
    "submissions.assignee_id",
    "submissions.office_unread",
  ]);
  if (f.cursor) q = q.where((eb) => eb(eb.refTuple("submissions.submitted_at", "submissions.id"), newest ? "<" : ">", eb.tuple(f.cursor!.at, f.cursor!.id)));
  const rows = await q
    .orderBy("submissions.submitted_at", newest ? "desc" : "asc")
    .orderBy("submissions.id", newest ? "desc" : "asc")
    .limit((f.limit ?? 25) + 1)
    .execute();
  const counts = await base.select(["submissions.status"]).select((eb) => eb.fn.countAll<number>().as("n")).groupBy("submissions.status").execute();
  return {
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      formId: r.form_id,
      formVersion: r.form_version,
      department: r.department,
      status: r.status,
      submittedAt: r.submitted_at,
      applicantName: r.applicant_name,
      assigneeId: r.assignee_id,
      unread: r.office_unread === 1,
    })),
    counts: counts.map((c) => ({ status: c.status, n: Number(c.n) })),
  };
}

/** One submission's office fields, if this scope may see it. */
export async function officeRow(db: Db, tenantId: string, scope: Scope, id: string) {
  return scoped(db.selectFrom("submissions").where("submissions.tenant_id", "=", tenantId), scope)
    .select(["submissions.department", "submissions.applicant_name", "submissions.assignee_id", "submissions.office_unread", "submissions.status_reason"])
    .where("submissions.id", "=", id)
    .executeTakeFirst();
}

export interface StaffRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  disabled: boolean;
  departments: string[];
}

export async function staffOf(db: Db, tenantId: string, ids?: ReadonlyArray<string>): Promise<StaffRow[]> {
  let q = db.selectFrom("accounts").select(["id", "name", "email", "role", "disabled_at"]).where("tenant_id", "=", tenantId).where("role", "in", ["staff", "admin"]).where("email_verified_at", "is not", null);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where("id", "in", ids);
  }
  const rows = await q.orderBy("name").execute();
  const deps = rows.length
    ? await db.selectFrom("staff_departments").select(["account_id", "department"]).where("tenant_id", "=", tenantId).where("account_id", "in", rows.map((r) => r.id)).execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    disabled: r.disabled_at !== null,
    departments: deps.filter((d) => d.account_id === r.id).map((d) => d.department).sort(),
  }));
}

export function replaceDepartments(db: Db, tenantId: string, accountId: string, departments: ReadonlyArray<string>): Compilable[] {
  return [
    db.deleteFrom("staff_departments").where("tenant_id", "=", tenantId).where("account_id", "=", accountId),
    ...departments.map((d) => db.insertInto("staff_departments").values({ tenant_id: tenantId, account_id: accountId, department: d })),
  ];
}

export async function notesOf(db: Db, tenantId: string, submissionId: string) {
  return db
    .selectFrom("submission_notes as n")
    .leftJoin("accounts as a", (j) => j.onRef("a.tenant_id", "=", "n.tenant_id").onRef("a.id", "=", "n.author_id"))
    .select(["n.id", "n.text", "n.author_id", "a.name", "n.created_at"])
    .where("n.tenant_id", "=", tenantId)
    .where("n.submission_id", "=", submissionId)
    .orderBy("n.created_at")
    .execute();
}

export function audit(db: Db, tenantId: string, e: { id: string; actorId: string | null; action: string; subject: string; before?: unknown; after?: unknown; at: number }) {
  return db.insertInto("audit_log").values({
    tenant_id: tenantId,
    id: e.id,
    actor_id: e.actorId,
    action: e.action,
    subject: e.subject,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    created_at: e.at,
  });
}

export async function auditPage(db: Db, tenantId: string, limit: number, before?: { at: number; id: string }) {
  let q = db
    .selectFrom("audit_log as l")
    .leftJoin("accounts as a", (j) => j.onRef("a.tenant_id", "=", "l.tenant_id").onRef("a.id", "=", "l.actor_id"))
    .select(["l.id", "l.actor_id", "a.name", "l.action", "l.subject", "l.before", "l.after", "l.created_at"])
    .where("l.tenant_id", "=", tenantId);
  if (before) q = q.where((eb) => eb(eb.refTuple("l.created_at", "l.id"), "<", eb.tuple(before.at, before.id)));
  return q.orderBy("l.created_at", "desc").orderBy("l.id", "desc").limit(limit).execute();
}
