/**
 * `npm run bench -- slots`: what a citizen waits for when the widget asks for free appointments.
 * The real server (`server/node.ts` in production mode) answers `GET appointments/services/{id}/slots`
 * for a Bürgerbüro with 10 clerks over the whole 8-week booking window, with about half of the
 * clerks' time booked (appointments of three services of different lengths) and a few absences,
 * in a database that holds the other demo town's appointments too.
 *
 * The server keeps each service's slots per day and computes a day again only when something of
 * it changed (server/appointments/service.ts). The rows: nothing changed since the last request;
 * a booking (or cancellation) on some day of the window before every request, written into the
 * database by this process as another server would; an absence of a clerk on some day before
 * every request; and a week's absence before every request; the cold row computes every day
 * (after a restart or a change of the town's configuration: what every request cost before the
 * slots were kept per day).
 *
 * BENCH_CONNECTIONS (4) connections send BENCH_REQUESTS (2,000) requests per row, rotating over
 * the services; a row stops after BENCH_SECONDS (20) s. Baseline in the same run: bare `node:http`
 * answering the very bytes the server gave. Goal: p95 < 20 ms.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { SlotDays } from "../../server/appointments/api-types.js";
import type { AppointmentsConfig } from "../../server/appointments/config.js";
import { addDays, berlinDate, berlinWallTime, weekdayOf } from "../../server/lib/berlin-time.js";
import { systemClock } from "../../server/lib/clock.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { startMailCatcher } from "../../server/node/mail-catcher.js";
import { freePort } from "../node/process.js";
import { fmt, measure, percentile, spawnUntil, stopChild } from "./util.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 4);
const maxRequests = Number(process.env.BENCH_REQUESTS ?? 2000);
const maxSeconds = Number(process.env.BENCH_SECONDS ?? 20);
const goalMs = 20;
const clerks = 10;
const weekday: Array<[string, string]> = [
  ["08:00", "12:00"],
  ["13:00", "18:00"],
];

/** The Bürgerbüro of the benchmark: open every working day, 10 clerks who serve everything. */
function bigOffice(base: AppointmentsConfig): AppointmentsConfig {
  const hours = { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: [["08:00", "13:00"]] as Array<[string, string]> };
  return {
    ...base,
    bookingWindowDays: 56,
    minLeadMinutes: 60,
    locations: [{ ...base.locations[0]!, hours }],
    services: base.services.map((s) => ({ ...s, location: base.locations[0]!.id, capacity: s.mode === "booking" ? 6 : 1 })),
    clerks: Array.from({ length: clerks }, (_, i) => ({ id: `clerk-${i}`, name: `Sachbearbeitung ${i + 1}`, email: `clerk${i}@tangerhuette.example`, services: base.services.map((s) => s.id), hours })),
  };
}

interface Dataset {
  dataDir: string;
  tenantsDir: string;
  appointments: number;
  services: string[];
}

/** Half of every clerk's time in the window booked, in appointments of the services' lengths, and a day off for each. */
export async function dataset(): Promise<Dataset> {
  const base = mkdtempSync(join(tmpdir(), "dr-bench-slots-"));
  const tenantsDir = join(base, "tenants");
  const dataDir = join(base, "data");
  mkdirSync(dataDir);
  cpSync(join(root, "tenants"), tenantsDir, { recursive: true });
  const file = join(tenantsDir, "tangerhuette", "appointments.json");
  const config = bigOffice(JSON.parse(readFileSync(file, "utf8")) as AppointmentsConfig);
  writeFileSync(file, JSON.stringify(config, null, 2));
  const { store } = await bootstrapStore({ databaseFile: join(dataDir, "rathaus.sqlite"), migrationsDir: join(root, "migrations"), tenantsDir, clock: systemClock });
  const db = store.sqlite;
  const tenantId = (db.prepare("SELECT id FROM tenants WHERE slug = 'tangerhuette'").get() as { id: string }).id;
  const insert = db.prepare(`INSERT INTO appointments (tenant_id, id, service_id, location_id, clerk_id, seat, start_at, end_at, status, account_id, name, email, lang, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', NULL, 'Bench', 'bench@example.org', 'de', ?, ?)`);
  const absence = db.prepare("INSERT INTO clerk_absences (tenant_id, id, clerk_id, start_at, end_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULL, 'bench', ?)");
  const bookable = config.services.filter((s) => s.mode === "booking");
  let n = 0;
  const today = berlinDate(Date.now());
  db.transaction(() => {
    for (let d = 0; d <= config.bookingWindowDays; d++) {
      const day = addDays(today, d);
      const wd = weekdayOf(day);
      if (wd > 4) continue;
      for (let k = 0; k < clerks; k++) {
        if ((d + k) % 23 === 0) {
          absence.run(tenantId, `abs-${d}-${k}`, `clerk-${k}`, berlinWallTime(day, "00:00"), berlinWallTime(addDays(day, 1), "00:00"), Date.now());
          continue;
        }
        for (const [from, to] of wd === 4 ? [["08:00", "13:00"]] : weekday) {
          // Every other stretch booked: an appointment, then as long free.
          for (let t = berlinWallTime(day, from!), i = 0; t < berlinWallTime(day, to!); i++) {
            const s = bookable[(i + k + d) % bookable.length]!;
            const end = t + s.durationMinutes * 60_000;
            if (i % 2 === 0 && end <= berlinWallTime(day, to!)) insert.run(tenantId, `ap-${n}`, s.id, s.location, `clerk-${k}`, k % s.capacity, t, end, Date.now(), Date.now()), n++;
            t = end;
          }
        }
      }
    }
  })();
  store.close();
  return { dataDir, tenantsDir, appointments: n, services: bookable.map((s) => s.id) };
}

