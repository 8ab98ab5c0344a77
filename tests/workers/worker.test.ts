import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/** Through the real Worker entry (server/worker.ts) with its D1 binding, as wrangler serves it. */
describe("worker entry", () => {
  it("answers health and tenant requests like Node", async () => {
    const health = await exports.default.fetch("http://rathaus.test/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });

    const tenant = await exports.default.fetch("http://rathaus.test/api/v1/tenants/tangerhuette", {
      headers: { Origin: "http://localhost:8080" },
    });
    expect(tenant.status).toBe(200);
    expect(tenant.headers.get("access-control-allow-origin")).toBe("http://localhost:8080");
    expect(((await tenant.json()) as { officialName: string }).officialName).toBe("Einheitsgemeinde Stadt Tangerhütte");

    const unknown = await exports.default.fetch("http://rathaus.test/api/v1/tenants/nirgendwo");
    expect(unknown.status).toBe(404);
  });
});
