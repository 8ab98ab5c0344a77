import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  apiPort: number;
  demoPort: number;
}

/**
 * Runs `server/node.ts` as `npm start` does, on free ports (API, demo site and mail catcher, so
 * test files can run side by side), and waits until it is listening or has exited. A server
 * that is neither after `timeoutMs` fails the test with its output.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<Started> {
  const apiPort = await freePort();
  const demoPort = await freePort();
  const catcherPort = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/node.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(apiPort), DEMO_PORT: String(demoPort), SMTP_CATCHER_PORT: String(catcherPort), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  // "close", not "exit": by then the child's stdout has been read to the end.
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let poll: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => {
        const check = () => (out.includes("is running") ? resolve() : (poll = setTimeout(check, 50)));
        check();
      }),
      exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  } finally {
    clearTimeout(timer);
    clearTimeout(poll);
  }
  return { child, output: () => out, exited, apiPort, demoPort };
}
