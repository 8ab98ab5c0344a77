import type { Plugin } from "vite";

const suffix = "?chunk-url";

/**
 * `import url from "./views/news.js?chunk-url"`: the absolute URL of the chunk that holds the
 * module, which is built as its own chunk but not loaded. The widget loads its lazy parts by these
 * URLs instead of `import("./x.js")` because a failed download has to be retried under a different
 * URL (widget/src/core/lazy.ts), and only the build knows the hashed file names.
 *
 * Build only: the widget has no dev server.
 */
export function chunkUrls(): Plugin {
  return {
    name: "digitales-rathaus-chunk-url",
    apply: "build",
    // Before Vite's resolver, which would strip the query and resolve the plain module.
    enforce: "pre",
    async resolveId(source, importer) {
      if (!source.endsWith(suffix)) return null;
      const target = await this.resolve(source.slice(0, -suffix.length), importer, { skipSelf: true });
      if (!target) this.error(`${source}: module not found (imported by ${importer ?? "?"})`);
      return `\0${target.id}${suffix}`;
    },
    load(id) {
      if (!id.startsWith("\0") || !id.endsWith(suffix)) return null;
      // The module is only ever loaded whole and for its side effects (custom elements), so the
      // chunk may carry more exports than the module: no facade chunk, no extra request.
      const ref = this.emitFile({ type: "chunk", id: id.slice(1, -suffix.length), preserveSignature: "allow-extension" });
      // Rollup writes `new URL("<chunk>-<hash>.js", import.meta.url).href`: relative to the chunk
      // that asks, so a pinned copy (/widget/0.1.0/) loads its own files.
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}
