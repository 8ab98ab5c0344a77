import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUDGET, formatReport, measureWidget, staticImport } from "../../widget/budget.js";
import { root } from "../node/process.js";
import { assertWidgetBuilt, widgetDir } from "./server.js";

const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

const code = (file: string) => readFileSync(join(widgetDir, file), "utf8");
/** `new URL("x.js", import.meta.url)`: how a chunk refers to a chunk it loads later (widget/chunk-url.ts). */
const chunkUrls = (file: string) => [...code(file).matchAll(/new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]!);
const staticImports = (file: string) => [...code(file).matchAll(staticImport)].map((m) => m[1]!);

describe("widget build", () => {
  assertWidgetBuilt();
  const sizes = measureWidget(widgetDir);

  it("keeps the first download of a town page (rathaus.js and its static imports) within 15 KB gzip", () => {
    expect(sizes.initialFiles[0]).toBe("rathaus.js");
    expect(sizes.initialGzip, formatReport(sizes)).toBeLessThanOrEqual(BUDGET.initial);
  });

  it("keeps all chunks together within 90 KB gzip", () => {
    expect(BUDGET.total).toBe(90 * 1024);
    expect(sizes.totalGzip, formatReport(sizes)).toBeLessThanOrEqual(BUDGET.total);
  });

  it("keeps the forms chunk, rules module included, within 25 KB gzip", () => {
    expect(BUDGET.forms).toBe(25 * 1024);
    expect(sizes.formsFiles, formatReport(sizes)).toHaveLength(1);
    const forms = code(sizes.formsFiles[0]!);
    // What the chunk must hold: the view and the rules' messages (the server's module). The
    // proof-of-work solver is shared with the appointments view and lives with the panel.
    expect(forms).toContain('"dr-forms-view"');
    expect(forms).toContain("Bitte geben Sie eine ganze Zahl ohne Nachkommastellen ein.");
    expect(sizes.formsGzip, formatReport(sizes)).toBeLessThanOrEqual(BUDGET.forms);
  });

  it("keeps the forms code out of every other chunk", () => {
    for (const { file } of sizes.files.filter((f) => !sizes.formsFiles.includes(f.file))) {
      expect(code(file), file).not.toContain("Bitte geben Sie eine ganze Zahl ohne Nachkommastellen ein.");
    }
  });

  it("loads every view lazily: the initial files contain no view", () => {
    const initial = sizes.initialFiles.map((f) => readFileSync(join(widgetDir, f), "utf8")).join("\n");
    for (const tag of ["dr-panel", "dr-news-view", "dr-forms-view", "dr-login-view", "dr-register-view", "dr-account-view", "dr-editor-view"]) {
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

  it("refers to lazily loaded chunks by URLs relative to itself", () => {
    for (const { file } of sizes.files) {
      for (const url of chunkUrls(file)) {
        // "../../" is where the API lives (two levels above /widget/v1/), not a chunk.
        if (url === "../../") continue;
        expect(url, `${file} refers to ${url}`).toMatch(/^[\w-]+\.js$/);
        expect(existsSync(join(widgetDir, url)), `${file} refers to ${url}`).toBe(true);
      }
    }
  });

  it("loads each view's chunk after everything it imports, so a failed download is retried with that file alone", () => {
    // A view that failed is imported again under a fresh URL; its own imports keep theirs, and a
    // browser that remembers failed modules would fail them again. So they must have loaded already.
    const views = sizes.files.flatMap(({ file }) => chunkUrls(file).filter((u) => u.endsWith(".js")).map((view) => ({ view, loader: file })));
    expect(views.length).toBeGreaterThanOrEqual(8);
    for (const { view, loader } of views) {
      const loaded = [...sizes.initialFiles, loader];
      for (const dep of staticImports(view)) expect(loaded, `${view} imports ${dep}, which ${loader} does not load before it`).toContain(dep);
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
