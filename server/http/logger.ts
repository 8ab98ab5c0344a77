/** Structured log lines; the Node entry writes JSON to stdout, tests pass a silent or recording logger. */
export interface Logger {
  info(event: string, data?: Record<string, unknown>): void;
  error(event: string, data?: Record<string, unknown>): void;
}

export const jsonLogger: Logger = {
  info: (event, data) => console.log(JSON.stringify({ level: "info", event, ...data })),
  error: (event, data) => console.error(JSON.stringify({ level: "error", event, ...data })),
};

export const silentLogger: Logger = { info() {}, error() {} };
