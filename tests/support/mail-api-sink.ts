import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One mail the sink accepted, as the Worker sent it in the SendGrid v3 format. */
export interface SinkMail {
  to: string;
  subject: string;
  messageId: string;
  /** Date.now() when it was accepted. */
  at: number;
}

/** The next `times` requests for a domain are answered with `status` (and `Retry-After` if given). */
export interface SinkRule {
  status: number;
  times: number;
  retryAfter?: number;
}

export interface MailApiSink {
  /** Base URL; the send endpoint is `${url}/v3/mail/send`. */
  url: string;
  key: string;
  /** What was accepted for one domain so far (in this process; the HTTP API gives the same). */
  accepted(domain: string): readonly SinkMail[];
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking the mail API the Worker sends through (SendGrid's
 * `POST /v3/mail/send`, Bearer key): it keeps what it accepted, per recipient domain, and can
 * answer a domain's next requests with 429 or 503 to act like a provider under load.
 * `GET /mails?domain=` lists the accepted mails; `PUT /rules/<domain>` sets the answers to come.
 */
export async function startMailApiSink(opts: { key?: string; port?: number } = {}): Promise<MailApiSink> {
  const key = opts.key ?? "sink-key";
  const mails = new Map<string, SinkMail[]>();
  const rules = new Map<string, SinkRule[]>();
  const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();

  async function body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sink");
    if (req.method === "POST" && url.pathname === "/v3/mail/send") {
      if (req.headers.authorization !== `Bearer ${key}`) return send(res, 401, { errors: [{ message: "bad key" }] });
      const mail = JSON.parse(await body(req)) as { personalizations: { to: { email: string }[] }[]; subject: string; headers?: Record<string, string> };
      const to = mail.personalizations[0]!.to[0]!.email;
      const domain = domainOf(to);
      const rule = rules.get(domain)?.[0];
      if (rule) {
        if (--rule.times <= 0) rules.get(domain)!.shift();
        return send(res, rule.status, { errors: [{ message: "busy" }] }, rule.retryAfter === undefined ? {} : { "Retry-After": String(rule.retryAfter) });
      }
      const list = mails.get(domain) ?? [];
      mails.set(domain, list);
      list.push({ to, subject: mail.subject, messageId: mail.headers?.["Message-ID"] ?? "", at: Date.now() });
      return send(res, 202, "");
    }
    if (req.method === "GET" && url.pathname === "/mails") return send(res, 200, mails.get((url.searchParams.get("domain") ?? "").toLowerCase()) ?? []);
    if (req.method === "PUT" && url.pathname.startsWith("/rules/")) {
      rules.set(decodeURIComponent(url.pathname.slice(7)).toLowerCase(), JSON.parse(await body(req)) as SinkRule[]);
      return send(res, 204, "");
    }
    send(res, 404, { errors: [{ message: "not found" }] });
  }

  const server = createServer((req, res) => void handle(req, res).catch((e: unknown) => send(res, 500, { errors: [{ message: String(e) }] })));
  // Many connections at once from workerd; the default backlog is enough, keep-alive keeps them cheap.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  // The Workers suite starts it with its configuration and never stops it: it must not hold the run open.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    accepted: (domain) => mails.get(domain.toLowerCase()) ?? [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(text);
}
