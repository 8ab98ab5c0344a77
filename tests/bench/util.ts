import autocannon from "autocannon";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";

/** Runs `task` `total` times with `concurrency` in flight; returns operations per second. */
export async function rate(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ perSecond: number; ms: number }> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  const ms = performance.now() - start;
  return { perSecond: (total / ms) * 1000, ms };
}

export async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 0);


const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Starts a process whose stdout goes to a file, as a production log would, rather than through a
 * pipe that this process (which also runs the load generator) would have to drain.
 */
export async function spawnUntil(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const logDir = mkdtempSync(join(tmpdir(), "dr-bench-log-"));
  const logFile = join(logDir, "stdout.log");
  const out = openSync(logFile, "w");
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, "pipe"] });
  closeSync(out);
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.once("exit", () => rmSync(logDir, { recursive: true, force: true }));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const text = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
    const m = text.match(ready);
    if (m) return { child, match: m };
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("waiting"), 100))]);
    if (code !== "waiting") throw new Error(`exited with ${String(code)}:\n${text}${err}`);
    if (Date.now() > deadline) throw new Error(`not ready after 120 s:\n${text}${err}`);
  }
}

const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU of a process so far (Linux /proc), in ms; null elsewhere. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1000;
  } catch {
    return null;
  }
}

export interface Measured {
  count: number;
  ms: number;
  latencies: number[];
  serverCpuMs: number | null;
}

/**
 * Up to `amount` GETs cycling through `paths`, cut off after `seconds`; every answer must be
 * 200. Latency is each response time as autocannon saw it (from writing the request to the last byte).
 */
/** `load.before`: run before each request is sent (e.g. a change the request should see). */
export async function measure(base: string, paths: string[], headers: Record<string, string>, load: { amount: number; seconds: number; connections: number; before?: (() => void) | undefined }, pid: number | undefined): Promise<Measured> {
  const { amount, seconds, connections, before } = load;
  const latencies: number[] = [];
  const failures: string[] = [];
  const cpuBefore = processCpuMs(pid);
  const start = performance.now();
  let last = start;
  let cap: NodeJS.Timeout | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: base, connections, amount, timeout: 60, requests: paths.map((path) => ({ method: "GET" as const, path, headers, ...(before ? { setupRequest: (r: autocannon.Request) => (before(), r) } : {}) })) },
      (err: unknown, r: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(r)),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      last = performance.now();
      latencies.push(responseTime);
      if (status !== 200 && failures.length < 5) failures.push(String(status));
    });
    cap = setTimeout(() => instance.stop(), seconds * 1000);
  }).finally(() => clearTimeout(cap));
  const cpuAfter = processCpuMs(pid);
  if (result.errors > 0 || result.timeouts > 0 || failures.length > 0) throw new Error(`${base}${paths[0]}: ${result.errors} errors, ${result.timeouts} timeouts, answers ${failures.join(", ")}`);
  return { count: latencies.length, ms: last - start, latencies, serverCpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Children this process is ending itself. */
const stopping = new Set<ChildProcess>();

export async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}
