import type { Context } from "hono";
import type { AppEnv } from "../http/env.js";
import type { AnswerStore, PublicAnswer } from "../http/public-answers.js";

/** The part of the Workers Cache API (`caches.default`) this store uses. */
export interface EdgeCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/** How long a data center keeps an answer. Its key names the town's version, so it is never stale, only unused. */
const edgeSeconds = 24 * 60 * 60;
const cacheControlHeader = "X-Answer-Cache-Control";

/**
 * Public answers on Workers: this isolate's memory first, then the Cache API, which every isolate
 * of a data center shares. Purging is by key: a publish or sync raises the town's version, and
 * isolates that re-read the town (at once here, within the registry's TTL elsewhere) ask for new
 * keys. `cache.delete()` would reach only the data center it runs in; new keys reach all of them.
 * `deployId` names the deployed code (Cloudflare's version metadata).
 */
export function edgeAnswerStore(memory: AnswerStore, cache: EdgeCache, deployId: string): AnswerStore {
  // Under the request's own host, so the entry belongs to the zone the Worker serves; and under
  // the deployment, so answers a new version of the code builds differently are built anew.
  const prefix = `/__answers/${encodeURIComponent(deployId)}/`;
  const url = (c: Context<AppEnv>, key: string) => `${new URL(c.req.url).origin}${prefix}${encodeURIComponent(key)}`;
  return {
    async get(key, c) {
      const inMemory = await memory.get(key, c);
      if (inMemory) return inMemory;
      const hit = await cache.match(url(c, key)).catch(() => undefined);
      if (!hit) return undefined;
      const answer = await fromResponse(hit);
      await memory.put(key, answer, c);
      return answer;
    },
    async put(key, answer, c) {
      await memory.put(key, answer, c);
      // A cache that refuses (workers.dev has none) costs the next isolate a rebuild, nothing more.
      await cache.put(url(c, key), toResponse(answer)).catch(() => undefined);
    },
  };
}

const namesHeader = "X-Answer-Headers";

function toResponse(answer: PublicAnswer): Response {
  const headers = new Headers(answer.headers);
  headers.set("ETag", answer.etag);
  // The cache adds headers of its own (Age, Date, CF-Cache-Status); only the answer's come back.
  headers.set(namesHeader, Object.keys(answer.headers).join(","));
  const cacheControl = headers.get("Cache-Control");
  if (cacheControl) headers.set(cacheControlHeader, cacheControl);
  headers.set("Cache-Control", `public, max-age=${edgeSeconds}`);
  return new Response(answer.body as BodyInit, { headers });
}

async function fromResponse(res: Response): Promise<PublicAnswer> {
  const headers: Record<string, string> = {};
  for (const name of (res.headers.get(namesHeader) ?? "").split(",")) {
    const value = name === "Cache-Control" ? res.headers.get(cacheControlHeader) : name ? res.headers.get(name) : null;
    if (value !== null) headers[name] = value;
  }
  const body = new Uint8Array(await res.arrayBuffer());
  return { body, etag: res.headers.get("etag") ?? "", headers };
}
