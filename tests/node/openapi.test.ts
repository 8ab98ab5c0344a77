import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import type { TestApp } from "../harness/types.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function served() {
  const res = await t.app.request("/api/v1/openapi.json");
  expect(res.status).toBe(200);
  return { res, doc: (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> } };
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const { doc } = await served();
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route of the app, and nothing the app does not have", async () => {
    const { doc } = await served();
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)));
    const routed = new Set(
      t.app.routes
        // Middleware registrations (method ALL, and the body limit on POST/PUT/PATCH/DELETE /api/*)
        // and the demo-only /dev routes are not API routes.
        .filter((r) => r.method !== "ALL" && r.path !== "/api/*" && !r.path.startsWith("/dev/"))
        // A parameter with a file extension (`:id{ap_…\.ics}`) is documented as `{id}.ics`.
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)\{[^}]*\\\.(\w+)\}/g, "{$1}.$2").replace(/:(\w+)/g, "{$1}").replace(/\/$/, "")}`),
    );
    expect([...routed].filter((r) => !documented.has(r)), "routes missing from the document").toEqual([]);
    expect([...documented].filter((d) => !routed.has(d)), "documented routes the app does not have").toEqual([]);
  });

  it("gives every route its error answers in the shared envelope", async () => {
    const { doc } = await served();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods) as [string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }][]) {
        expect(op.responses["500"]?.content?.["application/json"]?.schema?.$ref, `${method} ${path}`).toBe("#/components/schemas/Error");
        if (path.startsWith("/api/v1/tenants/{slug}")) expect(op.responses["404"], `${method} ${path}`).toBeDefined();
      }
    }
  });

  it("is cacheable: ETag and 304", async () => {
    const { res } = await served();
    const tag = res.headers.get("etag")!;
    expect(tag).toBeTruthy();
    expect((await t.app.request("/api/v1/openapi.json", { headers: { "If-None-Match": tag } })).status).toBe(304);
  });
});
