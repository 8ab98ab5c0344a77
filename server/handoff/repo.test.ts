import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapStore } from "../node/bootstrap.js";
import type { SqliteStore } from "../node/sqlite-store.js";
import type { Scope } from "../office/repo.js";
import { repeatGroups } from "./csv.js";
import { repeatCounts, submissionsForCsv } from "./repo.js";
import { nestedForm } from "./test-fixtures.js";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const day = Date.UTC(2026, 10, 25, 9);
let store: SqliteStore;
let tenantId: string;

async function submission(id: string, at: number, department: string | null, data: unknown) {
  await store.db
    .insertInto("submissions")
    .values({ tenant_id: tenantId, id, reference: `R-${id}`, form_id: "familie", form_version: 3, account_id: null, email: "x@example.org", lang: "de", data: JSON.stringify(data), idempotency_key: id, request_hash: id, receipt_token_hash: null, submitted_at: at, updated_at: at, department, applicant_name: `Name ${id}` })
    .execute();
}

const kinder = (impfungen: number[]) => ({ kinder: impfungen.map((n) => ({ name: "K", impfungen: Array.from({ length: n }, () => ({ am: "2025-01-01" })) })) });

beforeAll(async () => {
  ({ store } = await bootstrapStore({ databaseFile: ":memory:", migrationsDir: root("migrations"), tenantsDir: root("tenants"), clock: { now: () => day } }));
  tenantId = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
  await submission("s_a", day, "kita", kinder([3, 1]));
  await submission("s_b", day + 1000, null, kinder([0, 0, 0]));
  // Another department's: counted only for those who may see it.
  await submission("s_c", day + 2000, "kaemmerei", kinder([7, 0, 0, 0, 0]));
  // Outside the period.
  await submission("s_d", day + 10 * 86_400_000, "kita", kinder([9, 9, 9, 9, 9, 9]));
  // Data of another shape (an older version): neither counted wrong nor an error.
  await submission("s_e", day + 3000, "kita", { kinder: ["kaputt", { impfungen: "auch kaputt" }] });
  await submission("s_f", day + 4000, "kita", { kinder: "kaputt" });
});
afterAll(() => store.close());

const period = { from: day - 3600_000, until: day + 86_400_000 };
const clerk: Scope = { accountId: "a_x", admin: false, departments: ["kita"] };
const admin: Scope = { accountId: "a_y", admin: true, departments: [] };

describe("repeatCounts", () => {
  it("counts the most entries of each repeated group, nested ones through the entries around them", async () => {
    const groups = repeatGroups(nestedForm);
    expect(Object.fromEntries(await repeatCounts(store.db, tenantId, "familie", period, clerk, groups))).toEqual({ kinder: 3, "kinder.*.impfungen": 3 });
    expect(Object.fromEntries(await repeatCounts(store.db, tenantId, "familie", period, admin, groups))).toEqual({ kinder: 5, "kinder.*.impfungen": 7 });
    expect(Object.fromEntries(await repeatCounts(store.db, tenantId, "familie", { from: 0, until: 1 }, admin, groups))).toEqual({ kinder: 0, "kinder.*.impfungen": 0 });
  });
});

describe("submissionsForCsv", () => {
  it("pages oldest first within the period and the clerk's scope", async () => {
    const first = await submissionsForCsv(store.db, tenantId, "familie", period, clerk, 2);
    expect(first.map((r) => r.id)).toEqual(["s_a", "s_b"]);
    const last = first[1]!;
    const rest = await submissionsForCsv(store.db, tenantId, "familie", period, clerk, 2, { at: last.submittedAt, id: last.id });
    expect(rest.map((r) => r.id)).toEqual(["s_e", "s_f"]);
    expect((await submissionsForCsv(store.db, tenantId, "familie", period, admin, 10)).map((r) => r.id)).toEqual(["s_a", "s_b", "s_c", "s_e", "s_f"]);
  });
});
