/**
 * A loader for a view's chunk, by its URL (`import url from "./x.js?chunk-url"`).
 *
 * A browser may keep a failed `import()` failed for the page's lifetime: the module map remembers
 * the failure (the HTML standard said so until 2025; Chromium without ModuleMapDoNotCacheFailedFetch
 * still does), and importing the same URL again rejects without a request. So after a failure the
 * next attempt asks for `…/x-<hash>.js?retry=<n>`, a URL the module map has not seen, which the
 * server answers with the same file.
 *
 * Only for chunks that no other chunk imports (the views): a chunk imported by its plain URL
 * elsewhere would then exist twice. A view's own imports resolve to files that are loaded before
 * any view (the element and the panel, widget/vite.config.ts), so a retry fetches this file alone.
 *
 * Calls while a download is under way share it; after success every call returns the loaded module.
 */
export function lazyChunk(url: string): () => Promise<unknown> {
  let failures = 0;
  let loading: Promise<unknown> | undefined;
  return () =>
    (loading ??= import(/* @vite-ignore */ failures ? retryUrl(url, failures) : url).catch((e: unknown) => {
      failures++;
      loading = undefined;
      throw e;
    }));
}

function retryUrl(url: string, attempt: number): string {
  const u = new URL(url);
  u.searchParams.set("retry", String(attempt));
  return u.href;
}
