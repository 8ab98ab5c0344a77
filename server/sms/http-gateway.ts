import { encodeBase64 } from "@oslojs/encoding";
import { PermanentDeliveryError, type OutgoingSms, type SmsSender } from "../delivery/ports.js";

/**
 * A JSON value whose strings may be the placeholders "{to}", "{text}" or "{from}". Nesting is
 * allowed because real JSON APIs need it (CM.com wraps messages in objects, MessageBird takes
 * `recipients` as an array); form bodies must stay flat.
 */
export type SmsBodyTemplateValue =
  | string
  | number
  | boolean
  | null
  | SmsBodyTemplateValue[]
  | { [key: string]: SmsBodyTemplateValue };
export type SmsBodyTemplate = { [key: string]: SmsBodyTemplateValue };

export type SmsGatewayAuth =
  | { type: "bearer"; token: string }
  | { type: "basic"; username: string; password: string }
  | { type: "header"; name: string; value: string };

export interface HttpSmsGatewayOptions {
  /** POST endpoint. */
  url: string;
  /** Body encoding. */
  format: "json" | "form";
  /**
   * Body template. A string value equal to "{to}", "{text}" or "{from}" is replaced (whole
   * values only, so a text containing "{from}" is never substituted twice); everything else is
   * sent as it is. "{from}" without `from` drops the key. Default: { to, text, from }.
   */
  body?: SmsBodyTemplate;
  /** Sender id: up to 11 letters/digits (e.g. "Rathaus") or a phone number. */
  from?: string;
  auth?: SmsGatewayAuth;
  /** Default 10000. Covers connecting, the answer and reading an error body. */
  timeoutMs?: number;
  /** Injectable for Workers service bindings; pass a bound function. */
  fetch?: typeof fetch;
}

export const DEFAULT_SMS_BODY: SmsBodyTemplate = { to: "{to}", text: "{text}", from: "{from}" };

const PLACEHOLDERS = ["{to}", "{text}", "{from}"] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];
const isPlaceholder = (v: string): v is Placeholder => (PLACEHOLDERS as readonly string[]).includes(v);

const ALPHANUMERIC_SENDER = /^[A-Za-z0-9]{1,11}$/;
const NUMERIC_SENDER = /^\+?[0-9]{1,15}$/;
/** RFC 9110 token: what fetch accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const SNIPPET_CHARS = 200;
/** Enough for any gateway's error message; more is not worth holding in memory. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** Problems with a body template, or [] when it is usable. Shared with config.ts for start-up errors. */
export function bodyTemplateProblems(body: SmsBodyTemplate, format: "json" | "form"): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  const visit = (value: SmsBodyTemplateValue): void => {
    if (typeof value === "string") {
      if (isPlaceholder(value)) used.add(value);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === "object") {
      Object.values(value).forEach(visit);
    }
  };
  if (body === null || typeof body !== "object" || Array.isArray(body)) return ["must be a JSON object"];
  visit(body);
  if (!used.has("{to}")) problems.push('must contain the value "{to}"');
  if (!used.has("{text}")) problems.push('must contain the value "{text}"');
  if (format === "form") {
    const nested = Object.keys(body).filter((k) => {
      const v = body[k];
      return v !== null && typeof v === "object";
    });
    if (nested.length > 0) problems.push(`form bodies must be flat, but ${nested.map((k) => JSON.stringify(k)).join(", ")} ${nested.length === 1 ? "is" : "are"} nested`);
  }
  return problems;
}

export function isValidHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

export function isValidSender(from: string): boolean {
  return ALPHANUMERIC_SENDER.test(from) || NUMERIC_SENDER.test(from);
}

/**
 * Sends SMS through a provider's HTTP API, described entirely by options (see config.ts for the
 * environment). Only `fetch`, so it runs on Node and Workers. Rejections are PermanentDeliveryError
 * when retrying cannot help (4xx except 408/429, redirects), a plain Error otherwise. Error
 * messages never contain the SMS text, the recipient or the credentials: they end up in logs,
 * and the text carries verification codes.
 */
