import { coreTexts } from "./i18n.js";
import type { Lang } from "./types.js";

/** One invalid field as the API reports it, already in the visitor's language. */
export interface FieldProblem {
  code: string;
  message: string;
}

/** The API answered with its error envelope (or something unreadable, mapped to one). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, FieldProblem> = {},
    /** Seconds, from `Retry-After` on 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The request never got an answer: offline, DNS, CORS, timeout. The UI offers a retry. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

export interface ApiOptions {
  /** `https://rathaus.example.de` — no trailing slash. */
  base: string;
  tenant: string;
  lang: () => Lang;
  /** The bearer token, read on every request so a logout elsewhere takes effect at once. */
  token: () => string | null;
  /** A request that carried a token got 401: the session is gone. */
  onUnauthorized: (error: ApiError) => void;
}

interface RequestOptions {
  body?: unknown;
  /** Sends the bearer token (and treats 401 as the end of the session). */
  auth?: boolean;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /** Revalidates instead of taking the browser's cached copy (a form known to have changed). */
  fresh?: boolean;
}

export interface UploadOptions {
  auth?: boolean;
  headers?: Record<string, string>;
  /** Fraction of the body sent so far, 0…1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

type Envelope = {
  error?: {
    code?: string;
    message?: string;
    messages?: Partial<Record<Lang, string>>;
    fields?: Record<string, { code?: string; message?: string; messages?: Partial<Record<Lang, string>> }>;
  };
};

const TIMEOUT_MS = 20_000;

/** Thin fetch wrapper for `/api/v1/tenants/{slug}/…`: JSON in and out, one error type per failure kind. */
export class Api {
  /**
   * What this page has changed, by the path's first segment ("news" once staff publish): later
   * reads of it revalidate instead of taking the browser's cached copy. Public lists may be cached
   * for a while (`max-age`), but whoever just published must see the item; the ETag keeps the check
   * cheap.
   */
  private readonly written = new Set<string>();
  /** Requests sent with the session token and not answered yet. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly o: ApiOptions) {}

  get tenantUrl() {
    return `${this.o.base}/api/v1/tenants/${encodeURIComponent(this.o.tenant)}`;
  }

  get<T>(path: string, opts: RequestOptions = {}) {
    return this.request<T>("GET", path, opts);
  }

  send<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown, auth = false) {
    return this.request<T>(method, path, { body, auth });
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.fetch(method, path, opts);
    if (res.status === 204 || res.status === 202) return undefined as T;
    return (await res.json()) as T;
  }

  /**
   * Waits (at most `ms`) for the requests sent with the session to be answered: a logout sent
   * meanwhile would end the session under them, and they would fail.
   */
  async settled(ms = 3_000): Promise<void> {
    if (this.pending.size === 0) return;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, ms))]);
  }

  /** For downloads (data export): the raw response once it is known to be a success. */
  async fetch(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const lang = this.o.lang();
    const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": lang, ...opts.headers };
    const token = opts.auth ? this.o.token() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    const resource = path.split(/[/?]/)[0]!;
    let res: Response;
    try {
      const sent = fetch(this.tenantUrl + (path ? `/${path}` : ""), {
        method,
        headers,
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
        // No cookies exist for this API; never send the page's or ask for any.
        credentials: "omit",
        ...(method === "GET" && (opts.fresh || this.written.has(resource)) ? { cache: "no-cache" as const } : {}),
        ...(typeof AbortSignal.timeout === "function" ? { signal: AbortSignal.timeout(TIMEOUT_MS) } : {}),
      });
      if (token) {
        this.pending.add(sent);
        void sent.finally(() => this.pending.delete(sent)).catch(() => {});
      }
      res = await sent;
    } catch {
      throw new NetworkError(coreTexts[lang].offline);
    }
    if (res.ok) {
      if (method !== "GET") this.written.add(resource);
      return res;
    }
    throw await this.failed(res, lang, token);
  }

  /**
   * `multipart/form-data` with upload progress, which fetch cannot report: XMLHttpRequest,
   * without credentials, mapped to the same answers and errors as JSON requests.
   */
  upload<T>(path: string, body: FormData, opts: UploadOptions = {}): Promise<T> {
    const lang = this.o.lang();
    const token = opts.auth ? this.o.token() : null;
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `${this.tenantUrl}/${path}`);
      const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": lang, ...opts.headers };
      if (token) headers.Authorization = `Bearer ${token}`;
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => e.lengthComputable && opts.onProgress?.(e.loaded / e.total);
      const offline = () => reject(new NetworkError(coreTexts[lang].offline));
      xhr.onerror = offline;
      xhr.ontimeout = offline;
      xhr.onabort = () => reject(opts.signal?.reason ?? new DOMException("Aborted", "AbortError"));
      xhr.onload = () => {
        const res = new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers: { "Retry-After": xhr.getResponseHeader("Retry-After") ?? "" },
        });
        if (res.ok) {
          this.written.add(path.split(/[/?]/)[0]!);
          resolve(res.status === 204 ? (undefined as T) : (res.json() as Promise<T>));
        } else {
          void this.failed(res, lang, token).then(reject);
        }
      };
      opts.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
      xhr.send(body);
    });
  }

  private async failed(res: Response, lang: Lang, token: string | null): Promise<ApiError> {
    const error = await toApiError(res, lang);
    // Only if the token is still the current one: a request that was in flight while the
    // visitor logged out comes back 401, and must not turn "logged out" into "session expired".
    if (res.status === 401 && token && token === this.o.token()) this.o.onUnauthorized(error);
    return error;
  }
}

/** The API's error envelope as an ApiError in the visitor's language; `fallback` when the body says nothing readable. */
export async function toApiError(res: Response, lang: Lang, fallback = coreTexts[lang].unavailable): Promise<ApiError> {
  let body: Envelope = {};
  try {
    body = (await res.json()) as Envelope;
  } catch {
    // A proxy's HTML error page or an empty body: fall through to the generic text.
  }
  const e = body.error;
  const fields: Record<string, FieldProblem> = {};
  for (const [name, f] of Object.entries(e?.fields ?? {})) {
    fields[name] = { code: f.code ?? "invalid", message: f.messages?.[lang] ?? f.message ?? "" };
  }
  const retry = Number(res.headers.get("Retry-After"));
  return new ApiError(
    res.status,
    e?.code ?? (res.status >= 500 ? "unavailable" : "error"),
    e?.messages?.[lang] ?? e?.message ?? fallback,
    fields,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}
