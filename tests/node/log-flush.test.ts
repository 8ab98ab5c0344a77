import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Started, startServer } from "./process.js";

// A real server process; on a busy CI machine starting it alone takes more than vitest's 5 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const dataDir = mkdtempSync(join(tmpdir(), "dr-log-flush-"));
let s: Started;
/** The process's stdout alone: stderr chunks in `s.output()` could land in the middle of a line. */
let stdout = "";
let closed: Promise<void>;

beforeAll(async () => {
  s = await startServer({ DATA_DIR: dataDir }, 120_000);
  s.child.stdout!.on("data", (d) => (stdout += d));
  // Unlike "exit", "close" comes after the child's stdout has been read to its end.
  closed = new Promise((resolve) => s.child.once("close", () => resolve()));
});

afterAll(() => {
  s.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

interface Sent {
  requestId: string;
  path: string;
  status: number;
}

describe("the request log of npm start", () => {
  it("is written out completely when the process stops on SIGTERM right after a burst of requests", async () => {
    const api = `http://localhost:${s.apiPort}`;
    const newsPath = "/api/v1/tenants/tangerhuette/news";
    const etag = (await fetch(`${api}${newsPath}`)).headers.get("etag")!;
    expect(etag).toBeTruthy();

    // 300 requests, 30 at a time: health checks, news lists and news revalidations (304).
    const kinds: Array<{ path: string; headers: Record<string, string> }> = [
      { path: "/healthz", headers: {} },
      { path: newsPath, headers: {} },
      { path: newsPath, headers: { "If-None-Match": etag } },
    ];
    const sent: Sent[] = [];
    for (let wave = 0; wave < 10; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const kind = kinds[(wave * 30 + i) % kinds.length]!;
          const res = await fetch(`${api}${kind.path}`, { headers: kind.headers });
          await res.arrayBuffer();
          return { requestId: res.headers.get("x-request-id")!, path: kind.path, status: res.status };
        }),
      );
      sent.push(...answers);
    }
    expect(sent).toHaveLength(300);
    expect(new Set(sent.map((r) => r.requestId)).size).toBe(300);
    expect(new Set(sent.map((r) => r.status))).toEqual(new Set([200, 304]));

    // At once: the last lines may still be queued in the logger.
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    await closed;

    const lines = stdout.split("\n").filter((l) => l.includes('"event":"request"'));
    const logged = new Map<string, Record<string, unknown>>();
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(logged.has(entry.requestId as string), `logged twice: ${line}`).toBe(false);
      logged.set(entry.requestId as string, entry);
    }
    const missing = sent.filter((r) => !logged.has(r.requestId));
    expect(missing, `${missing.length} of 300 requests not in the log`).toEqual([]);
    for (const r of sent) expect(logged.get(r.requestId)).toMatchObject({ method: "GET", path: r.path, status: r.status, event: "request" });

    // The line's shape, as a log collector reads it.
    const line = stdout.split("\n").find((l) => l.includes(`"requestId":"${sent[sent.length - 1]!.requestId}"`))!;
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(["event", "level", "method", "ms", "path", "requestId", "status", "time"]);
    expect(entry).toMatchObject({ level: "info", event: "request", method: "GET", requestId: sent[sent.length - 1]!.requestId });
    expect(typeof entry.time).toBe("number");
    expect(Math.abs((entry.time as number) - Date.now())).toBeLessThan(10 * 60_000);
    expect(typeof entry.status).toBe("number");
    expect(typeof entry.ms).toBe("number");
    expect(entry.ms).toBeGreaterThanOrEqual(0);
    expect(typeof entry.path).toBe("string");

    // And the shutdown is logged after the last request, through the same logger.
    expect(stdout).toContain('"event":"stopped"');
    expect(stdout.lastIndexOf('"event":"stopped"')).toBeGreaterThan(stdout.lastIndexOf('"event":"request"'));
  });
});
