import { describe, expect, it } from "vitest";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";
import { root } from "./process.js";

/*
 * The counts per status above the office inbox come, when nothing but status narrows it, from
 * submission_counts, which triggers keep (migrations/0016_office_counts.sql). They must equal a
 * count of the submissions after every kind of write: arrivals, status and department changes,
 * writes that change neither, and deletes.
 */
describe("the counts per status the database keeps", () => {
  it("equal a count of the submissions after inserts, changes and deletes", async () => {
    const now = Date.UTC(2026, 10, 26, 9);
    const { store } = await bootstrapStore({ databaseFile: ":memory:", migrationsDir: `${root}migrations`, tenantsDir: `${root}tenants`, clock: { now: () => now } });
    const db = store.sqlite;
    const towns = [(await findActiveTenantBySlug(store.db, "tangerhuette"))!.id, (await findActiveTenantBySlug(store.db, "musterstadt"))!.id];
    const insert = db.prepare(`INSERT INTO submissions (tenant_id, id, reference, form_id, form_version, account_id, email, lang, data, idempotency_key, request_hash, submitted_at, updated_at, department, status)
      VALUES (?, ?, ?, 'hundesteuer', 1, NULL, 'x@example.org', 'de', '{}', ?, 'h', ?, ?, ?, ?)`);
    const statuses = ["received", "in_progress", "waiting", "approved", "rejected", "closed"];
    const departments = ["kaemmerei", "kita", null];
    const kept = () => db.prepare("SELECT tenant_id, department, status, n FROM submission_counts WHERE n > 0 ORDER BY 1, 2, 3").all();
    const counted = () => db.prepare("SELECT tenant_id, coalesce(department, '') AS department, status, count(*) AS n FROM submissions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").all();

    let seed = 7;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 600; i++) insert.run(towns[i % 2], `s_${i}`, `R-${i}`, `k${i}`, now - i, now - i, departments[next(3)], statuses[next(6)]);
    expect(kept()).toEqual(counted());
    for (let i = 0; i < 400; i++) {
      const id = `s_${next(600)}`;
      const what = next(4);
      if (what === 0) db.prepare("UPDATE submissions SET status = ? WHERE id = ?").run(statuses[next(6)], id);
      else if (what === 1) db.prepare("UPDATE submissions SET department = ? WHERE id = ?").run(departments[next(3)], id);
      else if (what === 2) db.prepare("UPDATE submissions SET office_unread = 1 - office_unread, status = status WHERE id = ?").run(id);
      else db.prepare("UPDATE submissions SET status = ?, department = ? WHERE id = ?").run(statuses[next(6)], departments[next(3)], id);
    }
    expect(kept()).toEqual(counted());
    db.prepare("DELETE FROM submissions WHERE id IN ('s_1', 's_2', 's_3')").run();
    expect(kept()).toEqual(counted());
    store.close();
  });
});
