import type { D1Database } from "@cloudflare/workers-types";
import { Kysely } from "kysely";
import { D1Dialect } from "kysely-d1";
import type { Database } from "../db/schema.js";
import { type Store, compile } from "../db/store.js";

/** D1 behind the Store port: `atomic` is one `batch()`, which D1 runs as a single transaction. */
export function d1Store(d1: D1Database): Store {
  const db = new Kysely<Database>({ dialect: new D1Dialect({ database: d1 }) });
  return {
    db,
    async atomic(queries) {
      if (queries.length === 0) return;
      await d1.batch(queries.map(compile).map((q) => d1.prepare(q.sql).bind(...(q.parameters as unknown[]))));
    },
    async ping() {
      await d1.prepare("SELECT 1").first();
    },
  };
}
