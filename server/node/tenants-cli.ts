/**
 * Consortium admin CLI: `npm run tenants -- validate | list | sync [--d1 local|remote]`.
 * Reads tenants/ through the same loader and validator as `npm start`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Kysely, SqliteDialect } from "kysely";
import BetterSqlite3 from "better-sqlite3";
import type { Database } from "../db/schema.js";
import { toSqlScript } from "../db/sql-script.js";
import { systemClock } from "../lib/clock.js";
import { TenantDefinitionError, parseTenantSources } from "../tenants/definitions.js";
import { tenantSyncQueries } from "../tenants/sync.js";
import { bootstrapStore } from "./bootstrap.js";
import { readTenantSources } from "./tenant-files.js";

const root = resolve(import.meta.dirname, "../..");
const tenantsDir = resolve(process.env.TENANTS_DIR ?? join(root, "tenants"));
const dataDir = resolve(process.env.DATA_DIR ?? join(root, "data"));

const usage = `Usage: npm run tenants -- <command>
  validate              check every tenants/<slug>/tenant.json, change nothing
  list                  show the towns defined in tenants/
  sync                  validate, then write all towns into ${join(dataDir, "rathaus.sqlite")}
  sync --d1 local       the same into the local D1 of \`npm run dev:worker\`
  sync --d1 remote      the same into the deployed D1 (needs wrangler login)`;

function load() {
  return parseTenantSources(readTenantSources(tenantsDir));
}

async function main(args: string[]) {
  const [command, ...rest] = args;
  switch (command) {
    case "validate": {
      const defs = load();
      console.log(`OK: ${defs.length} town(s) valid: ${defs.map((d) => d.config.slug).join(", ")}`);
      return;
    }
    case "list": {
      for (const { config: c } of load()) {
        console.log(`${c.slug.padEnd(16)} ${c.officialName}`);
        console.log(`${"".padEnd(16)} origins: ${c.allowedOrigins.join(", ")}`);
        console.log(`${"".padEnd(16)} topics: ${c.topics.map((t) => t.id).join(", ")}; services: ${c.services.join(", ")}`);
      }
      return;
    }
    case "sync": {
      if (rest.length > 0) {
        const target = rest[0] === "--d1" ? rest[1] : undefined;
        if (target !== "local" && target !== "remote") throw new UsageError();
        return syncD1(target);
      }
      mkdirSync(dataDir, { recursive: true });
      const { store, tenants } = await bootstrapStore({
        databaseFile: join(dataDir, "rathaus.sqlite"),
        migrationsDir: join(root, "migrations"),
        tenantsDir,
        clock: systemClock,
      });
      await store.close();
      console.log(JSON.stringify(tenants, null, 2));
      return;
    }
    default:
      throw new UsageError();
  }
}

/** D1 takes no bound parameters from a file, so the same sync statements go as an inlined SQL script. */
async function syncD1(target: "local" | "remote") {
  const defs = load();
  // Only used to compile statements; nothing is executed against this in-memory database.
  const compiler = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(":memory:") }) });
  const sql = toSqlScript(await tenantSyncQueries(compiler, defs, systemClock.now()));
  await compiler.destroy();
  const dir = join(root, ".wrangler");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "tenants-sync.sql");
  writeFileSync(file, sql);
  execFileSync("npx", ["wrangler", "d1", "execute", "DB", `--${target}`, "--file", file, "--yes"], { stdio: "inherit", cwd: root });
  console.log(`Synced ${defs.length} town(s) into the ${target} D1.`);
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) console.error(usage);
  else if (e instanceof TenantDefinitionError) console.error(`Invalid tenant definition: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
