import { type CompiledQuery, Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAccount } from "../../server/accounts/repo.js";
import type { Account } from "../../server/accounts/account.js";
import type { PasswordHasher } from "../../server/accounts/hasher.js";
import type { Database } from "../../server/db/schema.js";
import { berlinDate } from "../../server/lib/berlin-time.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import type { SqliteStore } from "../../server/node/sqlite-store.js";
import type { OfficeInbox } from "../../server/office/api-types.js";
import { inboxQuery } from "../../server/office/inputs.js";
import { searchTerms } from "../../server/office/search.js";
import { officeService } from "../../server/office/service.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";
import type { Tenant } from "../../server/tenants/tenant.js";
import { root } from "./process.js";

/*
 * The office inbox must stay fast in a town with 100,000 submissions among 100 towns
 * (`npm run bench -- office`). Reading all of a town's submissions to sort them or to count them
 * by status costs 100–300 ms there, so every inbox query has to find its rows through an index
 * on submissions: the page in index order (stopping after 26 rows, a deep page starting at its
 * cursor) and the counts per status from an index alone, without reading the rows. Each test
 * runs the office service's own `inbox` against a recording Kysely, so what is explained is
 * exactly the SQL the app sends, with its parameters; and checks that the answer is right.
 */

const now = Date.UTC(2026, 10, 25, 9);
const day = 86_400_000;
const bigTown = 6_000;
const otherTowns = 30;
const perOtherTown = 400;
const staffDepartment = "kaemmerei";

type Status = "received" | "in_progress" | "waiting" | "approved" | "rejected" | "closed";

interface Seeded {
  id: string;
  reference: string;
  formId: string;
  department: string | null;
  status: Status;
  submittedAt: number;
  applicantName: string;
  assigneeId: string | null;
  unread: boolean;
}

interface Setup {
  store: SqliteStore;
  tenant: Tenant;
  admin: Account;
  staff: Account;
  /** The measured town's submissions as written, to check the answers against. */
  rows: Seeded[];
}

const forms = ["maengelmelder", "hundesteuer", "maengelmelder", "kita-anmeldung", "hundesteuer", "osterfeuer", "maengelmelder", "hundesteuer", "maengelmelder", "osterfeuer"];
const names = ["Anna Bergmann", "Jürgen Schulz", "Ayşe Yılmaz", "Petra Krüger", "Thomas Hoffmann", "Maria Becker", "Uwe Lehmann", "Olga Neumann", "Felix Wagner", "Sabine König"];

/** Newest first: the open ones are the recent ones, most of the rest are done. */
function statusOf(i: number): Status {
  if (i < 300) return (["received", "in_progress", "received", "waiting", "in_progress"] as const)[i % 5]!;
  if (i % 97 === 0) return "in_progress";
  return (["approved", "approved", "approved", "approved", "approved", "approved", "approved", "rejected", "closed", "closed"] as const)[i % 10]!;
}

