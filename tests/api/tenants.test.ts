import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});

const demoOrigin = "http://localhost:8080";

describe(`health`, () => {
  it("answers ok when the database answers", async () => {
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/.+/);
  });
});

describe("tenant configuration", () => {
  it("returns the public configuration the widget needs", async () => {
    const res = await t.app.request("/api/v1/tenants/tangerhuette");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({
      slug: "tangerhuette",
      name: "Tangerhütte",
      officialName: "Einheitsgemeinde Stadt Tangerhütte",
      locale: "de",
      branding: { primaryColor: "#1f6f3f" },
      links: { imprint: expect.stringMatching(/^http/), privacy: expect.stringMatching(/^http/) },
    });
    expect(body.branding.logoUrl).toMatch(/\/api\/v1\/tenants\/tangerhuette\/logo\.svg$/);
    expect(body.topics.map((x: { id: string }) => x.id)).toContain("gesundheit");
    expect(body.services).toContain("news");
    // Operational settings stay on the server.
    expect(body).not.toHaveProperty("allowedOrigins");
    expect(body).not.toHaveProperty("mail");
  });

  it("keeps towns apart: each slug has its own branding and topics", async () => {
    const a = (await (await t.app.request("/api/v1/tenants/tangerhuette")).json()) as Record<string, any>;
    const b = (await (await t.app.request("/api/v1/tenants/musterstadt")).json()) as Record<string, any>;
    expect(b.name).toBe("Musterstadt");
    expect(b.branding.primaryColor).not.toBe(a.branding.primaryColor);
    expect(b.topics).not.toEqual(a.topics);
  });

  it("serves the town's logo as a sandboxed SVG", async () => {
    const res = await t.app.request("/api/v1/tenants/musterstadt/logo.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect(await res.text()).toContain("<svg");
  });

  it("serves a PNG logo for mail clients, which do not show SVG", async () => {
    const res = await t.app.request("/api/v1/tenants/tangerhuette/logo.png");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("answers an unknown town with 404 tenant_not_found in German and English", async () => {
    for (const slug of ["gibtesnicht", "Tangerhuette", "a%20b", "x".repeat(60)]) {
      const res = await t.app.request(`/api/v1/tenants/${slug}`);
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: { code: string; messages: { de: string; en: string } } };
      expect(body.error.code).toBe("tenant_not_found");
      expect(body.error.messages.de).toMatch(/Gemeinde/);
      expect(body.error.messages.en).toMatch(/municipality/);
    }
  });

  it("answers in English when the client asks for it", async () => {
    const res = await t.app.request("/api/v1/tenants/gibtesnicht", { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/municipality/);
  });

  it("is cacheable: ETag, and 304 on If-None-Match", async () => {
    const first = await t.app.request("/api/v1/tenants/tangerhuette");
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(first.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const again = await t.app.request("/api/v1/tenants/tangerhuette", { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const other = await t.app.request("/api/v1/tenants/musterstadt", { headers: { "If-None-Match": etag! } });
    expect(other.status).toBe(200);
  });
});

describe("unknown routes and errors", () => {
  it("answers unknown paths with a JSON 404", async () => {
    for (const path of ["/nope", "/api/v1/tenants/tangerhuette/nope", "/api/v2/x"]) {
      const res = await t.app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });
});

describe("CORS per tenant", () => {
  it("echoes exactly an allowed origin", async () => {
    const res = await t.app.request("/api/v1/tenants/tangerhuette", { headers: { Origin: demoOrigin } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(demoOrigin);
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("sends no CORS headers to any other origin", async () => {
    for (const origin of ["https://evil.example", "http://localhost:8081", "null", "http://localhost:8080.evil.example"]) {
      const res = await t.app.request("/api/v1/tenants/tangerhuette", { headers: { Origin: origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("answers preflights for an allowed origin", async () => {
    const res = await t.app.request("/api/v1/tenants/tangerhuette/auth/login", {
      method: "OPTIONS",
      headers: { Origin: demoOrigin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(demoOrigin);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  it("gives preflights from other origins nothing to go on", async () => {
    const res = await t.app.request("/api/v1/tenants/tangerhuette/auth/login", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
  });

  it("keeps CORS headers on error responses so the widget can read the message", async () => {
    const res = await t.app.request("/api/v1/tenants/tangerhuette/nope", { headers: { Origin: demoOrigin } });
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-origin")).toBe(demoOrigin);
  });
});
