import { type Compilable, type Expression, type SelectQueryBuilder, type SqlBool, expressionBuilder, sql } from "kysely";
import type { Database, Db, Role, SubmissionStatusColumn } from "../db/schema.js";
import type { InboxQuery } from "./inputs.js";
import { parseSearch, prefixEnd } from "./search.js";

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
const eb = expressionBuilder<Database, "submissions">();

/** The rule of what a clerk sees, for every query over submissions (the hand-off's exports too). */
export function scoped(q: SubmissionsQuery, scope: Scope): SubmissionsQuery {
  return scope.admin ? q : q.where(visibleIn(scope));
}

const visibleIn = (scope: Scope) => eb.or([eb("submissions.department", "is", null), ...(scope.departments.length ? [eb("submissions.department", "in", scope.departments)] : [])]);

type Filters = Omit<InboxQuery, "cursor" | "limit" | "sort" | "status" | "q">;

/** The inbox's filters but status (which picks the page, not the counts) and the search. */
function filters(tenantId: string, scope: Scope, f: Filters, dayStart: (d: string) => number): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [eb("submissions.tenant_id", "=", tenantId)];
  if (!scope.admin) all.push(visibleIn(scope));
  if (f.form) all.push(eb("submissions.form_id", "=", f.form));
  if (f.assignee === "me") all.push(eb("submissions.assignee_id", "=", scope.accountId));
  else if (f.assignee === "none") all.push(eb("submissions.assignee_id", "is", null));
  else if (f.assignee) all.push(eb("submissions.assignee_id", "=", f.assignee));
  if (f.unread !== undefined) all.push(eb("submissions.office_unread", "=", f.unread ? 1 : 0));
  if (f.from) all.push(eb("submissions.submitted_at", ">=", dayStart(f.from)));
  // Up to the start of the next day, which is not always 24 hours later (daylight saving time).
  if (f.to) all.push(eb("submissions.submitted_at", "<", dayStart(nextDay(f.to))));
  return eb.and(all);
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

type Counts = Array<{ status: SubmissionStatusColumn; n: number }>;

/** What an inbox row needs; all of it but form_version is in the inbox indexes (migrations/0010_office_inbox.sql). */
const indexed = [
  "submissions.id",
  "submissions.reference",
  "submissions.form_id",
  "submissions.department",
  "submissions.status",
  "submissions.submitted_at",
  "submissions.applicant_name",
  "submissions.assignee_id",
  "submissions.office_unread",
] as const;

type IndexedRow = { id: string; reference: string; form_id: string; department: string | null; status: SubmissionStatusColumn; submitted_at: number; applicant_name: string; assignee_id: string | null; office_unread: number };

const toRow = (r: IndexedRow, formVersion: number): InboxRow => ({
  id: r.id,
  reference: r.reference,
  formId: r.form_id,
  formVersion,
  department: r.department,
  status: r.status,
  submittedAt: r.submitted_at,
  applicantName: r.applicant_name,
  assigneeId: r.assignee_id,
  unread: r.office_unread === 1,
});

/** One page of the inbox (a row more than asked, to tell whether another follows) and the counts per status. */
export async function inbox(db: Db, tenantId: string, scope: Scope, f: InboxQuery, dayStart: (d: string) => number): Promise<{ rows: InboxRow[]; counts: Counts }> {
  const where = filters(tenantId, scope, f, dayStart);
  const search = f.q === undefined ? null : parseSearch(f.q);
  if (search?.kind === "words") return pageOfMatches(db, tenantId, f, await wordMatches(db, tenantId, where, search.words));
  if (search?.kind === "number") return pageOfMatches(db, tenantId, f, await numberMatches(db, where, search.number, search.year));
  // A reference's beginning is a range on the unique reference index, narrow enough for the planner to take it.
  const base = db.selectFrom("submissions").where(search?.kind === "reference" ? eb.and([where, eb("submissions.reference", ">=", search.prefix), eb("submissions.reference", "<", prefixEnd(search.prefix))]) : where);
  const newest = (f.sort ?? "newest") === "newest";
  let q = (f.status ? base.where("submissions.status", "=", f.status) : base).select([...indexed, "submissions.form_version"]);
  if (f.cursor) q = q.where((e) => e(e.refTuple("submissions.submitted_at", "submissions.id"), newest ? "<" : ">", e.tuple(f.cursor!.at, f.cursor!.id)));
  const page = q
    .orderBy("submissions.submitted_at", newest ? "desc" : "asc")
    .orderBy("submissions.id", newest ? "desc" : "asc")
    .limit((f.limit ?? 25) + 1);
  const count = base.select(["submissions.status"]).select((e) => e.fn.countAll<number>().as("n")).groupBy("submissions.status");
  // Narrowed by status alone (or not at all): the counts the triggers keep, not a walk of the town.
  const unfiltered = !search && f.form === undefined && f.assignee === undefined && f.unread === undefined && f.from === undefined && f.to === undefined;
  const kept = () => {
    let k = db.selectFrom("submission_counts").select(["status"]).select((e) => e.fn.sum<number>("n").as("n")).where("tenant_id", "=", tenantId);
    if (!scope.admin) k = k.where("department", "in", ["", ...scope.departments]);
    return k.groupBy("status").execute();
  };
  // A clerk's own submissions: without statistics the planner prefers walking the town's status
  // index for the counts (it yields them grouped) over the assignee's few entries.
  const byAssignee = f.assignee !== undefined && !search;
  const [rows, counts] = byAssignee
    ? [await pinned(db, page, "submissions_inbox_assignee"), await pinned(db, count, "submissions_inbox_assignee")]
    : [await page.execute(), await (unfiltered ? kept() : count.execute())];
  return { rows: rows.map((r) => toRow(r, r.form_version)), counts: counts.map((c) => ({ status: c.status, n: Number(c.n) })) };
}