/** tangerhuette with `bigTown` submissions of its four forms, and `otherTowns` more towns with theirs, all in one database. */
async function seededDatabase(): Promise<Setup> {
  const { store } = await bootstrapStore({ databaseFile: ":memory:", migrationsDir: `${root}migrations`, tenantsDir: `${root}tenants`, clock: { now: () => now } });
  const sqlite = store.sqlite;
  const tenant = (await findActiveTenantBySlug(store.db, "tangerhuette"))!;
  const departments = new Map(
    (sqlite.prepare("SELECT f.id, v.definition FROM forms f JOIN form_versions v ON v.tenant_id = f.tenant_id AND v.form_id = f.id AND v.version = f.version WHERE f.tenant_id = ?").all(tenant.id) as { id: string; definition: string }[]).map(
      (f) => [f.id, (JSON.parse(f.definition) as { department?: string }).department ?? null],
    ),
  );
  expect(departments.get("hundesteuer")).toBe(staffDepartment);
  const rows: Seeded[] = [];
  sqlite.transaction(() => {
    const town = sqlite.prepare(`INSERT INTO tenants (id, slug, config, config_hash, active, created_at, updated_at)
      SELECT ?, ?, config, config_hash, 1, created_at, updated_at FROM tenants WHERE slug = 'tangerhuette'`);
    const account = sqlite.prepare(`INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, password_hash, name, privacy_version, privacy_accepted_at, created_at, updated_at)
      VALUES (?, ?, 'person', ?, ?, ?, '+491711234567', 'x', ?, 'seed', ?, ?, ?)`);
    const submission = sqlite.prepare(`INSERT INTO submissions (tenant_id, id, reference, form_id, form_version, account_id, email, lang, data, status, idempotency_key, request_hash,
      submitted_at, updated_at, department, applicant_name, assignee_id, office_unread) VALUES (?, ?, ?, ?, 1, NULL, 'x@example.org', 'de', '{}', ?, ?, 'h', ?, ?, ?, ?, ?, ?)`);
    const term = sqlite.prepare("INSERT INTO submission_terms (tenant_id, term, submitted_at, submission_id) VALUES (?, ?, ?, ?)");
    account.run(tenant.id, "a_admin", "admin", "admin@tangerhuette.example", now, "Ada Admin", now, now, now);
    account.run(tenant.id, "a_staff", "staff", "steuern@tangerhuette.example", now, "Karl Kämmerer", now, now, now);
    account.run(tenant.id, "a_other", "staff", "bauhof@tangerhuette.example", now, "Bea Bauhof", now, now, now);
    sqlite.prepare("INSERT INTO staff_departments (tenant_id, account_id, department) VALUES (?, 'a_staff', ?)").run(tenant.id, staffDepartment);
    // The town's citizens: with statistics, a nearly empty accounts table would be scanned instead of searched.
    for (let i = 0; i < 2_000; i++) account.run(tenant.id, `a_citizen${i}`, "citizen", `buerger${i}@tangerhuette.example`, now, names[i % names.length]!, now, now, now);
    const write = (tenantId: string, prefix: string, i: number, count: number): Seeded => {
      const formId = forms[i % forms.length]!;
      // A form without a department (then) is seen by every clerk.
      const department = i % 101 === 0 ? null : departments.get(formId)!;
      const status = statusOf(i);
      const s: Seeded = {
        id: `s_${prefix}${String(i).padStart(6, "0")}`,
        reference: `${prefix}-2026-${String(count - i).padStart(6, "0")}`,
        formId,
        department,
        status,
        submittedAt: now - i * 40 * 60_000,
        applicantName: names[i % names.length]!,
        assigneeId: status === "received" ? null : department === staffDepartment && i % 3 === 0 ? "a_staff" : i % 7 === 0 ? "a_admin" : "a_other",
        unread: status === "received" || i % 53 === 0,
      };
      submission.run(tenantId, s.id, s.reference, formId, status, `k${i}`, s.submittedAt, s.submittedAt, department, s.applicantName, s.assigneeId, s.unread ? 1 : 0);
      for (const t of searchTerms(s.applicantName)) term.run(tenantId, t, s.submittedAt, s.id);
      return s;
    };
    for (let i = 0; i < bigTown; i++) rows.push(write(tenant.id, "TGH", i, bigTown));
    for (let t = 0; t < otherTowns; t++) {
      const id = `t_seed${String(t).padStart(3, "0")}`;
      town.run(id, `seed-${t}`);
      for (let i = 0; i < perOtherTown; i++) write(id, "SEE", i, perOtherTown);
    }
  })();
  return { store, tenant, admin: (await findAccount(store.db, tenant.id, "a_admin"))!, staff: (await findAccount(store.db, tenant.id, "a_staff"))!, rows };
}

/** Runs the office's inbox on a Kysely over the same database that records every statement it sends. */
async function inboxWithStatements(s: Setup, account: Account, raw: Record<string, string>): Promise<{ inbox: OfficeInbox; sent: CompiledQuery[] }> {
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: s.store.sqlite }),
    log: (e) => {
      if (e.level === "query") sent.push(e.query);
    },
  });
  const office = officeService({ store: { ...s.store, db }, clock: { now: () => now }, hasher: unusedHasher, onEnqueued: () => {} });
  const inbox = await office.inbox(s.tenant, account, inboxQuery.parse(raw));
  return { inbox, sent };
}

/** Listing the inbox hashes no password. */
const unusedHasher: PasswordHasher = {
  hash: async () => expect.fail("the inbox hashes no password"),
  verify: async () => expect.fail("the inbox verifies no password"),
};

function planOf(s: Setup, q: CompiledQuery): string[] {
  return (s.store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail);
}

