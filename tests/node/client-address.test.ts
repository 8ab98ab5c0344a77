import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Started, startServer } from "./process.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

/**
 * Rate limits count per client address, taken from the connection, as `npm start` runs. Linux
 * routes all of 127.0.0.0/8 to loopback, so a test can connect from several local addresses.
 */
function post(s: Started, path: string, body: unknown, opts: { from?: string; headers?: Record<string, string> } = {}) {
  const data = JSON.stringify(body);
  return new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: s.apiPort,
        method: "POST",
        path: `/api/v1/tenants/tangerhuette${path}`,
        ...(opts.from ? { localAddress: opts.from } : {}),
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data), ...opts.headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"] as string | undefined }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const staff = { email: "redaktion@tangerhuette.example", password: "Rathaus-Demo-2026" };
const wrongLogin = (i: number) => ({ email: `niemand${i}@example.org`, password: "falsch-falsch-1" });

describe("client addresses on Node", () => {
  let s: Started;
  const dataDir = mkdtempSync(join(tmpdir(), "dr-ip-"));
  beforeAll(async () => {
    s = await startServer({ DATA_DIR: dataDir });
  });
  afterAll(() => {
    s.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("takes the address from the connection: one client at its login limit does not lock out another", async () => {
    for (let i = 0; i < 30; i++) expect((await post(s, "/auth/login", wrongLogin(i), { from: "127.0.0.2" })).status).toBe(401);
    const blocked = await post(s, "/auth/login", staff, { from: "127.0.0.2" });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect((await post(s, "/auth/login", staff, { from: "127.0.0.3" })).status).toBe(200);
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY says there is a proxy", async () => {
    for (let i = 0; i < 30; i++) {
      const r = await post(s, "/auth/login", wrongLogin(i), { from: "127.0.0.4", headers: { "X-Forwarded-For": `203.0.113.${i}` } });
      expect(r.status).toBe(401);
    }
    expect((await post(s, "/auth/login", staff, { from: "127.0.0.4", headers: { "X-Forwarded-For": "203.0.113.200" } })).status).toBe(429);
  });
});

describe("client addresses behind a reverse proxy (TRUST_PROXY=1)", () => {
  let s: Started;
  const dataDir = mkdtempSync(join(tmpdir(), "dr-ip-proxy-"));
  beforeAll(async () => {
    s = await startServer({ DATA_DIR: dataDir, TRUST_PROXY: "1" });
  });
  afterAll(() => {
    s.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("takes the right-most X-Forwarded-For entry and counts one IPv6 /64 as one client", async () => {
    // The left entry is what the client wrote itself; the proxy appended the real address.
    const via = (ip: string) => ({ headers: { "X-Forwarded-For": `198.51.100.${Math.floor(Math.random() * 250)}, ${ip}` } });
    const spellings = ["2001:db8:7:8::1", "2001:0db8:0007:0008:0000:0000:0000:0002", "2001:DB8:7:8:0:0:0:3", "2001:db8:7:8:ffff::4", "2001:db8:7:8::5"];
    for (let i = 0; i < 30; i++) expect((await post(s, "/auth/login", wrongLogin(i), via(spellings[i % 5]!))).status).toBe(401);
    expect((await post(s, "/auth/login", staff, via("2001:db8:7:8:abcd::9"))).status).toBe(429);
    expect((await post(s, "/auth/login", staff, via("2001:db8:7:9::1"))).status).toBe(200);
  });

  it("refuses to start with a TRUST_PROXY that is not a number", async () => {
    const data = mkdtempSync(join(tmpdir(), "dr-ip-bad-"));
    try {
      const bad = await startServer({ DATA_DIR: data, TRUST_PROXY: "yes" });
      expect(await bad.exited).toBe(1);
      expect(bad.output()).toContain("TRUST_PROXY");
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
