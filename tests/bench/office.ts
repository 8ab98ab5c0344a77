/**
 * `npm run bench -- office`: what a clerk waits for in the office of a big town. The inbox (newest
 * first, filtered by status, form, assignee, unread, a received-between range, searched by
 * reference prefix and by applicant name, a deep page by cursor) and one submission's detail,
 * each logged in as an admin (sees all departments) and as staff of one department, against the
 * real server (`server/node.ts` in production mode, the `npm start` code path) on one database
 * holding 100 towns, one of them with 100,000 submissions (office-seed.ts).
 *
 * Latency is the point, so the load is modest: BENCH_CONNECTIONS (4) connections send up to
 * BENCH_REQUESTS (2,000) requests per row, rotating over several variants of the request, and a
 * row stops early after BENCH_SECONDS (20) s so a slow query cannot hold the run for an hour;
 * `n` says how many were measured. The server runs single-threaded, so with 4 connections a
 * request waits for up to 3 others: "server CPU per request" is the service time without queueing.
 * Baseline in the same run: bare `node:http` in its own process answering, from a map, the very
 * bytes the server gave for the same request.
 *
 * Goal: p95 < 50 ms for the inbox list, filters and search. A run takes about 9 minutes, plus
 * about 2 to seed the database the first time (kept in the temp folder, see office-seed.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { berlinDate } from "../../server/lib/berlin-time.js";
import { startMailCatcher } from "../../server/node/mail-catcher.js";
import type { OfficeInbox } from "../../server/office/api-types.js";
import { freePort } from "../node/process.js";
import { type OfficeDataset, officeDataset, password, staffDepartment } from "./office-seed.js";
import { type Measured, fmt, measure, percentile, spawnUntil, stopChild } from "./util.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 4);
const maxRequests = Number(process.env.BENCH_REQUESTS ?? 2000);
const maxSeconds = Number(process.env.BENCH_SECONDS ?? 20);
const warmupSeconds = Math.min(5, maxSeconds);
const goalMs = 50;
const day = 86_400_000;

type Role = "admin" | "staff";

interface Endpoint {
  name: string;
  role: Role;
  /** Inbox rows carry the goal; the detail is measured for context. */
  goal: boolean;
  /** Paths under the town's API; autocannon cycles through them. */
  paths: string[];
}


interface Row {
  endpoint: Endpoint;
  server: Measured;
  bare: Measured;
  /** Submissions the first variant matched, from its counts, for the inbox rows. */
  matches: number | null;
  bytes: number;
}

/** What the requests vary over, read from the dataset before the server starts. */
interface Samples {
  adminCursors: string[];
  staffCursors: string[];
  adminDetails: string[];
  staffDetails: string[];
  referencePrefixes: string[];
  referenceNumbers: string[];
  names: string[];
  ranges: Array<{ from: string; to: string }>;
  staffForms: string[];
}