export function httpSmsGateway(opts: HttpSmsGatewayOptions): SmsSender {
  const url = parseGatewayUrl(opts.url);
  const host = url.host;
  const body = opts.body ?? DEFAULT_SMS_BODY;
  const problems = bodyTemplateProblems(body, opts.format);
  if (problems.length > 0) throw new Error(`httpSmsGateway: body template ${problems.join("; ")}`);
  if (opts.from !== undefined && !isValidSender(opts.from)) {
    throw new Error("httpSmsGateway: from must be up to 11 letters/digits or a phone number of up to 15 digits");
  }
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new Error(`httpSmsGateway: timeoutMs must be a positive integer`);
  const auth = authHeader(opts.auth);
  const secrets = authSecrets(opts.auth, auth);
  // Calling a detached global fetch throws "Illegal invocation" on Workers.
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => fetch(input, init));

  return {
    async send(sms: OutgoingSms): Promise<void> {
      const values: Record<Placeholder, string | undefined> = { "{to}": sms.to, "{text}": sms.text, "{from}": opts.from };
      const headers = new Headers();
      if (auth) headers.set(auth.name, auth.value);
      let payload: string | URLSearchParams;
      if (opts.format === "json") {
        headers.set("content-type", "application/json; charset=utf-8");
        payload = JSON.stringify(fill(body, values));
      } else {
        payload = formBody(body, values); // fetch sets the urlencoded content type with charset
      }

      const signal = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        // Redirects are not followed: a POST turned into a GET, or credentials sent to another
        // host, is worse than a clear error asking for the final URL.
        res = await doFetch(url.href, { method: "POST", headers, body: payload, signal, redirect: "manual" });
      } catch (error) {
        if (signal.aborted) throw new Error(`SMS gateway ${host} did not answer within ${timeoutMs} ms`);
        throw new Error(`SMS gateway ${host} unreachable${errorCode(error)}`);
      }

      if (res.ok) {
        await discard(res);
        return;
      }
      const snippet = redact(await readSnippet(res), [...secrets, ...smsSecrets(sms)]);
      const detail = `HTTP ${res.status}${snippet ? `: ${snippet}` : ""}`;
      if (isPermanent(res.status)) throw new PermanentDeliveryError(`SMS gateway ${host} rejected the message: ${detail}`);
      throw new Error(`SMS gateway ${host} failed: ${detail}`);
    },
  };
}

function parseGatewayUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The URL may carry an API key in its query: never echo it.
    throw new Error("httpSmsGateway: url is not a valid absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("httpSmsGateway: url must be http(s)");
  if (url.username || url.password) throw new Error("httpSmsGateway: url must not contain credentials; use auth");
  return url;
}

function isPermanent(status: number): boolean {
  if (status >= 300 && status < 400) return true;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function authHeader(auth: SmsGatewayAuth | undefined): { name: string; value: string } | undefined {
  if (!auth) return undefined;
  switch (auth.type) {
    case "bearer":
      return { name: "authorization", value: `Bearer ${auth.token}` };
    case "basic":
      if (auth.username.includes(":")) throw new Error("httpSmsGateway: basic auth username must not contain ':'");
      return { name: "authorization", value: `Basic ${encodeBase64(new TextEncoder().encode(`${auth.username}:${auth.password}`))}` };
    case "header":
      if (!HEADER_NAME.test(auth.name)) throw new Error("httpSmsGateway: auth header name is not a valid HTTP header name");
      return { name: auth.name, value: auth.value };
  }
}

function authSecrets(auth: SmsGatewayAuth | undefined, header: { value: string } | undefined): string[] {
  if (!auth || !header) return [];
  switch (auth.type) {
    case "bearer":
      return [auth.token, header.value];
    case "basic":
      return [auth.username, auth.password, header.value];
    case "header":
      return [auth.value];
  }
}

/**
 * What a gateway might echo back from the message: the whole text in the encodings we sent,
 * and each word of text and number, so a partial echo ("invalid code 123456") leaks nothing.
 */
function smsSecrets(sms: OutgoingSms): string[] {
  const words = `${sms.text} ${sms.to}`.match(/[\p{L}\p{N}]{4,}/gu) ?? [];
  return [sms.text, JSON.stringify(sms.text).slice(1, -1), encodeURIComponent(sms.text), new URLSearchParams({ t: sms.text }).toString().slice(2), sms.to, ...words];
}

function redact(text: string, secrets: string[]): string {
  // Longest first, so a secret containing another is removed whole.
  const ordered = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of ordered) out = out.split(secret).join("[redacted]");
  // One line for the log; truncated only after redaction so no secret is cut into a visible prefix.
  out = out.replace(/\s+/g, " ").trim();
  return out.length > SNIPPET_CHARS ? `${out.slice(0, SNIPPET_CHARS - 1)}…` : out;
}

function fill(value: SmsBodyTemplateValue, values: Record<Placeholder, string | undefined>): SmsBodyTemplateValue | undefined {
  if (typeof value === "string") return isPlaceholder(value) ? values[value] : value;
  if (Array.isArray(value)) {
    return value.map((v) => fill(v, values)).filter((v): v is SmsBodyTemplateValue => v !== undefined);
  }
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: SmsBodyTemplateValue } = {};
    for (const [k, v] of Object.entries(value)) {
      const filled = fill(v, values);
      if (filled !== undefined) out[k] = filled;
    }
    return out;
  }
  return value;
}

function formBody(body: SmsBodyTemplate, values: Record<Placeholder, string | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) {
    const filled = fill(v, values);
    if (filled === undefined) continue;
    params.append(k, filled === null ? "" : String(filled));
  }
  return params;
}

async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    await reader.cancel().catch(() => {});
  } catch {
    // Timed out or cut off while reading: the status alone still tells what happened.
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, MAX_ERROR_BODY_BYTES));
}

async function discard(res: Response): Promise<void> {
  // Unread bodies keep the connection busy on Node until garbage collection.
  await res.body?.cancel().catch(() => {});
}

/** Only a system error code like ECONNREFUSED: the underlying messages may quote the URL. */
function errorCode(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause !== null && typeof cause === "object" && "code" in cause ? cause.code : undefined;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? ` (${code})` : "";
}