/**
 * Submissions whose applicant has a word beginning with each of `words`. The longest word leads
 * (the fewest terms begin with it); each match is checked in the inbox index, found by
 * (submitted_at, id) from the term, without reading the submission's row.
 */
async function wordMatches(db: Db, tenantId: string, where: Expression<SqlBool>, words: string[]): Promise<IndexedRow[]> {
  if (words.length === 0) return [];
  const [lead, ...rest] = [...words].sort((a, b) => b.length - a.length) as [string, ...string[]];
  const terms = (w: string) =>
    db
      .selectFrom("submission_terms")
      .where("tenant_id", "=", tenantId)
      .where("term", ">=", w)
      .where("term", "<", prefixEnd(w));
  let query = db
    .selectFrom(terms(lead).select(["submitted_at", "submission_id"]).distinct().as("t"))
    .crossJoin("submissions")
    .whereRef("submissions.submitted_at", "=", "t.submitted_at")
    .whereRef("submissions.id", "=", "t.submission_id")
    .where(where);
  for (const w of rest) query = query.where("submissions.id", "in", terms(w).select("submission_id"));
  return pinned(db, query.select([...indexed]), "submissions_inbox");
}

/** The number part of a reference, as migrations/0011_office_search.sql indexes it. */
const referenceNumber = sql<number>`CAST(substr(reference, instr(reference, '-') + 6) AS INTEGER)`;

async function numberMatches(db: Db, where: Expression<SqlBool>, n: number, year: number | null): Promise<IndexedRow[]> {
  let query = db.selectFrom("submissions").where(where).where(referenceNumber, "=", n);
  if (year !== null) query = query.where(sql<string>`substr(reference, instr(reference, '-') + 1, 4)`, "=", String(year));
  return pinned(db, query.select([...indexed]), "submissions_reference_number");
}

/**
 * Runs a query over submissions with SQLite's `INDEXED BY`. Without statistics the planner
 * weighs a walk of all of a town's entries in a covering index above a lookup per match, and a
 * search then takes 10 ms to 10 s instead of 1–10 ms (tests/node/office-query-plans.test.ts).
 * Kysely has no words for it, so it goes into the compiled statement.
 */
async function pinned<O>(db: Db, query: Compilable<O>, index: string): Promise<O[]> {
  const compiled = query.compile();
  const table = /(from|cross join) "submissions"(?= |$)/g;
  const found = compiled.sql.match(table);
  if (found?.length !== 1) throw new Error(`pinned: expected one "submissions" table in ${compiled.sql}`);
  return (await db.executeQuery<O>({ ...compiled, sql: compiled.sql.replace(table, (m) => `${m} INDEXED BY ${index}`) })).rows;
}

/** Counts, order, cursor and page of a search's matches, all of which were read anyway. */
async function pageOfMatches(db: Db, tenantId: string, f: InboxQuery, matches: IndexedRow[]): Promise<{ rows: InboxRow[]; counts: Counts }> {
  const counts = new Map<SubmissionStatusColumn, number>();
  for (const m of matches) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
  const newest = (f.sort ?? "newest") === "newest";
  const order = (a: IndexedRow, b: IndexedRow) => (a.submitted_at - b.submitted_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) * (newest ? -1 : 1);
  const after = (m: IndexedRow) => !f.cursor || order(m, { submitted_at: f.cursor.at, id: f.cursor.id } as IndexedRow) > 0;
  const page = matches
    .filter((m) => (!f.status || m.status === f.status) && after(m))
    .sort(order)
    .slice(0, (f.limit ?? 25) + 1);
  const versions = await formVersions(db, tenantId, page.map((m) => m.id));
  return { rows: page.map((m) => toRow(m, versions.get(m.id)!)), counts: [...counts].map(([status, n]) => ({ status, n })) };
}

async function formVersions(db: Db, tenantId: string, ids: string[]): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  // D1 binds at most 100 parameters to a statement.
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db.selectFrom("submissions").select(["id", "form_version"]).where("tenant_id", "=", tenantId).where("id", "in", ids.slice(i, i + 90)).execute();
    for (const r of rows) versions.set(r.id, r.form_version);
  }
  return versions;
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
