import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker, { type WorkerEnv } from "../../server/worker.js";
import { person } from "../api/flows.js";

/** Through the real Worker entry (server/worker.ts) with its D1 binding, as wrangler serves it. */
const base = "http://rathaus.test/api/v1/tenants/tangerhuette";

function post(path: string, body: unknown, ip: string) {
  return exports.default.fetch(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify(body),
  });
}

describe("worker entry", () => {
  it("answers health and tenant requests like Node", async () => {
    const health = await exports.default.fetch("http://rathaus.test/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });

    const tenant = await exports.default.fetch(base, { headers: { Origin: "http://localhost:8080" } });
    expect(tenant.status).toBe(200);
    expect(tenant.headers.get("access-control-allow-origin")).toBe("http://localhost:8080");
    expect(((await tenant.json()) as { officialName: string }).officialName).toBe("Einheitsgemeinde Stadt Tangerhütte");

    const unknown = await exports.default.fetch("http://rathaus.test/api/v1/tenants/nirgendwo");
    expect(unknown.status).toBe(404);
  });

  it("keeps clients apart by CF-Connecting-IP: one that exhausts its login limit does not lock out another", { timeout: 120_000 }, async () => {
    const citizen = person();
    expect((await post("/auth/register", citizen, "192.0.2.10")).status).toBe(201);
    // 30 failed logins per address and 15 minutes; different addresses spread the per-account limit.
    for (let i = 0; i < 30; i++) {
      expect((await post("/auth/login", { email: `niemand${i}@example.org`, password: "falsch-falsch-1" }, "192.0.2.66")).status).toBe(401);
    }
    const blocked = await post("/auth/login", { email: citizen.email, password: citizen.password }, "192.0.2.66");
    expect(blocked.status).toBe(429);
    expect((await post("/auth/login", { email: citizen.email, password: citizen.password }, "192.0.2.77")).status).toBe(200);
  });

  it("counts every spelling of one IPv6 /64 as one client", { timeout: 120_000 }, async () => {
    const spellings = ["2001:db8:aa:bb::1", "2001:0DB8:00AA:00BB:0000:0000:0000:0002", "2001:db8:aa:bb:1::3", "2001:db8:aa:bb:0:0:0:4", "2001:db8:aa:bb:ffff:ffff:ffff:ffff"];
    // Ten registrations per address and hour.
    for (let i = 0; i < 10; i++) expect((await post("/auth/register", person(), spellings[i % spellings.length]!)).status).toBe(201);
    const eleventh = await post("/auth/register", person(), "2001:db8:aa:bb:cafe::99");
    expect(eleventh.status).toBe(429);
    expect((await post("/auth/register", person(), "2001:db8:aa:bc::1")).status).toBe(201);
  });

  it("sends a verification code right after the answer through the priority queue, not at the next Cron minute", { timeout: 60_000 }, async () => {
    const citizen = person({ email: `code-${crypto.randomUUID().slice(0, 8)}@codes.example` });
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${base}/auth/register`, { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.88" }, body: JSON.stringify(citizen) }),
      env as unknown as WorkerEnv,
      ctx,
    );
    expect(res.status).toBe(201);
    await waitOnExecutionContext(ctx);
    // No Cron run here: the priority queue's consumer hands the code to the mail API within seconds.
    // No SMS gateway is configured in this test Worker: the mobile's code waits for one.
    await vi.waitFor(
      async () => {
        const mails = (await (await fetch(`${env.TEST_MAIL_SINK}/mails?domain=codes.example`)).json()) as { to: string; subject: string }[];
        expect(mails.filter((m) => m.to === citizen.email).map((m) => m.subject)).toEqual([expect.stringContaining("Bestätigungscode")]);
        const sms = await env.DB.prepare("SELECT status, last_error FROM outbox WHERE template = 'verify_mobile' AND account_id = (SELECT account_id FROM outbox WHERE recipient = ?)")
          .bind(citizen.email)
          .first<{ status: string; last_error: string | null }>();
        expect(sms).toMatchObject({ status: "pending", last_error: expect.stringMatching(/no SMS_GATEWAY_URL/) });
      },
      { timeout: 30_000, interval: 100 },
    );
  });
});
