import { type MailSender, type OutgoingMail, PermanentDeliveryError, ThrottledDeliveryError } from "./ports.js";

export interface HttpMailApiOptions {
  /** e.g. https://api.sendgrid.com/v3/mail/send or https://api.mailchannels.net/tx/v1/send */
  url: string;
  /** Sent as `Authorization: Bearer …` (SendGrid) or, with `keyHeader`, in that header (MailChannels: X-Api-Key). */
  apiKey: string;
  keyHeader?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Mail over HTTP for Cloudflare Workers, which cannot open SMTP connections. The body is the
 * SendGrid v3 `mail/send` format, which MailChannels speaks too.
 */
export function httpMailApi(opts: HttpMailApiOptions): MailSender {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const host = new URL(opts.url).host;
  return {
    async send(mail: OutgoingMail) {
      const body = {
        personalizations: [{ to: [{ email: mail.to }] }],
        from: { email: mail.from.address, name: mail.from.name },
        subject: mail.subject,
        content: [
          { type: "text/plain", value: mail.text },
          { type: "text/html", value: mail.html },
        ],
        ...(mail.headers ? { headers: mail.headers } : {}),
        ...(mail.attachments?.length
          ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, type: a.contentType, disposition: "attachment", content: base64(a.content) })) }
          : {}),
      };
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (opts.keyHeader) headers[opts.keyHeader] = opts.apiKey;
      else headers.Authorization = `Bearer ${opts.apiKey}`;
      let res: Response;
      try {
        res = await doFetch(opts.url, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
      } catch (e) {
        // Never the key, never the message: only where and what kind of failure.
        throw new Error(`mail API ${host} unreachable (${e instanceof Error ? e.name : "error"})`);
      }
      if (res.ok) return;
      // Redact before cutting, so no prefix of a secret survives; providers may echo the request.
      let answer = await res.text().catch(() => "");
      for (const secret of [opts.apiKey, mail.to, mail.text, mail.subject]) if (secret) answer = answer.replaceAll(secret, "***");
      answer = answer.replace(/\b\d{6}\b/g, "******");
      const snippet = answer.slice(0, 200);
      const message = `mail API ${host} answered ${res.status}: ${snippet}`;
      const retryAfter = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get("retry-after")) : undefined;
      if (retryAfter !== undefined) throw new ThrottledDeliveryError(message, retryAfter);
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentDeliveryError(message);
      throw new Error(message);
    },
  };
}

/** `Retry-After` as seconds or an HTTP date, kept between 1 s and an hour; undefined if absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 1000), 60 * 60_000);
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
