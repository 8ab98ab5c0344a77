import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUDGET, formatReport, measureWidget } from "../../widget/budget.js";
import { root } from "../node/process.js";
import { assertWidgetBuilt, widgetDir } from "./server.js";

const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

describe("widget build", () => {
  assertWidgetBuilt();
  const sizes = measureWidget(widgetDir);

  it("keeps the first download of a town page (rathaus.js and its static imports) within 15 KB gzip", () => {
    expect(sizes.initialFiles[0]).toBe("rathaus.js");
    expect(sizes.initialGzip, formatReport(sizes)).toBeLessThanOrEqual(BUDGET.initial);
  });

  it("keeps all chunks together within 60 KB gzip", () => {
    expect(sizes.totalGzip, formatReport(sizes)).toBeLessThanOrEqual(BUDGET.total);
  });

  it("loads every view lazily: the initial files contain no view", () => {
    const initial = sizes.initialFiles.map((f) => readFileSync(join(widgetDir, f), "utf8")).join("\n");
    for (const tag of ["dr-panel", "dr-news-view", "dr-login-view", "dr-register-view", "dr-account-view", "dr-editor-view"]) {
      expect(initial).not.toContain(`define("${tag}"`);
      expect(initial).not.toContain(`"${tag}",`);
    }
    expect(sizes.files.length).toBeGreaterThan(5);
  });

  it("imports chunks only by relative URLs, so the pinned copy loads its own files", () => {
    for (const { file } of sizes.files) {
      const code = readFileSync(join(widgetDir, file), "utf8");
      const specifiers = [...code.matchAll(/\b(?:import|from)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
      for (const s of specifiers) expect(s, `${file} imports ${s}`).toMatch(/^\.\/[\w.-]+\.js$/);
    }
  });

  it("ships an identical, immutable copy under the package version and Cloudflare headers", () => {
    const pinned = join(root, "dist", "public", "widget", version);
    expect(existsSync(pinned), `dist/public/widget/${version}`).toBe(true);
    expect(readdirSync(pinned).sort()).toEqual(readdirSync(widgetDir).sort());
    for (const f of readdirSync(widgetDir)) expect(readFileSync(join(pinned, f)).equals(readFileSync(join(widgetDir, f))), f).toBe(true);
    const headers = readFileSync(join(root, "dist", "public", "_headers"), "utf8");
    expect(headers).toMatch(/^\/widget\/\*\n {2}Access-Control-Allow-Origin: \*$/m);
    expect(headers).toContain(`/widget/${version}/*\n  Cache-Control: public, max-age=31536000, immutable`);
    expect(headers).toContain("/widget/v1/*\n  Cache-Control: public, max-age=300");
  });
});
