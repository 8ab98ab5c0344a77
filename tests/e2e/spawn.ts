/**
 * Runs `server/node.ts` as `npm start` does and waits until it really answers. On a busy machine
 * tsx's compile and the start-up can take many seconds, so readiness is polled against a deadline;
 * a server that exits or never answers fails with its exit code and its own output, never with a
 * bare test timeout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import { root } from "../node/process.js";

export interface ServerProcess {
  child: ChildProcess;
  /** stdout and stderr as they came. */
  output(): string;
  stop(): Promise<void>;
}

/** How long start-up may take: generous, and below the hooks' timeout so its diagnostics win. */
export const STARTUP_MS = 90_000;
/** Between readiness probes. */
const PROBE_INTERVAL_MS = 200;

/** Starts the server with `env` and resolves once every URL in `ready` answers 2xx. */
export async function spawnServer(env: Record<string, string>, ready: string[], timeoutMs = STARTUP_MS): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/node.ts"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => {
    out += d;
    err += d;
  });
  let exit: string | undefined;
  const exited = new Promise<void>((done) =>
    child.once("exit", (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exit code ${code}`;
      done();
    }),
  );
  const stop = async () => {
    if (exit) return;
    child.kill("SIGTERM");
    // A graceful stop waits for requests in flight; one that hangs is not this test's concern.
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
  };

  const started = Date.now();
  let waitingFor = "";
  while (!exit) {
    waitingFor = await firstNotReady(ready);
    if (!waitingFor) return { child, output: () => out, stop };
    if (Date.now() - started > timeoutMs) break;
    await Promise.race([delay(PROBE_INTERVAL_MS), exited]);
  }
  const why = exit ? `it stopped (${exit})` : `after ${Math.round((Date.now() - started) / 1000)} s ${waitingFor}`;
  await stop();
  throw new Error(`the server did not start: ${why}\n--- stderr ---\n${tail(err) || "(empty)"}\n--- stdout and stderr ---\n${tail(out) || "(empty)"}`);
}

/** "" when every URL answers 2xx, otherwise what the first one that does not says. */
async function firstNotReady(urls: string[]): Promise<string> {
  for (const url of urls) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (!res.ok) return `${url} still answers ${res.status}`;
    } catch (e) {
      return `${url} still fails: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`;
    }
  }
  return "";
}

function tail(text: string, max = 6_000): string {
  return text.length > max ? `…${text.slice(-max)}` : text.trim();
}
