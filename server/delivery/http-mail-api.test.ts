import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpMailApi, retryAfterMs } from "./http-mail-api.js";
import { PermanentDeliveryError, ThrottledDeliveryError } from "./ports.js";

const servers: Array<{ close(): void }> = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A local server speaking the provider's side of the protocol, recording what it received. */
async function provider(respond: (req: IncomingMessage, res: ServerResponse) => void) {
  const received: Array<{ headers: IncomingMessage["headers"]; body: any }> = [];
  const server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(data) });
      respond(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/mail/send`, received };
}

const mail = {
  to: "erika@example.org",
  from: { name: "Stadt Tangerhütte", address: "rathaus@tangerhuette.example" },
  subject: "Ihr Bestätigungscode",
  text: "Code 123456",
  html: "<p>Code <b>123456</b></p>",
  headers: { "List-Unsubscribe": "<https://x/unsubscribe/t>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
};

describe("HTTP mail API sender (Workers)", () => {
  it("posts the SendGrid v3 / MailChannels body with the key", async () => {
    const p = await provider((_q, res) => res.writeHead(202).end());
    await httpMailApi({ url: p.url, apiKey: "SG.secret" }).send(mail);
    const [req] = p.received;
    expect(req!.headers.authorization).toBe("Bearer SG.secret");
    expect(req!.body).toEqual({
      personalizations: [{ to: [{ email: "erika@example.org" }] }],
      from: { email: "rathaus@tangerhuette.example", name: "Stadt Tangerhütte" },
      subject: "Ihr Bestätigungscode",
      content: [
        { type: "text/plain", value: "Code 123456" },
        { type: "text/html", value: "<p>Code <b>123456</b></p>" },
      ],
      headers: mail.headers,
    });
    await httpMailApi({ url: p.url, apiKey: "mc-key", keyHeader: "X-Api-Key" }).send(mail);
    expect(p.received[1]!.headers["x-api-key"]).toBe("mc-key");
  });

  it("treats a rejected message as permanent and a busy provider as retryable, without leaking the key", async () => {
    const bad = await provider((_q, res) => res.writeHead(400).end('{"errors":[{"message":"invalid to, key SG.secret"}]}'));
    const err = await httpMailApi({ url: bad.url, apiKey: "SG.secret" }).send(mail).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(String(err)).not.toContain("SG.secret");
    expect(String(err)).not.toContain("123456");
    for (const status of [429, 503]) {
      const busy = await provider((_q, res) => res.writeHead(status).end());
      const e = await httpMailApi({ url: busy.url, apiKey: "k" }).send(mail).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Error);
      expect(e).not.toBeInstanceOf(PermanentDeliveryError);
    }
  });

  it("passes on how long a busy provider asks to wait (Retry-After in seconds or as a date), kept within 1 s and an hour", async () => {
    // As a date, against a fixed now: whole seconds, no clock in between.
    const now = Date.parse("2026-11-26T10:00:00.000Z");
    expect(retryAfterMs("Thu, 26 Nov 2026 10:02:00 GMT", now)).toBe(120_000);
    expect(retryAfterMs("Thu, 26 Nov 2026 09:00:00 GMT", now)).toBe(1_000);
    const cases: Array<[number, string | undefined, number | undefined]> = [
      [429, "5", 5_000],
      [503, "0", 1_000],
      [429, "86400", 3_600_000],
      [429, undefined, undefined],
      [503, "soon", undefined],
    ];
    for (const [status, retryAfter, expected] of cases) {
      const busy = await provider((_q, res) => res.writeHead(status, retryAfter === undefined ? {} : { "Retry-After": retryAfter }).end());
      const e = await httpMailApi({ url: busy.url, apiKey: "k" }).send(mail).catch((x: unknown) => x);
      if (expected === undefined) {
        // Without a usable time: an ordinary failure, retried with the backoff.
        expect(e).not.toBeInstanceOf(ThrottledDeliveryError);
        expect(e).toBeInstanceOf(Error);
      } else {
        expect(e).toBeInstanceOf(ThrottledDeliveryError);
        expect((e as ThrottledDeliveryError).retryAfterMs).toBe(expected);
      }
    }
  });
});