/**
 * Changes written straight into the database, one before each request, as another server
 * process sharing it would: a booking or a clerk's absence appearing or disappearing on a day
 * of the window (in turn), or an absence longer than a year (which every day depends on).
 */
function changer(data: Dataset) {
  const db = new Database(join(data.dataDir, "rathaus.sqlite"));
  db.pragma("busy_timeout = 5000");
  const tenantId = (db.prepare("SELECT id FROM tenants WHERE slug = 'tangerhuette'").get() as { id: string }).id;
  const today = berlinDate(Date.now());
  const add = db.prepare(`INSERT INTO appointments (tenant_id, id, service_id, location_id, clerk_id, seat, start_at, end_at, status, account_id, name, email, lang, created_at, updated_at)
    VALUES (?, 'bench-change', ?, 'buergerbuero', 'clerk-0', 5, ?, ?, 'confirmed', NULL, 'Bench', 'bench@example.org', 'de', 0, 0)`);
  const remove = db.prepare("DELETE FROM appointments WHERE tenant_id = ? AND id = 'bench-change'");
  const absent = db.prepare("INSERT INTO clerk_absences (tenant_id, id, clerk_id, start_at, end_at, note, created_by, created_at) VALUES (?, 'bench-change', 'clerk-1', ?, ?, NULL, 'bench', 0)");
  const present = db.prepare("DELETE FROM clerk_absences WHERE tenant_id = ? AND id = 'bench-change'");
  let n = 0;
  return {
    booking() {
      if (n++ % 2 === 1) return void remove.run(tenantId);
      const start = berlinWallTime(addDays(today, 1 + (n % 50)), "21:00");
      add.run(tenantId, data.services[0], start, start + 10 * 60_000);
    },
    absence() {
      if (n++ % 2 === 1) return void present.run(tenantId);
      const day = addDays(today, 1 + (n % 50));
      absent.run(tenantId, berlinWallTime(day, "20:00"), berlinWallTime(day, "21:00"));
    },
    /** Longer than a year: the town's version, on which every day depends (migrations/0021). */
    longAbsence() {
      if (n++ % 2 === 1) return void present.run(tenantId);
      absent.run(tenantId, berlinWallTime(addDays(today, 400), "00:00"), berlinWallTime(addDays(today, 800), "00:00"));
    },
    close: () => db.close(),
  };
}

