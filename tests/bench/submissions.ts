/**
 * `npm run bench -- submissions`: citizens sending a 30-field form with one 200 KB PDF over HTTP.
 * One submission is what the widget sends: `POST …/uploads` (multipart, `field` then `file`) and
 * `POST …/submissions` (JSON naming the upload, a session token, an Idempotency-Key).
 *
 * Measured against the real server, `server/node.ts` in production mode in its own process (the
 * `npm start` code path: pino log to a file, blobs on disk with fsync, SQLite in WAL, the outbox
 * dispatcher rendering the receipt PDFs and sending both mails to an SMTP sink in this process),
 * and then against the same createApp without the dispatcher (submissions-app-server.ts), to
 * show what the requests cost on their own. Baseline in the same run: as many plain JSON POSTs of
 * the submission's size to a no-op Hono route in its own process, and the same two requests
 * (200 KB multipart + JSON) to it, which is what the bytes alone cost.
 * Load: autocannon, 16 connections, each sending whole submissions (upload, then submit).
 *
 * BENCH_SUBMISSIONS=n sets how many are sent (default 2,000); BENCH_CPU_PROF=<dir> runs both
 * servers with --cpu-prof and leaves the profiles there.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { startMailCatcher } from "../../server/node/mail-catcher.js";
import { freePort } from "../node/process.js";
import { type SubmissionsDataset, benchAnswers, benchFormId, benchSlug, fileFieldPath, submissionsDataset } from "./submissions-seed.js";
import { fmt, processCpuMs, spawnUntil } from "./util.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const connections = 16;
/** Citizens; the server's limit of 200 uploads per account and hour is then far away. */
const accounts = 50;
const warmupPerConnection = 4;

/** What one load run saw: per-request (or per-submission) latencies in ms and the wall time. */
interface Measured {
  count: number;
  ms: number;
  latencies: number[];
  /** Items with an answer other than 201, and socket errors and timeouts. */
  errors: number;
  /** The first few unexpected answers, for the report. */
  samples: string[];
  /** CPU the server process (all its threads) used during the run; null where /proc is missing. */
  serverCpuMs?: number | null;
  /** CPU this process (load generator and SMTP sink) used during the run. */
  clientCpuMs?: number;
}

interface SubmitContext {
  n?: number;
  token?: string;
  uploadId?: string;
}

/** What the server run measured besides the load: how its dispatcher kept up with the mail. */
interface MailFigures {
  /** Mails of the measured submissions the SMTP sink accepted while the load ran. */
  duringLoad: number;
  /** From the last answer to the last of the measured submissions' mails accepted. */
  drainMs: number;
  /** CPU of the server from the start of the load until the last mail, per submission. */
  cpuPerSubmissionMs: number | null;
  delivered: number;
  expected: number;
}

