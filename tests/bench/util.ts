import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";

/** Runs `task` `total` times with `concurrency` in flight; returns operations per second. */
export async function rate(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ perSecond: number; ms: number }> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  const ms = performance.now() - start;
  return { perSecond: (total / ms) * 1000, ms };
}

export async function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 0);
