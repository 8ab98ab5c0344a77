/** What is logged of every answered request: never the query string or headers, which may hold secrets. */
export interface RequestLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** Structured log lines; the Node entry writes JSON to stdout, tests pass a silent or recording logger. */
export interface Logger {
  info(event: string, data?: Record<string, unknown>): void;
  error(event: string, data?: Record<string, unknown>): void;
  /** The `request` event, once per answer: the hottest log call, so a logger may format it its own way. */
  request(line: RequestLine): void;
}

export const jsonLogger: Logger = {
  info: (event, data) => console.log(JSON.stringify({ level: "info", event, ...data })),
  error: (event, data) => console.error(JSON.stringify({ level: "error", event, ...data })),
  request: (line) => console.log(JSON.stringify({ level: "info", event: "request", ...line })),
};

export const silentLogger: Logger = { info() {}, error() {}, request() {} };