export async function benchSubmissions({ total = Number(process.env.BENCH_SUBMISSIONS ?? 2000) } = {}) {
  // Every connection sends whole submissions: an even share of upload/submit pairs each.
  const submissions = Math.max(connections, Math.round(total / connections) * connections);
  const warm = connections * warmupPerConnection;
  const pdf = benchPdf(200 * 1024);
  const boundary = "----dr-bench-" + randomBytes(8).toString("hex");
  const multipart = multipartBody(boundary, pdf);
  const profDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
  const formPath = `/api/v1/tenants/${benchSlug}/forms/${benchFormId}`;

  const loadStart = loadavg()[0]!;
  const cleanup: Array<() => unknown> = [];
  try {
    // One fresh database per server run, so neither sees the other's rows.
    const nodeData = await submissionsDataset(root, accounts);
    cleanup.push(nodeData.remove);
    const appData = await submissionsDataset(root, accounts);
    cleanup.push(appData.remove);
    const sink = await startMailCatcher({ parse: false, max: 10 });
    cleanup.push(() => sink.close());
    const noop = await spawnUntil(["--import", "tsx", join(root, "tests/bench/submissions-noop-server.ts")], {}, /listening (\d+)/);
    cleanup.push(() => stopChild(noop.child));
    const noopUrl = `http://127.0.0.1:${noop.match[1]}`;

    const submissionJson = JSON.stringify({ version: nodeData.formVersion, data: benchAnswers(0, "u_" + "x".repeat(22)) });
    const jsonLoad = (count: number) => singleLoad(noopUrl, count, { method: "POST", path: `${formPath}/submissions`, headers: { "content-type": "application/json" }, body: submissionJson });
    const bytesLoad = (count: number) =>
      pairLoad(noopUrl, count, [
        { method: "POST", path: `${formPath}/uploads`, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: multipart },
        { method: "POST", path: `${formPath}/submissions`, headers: { "content-type": "application/json" }, body: submissionJson },
      ]);
    await jsonLoad(warm * 8);
    await bytesLoad(warm);
    const baseline = await withCpu(noop.child.pid, () => jsonLoad(submissions));
    const bytes = await withCpu(noop.child.pid, () => bytesLoad(submissions));

    // The real server: `npm start` in production mode, its dispatcher sending every mail to the sink.
    const apiPort = await freePort();
    const node = await spawnUntil(
      [...(profDir ? ["--cpu-prof", "--cpu-prof-dir", join(profDir, "node")] : []), "--import", "tsx", "server/node.ts"],
      {
        NODE_ENV: "production",
        PORT: String(apiPort),
        DEMO_PORT: String(await freePort()),
        DATA_DIR: nodeData.dataDir,
        TENANTS_DIR: nodeData.tenantsDir,
        SMTP_URL: sink.url,
        SMS_GATEWAY_URL: "http://127.0.0.1:9/sms",
        APP_SECRET: "bench-secret-bench-secret-bench-secret",
      },
      /is running/,
    );
    cleanup.push(() => stopChild(node.child));
    const nodeUrl = `http://127.0.0.1:${apiPort}`;
    const load = submissionLoad(formPath, boundary, multipart);
    await checkForm(nodeUrl + formPath, nodeData.formVersion);
    mustSucceed("warm-up", await load(nodeUrl, nodeData, warm));
    // The warm-up's mails go out first, so the measured window holds only its own.
    if (!(await until(() => sink.count() >= 2 * warm, 120_000))) throw new Error(`the warm-up's ${2 * warm} mails did not arrive`);
    const before = sink.count();
    const cpuBefore = processCpuMs(node.child.pid);
    const withMail = await withCpu(node.child.pid, () => load(nodeUrl, nodeData, submissions));
    const duringLoad = sink.count() - before;
    const drainStart = performance.now();
    await until(() => sink.count() - before >= 2 * submissions, 600_000);
    const cpuAfter = processCpuMs(node.child.pid);
    const mail: MailFigures = {
      duringLoad,
      drainMs: performance.now() - drainStart,
      cpuPerSubmissionMs: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / submissions : null,
      delivered: sink.count() - before,
      expected: 2 * submissions,
    };
    await stopChild(node.child);

    // The same requests with no dispatcher in the process: what they cost on their own.
    const app = await spawnUntil(
      [...(profDir ? ["--cpu-prof", "--cpu-prof-dir", join(profDir, "app")] : []), "--import", "tsx", join(root, "tests/bench/submissions-app-server.ts"), appData.dataDir, appData.tenantsDir],
      {},
      /listening (\d+)/,
    );
    cleanup.push(() => stopChild(app.child));
    const appUrl = `http://127.0.0.1:${app.match[1]}`;
    await checkForm(appUrl + formPath, appData.formVersion);
    mustSucceed("warm-up", await load(appUrl, appData, warm));
    const alone = await withCpu(app.child.pid, () => load(appUrl, appData, submissions));
    await stopChild(app.child);
    const queued = countOutbox(appData.dataDir);

    printTable({ submissions, pdfBytes: pdf.byteLength, multipartBytes: multipart.byteLength, jsonBytes: submissionJson.length, baseline, bytes, withMail, alone, fields: nodeData.fieldCount });
    printMail(mail, withMail, submissions, queued, 2 * (warm + submissions));
    if (profDir) console.log(`CPU profiles (main thread and tsx's loader thread) of server/node.ts in ${join(profDir, "node")}, of the app without dispatcher in ${join(profDir, "app")}\n`);
    // Other work on this machine takes cores from the server and the load generator alike.
    console.log(`Machine: ${cpus().length} cores, load average (1 min) ${loadStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end\n`);
    mustSucceed("measured", withMail);
    mustSucceed("measured (no dispatcher)", alone);
    return { submissionsPerSecond: perSecond(withMail), withoutDispatcher: perSecond(alone), baselinePerSecond: perSecond(baseline), p95: percentile(withMail.latencies, 95), errors: withMail.errors + alone.errors };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

/**
 * The requests of one submission: the upload with a citizen's token (the 50 take turns), then
 * the submission naming the upload the answer gave, with its own Idempotency-Key.
 */
function submissionLoad(formPath: string, boundary: string, multipart: Buffer) {
  let counter = 0;
  return (base: string, data: SubmissionsDataset, count: number) => {
    const tag = randomBytes(4).toString("hex");
    return pairLoad(base, count, [
      {
        method: "POST",
        path: `${formPath}/uploads`,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        body: multipart,
        setupRequest: (req, context) => {
          const ctx = context as SubmitContext;
          ctx.n = counter++;
          ctx.token = data.tokens[ctx.n % data.tokens.length]!;
          return { ...req, headers: { ...req.headers, authorization: `Bearer ${ctx.token}` } };
        },
        onResponse: (status, body, context) => {
          if (status === 201) (context as SubmitContext).uploadId = (JSON.parse(body) as { id: string }).id;
        },
      },
      {
        method: "POST",
        path: `${formPath}/submissions`,
        headers: { "content-type": "application/json" },
        setupRequest: (req, context) => {
          const ctx = context as SubmitContext;
          return {
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${ctx.token}`, "idempotency-key": `bench-${tag}-${ctx.n}` },
            // A failed upload still sends a submission, which then fails too: the pair counts as one error.
            body: JSON.stringify({ version: data.formVersion, data: benchAnswers(ctx.n!, ctx.uploadId ?? "u_" + "0".repeat(22)) }),
          };
        },
      },
    ]);
  };
}

async function checkForm(url: string, version: number) {
  const res = await fetch(url);
  const form = (await res.json()) as { version?: number };
  if (res.status !== 200 || form.version !== version) throw new Error(`GET ${url}: ${res.status}, version ${form.version}`);
}

function mustSucceed(what: string, m: Measured) {
  if (m.errors > 0) throw new Error(`${what}: ${m.errors} of ${m.count} submissions failed:\n${m.samples.join("\n")}`);
}

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Mails the submissions left in the outbox of a server without a dispatcher. */
function countOutbox(dataDir: string): number {
  const db = new Database(join(dataDir, "rathaus.sqlite"), { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE template IN ('form_receipt', 'form_notification') AND status = 'pending'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const perSecond = (m: Measured) => (m.count / m.ms) * 1000;



/**
 * The CPU a run cost the server and this process. On a shared machine the rates move with what
 * else runs; CPU per submission moves much less, so it is the figure to compare across runs.
 */
async function withCpu(pid: number | undefined, run: () => Promise<Measured>): Promise<Measured> {
  const server = processCpuMs(pid);
  const client = process.cpuUsage();
  const m = await run();
  const used = process.cpuUsage(client);
  const serverAfter = processCpuMs(pid);
  return { ...m, serverCpuMs: server !== null && serverAfter !== null ? serverAfter - server : null, clientCpuMs: (used.user + used.system) / 1000 };
}

/** `count` single requests, each expected to answer 201. */
async function singleLoad(base: string, count: number, request: autocannon.Request): Promise<Measured> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let errors = 0;
  const start = performance.now();
  let last = start;
  const onResponse = (status: number, body: string) => void (status !== 201 && samples.length < 5 && samples.push(`${status} ${body.slice(0, 300)}`));
  const result = await cannon({ url: base, connections, amount: count, timeout: 30, requests: [{ ...request, onResponse }] }, (_client, status, ms) => {
    last = performance.now();
    latencies.push(ms);
    if (status !== 201) errors++;
  });
  // autocannon reports the end only at its next 1 s tick: the last answer is the end.
  const ms = last - start;
  errors += result.errors;
  return { count, ms, latencies, errors, samples };
}

/**
 * `count` pairs of requests (upload, then submit), each connection alternating them. A pair's
 * latency is the sum of its two response times: what the citizen waits for, minus a few
 * microseconds in the client between the two. A pair fails if either answer is not 201.
 */
async function pairLoad(base: string, count: number, pair: [autocannon.Request, autocannon.Request]): Promise<Measured> {
  const latencies: number[] = [];
  const samples: string[] = [];
  const firstHalf = new Map<autocannon.Client, { ms: number; ok: boolean }>();
  let errors = 0;
  const sample = (status: number, body: string) => {
    if (status !== 201 && samples.length < 5) samples.push(`${status} ${body.slice(0, 300)}`);
  };
  const withSample = (r: autocannon.Request): autocannon.Request => {
    const onResponse = r.onResponse;
    return {
      ...r,
      onResponse: (status, body, context, headers) => {
        sample(status, body);
        if (typeof onResponse === "function") onResponse(status, body, context, headers);
      },
    };
  };
  const start = performance.now();
  let last = start;
  const result = await cannon({ url: base, connections, amount: 2 * count, timeout: 30, requests: pair.map(withSample) }, (client, status, ms) => {
    last = performance.now();
    const first = firstHalf.get(client);
    if (!first) {
      firstHalf.set(client, { ms, ok: status === 201 });
      return;
    }
    firstHalf.delete(client);
    latencies.push(first.ms + ms);
    if (!first.ok || status !== 201) errors++;
  });
  // autocannon reports the end only at its next 1 s tick: the last answer is the end.
  const ms = last - start;
  errors += result.errors + firstHalf.size;
  return { count, ms, latencies, errors, samples };
}

/** autocannon with a listener for every response (the promise form has no events). */
function cannon(opts: autocannon.Options, onResponse: (client: autocannon.Client, status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err: unknown, result: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)));
    instance.on("response", (client, status, _bytes, ms) => onResponse(client, status, ms));
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

function printTable(r: { submissions: number; pdfBytes: number; multipartBytes: number; jsonBytes: number; baseline: Measured; bytes: Measured; withMail: Measured; alone: Measured; fields: number }) {
  const lat = (m: Measured) => `${ms(percentile(m.latencies, 50))} | ${ms(percentile(m.latencies, 95))} | ${ms(percentile(m.latencies, 99))}`;
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const base = perSecond(r.baseline);
  const cpu = (m: Measured) => `${m.serverCpuMs == null ? "n/a" : ms(m.serverCpuMs / m.count)} | ${m.clientCpuMs === undefined ? "n/a" : `${((m.clientCpuMs / m.ms) * 100).toFixed(0)}%`}`;
  const row = (name: string, m: Measured) => `| ${name} | ${m.count} | ${fmt(2 * perSecond(m))} | **${fmt(perSecond(m))}** | ${lat(m)} | **${m.errors}** | ${cpu(m)} |`;
  console.log("");
  console.log(`submissions: ${r.submissions} submissions of a ${r.fields}-field form (${benchSlug}/${benchFormId}), ${connections} connections, ${accounts} citizens taking turns`);
  console.log(`  one submission = POST uploads (multipart ${kb(r.multipartBytes)}: a ${kb(r.pdfBytes)} PDF) + POST submissions (JSON ${kb(r.jsonBytes)}, naming the upload), both answered 201`);
  console.log("  servers in their own processes: server/node.ts (NODE_ENV=production, as `npm start`), and the same createApp without the outbox dispatcher");
  console.log("  baseline: a no-op Hono route on @hono/node-server in its own process, reading the body and answering 201");
  console.log("");
  console.log("| Run | count | requests/s | submissions/s | p50 | p95 | p99 | errors (non-2xx) | server CPU per item | load generator CPU |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  console.log(`| baseline: no-op route, JSON POST of the submission's size | ${r.baseline.count} | ${fmt(base)} | – | ${lat(r.baseline)} | ${r.baseline.errors} | ${cpu(r.baseline)} |`);
  console.log(`| no-op route, the same two requests (upload bytes + JSON) | ${r.bytes.count} | ${fmt(2 * perSecond(r.bytes))} | ${fmt(perSecond(r.bytes))} | ${lat(r.bytes)} | ${r.bytes.errors} | ${cpu(r.bytes)} |`);
  console.log(row("server/node.ts, dispatcher sending the mails meanwhile", r.withMail));
  console.log(row("same app, no dispatcher (mails stay in the outbox)", r.alone));
  console.log("");
  console.log("  latency of a submission: upload + submit response times as the client saw them; requests/s counts both requests;");
  console.log("  server CPU per item: user+system CPU of the server process (all threads) ÷ count; load generator CPU: this process, % of one core");
  for (const [name, m] of [["server/node.ts", r.withMail], ["no dispatcher", r.alone]] as const) {
    const subs = perSecond(m);
    console.log(
      `  ${name}: ${fmt(subs)} submissions/s in ${fmt(m.ms / 1000)} s; ÷ baseline JSON POSTs/s ${(subs / base).toFixed(3)} (requests/s ÷ baseline ${((2 * subs) / base).toFixed(3)}); ÷ same bytes to no-op ${(subs / perSecond(r.bytes)).toFixed(3)}; goal ≥ 100/s, 0 errors: ${subs >= 100 && m.errors === 0 ? "met" : "NOT met"} (p95 ${ms(percentile(m.latencies, 95))})`,
    );
  }
  console.log("");
}

function printMail(mail: MailFigures, withMail: Measured, submissions: number, queued: number, expectedQueued: number) {
  const endToEnd = withMail.ms + mail.drainMs;
  console.log("Mail (2 per submission: receipt with its PDF rendered at sending, and the department's notification):");
  console.log(`  server/node.ts: dispatcher running (town mail.ratePerSecond 500), SMTP sink in the bench process. Of the ${mail.expected} mails of the measured`);
  console.log(`  submissions ${mail.duringLoad} went out during the load; the rest ${mail.delivered >= mail.expected ? `followed within ${fmt(mail.drainMs / 1000)} s` : `had not all arrived after ${fmt(mail.drainMs / 1000)} s (${mail.delivered})`}.`);
  console.log(
    `  First request to last mail accepted: ${fmt(endToEnd / 1000)} s, i.e. ${fmt((submissions / endToEnd) * 1000)} submissions/s with their mail delivered; server CPU ${mail.cpuPerSubmissionMs === null ? "n/a" : ms(mail.cpuPerSubmissionMs)} per submission with its mails.`,
  );
  console.log(`  no dispatcher: ${queued} of ${expectedQueued} mails (warm-up included) waiting in the outbox afterwards${queued === expectedQueued ? ", as expected" : " — MISMATCH"}.`);
  console.log("");
}

/**
 * A real, well-formed one-page PDF of about `size` bytes: a page drawing one uncompressed grey
 * image of random pixels (a scan, in effect). Nearly all of it is stream data, as in scanned
 * PDFs, which the upload check skips; the dictionaries around it are scanned for /JavaScript.
 */
export function benchPdf(size: number): Buffer {
  const width = 512;
  const height = Math.max(1, Math.floor((size - 900) / width));
  const pixels = randomBytes(width * height);
  const content = `q ${width} 0 0 ${height} 40 40 cm /Im1 Do Q\n`;
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let length = parts[0]!.byteLength;
  const add = (b: Buffer) => {
    parts.push(b);
    length += b.byteLength;
  };
  const obj = (n: number, body: string, stream?: Buffer) => {
    offsets[n] = length;
    add(Buffer.from(`${n} 0 obj\n${body}\n`, "latin1"));
    if (stream) {
      add(Buffer.from("stream\n", "latin1"));
      add(stream);
      add(Buffer.from("\nendstream\n", "latin1"));
    }
    add(Buffer.from("endobj\n", "latin1"));
  };
  obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>");
  obj(4, `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.byteLength} >>`, pixels);
  obj(5, `<< /Length ${Buffer.byteLength(content)} >>`, Buffer.from(content, "latin1"));
  const xref = length;
  const rows = offsets.slice(1).map((o) => `${String(o).padStart(10, "0")} 00000 n \n`);
  add(Buffer.from(`xref\n0 6\n0000000000 65535 f \n${rows.join("")}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, "latin1"));
  return Buffer.concat(parts);
}

/** The body a browser sends for FormData with `field` first and then `file`. */
function multipartBody(boundary: string, file: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\n${fileFieldPath}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lageplan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

