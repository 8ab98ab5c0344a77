/**
 * `npm run bench -- fanout-worker`: one news item to a whole town (11,000 subscribers) on the
 * Worker as `wrangler dev` runs it — local D1, local Queues, the MAIL_RATE Durable Object — with a
 * local server speaking the mail API. Measured: publish (the real route) → last mail accepted,
 * and the busiest second at the mail API against the town's `mail.ratePerSecond`. Baseline in the
 * same run: the same number of mails posted straight to the same server, six at a time (a
 * Worker's connection limit), with no rate.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newSession } from "../../server/accounts/sessions.js";
import { systemClock } from "../../server/lib/clock.js";
import { openSqliteStore } from "../../server/node/sqlite-store.js";
import { readTenantSources } from "../../server/node/tenant-files.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";
import { parseTenantSources } from "../../server/tenants/definitions.js";
import { syncTenants } from "../../server/tenants/sync.js";
import { type SinkMail, startMailApiSink } from "../support/mail-api-sink.js";
import { seedSubscribers } from "../node/seed.js";
import { fmt, rate, stopChild } from "./util.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");

/** The busiest window of one second among the accepted mails. */
function busiestSecond(mails: readonly SinkMail[]) {
  const at = mails.map((m) => m.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Waits until `wrangler dev` answers its health check (at most 120 s). */
async function untilHealthy(url: string, child: ChildProcess) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error("wrangler dev not ready after 120 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function benchFanoutWorker({ recipients = 11_000 } = {}) {
  const state = mkdtempSync(join(tmpdir(), "dr-bench-worker-"));
  const sink = await startMailApiSink();
  // wrangler.toml serves the built widget as static assets; the bench needs none of them.
  mkdirSync(join(root, "dist/public"), { recursive: true });
  try {
    // The database as `wrangler dev` keeps it: migrations by wrangler, then towns and subscribers written into its file.
    execFileSync(process.execPath, [wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { cwd: root, stdio: "ignore", env: { ...process.env, CI: "1" } });
    const d1Dir = join(state, "v3/d1/miniflare-D1DatabaseObject");
    const file = readdirSync(d1Dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
    if (!file) throw new Error(`no local D1 file in ${d1Dir}`);
    const store = openSqliteStore(join(d1Dir, file));
    await syncTenants(store, systemClock, parseTenantSources(readTenantSources(join(root, "tenants"))));
    const tenant = (await findActiveTenantBySlug(store.db, "tangerhuette"))!;
    const now = Date.now();
    seedSubscribers(store.sqlite, tenant.id, recipients, "gesundheit", now);
    store.sqlite
      .prepare(`INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at, password_hash, name, lang, privacy_version, privacy_accepted_at, demo, created_at, updated_at)
        VALUES (?, 'a_redaktion', 'person', 'staff', 'redaktion@tangerhuette.example', ?, '+4917100000000', ?, 'x', 'Redaktion', 'de', 'seed', ?, 0, ?, ?)`)
      .run(tenant.id, now, now, now, now, now);
    const session = await newSession(store.db, tenant.id, "a_redaktion", now);
    await session.query.execute();
    // workerd opens the file itself: back to SQLite's default journal before handing it over.
    store.sqlite.pragma("journal_mode = DELETE");
    await store.close();

    // Baseline: the same number of mails, posted straight to the same server, six at a time.
    const body = JSON.stringify({ personalizations: [{ to: [{ email: "x@baseline.example" }] }], from: { email: "rathaus@tangerhuette.example" }, subject: "Impfangebot", content: [{ type: "text/plain", value: "Text" }] });
    const baseline = await rate(recipients, 6, async () => {
      const res = await fetch(`${sink.url}/v3/mail/send`, { method: "POST", headers: { Authorization: `Bearer ${sink.key}`, "Content-Type": "application/json" }, body });
      await res.arrayBuffer();
    });

    const port = 8700 + Math.floor(Math.random() * 200);
    const vars = { APP_SECRET: "bench-secret-0123456789", PUBLIC_URL: `http://127.0.0.1:${port}`, MAIL_API_URL: `${sink.url}/v3/mail/send`, MAIL_API_KEY: sink.key };
    // Quiet: wrangler printing every queue batch would take CPU from the Worker on a two-core machine.
    const child = spawn(process.execPath, [wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--log-level", "warn", ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])], {
      cwd: root,
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await untilHealthy(`http://127.0.0.1:${port}/healthz`, child);
    try {
      const api = `http://127.0.0.1:${port}/api/v1/tenants/tangerhuette`;
      const headers = { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" };
      const created = await fetch(`${api}/news`, { method: "POST", headers, body: JSON.stringify({ title: "Impfangebot im Rathaus", summary: "Offenes Impfangebot ab Montag.", body: "Bitte bringen Sie Ihren Impfpass mit.", topics: ["gesundheit"] }) });
      if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
      const { id } = (await created.json()) as { id: string };
      const start = Date.now();
      const published = await fetch(`${api}/news/${id}/publish`, { method: "POST", headers });
      if (published.status !== 200) throw new Error(`publish: ${published.status} ${await published.text()}`);
      const deadline = start + 300_000;
      while (sink.accepted("tangerhuette.example").length < recipients) {
        if (Date.now() > deadline) throw new Error(`after 300 s the mail API has ${sink.accepted("tangerhuette.example").length} of ${recipients} mails`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const mails = sink.accepted("tangerhuette.example");
      const last = Math.max(...mails.map((m) => m.at));
      const seconds = (last - start) / 1000;
      const distinct = new Set(mails.map((m) => m.to)).size;
      if (mails.length !== recipients || distinct !== recipients) throw new Error(`expected ${recipients} distinct mails, got ${mails.length} (${distinct} distinct)`);
      const busiest = busiestSecond(mails);
      const first = (Math.min(...mails.map((m) => m.at)) - start) / 1000;
      const configured = tenant.config.mail.ratePerSecond;
      console.log(`news fan-out on Workers (wrangler dev: local D1, Queues, MAIL_RATE Durable Object), one item to ${recipients} subscribers, local mail API`);
      console.log(`  baseline: the same mails posted straight to the mail API, 6 at a time:  ${fmt(baseline.ms / 1000)} s, ${fmt(baseline.perSecond)} mails/s`);
      console.log(`  publish → last mail accepted:                                         ${fmt(seconds)} s, ${fmt(recipients / seconds)} mails/s (goal ≤ 60 s; first mail after ${fmt(first)} s)`);
      console.log(`  Tangerhütte's mail.ratePerSecond: ${configured}/s, so at least ${fmt(recipients / configured)} s; busiest second at the mail API: ${busiest} mails`);
      console.log(`  ${recipients} mails, ${distinct} recipients, none twice`);
      return { seconds, busiest, configured, baseline: baseline.perSecond };
    } finally {
      await stopChild(child);
    }
  } finally {
    await sink.close();
    rmSync(state, { recursive: true, force: true });
  }
}
