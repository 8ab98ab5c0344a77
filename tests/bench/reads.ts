/**
 * `npm run bench -- reads`: the public reads every page view of every town makes, against the real
 * server (`server/node.ts` in production mode, the `npm start` code path) on a database holding
 * 100 towns × 11,000 accounts × 1,000 news items, and in the same run against bare `node:http`
 * answering the same bytes. Requests rotate over all 100 towns. Load: autocannon, 16 connections.
 * Then the same requests on a nearly empty deployment, to show the numbers do not depend on its size.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startMailCatcher } from "../../server/node/mail-catcher.js";
import { type ReadsDataset, full, readsDataset, small } from "./reads-seed.js";
import { freePort } from "../node/process.js";
import { fmt, spawnUntil } from "./util.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const connections = 16;
const seconds = Number(process.env.BENCH_SECONDS ?? 8);

interface Endpoint {
  name: string;
  /** One request per town; autocannon cycles through them. */
  requests: { path: string; headers?: Record<string, string> }[];
  expect: number;
}

interface Row {
  name: string;
  bare: autocannon.Result;
  server: autocannon.Result;
}

export async function benchReads() {
  console.log(`reads: ${full.towns} towns × ${full.accountsPerTown} accounts × ${full.newsPerTown} news, ${connections} connections, ${seconds} s per run`);
  const catcher = await startMailCatcher({ port: 0 });
  try {
    const rows = await withServer(await readsDataset(root, full), catcher.url, async (api, data) => {
      const endpoints = await describeEndpoints(api, data.slugs, data.itemIds);
      const recorded = await record(api, endpoints);
      const scratch = mkdtempSync(join(tmpdir(), "dr-bench-bare-"));
      writeFileSync(join(scratch, "answers.json"), JSON.stringify(recorded));
      const bare = await spawnUntil(["--import", "tsx", join(root, "tests/bench/bare-server.ts"), join(scratch, "answers.json")], {}, /listening (\d+)/);
      const bareUrl = `http://127.0.0.1:${bare.match[1]}`;
      const rows: Row[] = [];
      try {
        for (const e of endpoints) {
          // Warm both once, then measure them back to back so they see the same machine.
          await load(bareUrl, e, 1);
          await load(api, e, 1);
          const b = await load(bareUrl, e, seconds);
          const s = await load(api, e, seconds);
          rows.push({ name: e.name, bare: b, server: s });
        }
      } finally {
        bare.child.kill("SIGTERM");
        rmSync(scratch, { recursive: true, force: true });
      }
      return { rows, twoTowns: await serverOnly(api, data, small.towns) };
    });
    printTable(rows.rows);

    // The same requests to two towns on a nearly empty deployment: how full the database is must not matter.
    const empty = await withServer(await readsDataset(root, small), catcher.url, (api, data) => serverOnly(api, data, small.towns));
    console.log(`Requests to ${small.towns} towns, server req/s:`);
    console.log(`| Request | ${full.towns} towns, ${full.towns * full.accountsPerTown} accounts, ${full.towns * full.newsPerTown} news | ${small.towns} towns, ${small.towns * small.accountsPerTown} accounts, ${small.towns * small.newsPerTown} news | ratio |`);
    console.log("|---|---:|---:|---:|");
    for (const r of empty) {
      const f = rows.twoTowns.find((x) => x.name === r.name)!.server.requests.average;
      console.log(`| ${r.name} | ${fmt(f)} | ${fmt(r.server.requests.average)} | ${(f / r.server.requests.average).toFixed(2)} |`);
    }
    console.log("");
    return rows.rows;
  } finally {
    await catcher.close();
  }
}

/** The town-scoped reads of the first `towns` towns against the server alone. */
async function serverOnly(api: string, data: ReadsDataset, towns: number) {
  const endpoints = await describeEndpoints(api, data.slugs.slice(0, towns), data.itemIds.slice(0, towns));
  const measured: { name: string; server: autocannon.Result }[] = [];
  for (const e of endpoints.filter((x) => x.name !== "GET /healthz")) {
    await load(api, e, 1);
    measured.push({ name: e.name, server: await load(api, e, seconds) });
  }
  return measured;
}

