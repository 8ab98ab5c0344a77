import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClientRequest, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Started, root, startServer } from "./process.js";

// Each test talks to a real server process; on a busy CI machine that takes more than vitest's 5 s.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

const dataDir = mkdtempSync(join(tmpdir(), "dr-start-"));
let s: Started;

beforeAll(async () => {
  s = await startServer({ DATA_DIR: dataDir });
});

afterAll(() => {
  s.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("serves health and tenant configuration on the API port", async () => {
    const api = `http://localhost:${s.apiPort}`;
    expect(await (await fetch(`${api}/healthz`)).json()).toEqual({ status: "ok" });
    const t = (await (await fetch(`${api}/api/v1/tenants/tangerhuette`)).json()) as { branding: { logoUrl: string } };
    expect(t.branding.logoUrl).toBe(`${api}/api/v1/tenants/tangerhuette/logo.svg`);
  });

  it("comes with demo data: news for both towns and a staff login", async () => {
    for (const slug of ["tangerhuette", "musterstadt"]) {
      const news = (await (await fetch(`http://localhost:${s.apiPort}/api/v1/tenants/${slug}/news`)).json()) as { items: unknown[] };
      expect(news.items.length).toBeGreaterThan(0);
      const login = await fetch(`http://localhost:${s.apiPort}/api/v1/tenants/${slug}/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: `redaktion@${slug}.example`, password: "Rathaus-Demo-2026" }),
      });
      expect(((await login.json()) as { account: { role: string } }).account.role).toBe("staff");
    }
  });

  it("serves the widget script so that a page on another origin can load it as a module", async () => {
    const res = await fetch(`http://localhost:${s.apiPort}/widget/v1/rathaus.js`, { headers: { Origin: "https://any-town.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toContain("digitales-rathaus");
  });

  it("serves the demo town sites on their own origin under a strict CSP", async () => {
    for (const slug of ["tangerhuette", "musterstadt"]) {
      const res = await fetch(`http://localhost:${s.demoPort}/${slug}/`);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("script-src 'self' http://localhost:");
      expect(csp).not.toContain("unsafe-inline");
      const html = await res.text();
      expect(html).toContain(`<digitales-rathaus tenant="${slug}">`);
      expect(html).toContain(`src="http://localhost:${s.apiPort}/widget/v1/rathaus.js"`);
    }
    const redirect = await fetch(`http://localhost:${s.demoPort}/musterstadt`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect((await fetch(`http://localhost:${s.demoPort}/../package.json`)).status).toBe(404);
  });

  it("serves the interactive API reference from this server, no CDN", async () => {
    const api = `http://localhost:${s.apiPort}`;
    const bare = await fetch(`${api}/api/docs`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/api/docs/");
    const page = await fetch(`${api}/api/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect((await fetch(`${api}/api/docs/swagger-ui-bundle.js`)).headers.get("content-type")).toContain("javascript");
    expect((await fetch(`${api}/api/docs/start.js`)).status).toBe(200);
    const doc = (await (await fetch(`${api}/api/v1/openapi.json`)).json()) as { openapi: string; servers: { url: string }[] };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]!.url).toBe(`http://localhost:${s.apiPort}`);
  });

  it("marks API answers nosniff and no-referrer, and keeps public reads cacheable in demo mode", async () => {
    const res = await fetch(`http://localhost:${s.apiPort}/api/v1/tenants/tangerhuette/news`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("public, max-age=30");
    expect((await fetch(`http://localhost:${s.apiPort}/dev/mail`)).headers.get("cache-control")).toBe("no-store");
  });

  it("never redirects a demo site visitor to another host", async () => {
    const res = await fetch(`http://localhost:${s.demoPort}//evil.example/..%2ftangerhuette`, { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/tangerhuette/");
  });

  it("logs every request with its request id", async () => {
    const res = await fetch(`http://localhost:${s.apiPort}/healthz`);
    const id = res.headers.get("x-request-id")!;
    await vi.waitFor(() => expect(s.output()).toContain(`"requestId":"${id}"`));
  });

  it("stops cleanly on SIGTERM: a request in flight still gets its answer, then the database closes", async () => {
    // A registration whose body is still arriving when the signal comes.
    const body = JSON.stringify({ kind: "person", name: "Späte Anfrage", email: "spaet@example.org", mobile: "0171 7654321", password: "Lindenallee-17-Tanger", acceptPrivacy: true });
    let inFlight: ClientRequest | undefined;
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: "localhost", port: s.apiPort, method: "POST", path: "/api/v1/tenants/tangerhuette/auth/register", headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 20));
      inFlight = req;
    });
    // Connected first: the server accepts waiting connections in order, so once a request on a
    // later connection is answered, the first one has been accepted too.
    await new Promise<void>((connected) => inFlight!.once("socket", (socket) => (socket.connecting ? socket.once("connect", () => connected()) : connected())));
    expect((await fetch(`http://localhost:${s.apiPort}/healthz`)).status).toBe(200);
    s.child.kill("SIGTERM");
    await vi.waitFor(() => expect(s.output()).toContain('"event":"shutdown"'));
    inFlight!.end(body.slice(20));
    expect((await answer).status).toBe(201);
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain('"event":"stopped"');
    // A cleanly closed SQLite database has checkpointed and removed its write-ahead log.
    expect(existsSync(join(dataDir, "rathaus.sqlite"))).toBe(true);
    expect(existsSync(join(dataDir, "rathaus.sqlite-wal"))).toBe(false);
  });
});

describe("npm start with a bad tenant folder", () => {
  it("refuses to start and names the file and the field", async () => {
    const tenants = mkdtempSync(join(tmpdir(), "dr-tenants-"));
    const data = mkdtempSync(join(tmpdir(), "dr-data-"));
    cpSync(join(root, "tenants"), tenants, { recursive: true });
    writeFileSync(
      join(tenants, "musterstadt", "tenant.json"),
      JSON.stringify({ ...(await import("../../tenants/musterstadt/tenant.json", { with: { type: "json" } })).default, allowedOrigins: ["musterstadt.de"] }),
    );
    const bad = await startServer({ DATA_DIR: data, TENANTS_DIR: tenants });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/musterstadt\/tenant\.json: field "allowedOrigins\.0": an origin like/);
    rmSync(tenants, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });
});

describe("npm start in production mode", () => {
  it("removes demo accounts, serves no /dev routes and refuses to start without mail and SMS providers", async () => {
    const data = mkdtempSync(join(tmpdir(), "dr-prod-"));
    const demo = await startServer({ DATA_DIR: data });
    demo.child.kill("SIGTERM");
    expect(await demo.exited).toBe(0);

    const missing = await startServer({ DATA_DIR: data, NODE_ENV: "production" });
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain("SMTP_URL is required");

    const prod = await startServer({ DATA_DIR: data, NODE_ENV: "production", SMTP_URL: "smtp://127.0.0.1:1", SMS_GATEWAY_URL: "http://127.0.0.1:1/sms" });
    try {
      const api = `http://localhost:${prod.apiPort}`;
      const login = await fetch(`${api}/api/v1/tenants/tangerhuette/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "redaktion@tangerhuette.example", password: "Rathaus-Demo-2026" }),
      });
      expect(login.status).toBe(401);
      expect((await fetch(`${api}/dev/mail`)).status).toBe(404);
      expect((await fetch(`${api}/dev/sms`)).status).toBe(404);
    } finally {
      prod.child.kill("SIGTERM");
      await prod.exited;
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
