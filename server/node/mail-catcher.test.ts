import { createTransport } from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import { renderMail } from "../mail/render.js";
import { type MailCatcher, type MailCatcherOptions, startMailCatcher } from "./mail-catcher.js";
import { smtpMailSender } from "./smtp-sender.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function catcher(opts?: MailCatcherOptions): Promise<MailCatcher> {
  const c = await startMailCatcher(opts);
  cleanup.push(() => c.close());
  return c;
}

/** A nodemailer transport to the catcher, closed after the test (before the catcher). */
function transport(url: string, pool = true) {
  const t = createTransport({ url, pool, maxConnections: 5, maxMessages: Infinity });
  cleanup.push(async () => t.close());
  return t;
}

const from = { name: "Stadt Tangerhütte – Digitales Rathaus", address: "noreply@tangerhuette.example" };

describe("startMailCatcher", () => {
  it("catches a mail with envelope, subject, both parts and headers", async () => {
    const c = await catcher();
    expect(c.url).toBe(`smtp://127.0.0.1:${c.port}`);
    await transport(c.url).sendMail({
      from,
      to: "anna@example.org",
      bcc: "archiv@example.org",
      subject: "Ihr Bestätigungscode für das Digitale Rathaus Tangerhütte",
      text: "Ihr Code: 482913",
      html: "<p>Ihr Code: <strong>482913</strong></p>",
      headers: {
        "List-Unsubscribe": "<https://rathaus.example.de/unsubscribe?token=abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });

    // The client's send resolves only after the catcher recorded the mail.
    expect(c.count()).toBe(1);
    const [mail] = c.list();
    expect(mail).toMatchObject({
      id: expect.any(String),
      from: '"Stadt Tangerhütte – Digitales Rathaus" <noreply@tangerhuette.example>',
      to: ["anna@example.org", "archiv@example.org"],
      subject: "Ihr Bestätigungscode für das Digitale Rathaus Tangerhütte",
      html: "<p>Ihr Code: <strong>482913</strong></p>",
    });
    expect(mail?.text.trim()).toBe("Ihr Code: 482913");
    expect(new Date(mail?.receivedAt ?? "").toISOString()).toBe(mail?.receivedAt);
    expect(mail?.headers).toMatchObject({
      subject: "Ihr Bestätigungscode für das Digitale Rathaus Tangerhütte",
      to: "anna@example.org",
      "list-unsubscribe": "<https://rathaus.example.de/unsubscribe?token=abc>",
      "list-unsubscribe-post": "List-Unsubscribe=One-Click",
      "mime-version": "1.0",
    });
    expect(mail?.headers["message-id"]).toMatch(/^<.+@tangerhuette\.example>$/);
    expect(mail?.headers.bcc).toBeUndefined();
  });

  it("lists newest first, keeps at most `max`, counts all, and clears", async () => {
    const c = await catcher({ max: 3 });
    const t = transport(c.url);
    for (let i = 1; i <= 5; i++) await t.sendMail({ from, to: `p${i}@example.org`, subject: `Nr. ${i}`, text: "." });
    expect(c.list().map((m) => m.subject)).toEqual(["Nr. 5", "Nr. 4", "Nr. 3"]);
    expect(c.count()).toBe(5);
    c.clear();
    expect(c.list()).toEqual([]);
    expect(c.count()).toBe(0);
  });

  it("waitFor resolves with an already caught mail, newest first", async () => {
    const c = await catcher();
    const t = transport(c.url);
    await t.sendMail({ from, to: "anna@example.org", subject: "Code 111111", text: "." });
    await t.sendMail({ from, to: "anna@example.org", subject: "Code 222222", text: "." });
    const mail = await c.waitFor((m) => m.to.includes("anna@example.org"));
    expect(mail.subject).toBe("Code 222222");
  });

  it("waitFor resolves when a matching mail arrives later, ignoring others", async () => {
    const c = await catcher();
    const t = transport(c.url);
    const waiting = c.waitFor((m) => m.to.includes("ben@example.org"));
    await t.sendMail({ from, to: "anna@example.org", subject: "Für Anna", text: "." });
    await t.sendMail({ from, to: "ben@example.org", subject: "Für Ben", text: "." });
    expect((await waiting).subject).toBe("Für Ben");
  });

  it("waitFor rejects after its timeout, on a throwing predicate, and on close", async () => {
    const c = await startMailCatcher();
    await expect(c.waitFor(() => true, 20)).rejects.toThrow(/No matching mail arrived within 20 ms/);

    const t = transport(c.url);
    // Expectations attach before the mail arrives, so the rejection is never unhandled.
    const throwing = expect(
      c.waitFor(() => {
        throw new Error("kaputt");
      }),
    ).rejects.toThrow("kaputt");
    await t.sendMail({ from, to: "anna@example.org", subject: "x", text: "." });
    await throwing;

    const pending = expect(c.waitFor(() => false)).rejects.toThrow(/closed/);
    // The pooled client is still connected; close() must not wait for it.
    await c.close();
    await pending;
    await expect(c.waitFor(() => false)).rejects.toThrow(/closed/);
  });

  it("takes many mails over concurrent connections", async () => {
    const c = await catcher();
    const senders = Array.from({ length: 4 }, () => transport(c.url));
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        senders[i % senders.length]?.sendMail({ from, to: `person${i}@example.org`, subject: `Nr. ${i}`, text: "." }),
      ),
    );
    expect(c.count()).toBe(200);
    expect(new Set(c.list().map((m) => m.to[0])).size).toBe(200);
  });

  it("with parse: false only records the envelope", async () => {
    const c = await catcher({ parse: false, max: 5_000 });
    const t = transport(c.url);
    await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        t.sendMail({ from, to: `person${i}@example.org`, subject: "Neuigkeiten", html: "<p>Hallo</p>", text: "Hallo" }),
      ),
    );
    expect(c.count()).toBe(1_000);
    const all = c.list();
    expect(all).toHaveLength(1_000);
    expect(new Set(all.map((m) => m.to[0])).size).toBe(1_000);
    expect(all[0]).toMatchObject({ from: "noreply@tangerhuette.example", subject: "", html: "", headers: {} });
    await expect(c.waitFor((m) => m.to[0] === "person7@example.org")).resolves.toMatchObject({
      to: ["person7@example.org"],
    });
  });

  it("accepts any login, so SMTP_URLs with credentials work", async () => {
    const c = await catcher();
    await transport(`smtp://user:secret@127.0.0.1:${c.port}`, false).sendMail({ from, to: "a@example.org", text: "." });
    expect(c.count()).toBe(1);
  });

  it("fails to start on a port in use", async () => {
    const c = await catcher();
    await expect(startMailCatcher({ port: c.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it("receives rendered mails sent by smtpMailSender", async () => {
    const c = await catcher();
    const sender = smtpMailSender(c.url);
    cleanup.push(async () => sender.close?.());
    const branding = {
      townName: "Tangerhütte",
      officialName: "Einheitsgemeinde Stadt Tangerhütte",
      primaryColor: "#1f6f3f",
      accentColor: "#c8a200",
      logoUrl: null,
      websiteUrl: "https://www.tangerhuette.example/",
      imprintUrl: "https://www.tangerhuette.example/impressum",
      privacyUrl: "https://www.tangerhuette.example/datenschutz",
      contactEmail: "buergerbuero@tangerhuette.example",
    };
    const rendered = renderMail("verify_email", "de", branding, { name: "Anna", code: "482913", minutes: "15" });
    await sender.send({ to: "anna@example.org", from, ...rendered });

    const mail = await c.waitFor((m) => m.to.includes("anna@example.org"));
    expect(mail.subject).toBe("Ihr Bestätigungscode für das Digitale Rathaus Tangerhütte");
    expect(mail.text.trim()).toBe(rendered.text.trim());
    expect(mail.html).toBe(rendered.html);
    expect(mail.text.match(/\b\d{6}\b/)?.[0]).toBe("482913");
  });
});
