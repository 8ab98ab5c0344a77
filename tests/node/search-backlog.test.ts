import { describe, expect, it } from "vitest";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { indexWholeSearchBacklog } from "../../server/office/search-backlog.js";
import { inbox } from "../../server/office/repo.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";
import { root } from "./process.js";

/*
 * Submissions received before the inbox search existed: migrations/0011_office_search.sql lists
 * them and the housekeeping writes their terms, after which the office finds them by name.
 */
describe("submissions from before the inbox search", () => {
  it("become searchable by name once the backlog is indexed, and the backlog empties", async () => {
    const now = Date.UTC(2026, 10, 20, 9);
    const { store } = await bootstrapStore({ databaseFile: ":memory:", migrationsDir: `${root}migrations`, tenantsDir: `${root}tenants`, clock: { now: () => now } });
    const tenant = (await findActiveTenantBySlug(store.db, "tangerhuette"))!;
    const insert = store.sqlite.prepare(`INSERT INTO submissions (tenant_id, id, reference, form_id, form_version, account_id, email, lang, data, idempotency_key, request_hash, submitted_at, updated_at, department, applicant_name)
      VALUES (?, ?, ?, 'hundesteuer', 1, NULL, 'x@example.org', 'de', '{}', ?, 'h', ?, ?, 'kaemmerei', ?)`);
    const names = ["Jürgen Weiß", "Ayşe Yılmaz", "Petra Krüger"];
    names.forEach((name, i) => {
      insert.run(tenant.id, `s_old${i}`, `TGH-2025-00000${i + 1}`, `k${i}`, now - i * 1000, now - i * 1000, name);
      store.sqlite.prepare("INSERT INTO search_backlog (tenant_id, submission_id) VALUES (?, ?)").run(tenant.id, `s_old${i}`);
    });
    // A listed submission that is gone by now does not hold the backlog up.
    store.sqlite.prepare("INSERT INTO search_backlog (tenant_id, submission_id) VALUES (?, 's_gone')").run(tenant.id);
    const scope = { accountId: "a_admin", admin: true, departments: [] };
    const search = async (q: string) => (await inbox(store.db, tenant.id, scope, { q }, () => 0)).rows.map((r) => r.id);

    expect(await search("weiss")).toEqual([]);
    expect(await indexWholeSearchBacklog(store)).toBe(4);
    expect(await search("weiss")).toEqual(["s_old0"]);
    expect(await search("yilmaz")).toEqual(["s_old1"]);
    expect(await search("Krueger")).toEqual(["s_old2"]);
    expect(store.sqlite.prepare("SELECT count(*) AS n FROM search_backlog").get()).toEqual({ n: 0 });
    // Indexing again changes nothing.
    const terms = store.sqlite.prepare("SELECT count(*) AS n FROM submission_terms").get();
    expect(await indexWholeSearchBacklog(store)).toBe(0);
    expect(store.sqlite.prepare("SELECT count(*) AS n FROM submission_terms").get()).toEqual(terms);
    store.close();
  });
});
