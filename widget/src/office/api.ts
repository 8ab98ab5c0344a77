/**
 * The office's client for `/api/v1/tenants/{slug}/office/…`. Unlike the widget's client it sends
 * the page's cookies (the session is an HttpOnly cookie, same origin only) and adds the session's
 * CSRF token to every write; there is no token anywhere in page storage.
 */
import { ApiError, NetworkError, toApiError } from "../core/api.js";
import type { Lang } from "../core/types.js";
import { officeTexts } from "./texts.js";

export { ApiError, NetworkError };

export interface OfficeApiOptions {
  /** Origin (and path prefix) of the API, without a trailing slash. */
  base: string;
  tenant: string;
  lang: () => Lang;
  /** The current session's CSRF token; null while signed out. */
  csrf: () => string | null;
  /** A request made within a session came back 401: the session has ended on the server. */
  onExpired: () => void;
}

const TIMEOUT_MS = 30_000;

export class OfficeApi {
  constructor(private readonly o: OfficeApiOptions) {}

  get tenantUrl(): string {
    return `${this.o.base}/api/v1/tenants/${encodeURIComponent(this.o.tenant)}`;
  }

  /** An absolute URL under the town's API, for links (downloads, CSV) and image previews. */
  url(path: string): string {
    return path ? `${this.tenantUrl}/${path}` : this.tenantUrl;
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>("GET", path);
  }

  send<T>(method: "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.json<T>(method, path, body, headers);
  }

  /** `multipart/form-data` with one part `file`. */
  async upload<T>(path: string, file: File): Promise<T> {
    const form = new FormData();
    form.append("file", file, file.name);
    const res = await this.fetch("POST", path, form);
    return (await res.json()) as T;
  }

  private async json<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.fetch(method, path, body === undefined ? undefined : JSON.stringify(body), headers);
    if (res.status === 204 || res.status === 202) return undefined as T;
    return (await res.json()) as T;
  }

  private async fetch(method: string, path: string, body: string | FormData | undefined, extra: Record<string, string> = {}): Promise<Response> {
    const lang = this.o.lang();
    const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": lang, ...extra };
    if (typeof body === "string") headers["Content-Type"] = "application/json";
    const csrf = this.o.csrf();
    // Reads need no token; every write carries it, login included (it is ignored there).
    if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
    let res: Response;
    try {
      res = await fetch(this.url(path), {
        method,
        headers,
        body: body ?? null,
        credentials: "same-origin",
        // Case data must never come from a cache, the browser's included.
        cache: "no-store",
        ...(typeof AbortSignal.timeout === "function" ? { signal: AbortSignal.timeout(TIMEOUT_MS) } : {}),
      });
    } catch {
      throw new NetworkError(officeTexts[lang].offline);
    }
    if (res.ok) return res;
    const error = await toApiError(res, lang, officeTexts[lang].unavailable);
    // Only within a session: a wrong password at the login is 401 too, but nothing expired.
    // And only if it is still the same session: a request in flight during a logout does not count.
    if (res.status === 401 && csrf !== null && csrf === this.o.csrf()) this.o.onExpired();
    throw error;
  }
}

/** What the person sees for any failure: the API's message in their language, or the transport's. */
export function problemText(e: unknown, lang: Lang): string {
  if (e instanceof ApiError || e instanceof NetworkError) {
    const fields = e instanceof ApiError ? Object.values(e.fields).map((f) => f.message).filter(Boolean) : [];
    return [e.message, ...fields].join(" ");
  }
  console.error(e);
  return officeTexts[lang].unavailable;
}