/** Steps that read a whole table (or a whole index): any SCAN of a table, not of json_each, a constant or a subquery's rows. */
function fullScans(plan: ReadonlyArray<string>): string[] {
  const subqueries = plan.flatMap((d) => /^CO-ROUTINE (\w+)$/.exec(d)?.[1] ?? []);
  return plan.filter((d) => /^SCAN /.test(d) && !/VIRTUAL TABLE/.test(d) && !/^SCAN (CONSTANT ROW|\(subquery)/.test(d) && !subqueries.includes(d.slice(5)));
}

type Who = "admin" | "staff";
interface Case {
  name: string;
  /** Searches by name or number read their matches through an index and page them in the app. */
  search?: "words" | "number";
  raw: (s: Setup, who: Who) => Record<string, string>;
  /** What the filters mean, applied to the seeded rows. */
  keep: (r: Seeded, s: Setup, who: Who) => boolean;
}

const visibleTo = (who: Who) => (r: Seeded) => who === "admin" || r.department === null || r.department === staffDepartment;
const rangeFrom = berlinDate(now - 50 * day);
const rangeTo = berlinDate(now - 36 * day);

/** A cursor deep in the list: after the first half of what this clerk sees. */
function deepCursor(s: Setup, who: Who): string {
  const seen = s.rows.filter(visibleTo(who));
  const r = seen[Math.floor(seen.length / 2)]!;
  return `${r.submittedAt}.${r.id}`;
}

const cases: Case[] = [
  { name: "default (newest first)", raw: () => ({}), keep: () => true },
  // Status and cursor choose the page; the counts are over the other filters.
  { name: "status", raw: () => ({ status: "received" }), keep: () => true },
  { name: "form", raw: () => ({ form: "hundesteuer" }), keep: (r) => r.formId === "hundesteuer" },
  { name: "assignee=me", raw: () => ({ assignee: "me" }), keep: (r, s, who) => r.assigneeId === (who === "admin" ? s.admin.id : s.staff.id) },
  { name: "unread", raw: () => ({ unread: "true" }), keep: (r) => r.unread },
  {
    name: "received between",
    raw: () => ({ from: rangeFrom, to: rangeTo }),
    keep: (r) => berlinDate(r.submittedAt) >= rangeFrom && berlinDate(r.submittedAt) <= rangeTo,
  },
  { name: "q: reference prefix", raw: () => ({ q: "tgh-2026-0012" }), keep: (r) => r.reference.startsWith("TGH-2026-0012") },
  { name: "q: reference number", search: "number", raw: () => ({ q: "19" }), keep: (r) => r.reference.endsWith("-000019") },
  { name: "q: year and number", search: "number", raw: () => ({ q: "2026-019" }), keep: (r) => r.reference === "TGH-2026-000019" },
  { name: "q: applicant name", search: "words", raw: () => ({ q: "Bergmann" }), keep: (r) => r.applicantName === "Anna Bergmann" },
  { name: "q: beginnings of two words, umlaut spelt out", search: "words", raw: () => ({ q: "krue pet" }), keep: (r) => r.applicantName === "Petra Krüger" },
  { name: "q: without accents, with status", search: "words", raw: () => ({ q: "YILMAZ", status: "received" }), keep: (r) => r.applicantName === "Ayşe Yılmaz" },
  { name: "q: name with a deep cursor", search: "words", raw: (s, who) => ({ q: "schulz", cursor: deepCursor(s, who) }), keep: (r) => r.applicantName === "Jürgen Schulz" },
  { name: "cursor (deep page)", raw: (s, who) => ({ cursor: deepCursor(s, who) }), keep: () => true },
];

describe.each([
  { stats: "without statistics, as the app runs", analyze: false },
  { stats: "with statistics (ANALYZE) of a busy database", analyze: true },
])("office inbox query plans $stats", ({ analyze }) => {
  let s: Setup;
  beforeAll(async () => {
    s = await seededDatabase();
    if (analyze) s.store.sqlite.exec("ANALYZE");
  });
  afterAll(() => s.store.close());

  describe.each([{ who: "admin" as const }, { who: "staff" as const }])("as $who", ({ who }) => {
    it.each(cases)("$name: the right page and counts, through an index on submissions", async (c) => {
      const account = who === "admin" ? s.admin : s.staff;
      const raw = c.raw(s, who);
      const { inbox, sent } = await inboxWithStatements(s, account, raw);

      // The answer first: a plan that is fast but wrong is no use.
      const counted = s.rows.filter(visibleTo(who)).filter((r) => c.keep(r, s, who));
      const byStatus = (rows: Seeded[]) => Object.fromEntries((["received", "in_progress", "waiting", "approved", "rejected", "closed"] as const).map((st) => [st, rows.filter((r) => r.status === st).length]));
      expect(inbox.counts).toEqual(byStatus(counted));
      const cursor = raw.cursor ? { at: Number(raw.cursor.split(".")[0]), id: raw.cursor.slice(raw.cursor.indexOf(".") + 1) } : null;
      const listed = counted.filter((r) => (!raw.status || r.status === raw.status) && (!cursor || r.submittedAt < cursor.at || (r.submittedAt === cursor.at && r.id < cursor.id)));
      expect(listed.length, "the seed has rows for this filter").toBeGreaterThan(0);
      // Newest first (the seed's order), 25 to a page.
      expect(inbox.items.map((i) => i.id)).toEqual(listed.slice(0, 25).map((r) => r.id));

      for (const q of sent) {
        const plan = planOf(s, q);
        expect(fullScans(plan), `${q.sql}\n${plan.join("\n")}`).toEqual([]);
        // A search walks none of the town's index entries, only its matches.
        if (c.search) expect(plan.filter((d) => /^SEARCH submissions USING .*\(tenant_id=\?\)$/.test(d)), `${q.sql}\n${plan.join("\n")}`).toEqual([]);
      }
      if (c.search) {
        // One read of the matches, through the terms or the number index, and the page's form versions.
        const matches = sent.filter((q) => / INDEXED BY /.test(q.sql));
        expect(matches).toHaveLength(1);
        const plan = planOf(s, matches[0]!).join("\n");
        expect(plan, `${matches[0]!.sql}\n${plan}`).toMatch(
          c.search === "words" ? /^SEARCH submission_terms USING PRIMARY KEY \(tenant_id=\? AND term>\? AND term<\?\)[^]*^SEARCH submissions USING (COVERING )?INDEX submissions_inbox \(tenant_id=\? AND submitted_at=\? AND id=\?\)/m : /^SEARCH submissions USING INDEX submissions_reference_number \(tenant_id=\? AND <expr>=\?\)/m,
        );
        return;
      }
      const list = sent.filter((q) => /from "submissions"/.test(q.sql) && /order by/.test(q.sql));
      const counts = sent.filter((q) => /from "submissions"/.test(q.sql) && /count\(/.test(q.sql));
      // Narrowed by status alone or not at all, the counts are those the triggers keep (migrations/0016_office_counts.sql).
      const kept = sent.filter((q) => /from "submission_counts"/.test(q.sql));
      const unfiltered = !raw.form && !raw.assignee && !raw.unread && !raw.from && !raw.to && !raw.q;
      expect(list).toHaveLength(1);
      expect(counts).toHaveLength(unfiltered ? 0 : 1);
      expect(kept).toHaveLength(unfiltered ? 1 : 0);
      const listPlan = planOf(s, list[0]!);
      const shown = `${list[0]!.sql}\n${listPlan.join("\n")}`;
      if (raw.q) {
        // A reference's beginning: a range on the reference index, few enough rows to sort.
        expect(listPlan.join("\n"), shown).toMatch(/^SEARCH submissions USING INDEX submissions_reference \(tenant_id=\? AND reference>\? AND reference<\?\)/m);
        return;
      }
      // The page: walked in index order and stopped after 26 rows, not all of the town's rows read and sorted.
      expect(listPlan.join("\n"), shown).toMatch(/^SEARCH submissions USING (COVERING )?INDEX \w+ \(tenant_id=\?/m);
      expect(listPlan.filter((d) => d.includes("USE TEMP B-TREE FOR ORDER BY")), shown).toEqual([]);
      // A clerk's own submissions are found by assignee, not among all of the town's (migrations/0014_office_assignee.sql).
      if (raw.assignee) expect(`${listPlan.join("\n")}\n${planOf(s, counts[0]!).join("\n")}`, shown).toMatch(/^SEARCH submissions USING (COVERING )?INDEX submissions_inbox_assignee \(tenant_id=\? AND assignee_id=\?\)$[^]*^SEARCH submissions USING COVERING INDEX submissions_inbox_assignee \(tenant_id=\? AND assignee_id=\?\)/m);
      // A deep page starts at its cursor in the index instead of walking every newer row first.
      if (raw.cursor) expect(listPlan.join("\n"), shown).toMatch(/^SEARCH submissions USING (COVERING )?INDEX \w+ \(tenant_id=\? AND \(submitted_at,id\)<\(\?,\?\)\)/m);
      if (unfiltered) {
        const keptPlan = planOf(s, kept[0]!);
        expect(keptPlan.join("\n"), `${kept[0]!.sql}\n${keptPlan.join("\n")}`).toMatch(/^SEARCH submission_counts USING PRIMARY KEY \(tenant_id=\?/m);
        return;
      }
      // The counts: from an index alone, without reading every submission's row.
      const countPlan = planOf(s, counts[0]!);
      expect(countPlan.join("\n"), `${counts[0]!.sql}\n${countPlan.join("\n")}`).toMatch(/^SEARCH submissions USING COVERING INDEX \w+ \(tenant_id=\?/m);
    });
  });
});
