import { env } from "cloudflare:workers";
import { silentLogger } from "../../server/http/logger.js";
import { systemClock } from "../../server/lib/clock.js";
import type { RateGate } from "../../server/outbox/rate-gate.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { durableRateGate } from "../../server/workers/durable-rate-gate.js";
import { readWorkerVars, stringVars } from "../../server/workers/env.js";
import { consumeWorkerJobs, workerSenders } from "../../server/workers/jobs.js";
import type { JobMessage, JobQueues } from "../../server/workers/queues.js";

/**
 * The Worker's real consumer (D1, mail API, rate gate) behind queues that only record what is
 * put on them: the test hands each message to `consume` itself, in the order it chooses.
 */
export function recordingConsumer(rateGate: RateGate = durableRateGate(env.MAIL_RATE)) {
  const fanout: JobMessage[] = [];
  const delivery: JobMessage[] = [];
  const priority: JobMessage[] = [];
  const queue = (into: JobMessage[]) => ({
    send: async (body: JobMessage) => void into.push(body),
    sendBatch: async (messages: Iterable<{ body: JobMessage }>) => void into.push(...[...messages].map((m) => m.body)),
  });
  const queues: JobQueues = { fanout: queue(fanout), delivery: queue(delivery), priority: queue(priority) };
  const vars = readWorkerVars(env as unknown as Record<string, unknown>);
  const deps = {
    store: d1Store(env.DB),
    clock: systemClock,
    logger: silentLogger,
    env: vars,
    senders: workerSenders(vars, stringVars(env as unknown as Record<string, unknown>)),
    rateGate,
    queues,
  };
  const consume = (body: JobMessage) => consumeWorkerJobs([{ body, attempts: 1, ack() {}, retry() {} }], deps);
  return { fanout, delivery, priority, consume };
}
