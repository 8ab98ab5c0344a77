import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { readTenantSources } from "./server/node/tenant-files.js";
import { startMailApiSink } from "./tests/support/mail-api-sink.js";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Two runtimes, one API suite: `tests/api` runs once on Node against in-memory SQLite and
 * once inside workerd against a local D1; `#harness` points each run at its own adapters.
 * `tests/e2e` drives Debian's Chromium against the real server and the demo site.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["server/**/*.test.ts", "tools/**/*.test.ts", "tests/api/**/*.test.ts", "tests/node/**/*.test.ts"],
          environment: "node",
          // The Test-Bürgerkonto the towns log in at (as in tests/workers).
          globalSetup: ["./tests/support/test-idp.ts"],
        },
        resolve: { alias: { "#harness": here("./tests/harness/node.ts") } },
      },
      {
        plugins: [
          cloudflareTest(async () => {
            // The mail API the Worker sends through: a local server, up before workerd is given its URL.
            const sink = await startMailApiSink();
            return {
              main: "./server/worker.ts",
              wrangler: { configPath: "./tests/workers/wrangler.test.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations(here("./migrations")),
                  TEST_TENANT_SOURCES: JSON.stringify(readTenantSources(here("./tenants"))),
                  MAIL_API_URL: `${sink.url}/v3/mail/send`,
                  MAIL_API_KEY: sink.key,
                  TEST_MAIL_SINK: sink.url,
                },
              },
            };
          }),
        ],
        test: {
          name: "workers",
          // Pure-JS argon2id in workerd takes ~170 ms a hash; login-heavy tests need the room.
          testTimeout: 30_000,
          include: ["tests/api/**/*.test.ts", "tests/workers/**/*.test.ts"],
          setupFiles: ["./tests/workers/setup.ts"],
          globalSetup: ["./tests/support/test-idp.ts"],
        },
        resolve: { alias: { "#harness": here("./tests/harness/workers.ts") } },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          // Prints the Chromium version once per run, for CI's log.
          globalSetup: ["./tests/e2e/global-setup.ts"],
          // One Chromium and one server at a time: the machines have two cores.
          fileParallelism: false,
          // Floors for a busy machine; the files also set them on each test and hook (tests/e2e/timeouts.ts).
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // expect.poll gives up after 1 s by default: too short for a view loading on a loaded machine.
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
    ],
  },
});