/** Runs `server/node.ts` in production mode on the dataset for as long as `use` needs it. */
async function withServer<T>(data: ReadsDataset, smtpUrl: string, use: (api: string, data: ReadsDataset) => Promise<T>): Promise<T> {
  const apiPort = await freePort();
  const server = await spawnUntil(
    ["--import", "tsx", "server/node.ts"],
    {
      NODE_ENV: "production",
      PORT: String(apiPort),
      DEMO_PORT: String(await freePort()),
      DATA_DIR: data.dataDir,
      TENANTS_DIR: data.tenantsDir,
      SMTP_URL: smtpUrl,
      SMS_GATEWAY_URL: "http://127.0.0.1:9/sms",
      APP_SECRET: "bench-secret-bench-secret-bench-secret",
    },
    /is running/,
  );
  try {
    return await use(`http://127.0.0.1:${apiPort}`, data);
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.once("exit", r));
  }
}

async function describeEndpoints(api: string, slugs: string[], itemIds: string[]): Promise<Endpoint[]> {
  const etags: string[] = [];
  for (const slug of slugs) {
    const res = await fetch(`${api}/api/v1/tenants/${slug}/news`);
    await res.arrayBuffer();
    const etag = res.headers.get("etag");
    if (res.status !== 200 || !etag) throw new Error(`news list of ${slug}: ${res.status}, ETag ${etag}`);
    etags.push(etag);
  }
  const t = (slug: string) => `/api/v1/tenants/${slug}`;
  return [
    { name: "GET tenant configuration", expect: 200, requests: slugs.map((s) => ({ path: t(s) })) },
    { name: "GET news list", expect: 200, requests: slugs.map((s) => ({ path: `${t(s)}/news` })) },
    { name: "GET news item", expect: 200, requests: slugs.map((s, i) => ({ path: `${t(s)}/news/${itemIds[i]}` })) },
    { name: "GET news list, 304", expect: 304, requests: slugs.map((s, i) => ({ path: `${t(s)}/news`, headers: { "if-none-match": etags[i]! } })) },
    { name: "GET news/feed.atom", expect: 200, requests: slugs.map((s) => ({ path: `${t(s)}/news/feed.atom` })) },
    { name: "GET /healthz", expect: 200, requests: [{ path: "/healthz" }] },
  ];
}

/** What the server answers to each request, so the bare server can answer the very same bytes. */
async function record(api: string, endpoints: Endpoint[]) {
  const answers: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
  for (const e of endpoints) {
    for (const r of e.requests) {
      const res = await fetch(api + r.path, { headers: r.headers ?? {} });
      if (res.status !== e.expect) throw new Error(`${e.name}: ${r.path} answered ${res.status}`);
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        if (k !== "connection" && k !== "keep-alive" && k !== "date" && k !== "transfer-encoding") headers[k] = v;
      });
      answers[`${r.path}|${r.headers?.["if-none-match"] ?? ""}`] = { status: res.status, headers, body: await res.text() };
    }
  }
  return answers;
}

async function load(base: string, e: Endpoint, duration: number): Promise<autocannon.Result> {
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: e.requests.map((r) => ({ method: "GET", path: r.path, ...(r.headers ? { headers: r.headers } : {}) })),
  });
  const wanted = e.expect === 304 ? result["3xx"] : result["2xx"];
  if (result.errors > 0 || result.timeouts > 0 || wanted !== result.requests.total)
    throw new Error(`${e.name} on ${base}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.requests.total - wanted} of ${result.requests.total} answers not ${e.expect}`);
  return result;
}

function printTable(rows: Row[]) {
  console.log("");
  console.log("| Request | bare node:http req/s | server req/s | ratio | server p50 | server p99 | bare p99 |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const ratio = r.server.requests.average / r.bare.requests.average;
    console.log(
      `| ${r.name} | ${fmt(r.bare.requests.average)} | ${fmt(r.server.requests.average)} | ${ratio.toFixed(2)}× | ${r.server.latency.p50} ms | ${r.server.latency.p99} ms | ${r.bare.latency.p99} ms |`,
    );
  }
  console.log("");
}