export async function benchSlots() {
  const loadStart = loadavg()[0]!;
  const data = await dataset();
  console.log(`slots: ${clerks} clerks, 8 weeks, ${data.appointments} appointments booked; ${connections} connections, up to ${maxRequests} requests or ${maxSeconds} s per row`);
  const catcher = await startMailCatcher({ port: 0 });
  const cleanup: Array<() => unknown> = [() => catcher.close(), () => rmSync(join(data.dataDir, ".."), { recursive: true, force: true })];
  try {
    const apiPort = await freePort();
    const server = await spawnUntil(
      ["--import", "tsx", "server/node.ts"],
      { NODE_ENV: "production", PORT: String(apiPort), DEMO_PORT: String(await freePort()), DATA_DIR: data.dataDir, TENANTS_DIR: data.tenantsDir, SMTP_URL: catcher.url, SMS_GATEWAY_URL: "http://127.0.0.1:9/sms", APP_SECRET: "bench-secret-bench-secret-bench-secret" },
      /is running/,
    );
    cleanup.push(() => stopChild(server.child));
    const api = `http://127.0.0.1:${apiPort}`;
    const town = "/api/v1/tenants/tangerhuette";
    const today = berlinDate(Date.now());
    const changes = changer(data);
    cleanup.push(() => changes.close());
    const rows = [
      { name: "8 weeks, nothing changed since", query: "" },
      { name: "8 weeks, a booking before each request", query: "", before: changes.booking },
      { name: "8 weeks, an absence before each request", query: "", before: changes.absence },
      { name: "8 weeks, computed from nothing (a long absence before each request)", query: "", before: changes.longAbsence },
      { name: "one week", query: `?from=${addDays(today, 7)}&to=${addDays(today, 13)}` },
      { name: "one day", query: `?from=${addDays(today, 8)}&to=${addDays(today, 8)}` },
    ].map((r) => ({ headers: {} as Record<string, string>, before: undefined as (() => void) | undefined, ...r, paths: data.services.map((s) => `${town}/appointments/services/${s}/slots${r.query === "" ? `?to=${addDays(today, 56)}` : r.query}`) }));

    const answers: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
    const facts = new Map<string, { slots: number; days: number; bytes: number }>();
    for (const r of rows) {
      for (const [i, path] of r.paths.entries()) {
        const res = await fetch(api + path, { headers: r.headers });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
        const days = (JSON.parse(body) as SlotDays).days;
        if (r.query === "" && days.length < 30) throw new Error(`${path}: only ${days.length} days with free slots`);
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => {
          if (k !== "connection" && k !== "keep-alive" && k !== "date" && k !== "transfer-encoding") headers[k] = v;
        });
        answers[`${path}|`] = { status: 200, headers, body };
        if (i === 0) facts.set(r.name, { slots: days.reduce((a, d) => a + d.slots.length, 0), days: days.length, bytes: Buffer.byteLength(body) });
      }
    }
    const scratch = mkdtempSync(join(tmpdir(), "dr-bench-slots-bare-"));
    cleanup.push(() => rmSync(scratch, { recursive: true, force: true }));
    writeFileSync(join(scratch, "answers.json"), JSON.stringify(answers));
    const bare = await spawnUntil(["--import", "tsx", join(root, "tests/bench/bare-server.ts"), join(scratch, "answers.json")], {}, /listening (\d+)/);
    cleanup.push(() => stopChild(bare.child));
    const bareUrl = `http://127.0.0.1:${bare.match[1]}`;

    console.log("");
    console.log(`| Slots of a service | days | slots | answer | req/s | p50 | p95 | p99 | server CPU per request | bare p95 | p95 < ${goalMs} ms |`);
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    const results = [];
    for (const r of rows) {
      const load = (amount: number, seconds: number) => ({ amount, seconds, connections, before: r.before });
      await measure(bareUrl, r.paths, r.headers, load(50, 5), bare.child.pid);
      await measure(api, r.paths, r.headers, load(100, 5), server.child.pid);
      const b = await measure(bareUrl, r.paths, r.headers, load(maxRequests, maxSeconds), bare.child.pid);
      const s = await measure(api, r.paths, r.headers, load(maxRequests, maxSeconds), server.child.pid);
      const f = facts.get(r.name)!;
      const p95 = percentile(s.latencies, 95);
      const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
      console.log(
        `| ${r.name} | ${f.days} | ${f.slots} | ${(f.bytes / 1024).toFixed(1)} KB | ${fmt((s.count / s.ms) * 1000)} | ${ms(percentile(s.latencies, 50))} | ${ms(p95)} | ${ms(percentile(s.latencies, 99))} | ${s.serverCpuMs === null ? "n/a" : ms(s.serverCpuMs / s.count)} | ${ms(percentile(b.latencies, 95))} | ${p95 < goalMs ? "met" : "**MISSED**"} |`,
      );
      results.push({ name: r.name, p95 });
    }
    console.log(`\nMachine: ${cpus().length} cores, load average (1 min) ${loadStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end\n`);
    return results;
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}
