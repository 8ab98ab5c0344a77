import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Database } from "../db/schema.js";
import { type OutboxMessage, enqueue, shareVars } from "./enqueue.js";

/** Compiles queries without a database: these tests look at the SQL and at the types. */
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** The type checker is the test here (`tsc --noEmit` runs over this file); at run time it only collects the messages. */
const messages: OutboxMessage[] = [];
const accept = (m: OutboxMessage) => messages.push(m);
const to = { recipient: "anna@example.org", lang: "de" } as const;
const sharedNews = { title: "t", summary: "s", bodyHtml: "<p>b</p>", bodyText: "b", readUrl: "https://x.example/#n" };

// What the account and news flows send type-checks:
accept({ channel: "email", template: "verify_email", ...to, accountId: "a_1", vars: { name: "Anna", code: "123456", minutes: "15" } });
accept({ channel: "email", template: "registration_attempt", ...to, vars: {} });
accept({ channel: "sms", template: "verify_mobile", recipient: "+491711234567", lang: "de", vars: { code: "123456", minutes: "15" } });
accept({ channel: "sms", template: "news_alert", recipient: "+491711234567", lang: "en", vars: { title: "t", url: "https://x.example/" } });
accept({ channel: "email", template: "news", ...to, sharedId: "news:n_1:1", dedupeKey: "news:n_1:a_1", vars: { name: "Anna", unsubscribeUrl: "https://x/u", topics: "Gesundheit" } });
accept({ channel: "email", template: "news", ...to, vars: { ...sharedNews, name: "Anna", unsubscribeUrl: "https://x/u", topics: "Gesundheit" } });

// …and every one of these mistakes is a type error:
// @ts-expect-error a misspelt template
accept({ channel: "email", template: "verify_emial", ...to, vars: { name: "Anna", code: "1", minutes: "15" } });
// @ts-expect-error a missing variable
accept({ channel: "email", template: "verify_email", ...to, vars: { name: "Anna", minutes: "15" } });
// @ts-expect-error a misspelt variable
accept({ channel: "email", template: "email_changed", ...to, vars: { name: "Anna", newEmial: "neu@example.org" } });
// @ts-expect-error a variable the template does not have
accept({ channel: "email", template: "account_deleted", ...to, vars: { name: "Anna", code: "123456" } });
// @ts-expect-error an SMS template on the mail channel
accept({ channel: "email", template: "verify_mobile", ...to, vars: { code: "1", minutes: "15" } });
// @ts-expect-error a mail template on the SMS channel
accept({ channel: "sms", template: "account_deleted", ...to, vars: { name: "Anna" } });
// @ts-expect-error a missing SMS variable
accept({ channel: "sms", template: "news_alert", ...to, vars: { title: "t" } });
// @ts-expect-error news without shared text must carry all of it
accept({ channel: "email", template: "news", ...to, vars: { name: "Anna", unsubscribeUrl: "https://x/u", topics: "Gesundheit" } });
// @ts-expect-error news with shared text still needs the recipient's own variables
accept({ channel: "email", template: "news", ...to, sharedId: "news:n_1:1", vars: { name: "Anna", topics: "Gesundheit" } });
// @ts-expect-error only templates with shared variables may use sharedId
accept({ channel: "email", template: "account_deleted", ...to, sharedId: "x", vars: { name: "Anna" } });
// @ts-expect-error the shared text of a news item is incomplete
shareVars(db, "t_1", "news:n_1:1", { title: "t", summary: "s", bodyHtml: "<p>b</p>", readUrl: "https://x.example/" }, 0);

describe("enqueue", () => {
  it("writes the message's variables as its payload, under its dedupe key", () => {
    const q = enqueue(db, "t_1", messages[0]!, 1000).compile();
    expect(q.sql).toMatch(/^insert into "outbox" \(.*\) values \(.*\) on conflict \("tenant_id", "dedupe_key"\) do nothing$/);
    expect(q.parameters).toContain(JSON.stringify({ name: "Anna", code: "123456", minutes: "15" }));
  });

  it("with onlyIf, writes the row only if the condition holds, in the same statement", () => {
    const guard = sql<boolean>`EXISTS (SELECT 1 FROM news WHERE id = ${"n_1"})`;
    const q = enqueue(db, "t_1", messages[4]!, 1000, { onlyIf: guard }).compile();
    expect(q.sql).toMatch(/^insert into "outbox" \(.*\) SELECT \?(, \?)+ WHERE EXISTS \(SELECT 1 FROM news WHERE id = \?\) on conflict \("tenant_id", "dedupe_key"\) do nothing$/);
    expect(q.parameters.at(-1)).toBe("n_1");
    const shared = shareVars(db, "t_1", "news:n_1:1", sharedNews, 1000, { onlyIf: guard }).compile();
    expect(shared.sql).toMatch(/^insert into "outbox_shared" \("tenant_id", "id", "vars", "created_at"\) SELECT \?, \?, \?, \? WHERE EXISTS/);
  });
});
