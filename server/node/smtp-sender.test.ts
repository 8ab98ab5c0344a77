import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { type MailSender, type OutgoingMail, PermanentDeliveryError } from "../delivery/ports.js";
import { smtpMailSender } from "./smtp-sender.js";

interface Received {
  session: string;
  envelopeTo: string[];
  parsed: ParsedMail;
}

/** A real SMTP server that rejects `unknown@…` for good and `busy@…` for now. */
async function startServer() {
  const received: Received[] = [];
  const sessions = new Set<string>();
  const open = new Set<string>();
  let allClosed: (() => void) | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      sessions.add(session.id);
      open.add(session.id);
      callback();
    },
    onClose(session: SMTPServerSession) {
      open.delete(session.id);
      if (open.size === 0) allClosed?.();
    },
    onRcptTo(address, _session, callback) {
      const reject = (code: number, message: string) =>
        callback(Object.assign(new Error(message), { responseCode: code }));
      if (address.address.startsWith("unknown@")) return reject(550, "5.1.1 Mailbox unavailable");
      if (address.address.startsWith("busy@")) return reject(450, "4.2.1 Try again later");
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push({ session: session.id, envelopeTo: session.envelope.rcptTo.map((a) => a.address), parsed });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    sessions,
    /** Resolves once every client connection has ended. */
    idle: () => new Promise<void>((resolve) => (open.size === 0 ? resolve() : (allClosed = resolve))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const mail = (to: string, extra: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to,
  from: { name: "Stadt Tangerhütte – Digitales Rathaus", address: "noreply@tangerhuette.example" },
  subject: "Ihr Bestätigungscode für das Digitale Rathaus Tangerhütte",
  text: "Guten Tag Anna,\n\nIhr Code: 482913",
  html: "<p>Guten Tag Anna,</p><p>Ihr Code: <strong>482913</strong></p>",
  ...extra,
});

/** A header exactly as it was sent, folding undone. */
function rawHeader(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(":") + 1).replace(/\r?\n(?=[ \t])/g, "").trim();
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(opts?: { pool?: boolean; maxConnections?: number }) {
  const server = await startServer();
  cleanup.push(server.close);
  const sender: MailSender = smtpMailSender(server.url, opts);
  cleanup.push(async () => sender.close?.());
  return { server, sender };
}

describe("smtpMailSender", () => {
  it("delivers from, to, subject, text, html and extra headers unchanged", async () => {
    const { server, sender } = await setup();
    const unsubscribe =
      "<https://rathaus.example.de/api/v1/tenants/tangerhuette/news/unsubscribe?token=eyJhbGciOiJIUzI1NiJ9.c3Vic2NyaXB0aW9uLTEyMzQ1Njc4OTA.abcdefghijklmnopqrstuvwxyz0123456789>";
    await sender.send(
      mail("anna@example.org", {
        headers: { "List-Unsubscribe": unsubscribe, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      }),
    );

    expect(server.received).toHaveLength(1);
    const { parsed, envelopeTo } = server.received[0] as Received;
    expect(envelopeTo).toEqual(["anna@example.org"]);
    expect(parsed.from?.value).toEqual([
      { name: "Stadt Tangerhütte – Digitales Rathaus", address: "noreply@tangerhuette.example" },
    ]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined).toBe("anna@example.org");
    expect(parsed.subject).toBe("Ihr Bestätigungscode für das Digitale Rathaus Tangerhütte");
    expect(parsed.text?.trim()).toBe("Guten Tag Anna,\n\nIhr Code: 482913");
    expect(parsed.html).toBe("<p>Guten Tag Anna,</p><p>Ihr Code: <strong>482913</strong></p>");
    expect(rawHeader(parsed, "List-Unsubscribe")).toBe(unsubscribe);
    expect(rawHeader(parsed, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
  });

  it("sends many mails over a few pooled connections", async () => {
    const { server, sender } = await setup({ maxConnections: 3 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => sender.send(mail(`person${i}@example.org`))));
    expect(server.received).toHaveLength(60);
    expect(new Set(server.received.map((r) => r.envelopeTo[0])).size).toBe(60);
    expect(server.sessions.size).toBeLessThanOrEqual(3);
  });

  it("works without a pool too", async () => {
    const { server, sender } = await setup({ pool: false });
    await sender.send(mail("anna@example.org"));
    await sender.send(mail("ben@example.org"));
    expect(server.received.map((r) => r.envelopeTo[0])).toEqual(["anna@example.org", "ben@example.org"]);
  });

  it("rejects with PermanentDeliveryError when the server refuses the recipient with 5xx", async () => {
    const { server, sender } = await setup();
    const err = await sender.send(mail("unknown@example.org")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect((err as Error).message).toContain("550");
    expect(server.received).toHaveLength(0);
    // The pooled connection survives a rejected recipient.
    await sender.send(mail("anna@example.org"));
    expect(server.received).toHaveLength(1);
  });

  it("sends to exactly one address and refuses anything else for good", async () => {
    const { server, sender } = await setup();
    for (const to of ["", "anna@example.org, ben@example.org", "Anna <anna@example.org>", "anna@example.org\r\nBcc: ben@example.org"]) {
      await expect(sender.send(mail(to)), JSON.stringify(to)).rejects.toBeInstanceOf(PermanentDeliveryError);
    }
    expect(server.received).toHaveLength(0);
    await sender.send(mail("ännä@bücher.example"));
    // International addresses still go out (SMTPUTF8), to that one recipient.
    expect(server.received[0]?.envelopeTo).toEqual([expect.stringMatching(/^ännä@/)]);
  });

  it("rejects with a retryable error when the server defers the recipient with 4xx", async () => {
    const { sender } = await setup();
    const err = await sender.send(mail("busy@example.org")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect((err as Error).message).toContain("450");
  });

  it("rejects with a retryable error when the server is down", async () => {
    // A port that was just free: nothing listens there any more.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const sender = smtpMailSender(`smtp://127.0.0.1:${port}`);
    cleanup.push(async () => sender.close?.());
    const err = await sender.send(mail("anna@example.org")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
  });

  it("close() ends the pooled connections", async () => {
    const { server, sender } = await setup();
    await sender.send(mail("anna@example.org"));
    await sender.close?.();
    await server.idle();
    expect(server.sessions.size).toBe(1);
  });
});
