/**
 * Size budgets of the drop-in script, measured on the built files as a town page downloads
 * them (gzip). Used by the build (to print the table) and by tests/e2e/budget.test.ts (to fail).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const BUDGET = {
  /** rathaus.js plus everything it imports statically: what every page view of a town site costs. */
  initial: 15 * 1024,
  /** The "Anträge" view: field renderers, the proof-of-work solver and the server's rules module. */
  forms: 25 * 1024,
  /** Every chunk together: the panel and all views, once someone has opened everything. */
  total: 90 * 1024,
} as const;

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface WidgetSizes {
  files: FileSize[];
  /** rathaus.js and its static imports, in load order. */
  initialFiles: string[];
  initialGzip: number;
  /** The forms view's chunk(s), `forms-<hash>.js`. */
  formsFiles: string[];
  formsGzip: number;
  totalGzip: number;
}

/** `import … from "./x.js"` and `export … from "./x.js"`, not `import("./x.js")`. */
export const staticImport = /\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["']\.\/([^"']+\.js)["']/g;

export function measureWidget(dir: string, entry = "rathaus.js"): WidgetSizes {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .sort()
    .map((file) => {
      const buf = readFileSync(join(dir, file));
      return { file, bytes: buf.length, gzip: gzipSync(buf).length };
    });
  const byName = new Map(files.map((f) => [f.file, f]));
  const initialFiles: string[] = [];
  const visit = (file: string) => {
    if (initialFiles.includes(file) || !byName.has(file)) return;
    initialFiles.push(file);
    for (const m of readFileSync(join(dir, file), "utf8").matchAll(staticImport)) visit(m[1]!);
  };
  visit(entry);
  const sum = (list: FileSize[]) => list.reduce((n, f) => n + f.gzip, 0);
  const forms = files.filter((f) => /^forms-[\w-]+\.js$/.test(f.file));
  return {
    files,
    initialFiles,
    initialGzip: sum(files.filter((f) => initialFiles.includes(f.file))),
    formsFiles: forms.map((f) => f.file),
    formsGzip: sum(forms),
    totalGzip: sum(files),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

export function formatReport(s: WidgetSizes): string {
  const rows = s.files.map((f) => `  ${f.file.padEnd(28)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}${s.initialFiles.includes(f.file) ? "  (initial)" : ""}`);
  const verdict = (n: number, max: number) => `${kb(n)} of ${kb(max)} ${n <= max ? "ok" : "OVER BUDGET"}`;
  return [
    "Widget size (gzip):",
    ...rows,
    `  initial (${s.initialFiles.join(" + ")}): ${verdict(s.initialGzip, BUDGET.initial)}`,
    `  forms (${s.formsFiles.join(" + ") || "missing"}, with the rules module): ${verdict(s.formsGzip, BUDGET.forms)}`,
    `  total: ${verdict(s.totalGzip, BUDGET.total)}`,
  ].join("\n");
}
