import type { D1Migration } from "@cloudflare/vitest-pool-workers";
import type { D1Database, R2Bucket } from "@cloudflare/workers-types";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      BLOBS: R2Bucket;
      TEST_MIGRATIONS: D1Migration[];
      TEST_TENANT_SOURCES: string;
    }
    interface GlobalProps {
      mainModule: typeof import("../../server/worker.js");
    }
  }
}
