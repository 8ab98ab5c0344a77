import pino from "pino";
import type { Logger, RequestLine } from "../http/logger.js";

export interface ClosableLogger extends Logger {
  /** Writes out every line still queued; the last thing before the process exits. */
  close(): Promise<void>;
}

/**
 * `npm start`'s log: one JSON line per event on stdout (`{"level","time","event",…}`), written
 * asynchronously so a request never waits for the terminal or a log collector. Lines written while
 * one write is under way go out together with the next; nothing is held back when the server is quiet.
 */
export function pinoLogger(fd = 1): ClosableLogger {
  const destination = pino.destination({ dest: fd, sync: false, minLength: 0 });
  const log = pino(
    {
      base: undefined,
      messageKey: "event",
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    info: (event, data) => log.info(data ?? {}, event),
    error: (event, data) => log.error(data ?? {}, event),
    // The same line pino would write, built directly: at thousands of requests a second, pino's
    // generic object serialisation was a sizeable part of the cost of a public read.
    request: (l: RequestLine) =>
      destination.write(
        `{"level":"info","time":${Date.now()},"requestId":${JSON.stringify(l.requestId)},"method":${JSON.stringify(l.method)},"path":${JSON.stringify(l.path)},"status":${l.status},"ms":${l.ms},"event":"request"}\n`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        // A reader that went away (EPIPE) turns end() into nothing; shutdown must not wait for it.
        const gaveUp = setTimeout(resolve, 2_000);
        destination.once("close", () => {
          clearTimeout(gaveUp);
          resolve();
        });
        destination.end();
      }),
  };
}
