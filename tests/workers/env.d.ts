import type { D1Migration } from "@cloudflare/vitest-pool-workers";
import type { D1Database, DurableObjectNamespace, Queue, R2Bucket } from "@cloudflare/workers-types";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      BLOBS: R2Bucket;
      TEST_MIGRATIONS: D1Migration[];
      TEST_TENANT_SOURCES: string;
      /** The local mail API the Worker sends to (tests/support/mail-api-sink.ts). */
      TEST_MAIL_SINK: string;
      MAIL_API_URL: string;
      FANOUT_QUEUE: Queue;
      DELIVERY_QUEUE: Queue;
      PRIORITY_QUEUE: Queue;
      MAIL_RATE: DurableObjectNamespace<import("../../server/workers/mail-rate-limiter.js").MailRateLimiter>;
    }
    interface GlobalProps {
      mainModule: typeof import("../../server/worker.js");
    }
  }
}
