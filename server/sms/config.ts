import {
  bodyTemplateProblems,
  isValidHeaderName,
  isValidSender,
  type HttpSmsGatewayOptions,
  type SmsBodyTemplate,
  type SmsGatewayAuth,
} from "./http-gateway.js";

const VARIABLES = [
  "SMS_GATEWAY_URL",
  "SMS_GATEWAY_FORMAT",
  "SMS_GATEWAY_BODY",
  "SMS_GATEWAY_FROM",
  "SMS_GATEWAY_TOKEN",
  "SMS_GATEWAY_USER",
  "SMS_GATEWAY_PASSWORD",
  "SMS_GATEWAY_HEADER",
  "SMS_GATEWAY_TIMEOUT_MS",
] as const;
type Variable = (typeof VARIABLES)[number];

const MAX_TIMEOUT_MS = 120_000;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Gateway options from the environment, or null when SMS_GATEWAY_URL is unset (dev outbox).
 * Throws an Error naming the variable on any bad value, so start-up stops instead of losing SMS.
 * Messages never quote the URL, body, token, password or header: they may hold credentials.
 */
export function smsGatewayFromEnv(env: Record<string, string | undefined>): HttpSmsGatewayOptions | null {
  // An empty value (`SMS_GATEWAY_URL=` in an .env file) means unset.
  const get = (name: Variable): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? undefined : v;
  };

  // A typo like SMS_GATEWAY_TOKN would otherwise send unauthenticated and fail every SMS.
  for (const name of Object.keys(env)) {
    if (name.startsWith("SMS_GATEWAY_") && !(VARIABLES as readonly string[]).includes(name)) {
      throw new Error(`${name}: unknown variable; known are ${VARIABLES.join(", ")}`);
    }
  }

  const rawUrl = get("SMS_GATEWAY_URL");
  if (rawUrl === undefined) {
    // Settings without a URL mean a forgotten URL, not dev mode: SMS would silently stay in memory.
    const stray = VARIABLES.find((name) => get(name) !== undefined);
    if (stray) throw new Error(`SMS_GATEWAY_URL: missing, but ${stray} is set`);
    return null;
  }

  const format = parseFormat(get("SMS_GATEWAY_FORMAT"));
  const body = parseBody(get("SMS_GATEWAY_BODY"), format);
  const from = get("SMS_GATEWAY_FROM")?.trim();
  if (from !== undefined && !isValidSender(from)) {
    throw new Error(`SMS_GATEWAY_FROM: must be up to 11 letters/digits (e.g. "Rathaus") or a phone number, got ${JSON.stringify(from)}`);
  }
  if (from !== undefined && body !== undefined && !JSON.stringify(body).includes('"{from}"')) {
    throw new Error('SMS_GATEWAY_FROM: set, but SMS_GATEWAY_BODY has no "{from}" value to put it in');
  }

  const options: HttpSmsGatewayOptions = { url: parseUrl(rawUrl), format };
  if (body !== undefined) options.body = body;
  if (from !== undefined) options.from = from;
  const auth = parseAuth(get);
  if (auth) options.auth = auth;
  const timeout = get("SMS_GATEWAY_TIMEOUT_MS");
  if (timeout !== undefined) options.timeoutMs = parseTimeout(timeout);
  return options;
}

function parseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error("SMS_GATEWAY_URL: not an absolute URL like https://api.provider.example/sms");
  }
  if (url.username || url.password) {
    throw new Error("SMS_GATEWAY_URL: must not contain user:password@; use SMS_GATEWAY_USER and SMS_GATEWAY_PASSWORD");
  }
  // Plain http would expose credentials and verification codes; only a local relay may use it.
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith(".localhost");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error("SMS_GATEWAY_URL: must use https:// (plain http only for localhost)");
  }
  return url.href;
}

function parseFormat(raw: string | undefined): "json" | "form" {
  const v = raw?.trim() ?? "json";
  if (v === "json" || v === "form") return v;
  throw new Error(`SMS_GATEWAY_FORMAT: must be "json" or "form", got ${JSON.stringify(v)}`);
}

function parseBody(raw: string | undefined, format: "json" | "form"): SmsBodyTemplate | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the input, which may hold an API key.
    throw new Error("SMS_GATEWAY_BODY: not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error('SMS_GATEWAY_BODY: must be a JSON object, e.g. {"to":"{to}","text":"{text}"}');
  }
  // JSON.parse yields only JSON values, which is exactly what a template is.
  const body = parsed as SmsBodyTemplate;
  const problems = bodyTemplateProblems(body, format);
  if (problems.length > 0) throw new Error(`SMS_GATEWAY_BODY: ${problems.join("; ")}`);
  return body;
}

function parseAuth(get: (name: Variable) => string | undefined): SmsGatewayAuth | undefined {
  const token = get("SMS_GATEWAY_TOKEN");
  const user = get("SMS_GATEWAY_USER");
  const password = get("SMS_GATEWAY_PASSWORD");
  const header = get("SMS_GATEWAY_HEADER");

  const kinds = [token && "SMS_GATEWAY_TOKEN", (user || password) && "SMS_GATEWAY_USER/PASSWORD", header && "SMS_GATEWAY_HEADER"].filter(Boolean);
  if (kinds.length > 1) throw new Error(`${kinds.join(", ")}: set only one kind of authentication`);

  if (token !== undefined) {
    const t = token.trim();
    if (!/^[\x21-\x7e]+$/.test(t)) throw new Error("SMS_GATEWAY_TOKEN: must be printable ASCII without spaces");
    return { type: "bearer", token: t };
  }
  if (user !== undefined || password !== undefined) {
    if (user === undefined) throw new Error("SMS_GATEWAY_USER: missing, but SMS_GATEWAY_PASSWORD is set");
    if (password === undefined) throw new Error("SMS_GATEWAY_PASSWORD: missing, but SMS_GATEWAY_USER is set");
    if (user.includes(":")) throw new Error("SMS_GATEWAY_USER: must not contain ':'");
    if (/[\r\n]/.test(user) || /[\r\n]/.test(password)) throw new Error("SMS_GATEWAY_USER/PASSWORD: must not contain line breaks");
    return { type: "basic", username: user, password };
  }
  if (header !== undefined) {
    const colon = header.indexOf(":");
    const name = colon > 0 ? header.slice(0, colon).trim() : "";
    const value = colon > 0 ? header.slice(colon + 1).trim() : "";
    if (!isValidHeaderName(name) || value === "") {
      throw new Error('SMS_GATEWAY_HEADER: must look like "X-Api-Key: secret"');
    }
    if (/[\r\n\0]/.test(value)) throw new Error("SMS_GATEWAY_HEADER: the value must not contain line breaks");
    if (/^(content-type|content-length|host)$/i.test(name)) throw new Error(`SMS_GATEWAY_HEADER: ${name} cannot be used for authentication`);
    return { type: "header", name, value };
  }
  return undefined;
}

function parseTimeout(raw: string): number {
  const v = raw.trim();
  const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TIMEOUT_MS) {
    throw new Error(`SMS_GATEWAY_TIMEOUT_MS: must be whole milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${JSON.stringify(v)}`);
  }
  return n;
}
