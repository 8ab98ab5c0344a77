import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { Context } from "hono";
import { headersApplied } from "./base-headers.js";
import type { AppEnv } from "./env.js";
import { requestHeader } from "./request-headers.js";
import type { Tenant } from "../tenants/tenant.js";

/**
 * A public read's answer: the same bytes for everyone while the town stays as it is, so it is
 * built and hashed once and then served from a store. Stored under the town's id, config hash
 * and content version: a sync or a news change yields new keys, and nothing old is served again.
 */
export interface PublicAnswer {
  body: string | Uint8Array;
  /** Strong validator over the body, computed once when the answer is built. */
  etag: string;
  /** Content-Type and Cache-Control, plus whatever the route adds (a CSP for SVG, CORP). */
  headers: Readonly<Record<string, string>>;
}

export type FreshAnswer = Omit<PublicAnswer, "etag">;

/** Where answers are kept: memory on every runtime; on Workers the Cache API behind it. */
export interface AnswerStore {
  get(key: string, c: Context<AppEnv>): PublicAnswer | undefined | Promise<PublicAnswer | undefined>;
  put(key: string, answer: PublicAnswer, c: Context<AppEnv>): void | Promise<void>;
}

export type PublicAnswers = ReturnType<typeof publicAnswers>;

/**
 * How the runtime sends a 304 with these headers. By default a plain Response; the Node entry
 * writes it straight to the socket, since its adapter builds a full web Response for a null body,
 * which costs a revalidation (the widget's most frequent request) a quarter of its time.
 */
export type NotModifiedWriter = (c: Context<AppEnv>, headers: Record<string, string>) => Response;

const plainNotModified: NotModifiedWriter = (_c, headers) => new Response(null, { status: 304, headers });

/** The key prefix of a loaded town: id, config hash and content version, built once per loaded town. */
const versionKeys = new WeakMap<Tenant, string>();
function versionKey(t: Tenant): string {
  let key = versionKeys.get(t);
  if (key === undefined) versionKeys.set(t, (key = `${t.id}/${t.configHash}/${t.contentVersion}/`));
  return key;
}

export interface PublicAnswerOptions {
  /** How a 304 is sent; see NotModifiedWriter. */
  notModified?: NotModifiedWriter;
  /**
   * Concurrent first requests for one answer share one build (Node). Off on Workers: a request
   * there must not wait on work another request started, which the runtime may cancel with it.
   */
  shareBuilds?: boolean;
}

export function publicAnswers(store: AnswerStore, opts: PublicAnswerOptions = {}) {
  const notModified = opts.notModified ?? plainNotModified;
  const building = new Map<string, Promise<PublicAnswer>>();

  async function buildAnswer(build: () => Promise<FreshAnswer> | FreshAnswer): Promise<PublicAnswer> {
    const fresh = await build();
    const bytes = typeof fresh.body === "string" ? new TextEncoder().encode(fresh.body) : fresh.body;
    return { ...fresh, etag: await strongEtag(bytes) };
  }

  function buildOnce(key: string, c: Context<AppEnv>, build: () => Promise<FreshAnswer> | FreshAnswer): Promise<PublicAnswer> {
    const buildAndStore = async () => {
      const answer = await buildAnswer(build);
      await store.put(key, answer, c);
      return answer;
    };
    if (opts.shareBuilds === false) return buildAndStore();
    let pending = building.get(key);
    if (!pending) {
      pending = buildAndStore().finally(() => building.delete(key));
      building.set(key, pending);
    }
    return pending;
  }

  function send(c: Context<AppEnv>, answer: PublicAnswer): Response {
    const condition = requestHeader(c, "if-none-match");
    if (condition !== undefined && etagMatches(condition, answer.etag)) {
      const headers: Record<string, string> = { ...c.get("headers"), ETag: answer.etag };
      const cacheControl = answer.headers["Cache-Control"];
      if (cacheControl) headers["Cache-Control"] = cacheControl;
      const res = notModified(c, headers);
      headersApplied(c);
      return res;
    }
    // Plain Responses with plain header objects: the Node adapter writes them out directly.
    const res = new Response(answer.body as BodyInit, { status: 200, headers: { ...c.get("headers"), ...answer.headers, ETag: answer.etag } });
    headersApplied(c);
    return res;
  }

  return {
    /**
     * Answers a public GET of the request's town. `key` names the answer within the town and
     * must contain every input `build` depends on (validated query values, the API origin).
     * An answer in memory is sent without waiting for anything.
     */
    respond(c: Context<AppEnv>, key: string, build: () => Promise<FreshAnswer> | FreshAnswer): Response | Promise<Response> {
      const full = versionKey(c.get("tenant")) + key;
      const hit = store.get(full, c);
      if (hit !== undefined && !(hit instanceof Promise)) return send(c, hit);
      return (async () => send(c, (await hit) ?? (await buildOnce(full, c, build))))();
    },

    /**
     * The same answer, ETag and 304 for a request whose key space is open-ended (an unknown topic,
     * a later page): built every time and not stored, so arbitrary queries cannot push the town's
     * everyday answers out of the store.
     */
    async respondUncached(c: Context<AppEnv>, build: () => Promise<FreshAnswer> | FreshAnswer): Promise<Response> {
      return send(c, await buildAnswer(build));
    },
  };
}

async function strongEtag(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return `"${encodeBase64urlNoPadding(digest.subarray(0, 18))}"`;
}

/** RFC 9110 If-None-Match: a list of tags compared weakly, or `*`. */
export function etagMatches(header: string, etag: string): boolean {
  // What browsers send back: exactly the tag they were given.
  if (header === etag) return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const ours = opaque(etag);
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === ours);
}

/**
 * Answers in memory up to `maxBytes`. When full, the oldest answers go first, except those read
 * since they were last looked at, which get another round (a cheap approximation of least
 * recently used: a hit only sets a flag). Old versions of a town's answers are never read again
 * and age out this way.
 */
export function memoryAnswerStore(maxBytes = 64 * 1024 * 1024): AnswerStore & { readonly bytes: number; readonly size: number } {
  const entries = new Map<string, { answer: PublicAnswer; bytes: number; used: boolean }>();
  let bytes = 0;
  const sizeOf = (key: string, a: PublicAnswer) => key.length + (typeof a.body === "string" ? a.body.length * 2 : a.body.byteLength) + 256;
  // Entries given another round are appended and met again later in the same loop, then unflagged.
  const evict = () => {
    for (const [key, entry] of entries) {
      if (bytes <= maxBytes) return;
      entries.delete(key);
      if (entry.used) {
        entry.used = false;
        entries.set(key, entry);
      } else {
        bytes -= entry.bytes;
      }
    }
  };
  return {
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entry.used = true;
      return entry.answer;
    },
    put(key, answer) {
      const size = sizeOf(key, answer);
      if (size > maxBytes / 8) return;
      const old = entries.get(key);
      if (old) {
        bytes -= old.bytes;
        entries.delete(key);
      }
      entries.set(key, { answer, bytes: size, used: false });
      bytes += size;
      evict();
    },
  };
}