/** `dataset` replaces the seeded one, e.g. a copy with other indexes, to see what a change would bring. */
export async function benchOffice({ dataset }: { dataset?: OfficeDataset } = {}) {
  const data = dataset ?? (await officeDataset(root));
  const samples = sample(data);
  const loadStart = loadavg()[0]!;
  console.log(
    `office: ${data.totals.submissions} submissions in ${data.slugs.length} towns, ${data.totals.bigTown} in ${data.slug}; ${data.totals.timeline} timeline entries, ${data.totals.audit} audit entries, ${data.totals.accounts} accounts`,
  );
  console.log(`  ${connections} connections, up to ${maxRequests} requests or ${maxSeconds} s per row; admin = ${data.adminEmail}, staff = ${data.staffEmail} (${staffDepartment} only)`);
  const catcher = await startMailCatcher({ port: 0 });
  const cleanup: Array<() => unknown> = [() => catcher.close()];
  try {
    const apiPort = await freePort();
    const server = await spawnUntil(
      ["--import", "tsx", "server/node.ts"],
      {
        NODE_ENV: "production",
        PORT: String(apiPort),
        DEMO_PORT: String(await freePort()),
        DATA_DIR: data.dataDir,
        TENANTS_DIR: data.tenantsDir,
        SMTP_URL: catcher.url,
        SMS_GATEWAY_URL: "http://127.0.0.1:9/sms",
        APP_SECRET: "bench-secret-bench-secret-bench-secret",
      },
      /is running/,
    );
    cleanup.push(() => stopChild(server.child));
    const api = `http://127.0.0.1:${apiPort}`;
    const town = `/api/v1/tenants/${data.slug}`;
    const cookies: Record<Role, string> = { admin: await login(api + town, data.adminEmail), staff: await login(api + town, data.staffEmail) };
    const endpoints = describeEndpoints(town, samples);

    // Every answer once: it must be 200 and make sense, and the bare server answers the same bytes.
    const answers: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
    const facts = new Map<Endpoint, { matches: number | null; bytes: number }>();
    for (const e of endpoints) {
      let bytes = 0;
      let matches: number | null = null;
      for (const [i, path] of e.paths.entries()) {
        const res = await fetch(api + path, { headers: { cookie: cookies[e.role] } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${e.name} as ${e.role}: ${path} answered ${res.status} ${body.slice(0, 300)}`);
        check(e, path, JSON.parse(body) as unknown);
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => {
          if (k !== "connection" && k !== "keep-alive" && k !== "date" && k !== "transfer-encoding") headers[k] = v;
        });
        answers[`${barePath(e.role, path)}|`] = { status: res.status, headers, body };
        bytes += Buffer.byteLength(body);
        if (i === 0 && e.goal) {
          // The counts leave out the status filter (they are the tabs beside it): the page's own status is its match.
          const counts = (JSON.parse(body) as OfficeInbox).counts;
          const status = new URLSearchParams(path.split("?")[1] ?? "").get("status") as keyof typeof counts | null;
          matches = status ? counts[status] : Object.values(counts).reduce((a, b) => a + b, 0);
        }
      }
      facts.set(e, { matches, bytes: bytes / e.paths.length });
    }
    const scratch = mkdtempSync(join(tmpdir(), "dr-bench-office-bare-"));
    cleanup.push(() => rmSync(scratch, { recursive: true, force: true }));
    writeFileSync(join(scratch, "answers.json"), JSON.stringify(answers));
    const bare = await spawnUntil(["--import", "tsx", join(root, "tests/bench/bare-server.ts"), join(scratch, "answers.json")], {}, /listening (\d+)/);
    cleanup.push(() => stopChild(bare.child));
    const bareUrl = `http://127.0.0.1:${bare.match[1]}`;

    const rows: Row[] = [];
    for (const e of endpoints) {
      const headers = { cookie: cookies[e.role] };
      const bareRun = (amount: number, seconds: number) => measure(bareUrl, e.paths.map((p) => barePath(e.role, p)), headers, { amount, seconds, connections }, bare.child.pid);
      const serverRun = (amount: number, seconds: number) => measure(api, e.paths, headers, { amount, seconds, connections }, server.child.pid);
      // Warm both (JIT, statement cache, pages), then measure them back to back so they see the same machine.
      await bareRun(Math.max(50, connections * 10), warmupSeconds);
      await serverRun(Math.max(40, connections * 5), warmupSeconds);
      const b = await bareRun(maxRequests, maxSeconds);
      const s = await serverRun(maxRequests, maxSeconds);
      const f = facts.get(e)!;
      rows.push({ endpoint: e, server: s, bare: b, matches: f.matches, bytes: f.bytes });
      process.stdout.write(`  ${e.name} (${e.role}): p95 ${ms(percentile(s.latencies, 95))}\n`);
    }
    printTable(rows, data);
    console.log(`Machine: ${cpus().length} cores, load average (1 min) ${loadStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end\n`);
    return rows.map((r) => ({ name: r.endpoint.name, role: r.endpoint.role, p95: percentile(r.server.latencies, 95), goal: r.endpoint.goal }));
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

/** Where the bare server keeps an answer: the role first, as both roles ask the same paths for different answers. */
const barePath = (role: Role, path: string) => `/${role}${path}`;

function describeEndpoints(town: string, s: Samples): Endpoint[] {
  const inbox = (query: Record<string, string>) => `${town}/office/submissions${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ""}`;
  const statuses = ["received", "in_progress", "waiting", "approved", "rejected", "closed"];
  const forms = ["hundesteuer", "maengelmelder", "kita-anmeldung", "osterfeuer"];
  const out: Endpoint[] = [];
  for (const role of ["admin", "staff"] as const) {
    const add = (name: string, paths: string[], goal = true) => out.push({ name, role, goal, paths });
    add("inbox, newest first", [inbox({})]);
    add("status filter", statuses.map((status) => inbox({ status })));
    add("form filter", (role === "admin" ? forms : s.staffForms).map((form) => inbox({ form })));
    add("assignee=me", [inbox({ assignee: "me" })]);
    add("unread=true", [inbox({ unread: "true" })]);
    add("received between (one month)", s.ranges.map((r) => inbox({ from: r.from, to: r.to })));
    add("search: reference prefix", s.referencePrefixes.map((q) => inbox({ q })));
    add("search: reference number", s.referenceNumbers.map((q) => inbox({ q })));
    add("search: applicant name", s.names.map((q) => inbox({ q })));
    add("deep page (cursor ≈ row 50,000 / 15,000)", (role === "admin" ? s.adminCursors : s.staffCursors).map((cursor) => inbox({ cursor })));
    add("detail of one submission", (role === "admin" ? s.adminDetails : s.staffDetails).map((id) => `${town}/office/submissions/${id}`), false);
  }
  return out;
}

/** Reads what the requests ask for from the dataset itself: cursors deep in the list, submissions to open, search terms that hit. */
function sample(data: OfficeDataset): Samples {
  const db = new Database(join(data.dataDir, "rathaus.sqlite"), { readonly: true });
  try {
    const tenantId = (db.prepare("SELECT id FROM tenants WHERE slug = ?").get(data.slug) as { id: string }).id;
    const cursorAt = (offset: number, departments: string[] | null) => {
      const scope = departments ? `AND (department IS NULL OR department IN (${departments.map(() => "?").join(", ")}))` : "";
      const row = db.prepare(`SELECT submitted_at, id FROM submissions WHERE tenant_id = ? ${scope} ORDER BY submitted_at DESC, id DESC LIMIT 1 OFFSET ?`).get(tenantId, ...(departments ?? []), offset) as
        | { submitted_at: number; id: string }
        | undefined;
      if (!row) throw new Error(`no submission at offset ${offset}`);
      return `${row.submitted_at}.${row.id}`;
    };
    const visibleToStaff = (db.prepare("SELECT COUNT(*) AS n FROM submissions WHERE tenant_id = ? AND (department IS NULL OR department = ?)").get(tenantId, staffDepartment) as { n: number }).n;
    const middle = Math.floor(data.totals.bigTown / 2);
    const staffMiddle = Math.floor(visibleToStaff / 2);
    // Submissions already read by the office: opening them writes nothing, so every run sees the same database.
    const details = (department: string | null) =>
      (
        db
          .prepare(`SELECT id FROM submissions WHERE tenant_id = ? AND office_unread = 0 ${department ? "AND department = ?" : ""} ORDER BY id LIMIT 50`)
          .all(tenantId, ...(department ? [department] : [])) as { id: string }[]
      ).map((r) => r.id);
    const years = (db.prepare("SELECT year FROM reference_counters WHERE tenant_id = ? ORDER BY year DESC LIMIT 3").all(tenantId) as { year: number }[]).map((r) => r.year);
    const prefix = (db.prepare("SELECT reference FROM submissions WHERE tenant_id = ? LIMIT 1").get(tenantId) as { reference: string }).reference.split("-")[0]!;
    const staffForms = (db.prepare("SELECT DISTINCT form_id FROM submissions WHERE tenant_id = ? AND department = ? ORDER BY form_id").all(tenantId, staffDepartment) as { form_id: string }[]).map((r) => r.form_id);
    return {
      adminCursors: [-5000, -2500, 0, 2500, 5000].map((d) => cursorAt(middle + d, null)),
      staffCursors: [-1500, -750, 0, 750, 1500].map((d) => cursorAt(staffMiddle + d, [staffDepartment])),
      adminDetails: details(null),
      staffDetails: details(staffDepartment),
      // What a clerk types from a letter: the first digits of the number, each prefix matching up to 100 references.
      referencePrefixes: years.flatMap((y) => ["0012", "0047", "0105", "0230"].map((n) => `${prefix}-${y}-${n}`)),
      // The number alone, as said on the phone, and with its year.
      referenceNumbers: ["123", "4711", "20", ...years.map((y) => `${y}-000815`)],
      // Whole names and beginnings, with and without umlauts: Schulz also finds Schulze, Jürgen also Jürgens.
      names: ["Bergmann", "Schulz", "Yılmaz", "Krüger", "kruger", "Anna Becker", "Hoffm", "Jürgen", "mueller"],
      ranges: [30, 60, 120, 240, 400].map((back) => ({ from: berlinDate(data.anchor - (back + 30) * day), to: berlinDate(data.anchor - back * day) })),
      staffForms,
    };
  } finally {
    db.close();
  }
}

/** An answer that is 200 but not what was asked would measure the wrong thing. */
function check(e: Endpoint, path: string, body: unknown) {
  const fail = (why: string) => {
    throw new Error(`${e.name} as ${e.role}: ${path}: ${why}`);
  };
  if (!e.goal) {
    const d = body as { id?: string; department?: string; history?: unknown[] };
    if (!d.id || !path.endsWith(d.id) || !Array.isArray(d.history) || d.history.length === 0) fail("not the submission asked for");
    if (e.role === "staff" && d.department !== staffDepartment) fail(`staff opened a submission of ${d.department}`);
    return;
  }
  const inbox = body as OfficeInbox;
  if (!Array.isArray(inbox.items) || typeof inbox.counts !== "object") fail("not an inbox");
  if (e.role === "staff" && inbox.items.some((i) => i.department !== staffDepartment && i.department !== null)) fail("staff sees another department");
  const total = Object.values(inbox.counts).reduce((a, b) => a + b, 0);
  if (inbox.items.length > total) fail(`${inbox.items.length} items but counts sum to ${total}`);
}

async function login(townUrl: string, email: string): Promise<string> {
  const res = await fetch(`${townUrl}/office/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  const body = await res.text();
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (res.status !== 200 || !cookie.startsWith("__Host-dr-office-")) throw new Error(`office login of ${email}: ${res.status} ${body.slice(0, 300)}`);
  return cookie;
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

function printTable(rows: Row[], data: OfficeDataset) {
  console.log("");
  console.log(`| Request | as | n | matches | req/s | p50 | p95 | p99 | server CPU per request | bare p95 | answer | p95 < ${goalMs} ms |`);
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    const s = r.server;
    const p95 = percentile(s.latencies, 95);
    const cpu = s.serverCpuMs === null ? "n/a" : ms(s.serverCpuMs / s.count);
    const goal = r.endpoint.goal ? (p95 < goalMs ? "met" : "**MISSED**") : "–";
    console.log(
      `| ${r.endpoint.name} | ${r.endpoint.role} | ${s.count} | ${r.matches ?? "–"} | ${fmt((s.count / s.ms) * 1000)} | ${ms(percentile(s.latencies, 50))} | ${ms(p95)} | ${ms(percentile(s.latencies, 99))} | ${cpu} | ${ms(percentile(r.bare.latencies, 95))} | ${(r.bytes / 1024).toFixed(1)} KB | ${goal} |`,
    );
  }
  const missed = rows.filter((r) => r.endpoint.goal && percentile(r.server.latencies, 95) >= goalMs);
  console.log("");
  console.log(`  ${data.slug}: ${data.totals.bigTown} submissions; n = requests measured (a row stops after ${maxSeconds} s); matches = submissions the first variant's filters match (from its counts; the cursor row counts all)`);
  console.log("  server CPU per request: user+system CPU of the server process ÷ n, i.e. the service time without waiting behind the other connections");
  console.log(`  goal p95 < ${goalMs} ms for the inbox: ${missed.length === 0 ? "met by every row" : `missed by ${missed.length} of ${rows.filter((r) => r.endpoint.goal).length} rows (query plans: tests/node/office-query-plans.test.ts)`}`);
  console.log("");
}




