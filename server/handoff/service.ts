import type { Account } from "../accounts/account.js";
import type { Store } from "../db/store.js";
import type { BlobStore } from "../files/blobs.js";
import { berlinMidnight } from "../lib/berlin-time.js";
import { findFormVersion, findSubmission, uploadsOfSubmission } from "../forms/repo.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { type Scope, audit, departmentsOf, officeRow } from "../office/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import type { WebhookDelivery, WebhookDeliveryPage } from "./api-types.js";
import { answerColumns, csvHeader, csvRow, repeatGroups } from "./csv.js";
import { replayDelivery } from "./enqueue.js";
import { submissionPackage } from "./fit-package.js";
import type { SubmissionsCsvQuery, WebhooksQuery } from "./inputs.js";
import * as repo from "./repo.js";

export interface HandoffDeps {
  store: Store;
  clock: Clock;
  blobs: BlobStore;
  /** Wakes the background jobs after a replay queued a delivery. */
  onEnqueued: () => void;
}

const iso = (ms: number) => new Date(ms).toISOString();
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);

/** Rows per database read of the CSV export: the export streams, holding one page at a time. */
const csvPageSize = 200;

/** Submissions leaving the office to a town's systems: the webhook log and replays, the ZIP package, the CSV export. */
export function handoffService(deps: HandoffDeps) {
  const { store, clock } = deps;
  const db = store.db;

  async function scopeOf(tenant: Tenant, account: Account): Promise<Scope> {
    const admin = account.role === "admin";
    return { accountId: account.id, admin, departments: admin ? [] : await departmentsOf(db, tenant.id, account.id) };
  }

  function mustBeAdmin(account: Account) {
    if (account.role !== "admin") throw AppError.of(403, "forbidden");
  }

  async function toDeliveries(tenant: Tenant, rows: repo.DeliveryRow[]): Promise<WebhookDelivery[]> {
    const attempts = await repo.attemptsOf(db, tenant.id, rows.map((r) => r.id));
    const urls = new Map((tenant.config.webhooks ?? []).map((w) => [w.id, w.url]));
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      event: r.event,
      webhookId: r.webhook_id,
      url: urls.get(r.webhook_id) ?? null,
      submission: { id: r.submission_id, reference: r.reference },
      replayOf: r.replay_of,
      status: r.status,
      attempts: r.attempts,
      lastStatusCode: r.last_status,
      lastError: r.last_error,
      createdAt: iso(r.created_at),
      nextAttemptAt: r.status === "pending" ? iso(r.next_attempt_at) : null,
      deliveredAt: r.delivered_at === null ? null : iso(r.delivered_at),
      log: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({ attempt: a.attempt, at: iso(a.at), statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
    }));
  }

  return {
    /** The delivery log, newest first (admins). */
    async deliveries(tenant: Tenant, account: Account, q: WebhooksQuery, limit = 50): Promise<WebhookDeliveryPage> {
      mustBeAdmin(account);
      const rows = await repo.deliveriesPage(db, tenant.id, limit + 1, { ...(q.cursor ? { before: q.cursor } : {}), ...(q.status ? { status: q.status } : {}) });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: await toDeliveries(tenant, page), nextCursor: rows.length > limit && last ? `${last.created_at}.${last.id}` : null };
    },

    /** Sends a delivery's event again, with the same event id, as a new delivery (admins). */
    async replay(tenant: Tenant, account: Account, deliveryId: string): Promise<WebhookDelivery> {
      mustBeAdmin(account);
      const original = await repo.findDelivery(db, tenant.id, deliveryId);
      if (!original) throw AppError.of(404, "not_found");
      if (!(tenant.config.webhooks ?? []).some((w) => w.id === original.webhook_id)) {
        throw new AppError(409, "webhook_not_configured", {
          de: "Dieser Webhook ist nicht mehr eingerichtet; die Lieferung kann nicht wiederholt werden.",
          en: "This webhook is no longer configured; the delivery cannot be repeated.",
        });
      }
      const now = clock.now();
      const row = replayDelivery(tenant.id, original, now);
      await store.atomic([
        db.insertInto("webhook_deliveries").values(row),
        audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "webhook.replay", subject: `submission:${original.submission_id}`, after: { delivery: row.id, replayOf: original.id, eventId: original.event_id, webhook: original.webhook_id }, at: now }),
      ]);
      deps.onEnqueued();
      const [created] = await toDeliveries(tenant, [{ ...row, reference: (await findSubmission(db, tenant.id, original.submission_id))?.reference ?? null }]);
      return created!;
    },

    /** The FIT-Connect-shaped ZIP of a submission, for staff who may see it. */
    async exportPackage(tenant: Tenant, account: Account, submissionId: string, base: string) {
      const scope = await scopeOf(tenant, account);
      const s = (await officeRow(db, tenant.id, scope, submissionId)) ? await findSubmission(db, tenant.id, submissionId) : null;
      if (!s) throw AppError.of(404, "not_found");
      const form = await findFormVersion(db, tenant.id, s.formId, s.formVersion);
      if (!form) throw AppError.of(404, "not_found");
      const files = await uploadsOfSubmission(db, tenant.id, s.id);
      const pkg = await submissionPackage(deps.blobs, s, form, files, `${base}/api/v1/tenants/${tenant.slug}/forms/${s.formId}/schema.json`);
      await audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "submission.export", subject: `submission:${s.id}`, after: { format: "zip", files: files.length }, at: clock.now() }).execute();
      return pkg;
    },

    /**
     * A form's submissions of a period as CSV, streamed page by page. Staff export only forms of
     * their departments (another department's form is not found, like in the inbox) and only the
     * submissions they may open.
     */
    async exportCsv(tenant: Tenant, account: Account, formId: string, q: SubmissionsCsvQuery): Promise<{ filename: string; stream: ReadableStream<Uint8Array> }> {
      const scope = await scopeOf(tenant, account);
      const form = await repo.currentFormVersion(db, tenant.id, formId);
      if (!form || (!scope.admin && form.department !== undefined && !scope.departments.includes(form.department))) throw AppError.of(404, "not_found");
      const period = { from: berlinMidnight(q.from), until: berlinMidnight(nextDay(q.to)) };
      const columns = answerColumns(form, await repo.repeatCounts(db, tenant.id, formId, period, scope, repeatGroups(form)));
      await audit(db, tenant.id, { id: randomId("l"), actorId: account.id, action: "form.export", subject: `form:${formId}`, after: { format: "csv", from: q.from, to: q.to }, at: clock.now() }).execute();
      const encoder = new TextEncoder();
      let after: { at: number; id: string } | undefined;
      let started = false;
      let done = false;
      const stream = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (!started) {
              started = true;
              controller.enqueue(encoder.encode(csvHeader(columns)));
              return;
            }
            if (done) return controller.close();
            const rows = await repo.submissionsForCsv(db, tenant.id, formId, period, scope, csvPageSize, after);
            if (rows.length < csvPageSize) done = true;
            const last = rows[rows.length - 1];
            if (!last) return controller.close();
            after = { at: last.submittedAt, id: last.id };
            const names = await repo.fileNamesOf(db, tenant.id, rows.map((r) => r.id));
            controller.enqueue(encoder.encode(rows.map((r) => csvRow(r, columns, names)).join("")));
          },
        },
        { highWaterMark: 0 },
      );
      return { filename: `${formId}-${q.from}-${q.to}.csv`, stream };
    },
  };
}

export type HandoffService = ReturnType<typeof handoffService>;
