import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type Plugin, build as viteBuild, defineConfig, transformWithEsbuild } from "vite";
import { formatReport, measureWidget } from "./budget.js";
import { chunkUrls } from "./chunk-url.js";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const { version } = JSON.parse(readFileSync(here("../package.json"), "utf8")) as { version: string };
const publicDir = here("../dist/public");
const widgetDir = join(publicDir, "widget");
const outDir = join(widgetDir, "v1");
const entry = here("./src/rathaus.ts");
const viewsDir = here("./src/views");
const officeDir = join(publicDir, "office", "assets");
/**
 * Code that belongs to one view only: the forms view's field renderers, proof-of-work solver and
 * the server's rules module; the Postfach's timeline and reply form.
 */
const viewOwnDirs = [here("./src/forms/"), here("../server/forms/"), here("./src/postfach/"), here("./src/appointments/")];

/**
 * After the build: print the gzip sizes against the budgets, copy `v1/` to the immutable
 * `<version>/` for webmasters who pin a version, and write Cloudflare's `_headers`.
 */
function release(): Plugin {
  return {
    name: "digitales-rathaus-release",
    apply: "build",
    closeBundle(error?: Error) {
      if (error) return;
      console.log("\n" + formatReport(measureWidget(outDir)) + "\n");
      const pinned = join(widgetDir, version);
      rmSync(pinned, { recursive: true, force: true });
      cpSync(outDir, pinned, { recursive: true });
      // Older pinned versions kept in dist/ (e.g. restored by the deploy) stay immutable too.
      const versions = readdirSync(widgetDir).filter((d) => /^\d+\.\d+\.\d+/.test(d));
      writeFileSync(join(publicDir, "_headers"), cloudflareHeaders(versions));
      console.log(`Widget ${version}: dist/public/widget/v1/ (max-age 300) and dist/public/widget/${version}/ (immutable), dist/public/_headers`);
    },
  };
}

/**
 * Vite keeps whitespace in library builds of ES format (for consumers who re-bundle). This file
 * goes straight to browsers, so minify whitespace too: about a quarter less to download.
 */
function minifyChunks(): Plugin {
  return {
    name: "digitales-rathaus-minify",
    apply: "build",
    renderChunk: {
      // After Vite's own esbuild pass, which re-prints library chunks with whitespace.
      order: "post",
      async handler(code, chunk) {
        const result = await transformWithEsbuild(code, chunk.fileName, { minify: true, format: "esm", target: "es2021", legalComments: "none" });
        return { code: result.code, map: null };
      },
    },
  };
}

/**
 * The staff office (src/office/office.ts) as its own build into dist/public/office/assets/: one
 * file, `office.js`, that only `/office/<slug>/` loads (server/office/page.ts). Nothing of it
 * reaches the widget's chunks or budgets, and the widget's chunks are not shared with it: the
 * office is first-party on the API's origin and loads everything at once.
 */
function officeBuild(): Plugin {
  return {
    name: "digitales-rathaus-office",
    apply: "build",
    async closeBundle(error?: Error) {
      if (error) return;
      await viteBuild({
        configFile: false,
        root: here("./"),
        publicDir: false,
        logLevel: "warn",
        build: {
          outDir: officeDir,
          emptyOutDir: true,
          target: "es2021",
          minify: "esbuild",
          modulePreload: false,
          reportCompressedSize: false,
          rollupOptions: {
            input: here("./src/office/office.ts"),
            output: { format: "es", entryFileNames: "office.js", chunkFileNames: "[name]-[hash].js", inlineDynamicImports: true },
          },
        },
      });
      const size = (f: string) => `${(gzipSync(readFileSync(join(officeDir, f))).length / 1024).toFixed(2)} KB gzip`;
      console.log(`Office: dist/public/office/assets/office.js (${size("office.js")}, max-age 300)`);
    },
  };
}

/** Same headers as server/node.ts serves: public script, loadable as a module from any town's origin. */
function cloudflareHeaders(versions: string[]): string {
  return [
    // The office bundle: same origin only, a fixed name, so a short cache (server/node.ts does the same).
    "/office/assets/*",
    "  Cache-Control: public, max-age=300",
    "  X-Content-Type-Options: nosniff",
    "",
    "/widget/*",
    "  Access-Control-Allow-Origin: *",
    "  Cross-Origin-Resource-Policy: cross-origin",
    "  X-Content-Type-Options: nosniff",
    "",
    "/widget/v1/*",
    "  Cache-Control: public, max-age=300",
    "",
    ...versions.flatMap((v) => [`/widget/${v}/*`, "  Cache-Control: public, max-age=31536000, immutable", ""]),
  ].join("\n");
}

/** Modules the entry imports statically: Lit, the element and its core. */
function staticallyFromEntry(id: string, getModuleInfo: (id: string) => { importers: readonly string[] } | null, seen = new Set<string>()): boolean {
  if (seen.has(id)) return false;
  seen.add(id);
  const info = getModuleInfo(id);
  if (!info) return false;
  return info.importers.some((imp) => imp === entry || staticallyFromEntry(imp, getModuleInfo, seen));
}

/** Library build of the drop-in script: one ES module entry that a town page loads with a script tag. */
export default defineConfig({
  root: here("./"),
  define: { __DR_VERSION__: JSON.stringify(version) },
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2021",
    lib: { entry, formats: ["es"], fileName: () => "rathaus.js" },
    minify: "esbuild",
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        // Hashed chunk names: a cached v1 entry keeps loading the chunks it was built with.
        chunkFileNames: "[name]-[hash].js",
        /**
         * Lit and the element live in their own chunk, not in rathaus.js: the lazily loaded views
         * import Lit from it by a relative URL. Were Lit inside the entry, a page that loads
         * `rathaus.js?ver=3` (CMS cache busting) would make the views import a second copy.
         */
        manualChunks(id, { getModuleInfo }) {
          if (id === entry) return undefined;
          if (staticallyFromEntry(id, getModuleInfo)) return "element";
          /**
           * Everything else but the views themselves goes with the panel: what the views share
           * (form helpers, styles, Lit directives) too. The panel is loaded before any view, so a
           * view's chunk imports only files that are already there, and a view that failed to
           * download is loaded by retrying its own file alone (src/core/lazy.ts). A shared chunk
           * that failed would stay failed in the module map, whatever URL the view is retried under.
           */
          if (dirname(id) === viewsDir) return undefined;
          /**
           * Only one view imports each of these, so Rollup puts them into its chunk: no other view
           * pays for them, and a failed download of that view is still one file to retry.
           */
          if (viewOwnDirs.some((dir) => id.startsWith(dir))) return undefined;
          return "panel";
        },
      },
    },
  },
  plugins: [chunkUrls(), minifyChunks(), release(), officeBuild()],
});

