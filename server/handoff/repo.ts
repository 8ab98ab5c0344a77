import { type SelectQueryBuilder, sql } from "kysely";
import type { Database, Db, SubmissionStatusColumn } from "../db/schema.js";
import type { FormData, FormDefinition } from "../forms/definition.js";
import { findFormVersion } from "../forms/repo.js";
import { type Scope, scoped } from "../office/repo.js";
import type { RepeatGroup } from "./csv.js";
import { type DeliveryStatus, type WebhookDeliveriesTable } from "./tables.js";

/** Queries of the hand-off: the delivery log, and the submissions of a form for the CSV export. */

export interface DeliveryRow extends WebhookDeliveriesTable {
  reference: string | null;
}

export async function findDelivery(db: Db, tenantId: string, id: string): Promise<WebhookDeliveriesTable | undefined> {
  return db.selectFrom("webhook_deliveries").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}

/** Newest first, after the cursor (`created_at`, `id`). */
export async function deliveriesPage(db: Db, tenantId: string, limit: number, opts: { before?: { at: number; id: string }; status?: DeliveryStatus } = {}): Promise<DeliveryRow[]> {
  let q = db
    .selectFrom("webhook_deliveries as d")
    .leftJoin("submissions as s", (j) => j.onRef("s.tenant_id", "=", "d.tenant_id").onRef("s.id", "=", "d.submission_id"))
    .selectAll("d")
    .select("s.reference")
    .where("d.tenant_id", "=", tenantId);
  if (opts.status) q = q.where("d.status", "=", opts.status);
  const before = opts.before;
  if (before) q = q.where((eb) => eb(eb.refTuple("d.created_at", "d.id"), "<", eb.tuple(before.at, before.id)));
  return q.orderBy("d.created_at", "desc").orderBy("d.id", "desc").limit(limit).execute();
}

export async function attemptsOf(db: Db, tenantId: string, deliveryIds: ReadonlyArray<string>) {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom("webhook_attempts")
    .select(["delivery_id", "attempt", "at", "status_code", "error", "duration_ms"])
    .where("tenant_id", "=", tenantId)
    .where("delivery_id", "in", deliveryIds)
    .orderBy("delivery_id")
    .orderBy("attempt")
    .execute();
}

/** The version a form is served in now, or was last served in if the town switched it off. */
export async function currentFormVersion(db: Db, tenantId: string, formId: string): Promise<FormDefinition | null> {
  const row = await db.selectFrom("forms").select("version").where("tenant_id", "=", tenantId).where("id", "=", formId).executeTakeFirst();
  return row ? findFormVersion(db, tenantId, formId, row.version) : null;
}

export interface Period {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  until: number;
}


const ofForm = (db: Db, tenantId: string, formId: string, period: Period, scope: Scope) =>
  scoped(
    db
      .selectFrom("submissions")
      .where("submissions.tenant_id", "=", tenantId)
      .where("submissions.form_id", "=", formId)
      .where("submissions.submitted_at", ">=", period.from)
      .where("submissions.submitted_at", "<", period.until),
    scope,
  );

/**
 * The most entries any of these submissions has in each repeated group, counted by SQLite's
 * JSON functions (D1 has them too) so the CSV can be written in one pass: one query per group,
 * nested groups through `json_each` of the groups around them.
 */
export async function repeatCounts(db: Db, tenantId: string, formId: string, period: Period, scope: Scope, groups: ReadonlyArray<RepeatGroup>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const g of groups) {
    const outer = g.chain.slice(0, -1);
    const last = g.chain[g.chain.length - 1]!;
    // Aliases are ours (j0, j1 …); the JSON paths are bound as parameters. Kysely puts the subquery in
    // parentheses. An entry that is not an object (data of an older version) counts as an empty one:
    // `value` of a text entry is not JSON, and the JSON functions would fail on it.
    const source = (i: number) => (i === 0 ? sql.ref("submissions.data") : sql`CASE WHEN ${sql.ref(`j${i - 1}.type`)} = 'object' THEN ${sql.ref(`j${i - 1}.value`)} ELSE '{}' END`);
    const joins = outer.map((path, i) => sql`, json_each(${source(i)}, ${path}) AS ${sql.raw(`j${i}`)}`);
    const inner = ofForm(db, tenantId, formId, period, scope).select("submissions.data");
    const { rows } = await sql<{ n: number | null }>`
      SELECT MAX(json_array_length(${source(outer.length)}, ${last})) AS n
      FROM ${inner} AS submissions ${sql.join(joins, sql``)}`.execute(db);
    counts.set(g.key, Number(rows[0]?.n ?? 0));
  }
  return counts;
}

export interface CsvRowRecord {
  id: string;
  reference: string;
  submittedAt: number;
  status: SubmissionStatusColumn;
  applicant: string;
  data: FormData;
}

/** One page of the export, oldest first, after the cursor (`submitted_at`, `id`). */
export async function submissionsForCsv(db: Db, tenantId: string, formId: string, period: Period, scope: Scope, limit: number, after?: { at: number; id: string }): Promise<CsvRowRecord[]> {
  let q = ofForm(db, tenantId, formId, period, scope).select(["submissions.id", "submissions.reference", "submissions.submitted_at", "submissions.status", "submissions.applicant_name", "submissions.data"]);
  if (after) q = q.where((eb) => eb(eb.refTuple("submissions.submitted_at", "submissions.id"), ">", eb.tuple(after.at, after.id)));
  const rows = await q.orderBy("submissions.submitted_at").orderBy("submissions.id").limit(limit).execute();
  return rows.map((r) => ({ id: r.id, reference: r.reference, submittedAt: r.submitted_at, status: r.status, applicant: r.applicant_name, data: JSON.parse(r.data) as FormData }));
}

/** Upload id → file name, for the files of these submissions. */
export async function fileNamesOf(db: Db, tenantId: string, submissionIds: ReadonlyArray<string>): Promise<Map<string, string>> {
  if (submissionIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("submission_uploads as s")
    .innerJoin("uploads as u", (j) => j.onRef("u.tenant_id", "=", "s.tenant_id").onRef("u.id", "=", "s.upload_id"))
    .select(["u.id", "u.name"])
    .where("s.tenant_id", "=", tenantId)
    .where("s.submission_id", "in", submissionIds)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
