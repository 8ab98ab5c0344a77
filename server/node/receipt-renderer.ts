import { Worker } from "node:worker_threads";
import type { ReceiptRenderer } from "../forms/receipt.js";
import type { ReceiptInput } from "../forms/receipt-pdf.js";

type Reply = { id: number; bytes: Uint8Array } | { id: number; error: string };

/**
 * Receipt PDFs made in one worker thread (./receipt-worker.ts) with DejaVu Sans embedded, so a
 * busy dispatcher never takes CPU from requests on the main thread. Started on first use; a
 * thread that dies fails what it was making (the dispatcher retries those mails) and the next
 * receipt starts a new one.
 */
export function workerReceiptRenderer(): ReceiptRenderer & { close(): Promise<void> } {
  let worker: Worker | undefined;
  let next = 0;
  const pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

  function start(): Worker {
    // The server runs under tsx, whose loader a worker thread does not inherit: the thread registers it first.
    const tsx = import.meta.resolve("tsx/esm/api");
    const entry = new URL("./receipt-worker.ts", import.meta.url).href;
    const w = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
    w.unref();
    w.on("message", (reply: Reply) => {
      const job = pending.get(reply.id);
      pending.delete(reply.id);
      if ("error" in reply) job?.reject(new Error(`receipt PDF: ${reply.error}`));
      else job?.resolve(reply.bytes);
    });
    const fail = (error: Error) => {
      if (worker === w) worker = undefined;
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`receipt thread exited with ${code}`)));
    return w;
  }

  const render = (input: ReceiptInput) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      (worker ??= start()).postMessage({ id, input });
    });
  return Object.assign(render, {
    async close() {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  });
}
