import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, relative, sep } from "node:path";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** Resolves a URL path inside `root`, refusing anything that climbs out of it. */
export type StaticFile = { body: Buffer; type: string } | { redirect: string };

/** `mount` is the URL prefix the folder is served under, for redirects (e.g. /api/docs). */
export async function readStaticFile(root: string, urlPath: string, mount = ""): Promise<StaticFile | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.endsWith("/")) rel += "index.html";
  const file = normalize(join(root, rel));
  if (!file.startsWith(normalize(root) + sep)) return null;
  try {
    const s = await stat(file);
    // Built from the resolved path, never from what the client sent: `//evil.example/..%2fx`
    // must not become a protocol-relative Location that leaves this site.
    if (s.isDirectory()) {
      const rel = relative(root, file).split(sep).filter(Boolean).map(encodeURIComponent);
      return { redirect: `${mount}/${rel.map((r) => `${r}/`).join("")}` };
    }
    return { body: await readFile(file), type: types[extname(file)] ?? "application/octet-stream" };
  } catch {
    return null;
  }
}

/**
 * `/office/assets/*` from dist/public/office/assets: the staff office's bundle (its page is the
 * app's `/office/<slug>/`, server/office/page.ts). Same origin only, so no CORS headers; a fixed
 * file name, so a short cache, as Cloudflare's `_headers` says for Workers.
 */
export async function serveOfficeAsset(dir: string, path: string): Promise<Response> {
  const file = await readStaticFile(dir, path);
  if (!file || "redirect" in file) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(file.body), {
    headers: { "Content-Type": file.type, "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff" },
  });
}
