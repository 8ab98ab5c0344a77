/**
 * A local SMTP server that keeps what it receives in memory: `npm start` sends mail here when
 * SMTP_URL is not set, and tests use it as the real SMTP server they deliver to. Nothing is
 * relayed anywhere.
 */
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

export interface CaughtMail {
  id: string;
  receivedAt: string;
  /** The From header as text, e.g. `"Stadt Tangerhütte" <noreply@…>`; the envelope sender without parsing. */
  from: string;
  /** Envelope recipients: who the mail was actually delivered to. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Lowercase header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Files sent with the mail (a receipt PDF), content in base64. */
  attachments: Array<{ filename: string; contentType: string; size: number; contentBase64: string }>;
}

export interface MailCatcher {
  /** smtp://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Newest first, at most `max`. */
  list(): CaughtMail[];
  /** Mails accepted since start or the last clear(), including those `max` pushed out. */
  count(): number;
  clear(): void;
  /** The newest already caught mail that matches, else the next one to arrive. */
  waitFor(predicate: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

export interface MailCatcherOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Mails kept in memory (default 500); older ones are dropped. */
  max?: number;
  /**
   * false: skip MIME parsing and keep only the envelope (from, to); subject, text, html and
   * headers stay empty. For benchmarks that push thousands of mails through.
   */
  parse?: boolean;
}

const maxMessageBytes = 25 * 1024 * 1024;

/** What the SMTP envelope tells without parsing the message. */
type Envelope = Pick<CaughtMail, "id" | "receivedAt" | "from" | "to">;

interface Waiter {
  predicate: (m: CaughtMail) => boolean;
  resolve: (m: CaughtMail) => void;
  reject: (err: unknown) => void;
}

export async function startMailCatcher(opts: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = opts.host ?? "127.0.0.1";
  const max = Math.max(1, opts.max ?? 500);
  const parse = opts.parse ?? true;

  // Oldest first, so that adding is a push; list() reverses.
  let mails: CaughtMail[] = [];
  let accepted = 0;
  let nextId = 1;
  const waiters = new Set<Waiter>();
  let started = false;

  function record(mail: CaughtMail) {
    accepted++;
    mails.push(mail);
    if (mails.length > max) mails.splice(0, mails.length - max);
    for (const waiter of waiters) offer(waiter, mail);
  }

  /** Resolves the waiter if the mail matches; a throwing predicate rejects only its own waiter. */
  function offer(waiter: Waiter, mail: CaughtMail): boolean {
    let matches: boolean;
    try {
      matches = waiter.predicate(mail);
    } catch (err) {
      waiter.reject(err);
      return true;
    }
    if (matches) waiter.resolve(mail);
    return matches;
  }

  function envelope(session: SMTPServerSession): Envelope {
    const { mailFrom, rcptTo } = session.envelope;
    return {
      id: String(nextId++),
      receivedAt: new Date().toISOString(),
      from: mailFrom ? mailFrom.address : "",
      to: rcptTo.map((r) => r.address),
    };
  }

  function onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
    const env = envelope(session);
    const finish = (mail: CaughtMail) => {
      if (stream.sizeExceeded) return callback(Object.assign(new Error("Message too big"), { responseCode: 552 }));
      record(mail);
      // Answer 250 only after recording: once a client's send resolved, list() shows the mail.
      callback();
    };
    if (!parse) {
      stream.on("end", () => finish({ ...env, subject: "", text: "", html: "", headers: {}, attachments: [] }));
      stream.resume();
      return;
    }
    simpleParser(stream, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true }).then(
      (parsed) => finish(fromParsed(env, parsed)),
      (err: unknown) => callback(Object.assign(new Error(`Cannot parse message: ${String(err)}`), { responseCode: 451 })),
    );
  }

  const server = new SMTPServer({
    banner: "Digitales Rathaus mail catcher (nothing is delivered)",
    authOptional: true,
    // Accept any login, so that an SMTP_URL with credentials works against the catcher too.
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "catcher" }),
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    size: maxMessageBytes,
    logger: false,
    onData,
  });

  await new Promise<void>((resolve, reject) => {
    // Before listening, an error (port in use) fails the start; afterwards errors are broken
    // client connections, which smtp-server has already cleaned up.
    server.on("error", (err) => {
      if (!started) reject(err);
    });
    server.listen(opts.port ?? 0, host, () => {
      started = true;
      resolve();
    });
  });

  const port = (server.server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;

  return {
    url: `smtp://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    list: () => mails.slice().reverse(),
    count: () => accepted,
    clear() {
      mails = [];
      accepted = 0;
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise<CaughtMail>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const waiter: Waiter = {
          predicate,
          resolve: (m) => {
            settle();
            resolve(m);
          },
          reject: (err) => {
            settle();
            reject(err);
          },
        };
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        for (let i = mails.length - 1; i >= 0; i--) {
          if (offer(waiter, mails[i] as CaughtMail)) return;
        }
        if (closing) return waiter.reject(new Error("The mail catcher is closed."));
        waiters.add(waiter);
        timer = setTimeout(
          () => waiter.reject(new Error(`No matching mail arrived within ${timeoutMs} ms (${mails.length} caught).`)),
          timeoutMs,
        );
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const waiter of waiters) waiter.reject(new Error("The mail catcher was closed."));
        server.close(() => resolve());
        // Idle pooled clients would otherwise hold the server open for its 30 s grace period.
        for (const connection of server.connections) {
          connection.send(421, "Mail catcher shutting down");
          connection.close();
        }
      });
      return closing;
    },
  };
}

function fromParsed(env: Envelope, parsed: ParsedMail): CaughtMail {
  return {
    ...env,
    from: parsed.from?.text || env.from,
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    html: typeof parsed.html === "string" ? parsed.html : "",
    headers: flatHeaders(parsed),
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? "", contentType: a.contentType, size: a.size, contentBase64: a.content.toString("base64") })),
  };
}

/**
 * mailparser decodes some headers into objects and folds all List-* headers into one `list`
 * entry; tests want each header by its own name as a string, so decoded strings are taken
 * where mailparser has them and the raw (unfolded) line otherwise.
 */
function flatHeaders(parsed: ParsedMail): Record<string, string> {
  const raw = new Map<string, string[]>();
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(":") + 1).replace(/\r?\n(?=[ \t])/g, "").trim();
    const values = raw.get(key);
    if (values) values.push(value);
    else raw.set(key, [value]);
  }
  const entries: [string, string][] = [];
  for (const [key, values] of raw) {
    const decoded = parsed.headers.get(key);
    let value = values.join(", ");
    if (typeof decoded === "string") value = decoded;
    else if (decoded && typeof decoded === "object" && "text" in decoded && typeof decoded.text === "string") {
      value = decoded.text;
    }
    entries.push([key, value]);
  }
  // fromEntries defines own properties, so even a header named __proto__ cannot touch the prototype.
  return Object.fromEntries(entries);
}
