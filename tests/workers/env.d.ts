import type { D1Migration } from "@cloudflare/vitest-pool-workers";
import type { D1Database } from "@cloudflare/workers-types";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      TEST_MIGRATIONS: D1Migration[];
      TEST_TENANT_SOURCES: string;
    }
    interface GlobalProps {
      mainModule: typeof import("../../server/worker.js");
    }
  }
}
